// Deskew: measures the skew of the text lines on a page and rotates the page
// raster so that they are horizontal.
//
// Measurement: Leptonica's sweep-and-binary-search of projection profiles
// (pixFindSkewSweepAndSearchScore) on a binarized copy reduced to about
// 150 dpi, sweeping ±sweep_range_degrees (Leptonica's own deskew sweeps
// only ±7°; scans of the commune archive reach ±10°) and refining to
// search_precision_degrees.
//
// Sign convention (page.skew_degrees): Leptonica's. A positive value means
// the text lines rise to the right on the scan, i.e. the scan's content is
// turned counter-clockwise by that angle; correcting it is a clockwise
// rotation by the same angle. This matches Page::skew_degrees in
// pipeline/core/document.h ("+ = counter-clockwise text").
//
// Correction: Leptonica pixRotate about the page centre, area-mapped, white
// brought in at the corners, same width and height (corners that leave the
// frame are cropped). The raster keeps its PixelKind: a bilevel page is
// rotated as 8-bit gray and thresholded at 128 again, so it stays 0/255.
//
// Not rotated (raster untouched, skew_degrees and skew_confidence still
// recorded as measured, OK returned): when the confidence is below
// min_confidence, when |angle| < min_angle_degrees, or when the page is too
// small or empty for a measurement (then both stay 0). page.blank pages are
// left alone. Failures: kInvalidInput for an inconsistent raster, kInternal
// when Leptonica fails to allocate.
//
// Thread-safety: the stage is immutable; workers keep no state, so any
// number run at once.
#pragma once

#include <memory>

#include "pipeline/core/stage.h"

namespace sohoa {

struct DeskewOptions {
  // Half-width of the coarse sweep, degrees. Skews beyond it are not found.
  double sweep_range_degrees = 12.0;
  // Step of the coarse sweep, degrees (Leptonica's default).
  double sweep_step_degrees = 1.0;
  // Binary-search stop, degrees; the measured error on generated scans is
  // well under 0.2° with this value.
  double search_precision_degrees = 0.01;
  // Leptonica's score-ratio confidence; its own deskew requires 3.0.
  double min_confidence = 3.0;
  // Rotations smaller than this are not worth the resampling (Leptonica: 0.1).
  double min_angle_degrees = 0.1;
};

// Name() is "deskew".
std::unique_ptr<PageStage> NewDeskewStage(const DeskewOptions& options = {});

// What a deskew worker does to one page, as a function: measures, records
// page.skew_degrees/skew_confidence, corrects (rules above). Used by the OCR
// stage to deskew again a page it has turned upright (a page scanned
// sideways cannot be deskewed before it is turned). Does not check
// `options` (NewWorker() does).
Status DeskewPage(const DeskewOptions& options, Page& page);

// Did DeskewPage measure a skew of at least `min_degrees` without applying
// it (its confidence below the bar)? On a page scanned sideways the lines
// run down the page and the measurement, though often right, is weak.
bool SkewLeftUnapplied(const DeskewOptions& options, const Page& page, double min_degrees);

// Rotates `raster` clockwise by `degrees` (a DeskewPage correction: the
// measured skew undoes itself), as DeskewPage does. kInvalidInput for an
// inconsistent raster, kInternal when Leptonica fails.
Status RotateByDegrees(Raster& raster, double degrees);

}  // namespace sohoa
