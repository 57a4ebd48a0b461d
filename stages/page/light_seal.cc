#include "stages/page/light_seal.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

// A straight run this long is a rule, not a seal's stroke.
constexpr double kRuleInches = 0.4;
// Rings are looked for at this resolution or more.
constexpr double kLeastFindingDpi = 140;
// A ring's pixels lie within this share of its radius of its circle (RMS).
constexpr double kRingWidthShare = 0.1;
// A ring's arcs cover at least this many of the circle's 36 ten-degree sectors.
constexpr int kLeastSectors = 9;
// Inside a ring only light ink at most this much darker than the ring's own
// is the seal's: a thin stroke of print (a diacritic at 200 dpi has no dark
// core) is darker, and stays ("HỒ" read "HD" when it went).
constexpr int kSealInkSpread = 20;

struct Levels {
  int paper = 255;  // the paper's gray
  int ink = 128;    // below: ink (PaperInkThreshold)
  int dark = 0;     // below: print, never painted over
};

// The print's typical gray is the tenth percentile of the page's ink: print
// outweighs any seal on a certificate, and its core is the darkest ink.
Levels MeasureLevels(const Raster& page) {
  Levels levels;
  levels.paper = PaperLevel(page);
  levels.ink = InkThresholdOverPaper(levels.paper);
  std::array<long, 256> histogram{};
  long count = 0;
  for (int y = 0; y < page.height; y += 2) {
    for (int x = 0; x < page.width; x += 2) {
      const int g = GrayAt(page, x, y);
      if (g < levels.ink) ++histogram[g], ++count;
    }
  }
  int print = 0;
  for (long seen = 0; print < 255; ++print) {
    seen += histogram[print];
    if (10 * seen >= count) break;
  }
  levels.dark = print + (levels.paper - print) * 3 / 10;
  return levels;
}

// The bits of a 1-bpp PIX, by column and row.
class Bits {
 public:
  explicit Bits(Pix* pix) : words_(pixGetData(pix)), words_per_line_(pixGetWpl(pix)) {}
  bool operator()(int x, int y) const {
    return GET_DATA_BIT(words_ + static_cast<size_t>(y) * words_per_line_, x);
  }

 private:
  const l_uint32* words_;
  l_int32 words_per_line_;
};

PixPtr Opened(Pix* binary, int width, int height) {
  return AdoptPix(pixOpenBrick(nullptr, binary, width, height));
}

struct Circle {
  double x = 0, y = 0, r = 0;
  double reach = 0;  // the ring's outer edge: its farthest pixels' distance
  int ink = 0;       // the ring's typical gray (RingInk)
};
using Points = std::vector<std::pair<double, double>>;

// The set pixels of component `i` in page coordinates, at most about 4000
// of them (every so many).
Points PointsOf(BOXA* boxes, PIXA* shapes, int i) {
  Points points;
  l_int32 x0, y0, w, h;
  if (boxaGetBoxGeometry(boxes, i, &x0, &y0, &w, &h) != 0) return points;
  PixPtr shape = AdoptPix(pixaGetPix(shapes, i, L_CLONE));
  l_int32 count = 0;
  if (!shape || pixCountPixels(shape.get(), &count, nullptr) != 0) return points;
  const int step = std::max(1, count / 4000);
  const Bits set(shape.get());
  int seen = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (set(x, y) && seen++ % step == 0) points.emplace_back(x0 + x, y0 + y);
    }
  }
  return points;
}

// The circle through `points` by least squares (Kåsa's fit of
// x² + y² + Dx + Ey + F = 0, in coordinates centred on the points' mean);
// nullopt when they lie on a line.
std::optional<Circle> FitCircle(const Points& points) {
  if (points.size() < 3) return std::nullopt;
  double mx = 0, my = 0;
  for (const auto& [x, y] : points) mx += x, my += y;
  mx /= points.size(), my /= points.size();
  double suu = 0, svv = 0, suv = 0, suuu = 0, svvv = 0, suvv = 0, svuu = 0;
  for (const auto& [x, y] : points) {
    const double u = x - mx, v = y - my;
    suu += u * u, svv += v * v, suv += u * v;
    suuu += u * u * u, svvv += v * v * v, suvv += u * v * v, svuu += v * u * u;
  }
  const double det = suu * svv - suv * suv;
  if (std::abs(det) < 1e-9 * (suu + svv) * (suu + svv)) return std::nullopt;
  const double bu = (suuu + suvv) / 2, bv = (svvv + svuu) / 2;
  const double uc = (bu * svv - bv * suv) / det, vc = (bv * suu - bu * suv) / det;
  return Circle{mx + uc, my + vc, std::sqrt(uc * uc + vc * vc + (suu + svv) / points.size())};
}

