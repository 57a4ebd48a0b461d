#include "stages/page/leader_dots.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

struct Dot {
  l_int32 x = 0, y = 0, w = 0, h = 0;
  double cx() const { return x + w / 2.0; }
  double cy() const { return y + h / 2.0; }
};

// Is any pixel of page[left..right) x [top..bottom) (clipped) darker than 128?
bool InkIn(const Raster& page, int left, int top, int right, int bottom) {
  left = std::max(0, left), top = std::max(0, top);
  right = std::min(page.width, right), bottom = std::min(page.height, bottom);
  for (int y = top; y < bottom; ++y) {
    for (int x = left; x < right; ++x) {
      if (GrayAt(page, x, y) < 128) return true;
    }
  }
  return false;
}

// A leader's dot has blank paper just above and below it, a letter's
// diacritic (the dot of i, the marks over and under Vietnamese vowels) has
// its letter a few pixels away: 1/30 inch each way must hold no ink. (Not
// more: the next line's marks start about 1/15 inch below a baseline.)
bool StandsAlone(const Raster& page, const Dot& d, double dpi) {
  const int reach = std::max(3, static_cast<int>(dpi / 30));
  return !InkIn(page, d.x, d.y - reach, d.x + d.w, d.y - 1) &&
         !InkIn(page, d.x, d.y + d.h + 1, d.x + d.w, d.y + d.h + reach);
}

// The page's dot-sized ink marks: a full stop is about 1/60 inch across in
// body text; anything up to 1/30 inch and roughly round counts.
std::vector<Dot> FindDots(Pix* binary, const Raster& page, double dpi) {
  std::vector<Dot> dots;
  BOXA* boxes = pixConnCompBB(binary, 8);
  if (boxes == nullptr) return dots;
  const int max_side = std::max(3, static_cast<int>(dpi / 30));
  const int n = boxaGetCount(boxes);
  for (int i = 0; i < n; ++i) {
    Dot d;
    if (boxaGetBoxGeometry(boxes, i, &d.x, &d.y, &d.w, &d.h) != 0) continue;
    if (d.w > max_side || d.h > max_side) continue;
    if (d.w > 2 * d.h + 1 || d.h > 2 * d.w + 1) continue;  // a dash or a stroke's end, not a dot
    if (!StandsAlone(page, d, dpi)) continue;
    dots.push_back(d);
  }
  boxaDestroy(&boxes);
  return dots;
}

// Does the run row[begin..end) step along evenly, as printed leaders do
// (each gap within 40% of the run's median gap)?
bool EvenlySpaced(const std::vector<Dot>& row, size_t begin, size_t end) {
  std::vector<double> gaps;
  for (size_t i = begin + 1; i < end; ++i) gaps.push_back(row[i].cx() - row[i - 1].cx());
  std::vector<double> sorted = gaps;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double median = sorted[sorted.size() / 2];
  return std::all_of(gaps.begin(), gaps.end(), [&](double g) { return std::abs(g - median) <= 0.4 * median; });
}

// The dots that belong to leaders: sorted into rows by their centre's
// height, then along each row into runs whose neighbours are at most
// `max_gap` apart; evenly spaced runs of kMinLeaderDots or more are leaders.
std::vector<Dot> LeaderDots(std::vector<Dot> dots, double dpi) {
  std::vector<Dot> leaders;
  const double row_tolerance = std::max(2.0, dpi / 100);  // a leader's dots share a baseline
  const double max_gap = dpi / 8;                         // centre to centre, spaced leaders included
  std::sort(dots.begin(), dots.end(), [](const Dot& a, const Dot& b) { return a.cy() < b.cy(); });
  size_t row_begin = 0;
  while (row_begin < dots.size()) {
    size_t row_end = row_begin + 1;
    while (row_end < dots.size() && dots[row_end].cy() - dots[row_begin].cy() <= row_tolerance) ++row_end;
    std::vector<Dot> row(dots.begin() + row_begin, dots.begin() + row_end);
    std::sort(row.begin(), row.end(), [](const Dot& a, const Dot& b) { return a.cx() < b.cx(); });
    size_t run_begin = 0;
    for (size_t i = 1; i <= row.size(); ++i) {
      if (i < row.size() && row[i].cx() - row[i - 1].cx() <= max_gap) continue;
      if (i - run_begin >= static_cast<size_t>(kMinLeaderDots) && EvenlySpaced(row, run_begin, i)) {
        leaders.insert(leaders.end(), row.begin() + run_begin, row.begin() + i);
      }
      run_begin = i;
    }
    row_begin = row_end;
  }
  return leaders;
}

}  // namespace

StatusOr<std::optional<Raster>> WithoutLeaderDots(const Raster& page, int* dots_removed) {
  if (dots_removed) *dots_removed = 0;
  if (page.empty() || page.pixels.size() != page.byte_size()) {
    return Status::InvalidInput("leader dots: raster size does not match its pixels");
  }
  const double dpi = page.dpi_y > 0 ? page.dpi_y : 300;
  if (dpi < kMinLeaderDpi) return std::optional<Raster>();
  StatusOr<PixPtr> gray = RasterToGrayPix(page);
  if (!gray.ok()) return gray.status();
  PixPtr binary = AdoptPix(pixThresholdToBinary(gray->get(), 128));
  if (!binary) return Status::Internal("leader dots: Leptonica could not threshold the page");
  const std::vector<Dot> leaders = LeaderDots(FindDots(binary.get(), page, dpi), dpi);
  if (leaders.empty()) return std::optional<Raster>();
  Raster clean = page;
  const int channels = clean.channels();
  for (const Dot& d : leaders) {
    // One pixel more all round: the dot's anti-aliased rim.
    const int left = std::max(0, d.x - 1), right = std::min(clean.width, d.x + d.w + 1);
    const int top = std::max(0, d.y - 1), bottom = std::min(clean.height, d.y + d.h + 1);
    for (int y = top; y < bottom; ++y) {
      std::fill(clean.row(y) + left * channels, clean.row(y) + right * channels, 255);
    }
  }
  if (dots_removed) *dots_removed = static_cast<int>(leaders.size());
  return std::optional<Raster>(std::move(clean));
}

}  // namespace sohoa
