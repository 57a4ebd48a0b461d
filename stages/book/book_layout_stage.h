// Book layout: what a register book page holds besides its text (issue 17,
// /work/wt/BOOKS.md). A page stage that runs after OCR and before the
// encoder, while the raster exists, on pages of a book only
// (document.is_book(); any other page is left untouched). Fills page.layout
// (pipeline/core/book.h) and OcrLine::handwritten:
//
//  - Rulings (OpenCV): the page is binarised with a local (adaptive)
//    threshold, so a yellowed sheet or the shadow of the fold is paper, not
//    ink; a morphological opening with a long thin kernel keeps only runs
//    of ink that long (a ruling), and the connected pieces that span at
//    least min_rule_fraction of the page (of one half on a spread) are
//    rulings. Close ones are merged (a ruling drawn twice, the two halves of
//    a spread a few pixels apart): rules_y and rules_x, sorted.
//  - Spread: an image wider than tall by spread_min_aspect holds two facing
//    pages. The fold (gutter_x) is the darkest column band in the middle
//    fifth (the shadow of the binding) when it is clearly darker than the
//    paper, else the widest inkless gap there (two tables side by side),
//    else the middle.
//  - Page numbers: an OCR line (on a spread: the words of one half) in the
//    top or bottom page_number_band of the page, outside the ruled table,
//    that is only a number ("12", "- 12 -") or carries "Trang số 12"; the
//    one nearest the page edge wins, a labelled one over a bare one.
//    printed_page_numbers: one per half, 0 when none was read.
//  - Handwriting: a line is marked handwritten when (colour pages) a share
//    of its ink of at least handwriting_ink_share is blue-violet, the
//    ballpoint colour (black print and red stamps are not), or (any page)
//    Tesseract read its words with a median confidence below
//    handwriting_max_confidence, or its words' bottoms wander off the
//    baseline by more than baseline_wander x the line's x-height and its
//    confidence is not high. Conservative by design: a line that may be
//    handwriting goes to a person, which costs a look; a handwritten line
//    taken for print would archive OCR's guesses.
//
// Errors: kInvalidInput for a raster inconsistent with its size, kInternal
// when OpenCV throws. An empty raster or a blank page is left alone (OK).
//
// Thread-safety: the stage is immutable; workers keep no state.
#pragma once

#include <memory>

#include "pipeline/core/stage.h"

namespace sohoa {

struct BookLayoutOptions {
  // A ruling spans at least this share of the page's (half's) width, or of
  // its height for a vertical one.
  double min_rule_fraction = 0.3;
  // width / height at or above which an image is a two-page spread.
  double spread_min_aspect = 1.2;
  // Page numbers are looked for in this share of the height at the top and
  // at the bottom.
  double page_number_band = 0.12;
  // Handwriting (see above).
  double handwriting_ink_share = 0.25;
  float handwriting_max_confidence = 62;
  float confident_print = 85;
  double baseline_wander = 0.18;
};

// Name() is "book_layout".
std::unique_ptr<PageStage> NewBookLayoutStage(const BookLayoutOptions& options = {});

// The stage's work on one page, as a function (tests; `document` only needs
// to be a book). Does not check `options`.
Status AnalyseBookPage(const BookLayoutOptions& options, Page& page);

}  // namespace sohoa