// How `points` lie on circle `c`: their RMS distance from it, how many of
// its 36 ten-degree sectors hold `per_sector` of them or more, and its outer
// edge — the 98th percentile of their distances from its centre (a ring and
// its lettering fit a circle between the two, which the outer ring's ink
// lies beyond). `points` is not empty.
struct RingShape {
  double rms = 0;
  int sectors = 0;
  double reach = 0;
};
RingShape ShapeOnCircle(const Points& points, const Circle& c, int per_sector) {
  double squares = 0;
  std::array<int, 36> sectors{};
  std::vector<double> distances;
  distances.reserve(points.size());
  for (const auto& [px, py] : points) {
    distances.push_back(std::hypot(px - c.x, py - c.y));
    squares += (distances.back() - c.r) * (distances.back() - c.r);
    const double turn = (std::atan2(py - c.y, px - c.x) + M_PI) / (2 * M_PI);
    sectors[std::clamp(static_cast<int>(turn * 36), 0, 35)]++;
  }
  RingShape shape;
  shape.rms = std::sqrt(squares / points.size());
  shape.sectors =
      static_cast<int>(std::count_if(sectors.begin(), sectors.end(), [&](int n) { return n >= per_sector; }));
  const size_t farthest = distances.size() * 98 / 100;
  std::nth_element(distances.begin(), distances.begin() + farthest, distances.end());
  shape.reach = distances[farthest];
  return shape;
}

// Is component `i` an arc of a seal's ring: its pixels on one circle
// kMinSealMm-kMaxSealMm across (within kRingWidthShare of its radius: a
// ring with its lettering is a few millimetres wide), over a quarter of it
// or more? A rule, a signature's stroke or a line of text fits no such
// circle; a filled shape or a block of light letters not that closely.
std::optional<Circle> RingOf(BOXA* boxes, PIXA* shapes, int i, double pixels_per_mm) {
  l_int32 x, y, w, h;
  if (boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h) != 0) return std::nullopt;
  const double least = kMinSealMm / 2 * pixels_per_mm, most = kMaxSealMm / 2 * pixels_per_mm;
  if (std::max(w, h) < least) return std::nullopt;
  const Points points = PointsOf(boxes, shapes, i);
  const std::optional<Circle> c = FitCircle(points);
  if (!c || c->r < least || c->r > most) return std::nullopt;
  const RingShape shape = ShapeOnCircle(points, *c, 1);
  if (shape.rms > kRingWidthShare * c->r || shape.sectors < kLeastSectors) return std::nullopt;
  Circle ring = *c;
  ring.reach = shape.reach;
  return ring;
}

// The ring's gray: the median of the light ink (`light`, the page's
// resolution) within kRingWidthShare of its circle; 0 when there is none.
int RingInk(const Raster& page, Pix* light, const Circle& ring) {
  const Bits is_light(light);
  const double band = kRingWidthShare * ring.r;
  std::vector<uint8_t> grays;
  const int top = std::max(0, static_cast<int>(ring.y - ring.r - band));
  const int bottom = std::min(page.height, static_cast<int>(ring.y + ring.r + band) + 1);
  const int left = std::max(0, static_cast<int>(ring.x - ring.r - band));
  const int right = std::min(page.width, static_cast<int>(ring.x + ring.r + band) + 1);
  for (int y = top; y < bottom; y += 2) {
    for (int x = left; x < right; x += 2) {
      if (is_light(x, y) && std::abs(std::hypot(x - ring.x, y - ring.y) - ring.r) <= band) {
        grays.push_back(GrayAt(page, x, y));
      }
    }
  }
  if (grays.empty()) return 0;
  std::nth_element(grays.begin(), grays.begin() + grays.size() / 2, grays.end());
  return grays[grays.size() / 2];
}

