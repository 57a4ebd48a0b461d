// Orientation: finds blank pages and, when asked (detect_orientation), pages
// scanned sideways or upside down, which it turns upright.
//
// By default this stage only finds blank pages: orientation is left to the
// OCR stage's orientation fallback (stages/page/ocr_stage.h), which recognizes
// first and turns only the pages that do not read upright: OSD on every page
// cost much of the stage time and still left most turned pages as scanned
// (benchmarks/README.md, "Orientation: in the OCR stage, not before it").
// detect_orientation = true brings back OSD on every page (OCRmyPDF's
// --rotate-pages way) for inputs where it does better.
//
// Per page, in this order:
//  1. Blank check (Leptonica): the page is reduced to ~150 dpi, thresholded
//     at 128 and its connected components counted; only components of
//     character size (0.8–15 mm tall, at most 25 mm wide) count. Fewer than
//     blank_max_components of them: page.blank = true, the review reason
//     BlankPageReason() "page N: blank page" (N 1-based) is appended, and
//     nothing else is done (deskew skips blank pages; a blank page is never
//     archived silently). It is a first opinion: the OCR stage still reads
//     the page and takes both back if Tesseract finds text (text too small,
//     faint or at a wrong resolution for this count). detect_blank = false
//     turns this off.
//  2. Only with detect_orientation: orientation (Tesseract OSD, osd.traineddata, PSM_OSD_ONLY), on a gray
//     copy reduced to at most osd_max_dpi (below 300 dpi OSD is faster but
//     loses its confidence on some upright pages; benchmarks/README.md).
//     Too little text for OSD is not a failure: the page is left as it is.
//  3. If OSD found a rotation of 90, 180 or 270 degrees with confidence >=
//     min_confidence, the raster is rotated exactly (pixel transposition, no
//     resampling, PixelKind kept) and dpi_x/dpi_y swapped for 90/270.
//
// Recorded: page.rotation_degrees = the clockwise rotation *applied* to make
// the page upright (0 when none was applied; a page scanned turned 90°
// clockwise gets 270), page.orientation_confidence = OSD's confidence (also
// when below the threshold, 0 when OSD could not decide).
//
// Errors: NewWorker() returns kConfiguration when detect_orientation is on
// and osd.traineddata is missing from the tessdata folder. Process() returns kInvalidInput for an
// inconsistent raster, kInternal for Leptonica/Tesseract failures.
// Thread-safety: the stage is immutable; each worker owns its OSD engine
// (none without detect_orientation).
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/stage.h"

namespace sohoa {

struct OrientOptions {
  // Tesseract OSD on every page (step 2). Off: the OCR stage's orientation
  // fallback turns the pages that need it (see the file comment).
  bool detect_orientation = false;
  std::string tessdata_dir;  // empty: Tesseract's own (DefaultTessdataDir())
  // OSD confidence needed to rotate; OCRmyPDF's --rotate-pages-threshold
  // default is 14.
  double min_confidence = 14.0;
  double osd_max_dpi = 300.0;  // OSD runs on a copy reduced to this
  bool detect_blank = true;
  int blank_max_components = 20;  // fewer character-size marks = blank
};

// Name() is "orient".
std::unique_ptr<PageStage> NewOrientStage(const OrientOptions& options = {});

// Exact clockwise rotation by 0/90/180/270 degrees (other values: kInvalidInput);
// swaps dpi_x/dpi_y for 90/270. Exposed for tests and other stages.
Status RotateRasterClockwise(Raster& raster, int degrees);

// "page N: blank page" for the 0-based `page_index`: the review reason of
// step 1, which the OCR stage withdraws when it finds text.
std::string BlankPageReason(int page_index);

// The blank check of step 1 on its own: the number of character-size
// components found (exposed so tests can show why a page was judged blank).
StatusOr<int> CountTextLikeComponents(const Raster& raster);

}  // namespace sohoa
