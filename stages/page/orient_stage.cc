#include "stages/page/orient_stage.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "pipeline/core/reason.h"
#include "stages/page/leptonica_raster.h"
#include "stages/page/tesseract_engine.h"

namespace sohoa {

Status RotateRasterClockwise(Raster& raster, int degrees) {
  degrees = ((degrees % 360) + 360) % 360;
  if (degrees % 90 != 0) {
    return Status::InvalidInput("rotation must be a multiple of 90 degrees, got " + std::to_string(degrees));
  }
  if (degrees == 0) return Status::Ok();
  if (raster.pixels.size() != raster.byte_size() || raster.empty()) {
    return Status::InvalidInput("empty or inconsistent page raster");
  }
  const int w = raster.width, h = raster.height, c = raster.channels();
  Raster out;
  const bool swap = degrees != 180;
  out.Allocate(swap ? h : w, swap ? w : h, raster.kind);
  out.dpi_x = swap ? raster.dpi_y : raster.dpi_x;
  out.dpi_y = swap ? raster.dpi_x : raster.dpi_y;
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = raster.row(y);
    for (int x = 0; x < w; ++x, src += c) {
      int nx, ny;
      switch (degrees) {
        case 90:
          nx = h - 1 - y;
          ny = x;
          break;
        case 180:
          nx = w - 1 - x;
          ny = h - 1 - y;
          break;
        default:
          nx = y;
          ny = w - 1 - x;
          break;  // 270
      }
      std::memcpy(out.row(ny) + static_cast<size_t>(nx) * c, src, c);
    }
  }
  raster = std::move(out);
  return Status::Ok();
}

namespace {

// Reduces an 8 bpp page to about `target_dpi` (never enlarges).
PixPtr ReduceTo(Pix* gray, double dpi, double target_dpi) {
  if (dpi <= 0 || dpi <= target_dpi * 1.05) return AdoptPix(pixClone(gray));
  const float scale = static_cast<float>(target_dpi / dpi);
  return AdoptPix(pixScaleAreaMap(gray, scale, scale));
}

double PageDpi(const Raster& raster) {
  const double dpi = std::max(raster.dpi_x, raster.dpi_y);
  return dpi > 0 ? dpi : 300.0;  // ingest substitutes a default; be safe
}

StatusOr<int> CountComponents(Pix* gray, double dpi) {
  PixPtr reduced = ReduceTo(gray, dpi, 150.0);
  if (!reduced) return Status::Internal("Leptonica could not reduce the page");
  const double reduced_dpi = dpi * pixGetWidth(reduced.get()) / pixGetWidth(gray);
  // A fixed threshold: ink is dark. Otsu would split the paper's noise on a
  // blank page into thousands of specks.
  PixPtr binary = AdoptPix(pixThresholdToBinary(reduced.get(), 128));
  if (!binary) return Status::Internal("Leptonica could not threshold the page");
  BOXA* boxes = pixConnCompBB(binary.get(), 8);
  if (boxes == nullptr) return Status::Internal("Leptonica could not label the page");
  const double px_per_mm = reduced_dpi / 25.4;
  const int min_h = std::max(2, static_cast<int>(std::lround(0.8 * px_per_mm)));
  const int max_h = static_cast<int>(std::lround(15 * px_per_mm));
  const int max_w = static_cast<int>(std::lround(25 * px_per_mm));
  int count = 0;
  const int n = boxaGetCount(boxes);
  for (int i = 0; i < n; ++i) {
    l_int32 x, y, bw, bh;
    if (boxaGetBoxGeometry(boxes, i, &x, &y, &bw, &bh) != 0) continue;
    if (bh >= min_h && bh <= max_h && bw <= max_w) ++count;
  }
  boxaDestroy(&boxes);
  return count;
}

class OrientWorker : public PageWorker {
 public:
  OrientWorker(const OrientOptions& options, std::unique_ptr<TesseractEngine> osd)
      : options_(options), osd_(std::move(osd)) {}

  Status Process(const Document& document, Page& page) override {
    if (!options_.detect_blank && osd_ == nullptr) return Status::Ok();
    StatusOr<PixPtr> gray = RasterToGrayPix(page.raster);
    if (!gray.ok()) return gray.status();
    const double dpi = PageDpi(page.raster);
    if (options_.detect_blank) {
      StatusOr<int> marks = CountComponents(gray->get(), dpi);
      if (!marks.ok()) return marks.status();
      if (*marks < options_.blank_max_components) {
        page.blank = true;
        page.review_reasons.push_back(BlankPageReason(page.index));
        return Status::Ok();
      }
    }
    if (osd_ == nullptr) return Status::Ok();  // orientation left to OCR
    PixPtr small = ReduceTo(gray->get(), dpi, options_.osd_max_dpi);
    if (!small) return Status::Internal("Leptonica could not reduce the page for OSD");
    const double small_dpi = dpi * pixGetWidth(small.get()) / pixGetWidth(gray->get());
    gray->reset();  // free before the engine allocates its own copies
    StatusOr<OrientationResult> found =
        osd_->DetectOrientation(small.get(), static_cast<int>(std::lround(small_dpi)));
    if (!found.ok()) return found.status();
    if (!found->detected) return Status::Ok();
    page.orientation_confidence = found->confidence;
    if (found->correction_cw_degrees == 0 || found->confidence < options_.min_confidence) {
      return Status::Ok();
    }
    SOHOA_RETURN_IF_ERROR(RotateRasterClockwise(page.raster, found->correction_cw_degrees));
    page.rotation_degrees = found->correction_cw_degrees;
    return Status::Ok();
  }

 private:
  const OrientOptions options_;
  std::unique_ptr<TesseractEngine> osd_;
};

class OrientStage : public PageStage {
 public:
  explicit OrientStage(const OrientOptions& options) : options_(options) {}
  std::string Name() const override { return "orient"; }
  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    if (options_.osd_max_dpi < 50) {
      return Status::Configuration("orient: osd_max_dpi must be at least 50");
    }
    std::unique_ptr<TesseractEngine> engine;
    if (options_.detect_orientation) {
      auto osd = TesseractEngine::NewOrientationDetector(options_.tessdata_dir);
      if (!osd.ok()) return osd.status();
      engine = std::move(*osd);
    }
    return std::unique_ptr<PageWorker>(new OrientWorker(options_, std::move(engine)));
  }

 private:
  const OrientOptions options_;
};

}  // namespace

std::string BlankPageReason(int page_index) {
  return ReasonText("page.blank", {{"page", std::to_string(page_index + 1)}});
}

StatusOr<int> CountTextLikeComponents(const Raster& raster) {
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  if (!gray.ok()) return gray.status();
  return CountComponents(gray->get(), PageDpi(raster));
}

std::unique_ptr<PageStage> NewOrientStage(const OrientOptions& options) {
  return std::make_unique<OrientStage>(options);
}

}  // namespace sohoa