// A ring proposed by the vote is checked on the light ink itself: refitted
// three times to the light pixels within this share of its radius, they
// must lie within kRingWidthShare of it (RMS), cover kCheckedSectors of its
// 36 ten-degree sectors (three pixels each: print crossing a seal's ring
// leaves most of it), and be at least twice as many as in the annulus as
// wide again just outside (light specks and rims evenly spread, a block of
// light text, are as dense there).
constexpr double kCheckBandShare = 0.12;
constexpr int kCheckedSectors = 27;
// The vote: at most this many light pixels vote, and this many of the
// best-voted centres are checked.
constexpr int kMostVoters = 3000;
constexpr size_t kCandidates = 12;
// Radii within this share of the larger are one ring's.
constexpr double kSameRingShare = 0.15;

// Two circles are one ring when their centres and radii are both close: a
// seal's outer ring and its inner one share a centre and are two rings (a
// ring's paint reaches only its own edge; tuning seed 3: the inner ring found,
// the outer one kept off by its centre, was left over a label it crossed).
bool SameRing(const Circle& a, const Circle& b) {
  const double larger = std::max(a.r, b.r);
  return std::hypot(a.x - b.x, a.y - b.y) < 0.5 * larger && std::abs(a.r - b.r) < kSameRingShare * larger;
}

bool NearAny(const std::vector<Circle>& rings, const Circle& c) {
  return std::any_of(rings.begin(), rings.end(), [&](const Circle& r) { return SameRing(r, c); });
}

// The light pixels of `light` whose distance from c's centre is within
// [from, to].
Points LightBetween(Pix* light, const Circle& c, double from, double to) {
  const Bits is_light(light);
  const int width = pixGetWidth(light), height = pixGetHeight(light);
  Points points;
  for (int y = std::max(0, static_cast<int>(c.y - to)); y <= std::min(height - 1, static_cast<int>(c.y + to));
       ++y)
    for (int x = std::max(0, static_cast<int>(c.x - to));
         x <= std::min(width - 1, static_cast<int>(c.x + to)); ++x) {
      const double d = std::hypot(x - c.x, y - c.y);
      if (d >= from && d <= to && is_light(x, y)) points.emplace_back(x, y);
    }
  return points;
}

// The light pixels near circle `c` that lie on none of the rings already
// `taken`: a circle across two concentric rings gathers their ink on either
// side, and without this passed as a third ring.
Points LightNear(Pix* light, const Circle& c, const std::vector<Circle>& taken) {
  Points near = LightBetween(light, c, c.r * (1 - kCheckBandShare), c.r * (1 + kCheckBandShare));
  std::erase_if(near, [&](const std::pair<double, double>& p) {
    return std::any_of(taken.begin(), taken.end(), [&](const Circle& t) {
      return std::abs(std::hypot(p.first - t.x, p.second - t.y) - t.r) <= kCheckBandShare * t.r;
    });
  });
  return near;
}

std::optional<Circle> CheckedRing(Pix* light, Circle c, double least, double most,
                                  const std::vector<Circle>& taken) {
  Points near;
  for (int round = 0; round < 3; ++round) {
    near = LightNear(light, c, taken);
    const std::optional<Circle> fit = FitCircle(near);
    if (!fit || fit->r < least || fit->r > most) return std::nullopt;
    c = *fit;
  }
  near = LightNear(light, c, taken);
  if (near.empty()) return std::nullopt;
  const RingShape shape = ShapeOnCircle(near, c, 3);
  const size_t outside =
      LightBetween(light, c, c.r * (1 + kCheckBandShare), c.r * (1 + 3 * kCheckBandShare)).size();
  if (shape.rms > kRingWidthShare * c.r || shape.sectors < kCheckedSectors || near.size() < 2 * outside)
    return std::nullopt;
  c.reach = shape.reach;
  return c;
}

