#include "stages/page/red_ink.h"

#include <algorithm>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

inline bool IsRedInk(const uint8_t* rgb) { return rgb[0] - std::max(rgb[1], rgb[2]) > kRedInkMargin; }

bool Usable(const Raster& page) {
  return page.kind == PixelKind::kRgb && page.width > 0 && page.height > 0 &&
         page.pixels.size() == page.byte_size();
}

}  // namespace

size_t CountSolidRedInk(const Raster& page) {
  if (!Usable(page)) return 0;
  size_t count = 0;
  for (int y = 1; y + 1 < page.height; ++y) {
    const uint8_t* above = page.row(y - 1);
    const uint8_t* here = page.row(y);
    const uint8_t* below = page.row(y + 1);
    for (int x = 1; x + 1 < page.width; ++x) {
      const size_t at = 3 * static_cast<size_t>(x);
      count += IsRedInk(here + at) && IsRedInk(here + at - 3) && IsRedInk(here + at + 3) &&
               IsRedInk(above + at) && IsRedInk(below + at);
    }
  }
  return count;
}

std::optional<Raster> WithoutRedInk(const Raster& page) {
  if (!Usable(page)) return std::nullopt;
  const double dpi = page.dpi_x > 0 && page.dpi_y > 0 ? (page.dpi_x + page.dpi_y) / 2 : 300;
  const double pixels_per_mm2 = (dpi / 25.4) * (dpi / 25.4);
  if (static_cast<double>(CountSolidRedInk(page)) < kMinSolidRedInkMm2 * pixels_per_mm2) return std::nullopt;
  Raster gray;
  gray.Allocate(page.width, page.height, PixelKind::kGray);
  gray.dpi_x = page.dpi_x;
  gray.dpi_y = page.dpi_y;
  for (int y = 0; y < page.height; ++y) {
    const uint8_t* from = page.row(y);
    uint8_t* to = gray.row(y);
    for (int x = 0; x < page.width; ++x, from += 3)
      to[x] = IsRedInk(from) ? from[0] : RecognitionLuminance(from[0], from[1], from[2]);
  }
  return gray;
}

}  // namespace sohoa
