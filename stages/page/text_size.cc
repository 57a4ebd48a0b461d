#include "stages/page/text_size.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

// Below this a component is a speck, a dot or a diacritic, never a letter.
constexpr int kMinLetterHeight = 3;
// Text with a smaller x-height is not legible (Tesseract reads next to
// nothing of it, even upscaled), and what has that height on a page without
// legible text is dashes, hatching and dots: an estimate from it would be
// wrong, so none is made.
constexpr int kMinXHeight = 5;

// Components within a relative tolerance of `h` count as that height:
// anti-aliasing and round letters' overshoot move a letter by a pixel or two.
int Tolerance(int h) { return std::max(1, static_cast<int>(std::lround(0.06 * h))); }

int CountNear(const std::vector<int>& histogram, int h) {
  const int tol = Tolerance(h);
  int count = 0;
  for (int v = std::max(0, h - tol); v <= std::min<int>(histogram.size() - 1, h + tol); ++v) {
    count += histogram[v];
  }
  return count;
}

// Ink of an 8 bpp page as 1 bpp: background normalised first, so a photo's
// uneven light does not swallow the letters in its dark corners.
PixPtr Binarize(Pix* gray) {
  // pixOtsuThreshOnBackgroundNorm with Leptonica's documented defaults
  // (tiles 10x15, min count 50, bg 255, smoothing 2; thresh 100 is the
  // foreground bound for the background map), its Otsu step done without
  // its copies of the page (OtsuThresholdWhole): the same binary image.
  PixPtr binary;
  // Below ~200 pixels a side the background map is too coarse (Leptonica
  // complains on stderr) and a plain threshold does as well.
  if (pixGetWidth(gray) >= 200 && pixGetHeight(gray) >= 200) {
    PixPtr normalized = AdoptPix(pixBackgroundNorm(gray, nullptr, nullptr, 10, 15, 100, 50, 255, 2, 2));
    if (normalized) binary = OtsuThresholdWhole(normalized.get(), 0.1f);
  }
  if (!binary) binary = AdoptPix(pixThresholdToBinary(gray, 128));  // tiny or flat page
  return binary;
}

struct Component {
  l_int32 x = 0, y = 0, w = 0, h = 0;
};

// Component boxes by 32-pixel cell, to find a component's neighbours
// without comparing every pair.
class BoxGrid {
 public:
  BoxGrid(const std::vector<Component>& components, int width, int height)
      : components_(components), columns_(width / kCell + 1), cells_(columns_ * (height / kCell + 1)) {
    for (size_t i = 0; i < components.size(); ++i) {
      const Component& c = components[i];
      for (int cy = c.y / kCell; cy <= (c.y + c.h - 1) / kCell; ++cy) {
        for (int cx = c.x / kCell; cx <= (c.x + c.w - 1) / kCell; ++cx) {
          cells_[cy * columns_ + cx].push_back(static_cast<int>(i));
        }
      }
    }
  }

  // Whether a component taller than `c` begins within max(2, h/2) rows
  // below c's bottom (below = true), or ends as close above its top, under
  // or over the middle half of c. Then c is a mark on a letter: a tone mark
  // or circumflex, an i-dot, a dot below ("ạ"), the top of a colon. Blurred
  // small text makes such marks 0.6 of the x-height, the ratio of x-height
  // to ascender height, so they must not be taken for letters. Nothing else
  // on a line of text has a taller neighbour that close above or below.
  bool IsMark(const Component& c, bool below) const {
    const int reach = std::max(2, c.h / 2);
    const int x0 = c.x + c.w / 4, x1 = c.x + c.w - 1 - c.w / 4;
    const int y0 = below ? c.y + c.h : c.y - reach, y1 = below ? c.y + c.h + reach : c.y - 1;
    const int rows = static_cast<int>(cells_.size()) / columns_;
    for (int cy = std::max(0, y0 / kCell); cy <= std::min(rows - 1, y1 / kCell); ++cy) {
      for (int cx = std::max(0, x0 / kCell); cx <= std::min(columns_ - 1, x1 / kCell); ++cx) {
        for (int i : cells_[cy * columns_ + cx]) {
          const Component& d = components_[i];
          if (d.h <= c.h || d.x > x1 || d.x + d.w - 1 < x0) continue;
          if (below ? (d.y >= y0 && d.y <= y1) : (d.y + d.h - 1 >= y0 && d.y + d.h - 1 <= y1)) {
            return true;
          }
        }
      }
    }
    return false;
  }

 private:
  static constexpr int kCell = 32;
  const std::vector<Component>& components_;
  const int columns_;
  std::vector<std::vector<int>> cells_;
};