// Rings voted for by every piece of light ink (a circular Hough transform
// over 1-mm cells and 1-mm steps of radius, one radius's plane at a time):
// a ring crossed by print breaks into arcs too short to fit alone (tuning
// seed 4: a 31-mm seal over a ruled table, none of its arcs 7.5 mm long),
// but they all vote for one centre. The best-voted centres, by votes per
// unit of circumference, are checked (CheckedRing) on the ink that `found`
// rings (and those found by the vote before them) leave; returns the new.
std::vector<Circle> VotedRings(Pix* shapes, double dpi, const std::vector<Circle>& found) {
  const double per_mm = dpi / 25.4;
  const int width = pixGetWidth(shapes), height = pixGetHeight(shapes);
  const double least = kMinSealMm / 2 * per_mm, most = kMaxSealMm / 2 * per_mm;
  const double cell = std::max(2.0, per_mm);
  const int columns = static_cast<int>(width / cell) + 1, rows = static_cast<int>(height / cell) + 1;
  Points voters;
  l_int32 count = 0;
  if (pixCountPixels(shapes, &count, nullptr) != 0 || count == 0) return {};
  const int step = std::max(1, count / kMostVoters);
  const Bits set(shapes);
  for (int y = 0, seen = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      if (set(x, y) && seen++ % step == 0) voters.emplace_back(x, y);
  struct Candidate {
    double score;
    Circle guess;
  };
  std::vector<Candidate> best;  // the kCandidates best so far, best first
  std::vector<uint16_t> plane(static_cast<size_t>(columns) * rows);
  for (double r = least; r <= most; r += cell) {
    std::fill(plane.begin(), plane.end(), 0);
    const int turns = static_cast<int>(2 * M_PI * r / cell) + 1;
    for (int k = 0; k < turns; ++k) {
      const double dx = r * std::cos(2 * M_PI * k / turns), dy = r * std::sin(2 * M_PI * k / turns);
      for (const auto& [px, py] : voters) {
        const int cx = static_cast<int>((px + dx) / cell), cy = static_cast<int>((py + dy) / cell);
        if (cx >= 0 && cy >= 0 && cx < columns && cy < rows) {
          uint16_t& v = plane[static_cast<size_t>(cy) * columns + cx];
          if (v < UINT16_MAX) ++v;
        }
      }
    }
    for (size_t i = 0; i < plane.size(); ++i) {
      const double score = plane[i] / r;
      if (plane[i] < 8 || (best.size() == kCandidates && score <= best.back().score)) continue;
      const Circle guess{(i % columns + 0.5) * cell, (i / columns + 0.5) * cell, r};
      // One ring wins the neighbouring cells and radii too: it keeps its
      // best guess alone, so that the candidates are different rings.
      const auto same = std::find_if(best.begin(), best.end(),
                                     [&](const Candidate& c) { return SameRing(c.guess, guess); });
      if (same != best.end()) {
        if (same->score >= score) continue;
        best.erase(same);
      }
      best.insert(std::upper_bound(best.begin(), best.end(), score,
                                   [](double s, const Candidate& c) { return s > c.score; }),
                  Candidate{score, guess});
      if (best.size() > kCandidates) best.pop_back();
    }
  }
  std::vector<Circle> taken = found;
  for (const Candidate& candidate : best) {
    if (NearAny(taken, candidate.guess)) continue;
    if (std::optional<Circle> ring = CheckedRing(shapes, candidate.guess, least, most, taken))
      taken.push_back(*ring);
  }
  return std::vector<Circle>(taken.begin() + static_cast<std::ptrdiff_t>(found.size()), taken.end());
}

// The rings of the page's light ink: its shapes once straight rules are set
// aside, each joined across the gaps an unevenly inked stamp leaves.
StatusOr<std::vector<Circle>> FindRings(Pix* light, double dpi) {
  const double pixels_per_mm = dpi / 25.4;
  const int rule = std::max(8, static_cast<int>(std::lround(dpi * kRuleInches)));
  PixPtr across = Opened(light, rule, 1);
  PixPtr down = Opened(light, 1, rule);
  if (!across || !down) return Status::Internal("light seal: Leptonica could not find the rules");
  PixPtr shapes = AdoptPix(pixSubtract(nullptr, light, across.get()));
  if (shapes) shapes = AdoptPix(pixSubtract(nullptr, shapes.get(), down.get()));
  const int join = std::max(3, static_cast<int>(std::lround(pixels_per_mm)) | 1);
  if (shapes) shapes = AdoptPix(pixCloseSafeBrick(nullptr, shapes.get(), join, join));
  if (!shapes) return Status::Internal("light seal: Leptonica could not join the shapes");
  PIXA* pieces = nullptr;
  BOXA* boxes = pixConnComp(shapes.get(), &pieces, 8);
  if (boxes == nullptr) return Status::Internal("light seal: Leptonica could not find the shapes");
  std::vector<Circle> rings;
  for (int i = 0; i < boxaGetCount(boxes); ++i) {
    if (std::optional<Circle> ring = RingOf(boxes, pieces, i, pixels_per_mm)) rings.push_back(*ring);
  }
  boxaDestroy(&boxes);
  pixaDestroy(&pieces);
  for (const Circle& voted : VotedRings(shapes.get(), dpi, rings)) rings.push_back(voted);
  return rings;
}

}  // namespace

