// Conversions between sohoa's Raster and Leptonica's PIX, and a small owning
// handle for PIX. The page stages that use Leptonica (orientation, deskew,
// OCR downscaling) convert at their boundary through these functions only.
//
// Thread-safety: all functions are reentrant; a PIX is owned by one thread.
#pragma once

#include <memory>

#include "pipeline/core/document.h"
#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

struct Pix;

namespace sohoa {

// Destroys a PIX with pixDestroy.
struct PixDeleter {
  void operator()(Pix* pix) const;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Wraps a PIX returned by a Leptonica call (nullptr stays empty).
inline PixPtr AdoptPix(Pix* pix) { return PixPtr(pix); }

// Leptonica prints warnings on stderr ("Warning in pixScaleAreaMap: scaling
// factor >= 0.7"), between the run's own lines; errors it still prints. Once
// per process, before the worker threads (cli/stage_set.cc); RasterToPix calls
// it too, for programs that only convert.
void QuietLeptonicaWarnings();

// Copies `raster` into a new PIX: kGray and kBilevel become 8 bpp gray (a
// bilevel page keeps its 0/255 values), kRgb becomes 32 bpp RGB. The PIX
// carries the raster's resolution (rounded). Fails with kInvalidInput on an
// empty or inconsistent raster, kInternal if Leptonica cannot allocate.
StatusOr<PixPtr> RasterToPix(const Raster& raster);

// Copies a 1, 8 or 32 bpp PIX into a Raster of `kind`: 8 bpp -> kGray as is,
// kBilevel thresholds at 128 (a value < 128 is black), kRgb replicates gray;
// 32 bpp -> kRgb as is, or luminance for kGray/kBilevel; 1 bpp -> 0/255.
// A colormapped PIX is expanded first. dpi_x/dpi_y are copied from the
// arguments, not from the PIX (callers know which one is right after a
// rotation). Fails with kUnsupported for other depths.
StatusOr<Raster> PixToRaster(const Pix* pix, PixelKind kind, double dpi_x, double dpi_y);

// The gray a colour pixel is recognized as: Rec. 601 weights in fixed
// point, rounded, as Leptonica's own luminance (RasterToGrayPix below). The
// red-ink copy (red_ink.h) uses it too, so that a page without red ink is
// read from the very same gray: on a small web screenshot a one-level
// difference turned "Kính" into "Kinh".
inline uint8_t RecognitionLuminance(uint8_t r, uint8_t g, uint8_t b) {
  return static_cast<uint8_t>((77 * r + 150 * g + 29 * b + 128) >> 8);
}

// An 8 bpp gray PIX of the raster, for analysis (OSD, skew, blank checks):
// RGB is reduced to luminance.
StatusOr<PixPtr> RasterToGrayPix(const Raster& raster);

// The paper's gray level: the median of `page` (every fourth pixel each
// way), print being a small part of any page.
int PaperLevel(const Raster& page);
// The gray level below which a pixel of `page` is ink: 128, or 80% of the
// paper's level when that is lighter. Thin marks (a leader's dots, a seal's
// strokes) are anti-aliased into the paper: on a generated register book's
// yellowed page (paper 229) a leader's darkest pixels measured 130-160, so a
// fixed 128 kept almost none of them.
int PaperInkThreshold(const Raster& page);
// The same for a paper level already measured (PaperLevel).
int InkThresholdOverPaper(int paper_level);

// A gray copy of `box` widened by `pad` pixels on each side (clipped to the
// page), at the page's resolution; empty when nothing of it is on the page.
// The crops the second readers read (figure_reread.h, letter_reread.h).
Raster GrayCrop(const Raster& page, const Box& box, int pad);

// `gray` (8 bpp, no colormap) thresholded at Leptonica's modified Otsu
// split of its whole histogram (numaSplitDistribution, `score_fraction`):
// the same image as pixOtsuAdaptiveThreshold with one tile for the page,
// which the x-height measurement and deskew used. That call copies the page
// three times (the tile, its 8-bit conversion, the painted result) and
// counts its histogram in floats, one dependent add per pixel: 2-3% of a
// form's CPU (perf, README "Where a form's CPU goes"). nullptr when
// Leptonica fails.
PixPtr OtsuThresholdWhole(Pix* gray, float score_fraction);

}  // namespace sohoa
