#include "stages/page/leptonica_raster.h"

#include <mutex>

#include <leptonica/allheaders.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace sohoa {

void PixDeleter::operator()(Pix* pix) const {
  if (pix != nullptr) pixDestroy(&pix);
}

namespace {

Status CheckRaster(const Raster& raster) {
  if (raster.width <= 0 || raster.height <= 0 || raster.empty()) {
    return Status::InvalidInput("empty page raster");
  }
  if (raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("page raster has " + std::to_string(raster.pixels.size()) +
                                " bytes, expected " + std::to_string(raster.byte_size()));
  }
  return Status::Ok();
}

void SetPixResolution(Pix* pix, const Raster& raster) {
  pixSetResolution(pix, static_cast<l_int32>(std::lround(raster.dpi_x)),
                   static_cast<l_int32>(std::lround(raster.dpi_y)));
}

}  // namespace

// Errors Leptonica still prints: they come with a failed call that we report
// ourselves.
void QuietLeptonicaWarnings() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_ERROR); });
}

StatusOr<PixPtr> RasterToPix(const Raster& raster) {
  QuietLeptonicaWarnings();
  SOHOA_RETURN_IF_ERROR(CheckRaster(raster));
  const bool rgb = raster.kind == PixelKind::kRgb;
  PixPtr pix = AdoptPix(pixCreate(raster.width, raster.height, rgb ? 32 : 8));
  if (!pix) return Status::Internal("Leptonica could not allocate a page image");
  SetPixResolution(pix.get(), raster);
  l_uint32* data = pixGetData(pix.get());
  const l_int32 wpl = pixGetWpl(pix.get());
  for (int y = 0; y < raster.height; ++y) {
    const uint8_t* src = raster.row(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    if (rgb) {
      for (int x = 0; x < raster.width; ++x, src += 3) {
        line[x] = (static_cast<l_uint32>(src[0]) << L_RED_SHIFT) |
                  (static_cast<l_uint32>(src[1]) << L_GREEN_SHIFT) |
                  (static_cast<l_uint32>(src[2]) << L_BLUE_SHIFT);
      }
    } else {
      for (int x = 0; x < raster.width; ++x) SET_DATA_BYTE(line, x, src[x]);
    }
  }
  return pix;
}

int PaperLevel(const Raster& page) {
  std::array<long, 256> histogram{};
  long count = 0;
  for (int y = 0; y < page.height; y += 4) {
    for (int x = 0; x < page.width; x += 4) ++histogram[GrayAt(page, x, y)], ++count;
  }
  long seen = 0;
  for (int level = 0; level < 256; ++level) {
    seen += histogram[level];
    if (2 * seen >= count) return level;
  }
  return 255;
}

int InkThresholdOverPaper(int paper_level) { return std::max(128, paper_level * 4 / 5); }

int PaperInkThreshold(const Raster& page) { return InkThresholdOverPaper(PaperLevel(page)); }

StatusOr<PixPtr> RasterToGrayPix(const Raster& raster) {
  SOHOA_RETURN_IF_ERROR(CheckRaster(raster));
  if (raster.kind != PixelKind::kRgb) return RasterToPix(raster);
  PixPtr pix = AdoptPix(pixCreate(raster.width, raster.height, 8));
  if (!pix) return Status::Internal("Leptonica could not allocate a page image");
  SetPixResolution(pix.get(), raster);
  l_uint32* data = pixGetData(pix.get());
  const l_int32 wpl = pixGetWpl(pix.get());
  for (int y = 0; y < raster.height; ++y) {
    const uint8_t* src = raster.row(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < raster.width; ++x, src += 3) {
      SET_DATA_BYTE(line, x, RecognitionLuminance(src[0], src[1], src[2]));
    }
  }
  return pix;
}

StatusOr<Raster> PixToRaster(const Pix* const_pix, PixelKind kind, double dpi_x, double dpi_y) {
  if (const_pix == nullptr) return Status::Internal("no image to convert");
  Pix* pix = const_cast<Pix*>(const_pix);  // Leptonica's getters are not const
  PixPtr expanded;
  if (pixGetColormap(pix) != nullptr) {
    expanded = AdoptPix(pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC));
    if (!expanded) return Status::Internal("Leptonica could not expand a colormap");
    pix = expanded.get();
  }
  const l_int32 depth = pixGetDepth(pix);
  if (depth != 1 && depth != 8 && depth != 32) {
    return Status::Unsupported("image depth " + std::to_string(depth) + " bpp");
  }
  Raster raster;
  raster.Allocate(pixGetWidth(pix), pixGetHeight(pix), kind);
  raster.dpi_x = dpi_x;
  raster.dpi_y = dpi_y;
  const l_uint32* data = pixGetData(pix);
  const l_int32 wpl = pixGetWpl(pix);
  for (int y = 0; y < raster.height; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    uint8_t* dst = raster.row(y);
    for (int x = 0; x < raster.width; ++x) {
      uint8_t r, g, b;
      if (depth == 32) {
        r = (line[x] >> L_RED_SHIFT) & 0xff;
        g = (line[x] >> L_GREEN_SHIFT) & 0xff;
        b = (line[x] >> L_BLUE_SHIFT) & 0xff;
      } else if (depth == 8) {
        r = g = b = GET_DATA_BYTE(line, x);
      } else {
        r = g = b = GET_DATA_BIT(line, x) ? 0 : 255;  // 1 = black in Leptonica
      }
      switch (kind) {
        case PixelKind::kRgb:
          dst[3 * x] = r;
          dst[3 * x + 1] = g;
          dst[3 * x + 2] = b;
          break;
        case PixelKind::kGray:
          dst[x] = depth == 32 ? RecognitionLuminance(r, g, b) : r;
          break;
        case PixelKind::kBilevel:
          dst[x] = (depth == 32 ? RecognitionLuminance(r, g, b) : r) < 128 ? 0 : 255;
          break;
      }
    }
  }
  return raster;
}

}  // namespace sohoa

