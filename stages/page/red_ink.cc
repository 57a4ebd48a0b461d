#include "stages/page/red_ink.h"

#include <algorithm>

namespace sohoa {
namespace {

inline bool IsRedInk(const uint8_t* rgb) { return rgb[0] - std::max(rgb[1], rgb[2]) > kRedInkMargin; }

}  // namespace

Raster WithoutRedInk(const Raster& page) {
  if (page.kind != PixelKind::kRgb || page.pixels.size() != page.byte_size()) return page;
  Raster gray;
  gray.Allocate(page.width, page.height, PixelKind::kGray);
  gray.dpi_x = page.dpi_x;
  gray.dpi_y = page.dpi_y;
  for (int y = 0; y < page.height; ++y) {
    const uint8_t* from = page.row(y);
    uint8_t* to = gray.row(y);
    for (int x = 0; x < page.width; ++x, from += 3) to[x] = IsRedInk(from) ? from[0] : GrayAt(page, x, y);
  }
  return gray;
}

size_t CountRedInk(const Raster& page) {
  if (page.kind != PixelKind::kRgb || page.pixels.size() != page.byte_size()) return 0;
  size_t count = 0;
  for (int y = 0; y < page.height; ++y) {
    const uint8_t* from = page.row(y);
    for (int x = 0; x < page.width; ++x, from += 3) count += IsRedInk(from);
  }
  return count;
}

}  // namespace sohoa
