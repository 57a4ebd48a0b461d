// What the review form shows of a document (issue 9): its archived PDF's
// pages rendered to PNG for the browser, and the recognized words with their
// boxes (from the PDF's invisible text layer), so the form can highlight
// where a field's value was read. poppler-cpp does both.
//
// Errors: unreadable PDF or page out of range -> kInvalidInput naming it.
// Thread-safety: each call opens its own poppler document.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa::cli {

// One recognized word; x, y, w, h are fractions of the page (top-left origin).
struct WordBox {
  std::string text;
  double x = 0, y = 0, w = 0, h = 0;
};

struct PageWords {
  double width_pt = 0, height_pt = 0;
  std::vector<WordBox> words;
};

// Page `index` (0-based) of the PDF whose bytes are `pdf`, rendered at
// `dpi`, as PNG bytes.
StatusOr<std::string> RenderPagePng(const std::string& pdf, int index, double dpi);

// A part of a page, as fractions of its width and height (top-left origin).
struct PageRegion {
  double x = 0, y = 0, w = 1, h = 1;
};

// That part of page `index` (issue 18: the keying station's crop of where a
// field is written), clamped to the page, rendered at `max_dpi` or less so
// its longer side stays within `max_pixels` (16..4000): a request cannot
// ask for a huge image. kInvalidInput for an empty region.
StatusOr<std::string> RenderPageRegionPng(const std::string& pdf, int index, const PageRegion& region,
                                          double max_dpi, int max_pixels);

// Every page's words.
StatusOr<std::vector<PageWords>> ReadPageWords(const std::string& pdf);

}  // namespace sohoa::cli