namespace sohoa {

Raster GrayCrop(const Raster& page, const Box& box, int pad) {
  const int left = std::max(0, box.left - pad), top = std::max(0, box.top - pad);
  const int right = std::min(page.width, box.right + pad), bottom = std::min(page.height, box.bottom + pad);
  Raster crop;
  if (right <= left || bottom <= top) return crop;
  crop.Allocate(right - left, bottom - top, PixelKind::kGray);
  crop.dpi_x = page.dpi_x;
  crop.dpi_y = page.dpi_y;
  for (int y = top; y < bottom; ++y) {
    uint8_t* to = crop.row(y - top);
    for (int x = left; x < right; ++x) to[x - left] = GrayAt(page, x, y);
  }
  return crop;
}

namespace {

// The gray histogram of an 8 bpp PIX as pixGetGrayHistogram gives it,
// counted in integers over four interleaved tables (a page is mostly one
// white value: one table would make every add wait for the previous one).
// Leptonica adds 1.0f per pixel, which stops at 2^24 in a bin; so does this.
Numa* GrayHistogram(Pix* gray) {
  const l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray), wpl = pixGetWpl(gray);
  const l_uint32* data = pixGetData(gray);
  std::vector<uint64_t> counts(4 * 256, 0);
  const l_int32 whole_words = w / 4;
  for (l_int32 y = 0; y < h; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (l_int32 i = 0; i < whole_words; ++i) {
      const l_uint32 word = line[i];  // four pixels; their order does not matter here
      ++counts[word & 0xff];
      ++counts[256 + ((word >> 8) & 0xff)];
      ++counts[512 + ((word >> 16) & 0xff)];
      ++counts[768 + (word >> 24)];
    }
    for (l_int32 x = 4 * whole_words; x < w; ++x) ++counts[GET_DATA_BYTE(line, x)];
  }
  Numa* histogram = numaMakeConstant(0, 256);
  if (histogram == nullptr) return nullptr;
  constexpr uint64_t kFloatStops = uint64_t{1} << 24;
  for (int v = 0; v < 256; ++v) {
    const uint64_t n = counts[v] + counts[256 + v] + counts[512 + v] + counts[768 + v];
    numaSetValue(histogram, v, static_cast<l_float32>(std::min(n, kFloatStops)));
  }
  return histogram;
}

}  // namespace

PixPtr OtsuThresholdWhole(Pix* gray, float score_fraction) {
  if (gray == nullptr || pixGetDepth(gray) != 8 || pixGetColormap(gray) != nullptr) return nullptr;
  Numa* histogram = GrayHistogram(gray);
  if (histogram == nullptr) return nullptr;
  l_int32 threshold = 0;
  const l_ok failed = numaSplitDistribution(histogram, score_fraction, &threshold, nullptr, nullptr, nullptr,
                                            nullptr, nullptr);
  numaDestroy(&histogram);
  if (failed) return nullptr;
  return AdoptPix(pixThresholdToBinary(gray, threshold));
}

}  // namespace sohoa
