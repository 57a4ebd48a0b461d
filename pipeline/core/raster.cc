#include "pipeline/core/raster.h"

namespace sohoa {

const char* PixelKindName(PixelKind kind) {
  switch (kind) {
    case PixelKind::kBilevel:
      return "bilevel";
    case PixelKind::kGray:
      return "gray";
    case PixelKind::kRgb:
      return "rgb";
  }
  return "unknown";
}

void Raster::Allocate(int w, int h, PixelKind k) {
  width = w;
  height = h;
  kind = k;
  pixels.assign(byte_size(), 255);
}

void Raster::Release() { std::vector<uint8_t>().swap(pixels); }

}  // namespace sohoa