StatusOr<std::optional<Raster>> WithoutLightSeal(const Raster& page, int* seals) {
  if (seals) *seals = 0;
  if (page.empty() || page.pixels.size() != page.byte_size()) {
    return Status::InvalidInput("light seal: raster size does not match its pixels");
  }
  if (page.kind != PixelKind::kGray) return std::optional<Raster>();
  const double dpi = page.dpi_y > 0 ? page.dpi_y : 300;
  const Levels levels = MeasureLevels(page);
  if (levels.dark >= levels.ink) return std::optional<Raster>();  // no light band between print and paper
  StatusOr<PixPtr> gray = RasterToGrayPix(page);
  if (!gray.ok()) return gray.status();
  PixPtr dark = AdoptPix(pixThresholdToBinary(gray->get(), levels.dark));
  PixPtr ink = AdoptPix(pixThresholdToBinary(gray->get(), levels.ink));
  if (!dark || !ink) return Status::Internal("light seal: Leptonica could not threshold the page");
  // A letter's anti-aliased rim: the pixels touching its dark core. (Two
  // pixels' reach kept the seal's strokes where they cross a letter, stubs
  // that made "Ung" read "Ủng".)
  PixPtr near_print = AdoptPix(pixDilateBrick(nullptr, dark.get(), 3, 3));
  PixPtr light = near_print ? AdoptPix(pixSubtract(nullptr, ink.get(), near_print.get())) : nullptr;
  if (!light) return Status::Internal("light seal: Leptonica could not separate the light ink");
  // Rings are looked for at 140 dpi or more, halving the resolution of a
  // finer scan (a seal is centimetres across; at 300 dpi finding them cost
  // 0.1-0.3 s a page): a pixel there is light ink when any of its four is.
  // (At 100 dpi the arcs of a 200-dpi page's seal merged with the specks
  // around them and fitted no circle.)
  PixPtr reduced;
  int scale = 1;
  if (dpi / 2 >= kLeastFindingDpi) {
    reduced = AdoptPix(pixReduceRankBinary2(light.get(), 1, nullptr));
    if (!reduced) return Status::Internal("light seal: Leptonica could not reduce the light ink");
    scale = 2;
  }
  StatusOr<std::vector<Circle>> rings = FindRings(reduced ? reduced.get() : light.get(), dpi / scale);
  if (!rings.ok()) return rings.status();
  for (Circle& ring : *rings) {
    ring.x = scale * ring.x + (scale - 1) / 2.0, ring.y = scale * ring.y + (scale - 1) / 2.0;
    ring.r *= scale, ring.reach *= scale;
    ring.ink = RingInk(page, light.get(), ring);
  }
  std::erase_if(*rings, [](const Circle& ring) { return ring.ink == 0; });
  if (rings->empty()) return std::optional<Raster>();
  // Inside each ring's outer edge (and a millimetre beyond: it is ragged)
  // light ink becomes paper. The arcs a ring is broken into where print
  // crosses it each find the same disc.
  Raster clean = page;
  const Bits is_light(light.get());
  for (const Circle& ring : *rings) {
    const double reach = ring.reach + dpi / 25.4;
    const int top = std::max(0, static_cast<int>(ring.y - reach));
    const int bottom = std::min(page.height, static_cast<int>(ring.y + reach) + 1);
    for (int y = top; y < bottom; ++y) {
      const double half = std::sqrt(std::max(0.0, reach * reach - (y - ring.y) * (y - ring.y)));
      const int left = std::max(0, static_cast<int>(ring.x - half));
      const int right = std::min(page.width, static_cast<int>(ring.x + half) + 1);
      uint8_t* row = clean.row(y);
      for (int x = left; x < right; ++x) {
        if (is_light(x, y) && row[x] + kSealInkSpread >= ring.ink)
          row[x] = static_cast<uint8_t>(levels.paper);
      }
    }
  }
  if (seals) *seals = static_cast<int>(rings->size());
  return std::optional<Raster>(std::move(clean));
}

}  // namespace sohoa
