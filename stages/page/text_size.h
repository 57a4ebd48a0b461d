// Text size on a page image, and the resolution it implies.
//
// Screenshots and photographs of documents seldom record a resolution (a
// PNG without pHYs, a JPEG whose JFIF header gives only an aspect ratio).
// Assuming 300 dpi for them is wrong by 3x or more: a 730-pixel-wide photo
// of a letter becomes a 6 cm page whose characters are under a millimetre
// tall, which the blank check then took for specks. The text itself knows
// better: printed body text has an x-height (the height of "x", "n", "o")
// of about 2.1 mm (Times New Roman at 13-14 pt, which Decree 30/2020
// prescribes for administrative documents; binarized, they measure a little
// taller, hence kBodyXHeightMm: benchmarks/README.md "Text size"), so the
// x-height in pixels gives the pixels per millimetre.
//
// MeasureTextSize() finds that x-height (Leptonica): the page is
// background-normalised and binarised (Otsu), its connected components are
// taken, and the height shared by the most letter-sized components is the
// x-height, unless a smaller height about 0.6-0.8 of it is also a common
// peak (then the most common height was that of capitals and ascenders,
// "b d h k l t", or of letters whose Vietnamese diacritic touches them at
// low resolution). Marks (a component smaller than one just above or below
// it: tone marks, i-dots, dots below), rules and frames (wider than four
// heights) do not count; the letters must mostly have a neighbour on their
// line (a map's dashes do not), and there must be enough of them. A page
// whose lines run up or down (photographed sideways) is measured turned.
//
// EstimateResolution() = x-height in pixels / kBodyXHeightMm, within
// [kMinEstimatedDpi, kMaxEstimatedDpi]: about ±10% of the true resolution at
// 100-300 dpi, worse below (benchmarks/README.md "Text size";
// tests/stages/page/text_size_test.cc). It is an estimate: the caller
// records it as one.
//
// Thread-safety: free functions without shared state.
#pragma once

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

// Body-text x-height assumed for EstimateResolution(), in millimetres.
inline constexpr double kBodyXHeightMm = 2.2;
// Estimates outside this range are not plausible for a document image.
inline constexpr double kMinEstimatedDpi = 40;
inline constexpr double kMaxEstimatedDpi = 1200;

struct TextSize {
  bool found = false;        // enough letter-sized components to measure
  double x_height_px = 0;    // mean height of the x-height class, pixels
  int letters = 0;           // components in the x-height class
  double in_line_share = 0;  // of those, the share with a neighbour on their line
};

// Needs at least this many x-height letters to report found, most of them
// in lines of text.
inline constexpr int kMinLettersForTextSize = 25;
inline constexpr double kMinInLineShare = 0.6;

// Measures `raster` (any kind; its resolution is not used). kInvalidInput
// for an empty or inconsistent raster, kInternal when Leptonica fails. A
// page without enough text is not an error: found = false.
StatusOr<TextSize> MeasureTextSize(const Raster& raster);

// The resolution (dots per inch) at which `size` is body text; 0 when
// nothing was found or the result falls outside the plausible range.
double EstimateResolution(const TextSize& size);

}  // namespace sohoa
