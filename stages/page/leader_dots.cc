#include "stages/page/leader_dots.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

struct Dot {
  l_int32 x = 0, y = 0, w = 0, h = 0;
  double cx() const { return x + w / 2.0; }
  double cy() const { return y + h / 2.0; }
};

// Is any pixel of page[left..right) x [top..bottom) (clipped) darker than `ink`?
bool InkIn(const Raster& page, int ink, int left, int top, int right, int bottom) {
  left = std::max(0, left), top = std::max(0, top);
  right = std::min(page.width, right), bottom = std::min(page.height, bottom);
  for (int y = top; y < bottom; ++y) {
    for (int x = left; x < right; ++x) {
      if (GrayAt(page, x, y) < ink) return true;
    }
  }
  return false;
}

// A leader's dot has blank paper just above and below it, a letter's
// diacritic (the dot of i, the marks over and under Vietnamese vowels) has
// its letter a few pixels away: 1/30 inch each way must hold no ink. (Not
// more: the next line's marks start about 1/15 inch below a baseline.)
bool StandsAlone(const Raster& page, int ink, const Dot& d, double dpi) {
  const int reach = std::max(3, static_cast<int>(dpi / 30));
  return !InkIn(page, ink, d.x, d.y - reach, d.x + d.w, d.y - 1) &&
         !InkIn(page, ink, d.x, d.y + d.h + 1, d.x + d.w, d.y + d.h + reach);
}

// The page's dot-sized ink marks: a full stop is about 1/60 inch across in
// body text; anything up to 1/30 inch and roughly round counts.
std::vector<Dot> FindDots(Pix* binary, const Raster& page, int ink, double dpi) {
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
    if (!StandsAlone(page, ink, d, dpi)) continue;
    dots.push_back(d);
  }
  boxaDestroy(&boxes);
  return dots;
}

// Is the row between two dots blank paper? Between a leader's dots it is;
// a thin gray table rule, which thresholding breaks into dot-sized pieces,
// stays gray (about 130 of 255 measured) between its pieces.
bool PaperBetween(const Raster& page, const Dot& left, const Dot& right) {
  const int y = std::clamp(static_cast<int>((left.cy() + right.cy()) / 2), 0, page.height - 1);
  const int begin = left.x + left.w, end = right.x;
  if (end <= begin) return false;
  long sum = 0;
  for (int x = begin; x < end; ++x) sum += GrayAt(page, x, y);
  return sum >= 192L * (end - begin);
}

// A leader's dots are printed alike; a speck of scanner noise is smaller.
bool AlikeInSize(const Dot& a, const Dot& b) {
  auto close = [](int u, int v) { return std::abs(u - v) <= std::max(2, std::max(u, v) / 3); };
  return close(a.w, b.w) && close(a.h, b.h);
}

// The dots chained along their rows: sorted by x, each dot extends the open
// chain whose last dot is at most `max_gap` to its left, alike in size with
// paper between them, and nearest to it in height (within `row_tolerance` of that last
// dot, not of the chain's first: a leader a deskewed page leaves a few
// pixels off level is still followed end to end, and a dot a pixel taller
// than its neighbours stays in it).
std::vector<std::vector<Dot>> ChainAlongRows(const Raster& page, std::vector<Dot> dots, double dpi) {
  const double row_tolerance = std::max(2.0, dpi / 100);
  const double max_gap = dpi / 8;  // centre to centre, spaced leaders included
  std::sort(dots.begin(), dots.end(), [](const Dot& a, const Dot& b) { return a.cx() < b.cx(); });
  std::vector<std::vector<Dot>> closed, open;
  for (const Dot& d : dots) {
    // Chains that nothing further right can extend are closed for good.
    for (size_t i = 0; i < open.size();) {
      if (d.cx() - open[i].back().cx() > max_gap) {
        closed.push_back(std::move(open[i]));
        open[i] = std::move(open.back());
        open.pop_back();
      } else {
        ++i;
      }
    }
    std::vector<Dot>* best = nullptr;
    double best_dy = row_tolerance;
    for (std::vector<Dot>& chain : open) {
      const double dy = std::abs(d.cy() - chain.back().cy());
      if (d.cx() > chain.back().cx() && dy <= best_dy && AlikeInSize(chain.back(), d) &&
          PaperBetween(page, chain.back(), d)) {
        best = &chain, best_dy = dy;
      }
    }
    if (best != nullptr) {
      best->push_back(d);
    } else {
      open.push_back({d});
    }
  }
  for (std::vector<Dot>& chain : open) closed.push_back(std::move(chain));
  return closed;
}

// The stretches of a chain that step along evenly, as printed leaders do:
// each step within 40% of the chain's median step, or of twice it (a dot
// the scan lost) inside a stretch but not at its ends (where a double step
// is more likely the full stop that ends a sentence before the leader).
// A speck between two dots ends a stretch instead of disqualifying the
// whole chain.
void AppendEvenStretches(const std::vector<Dot>& chain, std::vector<Dot>* leaders) {
  if (chain.size() < static_cast<size_t>(kMinLeaderDots)) return;
  std::vector<double> steps;
  for (size_t i = 1; i < chain.size(); ++i) steps.push_back(chain[i].cx() - chain[i - 1].cx());
  std::vector<double> sorted = steps;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double median = sorted[sorted.size() / 2];
  auto single = [&](double step) { return std::abs(step - median) <= 0.4 * median; };
  auto regular = [&](double step) { return single(step) || std::abs(step - 2 * median) <= 0.4 * median; };
  size_t begin = 0;
  for (size_t i = 1; i <= chain.size(); ++i) {
    if (i < chain.size() && regular(steps[i - 1])) continue;
    size_t first = begin, last = i;  // the stretch [first, last), trimmed of double steps at its ends
    while (last - first >= 2 && !single(steps[first])) ++first;
    while (last - first >= 2 && !single(steps[last - 2])) --last;
    if (last - first >= static_cast<size_t>(kMinLeaderDots)) {
      leaders->insert(leaders->end(), chain.begin() + first, chain.begin() + last);
    }
    begin = i;
  }
}

// The dots that belong to leaders: evenly spaced stretches of
// kMinLeaderDots or more along a row.
std::vector<Dot> LeaderDots(const Raster& page, std::vector<Dot> dots, double dpi) {
  std::vector<Dot> leaders;
  for (const std::vector<Dot>& chain : ChainAlongRows(page, std::move(dots), dpi)) {
    AppendEvenStretches(chain, &leaders);
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
  const int ink = PaperInkThreshold(page);
  PixPtr binary = AdoptPix(pixThresholdToBinary(gray->get(), ink));
  if (!binary) return Status::Internal("leader dots: Leptonica could not threshold the page");
  const std::vector<Dot> leaders = LeaderDots(page, FindDots(binary.get(), page, ink, dpi), dpi);
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
