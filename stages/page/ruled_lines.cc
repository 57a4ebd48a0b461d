#include "stages/page/ruled_lines.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

// The ink of `page` (darker than PaperInkThreshold) as a 1-bpp PIX.
PixPtr InkOf(const Raster& page) {
  PixPtr ink = AdoptPix(pixCreate(page.width, page.height, 1));
  if (!ink) return ink;
  const int threshold = PaperInkThreshold(page), channels = page.channels();
  l_uint32* data = pixGetData(ink.get());
  const int wpl = pixGetWpl(ink.get());
  for (int y = 0; y < page.height; ++y) {
    const uint8_t* row = page.row(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < page.width; ++x) {
      const uint8_t* p = row + x * channels;
      // A colour page's gray as Leptonica's (stages/page/leptonica_raster.h).
      const int gray = channels == 3 ? RecognitionLuminance(p[0], p[1], p[2]) : p[0];
      if (gray < threshold) SET_DATA_BIT(line, x);
    }
  }
  return ink;
}

// The runs of `ink` at least `length` pixels long in one direction
// (across: horizontal). A rule left a little askew after deskewing steps
// from one row of pixels to the next, and a bilevel scan breaks a thin one
// into dashes: the steps are joined by thickening the ink a pixel either
// way, the dashes by closing gaps of two pixels (a letter's counter or the
// space between letters is wider). kAcrossMm keeps print out: the serifs
// along a line, joined so, never run that far without a space between words.
PixPtr RunsOf(Pix* ink, bool across, int length) {
  PixPtr thick = AdoptPix(across ? pixDilateBrick(nullptr, ink, 1, 3) : pixDilateBrick(nullptr, ink, 3, 1));
  if (thick)
    thick = AdoptPix(across ? pixCloseSafeBrick(nullptr, thick.get(), 3, 1)
                            : pixCloseSafeBrick(nullptr, thick.get(), 1, 3));
  if (!thick) return thick;
  return AdoptPix(across ? pixOpenCompBrick(nullptr, thick.get(), length, 1)
                         : pixOpenCompBrick(nullptr, thick.get(), 1, length));
}

}  // namespace

StatusOr<PixPtr> RuledLinesOf(const Raster& page) {
  if (page.empty() || page.pixels.size() != page.byte_size()) {
    return Status::InvalidInput("ruled lines: raster size does not match its pixels");
  }
  const double dpi = page.dpi_y > 0 ? page.dpi_y : 300;
  if (dpi < kMinRuledLinesDpi) return PixPtr();
  PixPtr ink = InkOf(page);
  if (!ink) return Status::Internal("ruled lines: Leptonica could not allocate the ink");
  const double per_mm = dpi / 25.4;
  PixPtr across = RunsOf(ink.get(), true, std::max(24, static_cast<int>(std::lround(kAcrossMm * per_mm))));
  PixPtr down = RunsOf(ink.get(), false, std::max(16, static_cast<int>(std::lround(kDownMm * per_mm))));
  if (!across || !down) return Status::Internal("ruled lines: Leptonica could not find the rules");
  PixPtr rules = AdoptPix(pixOr(nullptr, across.get(), down.get()));
  if (!rules) return Status::Internal("ruled lines: Leptonica could not join the rules");
  // The ink under the runs is the rules', and the pixel all round it their
  // anti-aliased rim.
  pixAnd(rules.get(), rules.get(), ink.get());
  l_int32 none = 0;
  if (pixZero(rules.get(), &none) != 0)
    return Status::Internal("ruled lines: Leptonica could not count the rules");
  if (none) return PixPtr();
  rules = AdoptPix(pixDilateBrick(nullptr, rules.get(), 3, 3));
  if (!rules) return Status::Internal("ruled lines: Leptonica could not widen the rules");
  return rules;
}

void PaintOut(Raster& page, Pix* mask) {
  const l_uint32* data = pixGetData(mask);
  const int wpl = pixGetWpl(mask), channels = page.channels();
  const int width = std::min(page.width, static_cast<int>(pixGetWidth(mask)));
  const int height = std::min(page.height, static_cast<int>(pixGetHeight(mask)));
  for (int y = 0; y < height; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    uint8_t* row = page.row(y);
    for (int w = 0; 32 * w < width; ++w) {
      if (line[w] == 0) continue;  // 32 pixels without a rule
      for (int x = 32 * w; x < std::min(32 * w + 32, width); ++x)
        if (GET_DATA_BIT(line, x)) std::fill_n(row + x * channels, channels, 255);
    }
  }
}

}  // namespace sohoa