// Whether `c` has a neighbour on its text line: a component starting right
// of c's middle and at most 0.6 x c's height after its end (letter spacing
// and word spaces are under that; small blurred letters overlap) whose
// vertical middle is within a third of c's height of c's. `sorted` is
// ordered by x and holds every component (small text breaks into pieces).
// Dashes of a map's roads, hatching and scattered specks mostly have none;
// letters in words nearly all do.
bool HasNeighbourInLine(const std::vector<Component>& sorted, const Component& c) {
  const int from = c.x + c.w / 2 + 1;
  const int to = c.x + c.w + static_cast<int>(std::ceil(0.6 * c.h));
  auto it =
      std::lower_bound(sorted.begin(), sorted.end(), from, [](const Component& a, int x) { return a.x < x; });
  const double middle = c.y + c.h / 2.0;
  for (; it != sorted.end() && it->x <= to; ++it) {
    if (it->x == c.x && it->y == c.y) continue;  // itself
    if (std::fabs(it->y + it->h / 2.0 - middle) <= c.h / 3.0) return true;
  }
  return false;
}

// The measurement on a binarized page whose lines run left to right.
StatusOr<TextSize> MeasureLines(Pix* binary) {
  BOXA* boxes = pixConnCompBB(binary, 8);
  if (boxes == nullptr) return Status::Internal("Leptonica could not label the page's components");
  // A letter is at most a quarter of the page tall (a screenshot of a few
  // words can be all letters) and at most four heights wide.
  const int max_height = std::max(kMinLetterHeight, pixGetHeight(binary) / 4);
  std::vector<Component> all;
  const int n = boxaGetCount(boxes);
  all.reserve(n);
  for (int i = 0; i < n; ++i) {
    Component c;
    if (boxaGetBoxGeometry(boxes, i, &c.x, &c.y, &c.w, &c.h) == 0) all.push_back(c);
  }
  boxaDestroy(&boxes);
  std::vector<Component> letters;
  {
    const BoxGrid grid(all, pixGetWidth(binary), pixGetHeight(binary));
    for (const Component& c : all) {
      if (c.h < kMinLetterHeight || c.h > max_height || c.w > 4 * c.h) continue;
      if (grid.IsMark(c, /*below=*/true) || grid.IsMark(c, /*below=*/false)) continue;
      letters.push_back(c);
    }
  }
  std::vector<int> histogram(max_height + 1, 0);
  for (const Component& c : letters) ++histogram[c.h];

  // The most common height (ties: the smaller)...
  int mode = 0, mode_count = 0;
  for (int h = kMinXHeight; h <= max_height; ++h) {
    const int count = CountNear(histogram, h);
    if (count > mode_count) {
      mode = h;
      mode_count = count;
    }
  }
  TextSize size;
  if (mode_count == 0) return size;
  // ...unless it is the ascender/capital height above a common x-height
  // (ascenders are ~1.4 x-heights in Times and Arial).
  int x_height = mode, x_count = mode_count;
  const int low = static_cast<int>(std::floor(0.58 * mode));
  const int high = static_cast<int>(std::ceil(0.82 * mode));
  for (int h = std::max(kMinXHeight, low); h <= high && h < mode; ++h) {
    // A peak of its own, not the lower flank of the mode's.
    if (histogram[h] < histogram[h - 1] || histogram[h] < histogram[h + 1]) continue;
    const int count = CountNear(histogram, h);
    if (count >= 0.35 * mode_count && count > (x_height == mode ? 0 : x_count)) {
      x_height = h;
      x_count = count;
    }
  }
  // The class: its mean height for sub-pixel precision, and how many of
  // its members sit in a line of text.
  const int tol = Tolerance(x_height);
  std::sort(all.begin(), all.end(), [](const Component& a, const Component& b) { return a.x < b.x; });
  double sum = 0;
  int count = 0, in_line = 0;
  for (const Component& c : letters) {
    if (c.h < std::max(kMinXHeight, x_height - tol) || c.h > x_height + tol) continue;
    sum += c.h;
    ++count;
    in_line += HasNeighbourInLine(all, c);
  }
  size.letters = count;
  size.x_height_px = count > 0 ? sum / count : 0;
  size.in_line_share = count > 0 ? static_cast<double>(in_line) / count : 0;
  size.found = count >= kMinLettersForTextSize && size.in_line_share >= kMinInLineShare;
  return size;
}

}  // namespace

StatusOr<TextSize> MeasureTextSize(const Raster& raster) {
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  if (!gray.ok()) return gray.status();
  PixPtr binary = Binarize(gray->get());
  if (!binary) return Status::Internal("Leptonica could not binarize the page to measure its text");
  gray->reset();
  StatusOr<TextSize> size = MeasureLines(binary.get());
  if (!size.ok() || size->found) return size;
  // A page photographed or scanned sideways: its lines run up or down.
  PixPtr turned = AdoptPix(pixRotate90(binary.get(), 1));
  if (!turned) return Status::Internal("Leptonica could not turn the page to measure its text");
  StatusOr<TextSize> sideways = MeasureLines(turned.get());
  if (sideways.ok() && sideways->found) return sideways;
  return size;
}

double EstimateResolution(const TextSize& size) {
  if (!size.found || size.x_height_px <= 0) return 0;
  const double dpi = size.x_height_px * 25.4 / kBodyXHeightMm;
  return dpi >= kMinEstimatedDpi && dpi <= kMaxEstimatedDpi ? dpi : 0;
}

}  // namespace sohoa
