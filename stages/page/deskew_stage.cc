#include "stages/page/deskew_stage.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <numbers>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

// Below this (in the reduced image) there is nothing to measure.
constexpr int kMinMeasureSide = 64;
// Side of the Otsu tiles the skew is measured on.
constexpr int kOtsuTile = 2000;

// Binarizes and reduces `gray` (8 bpp) to about 150 dpi: area-mapped 2x
// reduction first (cheaper than thresholding full resolution), then Otsu.
PixPtr BinarizeForSkew(Pix* gray, double dpi) {
  PixPtr reduced;
  if (dpi >= 250 || dpi <= 0) {
    reduced = AdoptPix(pixScaleAreaMap2(gray));
  } else {
    reduced = AdoptPix(pixClone(gray));
  }
  if (!reduced) return nullptr;
  // Large tiles: a global Otsu threshold per ~page region, robust to a
  // yellowed or gray paper background where a fixed 128 is not. One tile
  // (under 4000 pixels a side): the same threshold without Leptonica's
  // copies of the page.
  if (pixGetWidth(reduced.get()) < 2 * kOtsuTile && pixGetHeight(reduced.get()) < 2 * kOtsuTile) {
    return OtsuThresholdWhole(reduced.get(), 0.1f);
  }
  Pix* binary = nullptr;
  if (pixOtsuAdaptiveThreshold(reduced.get(), kOtsuTile, kOtsuTile, 0, 0, 0.1f, nullptr, &binary) != 0) {
    return nullptr;
  }
  return AdoptPix(binary);
}

// Rotates the page's pixels, freeing each copy as soon as the next exists: a
// 300-dpi colour page is 26 MB as a raster and 35 MB as a 32-bit Pix, and
// holding raster, gray, source and rotated copies at once made deskew the
// peak of a page's memory (two colour pages at once: ~130 MB each).
Status RotateBy(double degrees, PixPtr gray, Raster& raster) {
  PixPtr to_rotate = std::move(gray);  // gray and bilevel rotate as 8-bit gray
  if (raster.kind == PixelKind::kRgb) {
    to_rotate.reset();
    StatusOr<PixPtr> rgb = RasterToPix(raster);
    if (!rgb.ok()) return rgb.status();
    to_rotate = std::move(*rgb);
  }
  raster.Release();  // its pixels are in to_rotate now; kind and dpi stay
  // Leptonica: a positive angle rotates clockwise, which undoes a positive
  // (counter-clockwise) skew. Width/height 0 = keep the frame size.
  const float radians = static_cast<float>(degrees * std::numbers::pi / 180.0);
  PixPtr rotated = AdoptPix(pixRotate(to_rotate.get(), radians, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  if (!rotated) return Status::Internal("Leptonica could not rotate the page");
  to_rotate.reset();
  StatusOr<Raster> out = PixToRaster(rotated.get(), raster.kind, raster.dpi_x, raster.dpi_y);
  if (!out.ok()) return out.status();
  raster = std::move(*out);
  return Status::Ok();
}

class DeskewWorker : public PageWorker {
 public:
  explicit DeskewWorker(const DeskewOptions& options) : options_(options) {}
  Status Process(const Document& document, Page& page) override { return DeskewPage(options_, page); }

 private:
  const DeskewOptions options_;
};

class DeskewStage : public PageStage {
 public:
  explicit DeskewStage(const DeskewOptions& options) : options_(options) {}
  std::string Name() const override { return "deskew"; }
  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    if (options_.sweep_range_degrees <= 0 || options_.sweep_range_degrees > 45 ||
        options_.sweep_step_degrees <= 0 || options_.search_precision_degrees <= 0) {
      return Status::Configuration("deskew: sweep range must be in (0, 45] degrees and steps positive");
    }
    return std::unique_ptr<PageWorker>(new DeskewWorker(options_));
  }

 private:
  const DeskewOptions options_;
};

}  // namespace

Status DeskewPage(const DeskewOptions& options, Page& page) {
  if (page.blank) return Status::Ok();
  Raster& raster = page.raster;
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  if (!gray.ok()) return gray.status();
  PixPtr binary = BinarizeForSkew(gray->get(), std::max(raster.dpi_x, raster.dpi_y));
  if (!binary) return Status::Internal("Leptonica could not binarize the page for deskew");
  if (pixGetWidth(binary.get()) < kMinMeasureSide || pixGetHeight(binary.get()) < kMinMeasureSide) {
    return Status::Ok();
  }
  l_float32 angle = 0, conf = 0, end_score = 0;
  // redsweep 2 / redsearch 1 on the ~150 dpi binary = Leptonica's 4 / 2 on
  // 300 dpi. Returns non-zero when no reliable peak exists (blank, photo):
  // that is "no measurement", not a page failure.
  if (pixFindSkewSweepAndSearchScore(binary.get(), &angle, &conf, &end_score, 2, 1, 0.0f,
                                     static_cast<l_float32>(options.sweep_range_degrees),
                                     static_cast<l_float32>(options.sweep_step_degrees),
                                     static_cast<l_float32>(options.search_precision_degrees)) != 0) {
    return Status::Ok();
  }
  page.skew_degrees = angle;
  page.skew_confidence = conf;
  if (conf < options.min_confidence || std::fabs(angle) < options.min_angle_degrees) {
    return Status::Ok();
  }
  binary.reset();
  return RotateBy(angle, std::move(*gray), raster);
}

bool SkewLeftUnapplied(const DeskewOptions& options, const Page& page, double min_degrees) {
  return page.skew_confidence > 0 && page.skew_confidence < options.min_confidence &&
         std::fabs(page.skew_degrees) >= std::max(min_degrees, options.min_angle_degrees);
}

Status RotateByDegrees(Raster& raster, double degrees) {
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  if (!gray.ok()) return gray.status();
  return RotateBy(degrees, std::move(*gray), raster);
}

std::unique_ptr<PageStage> NewDeskewStage(const DeskewOptions& options) {
  return std::make_unique<DeskewStage>(options);
}

}  // namespace sohoa
