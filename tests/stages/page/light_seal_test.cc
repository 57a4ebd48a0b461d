#include "stages/page/light_seal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::LoadRaster;
using testing::ScratchDir;

constexpr uint8_t kPaper = 236, kPrint = 30, kSealInk = 128;

// A gray page of 472 x 472 pixels (40 mm at 300 dpi), paper everywhere.
Raster PaperPage(double dpi = 300) {
  Raster r;
  r.Allocate(472, 472, PixelKind::kGray);
  r.dpi_x = r.dpi_y = dpi;
  std::fill(r.pixels.begin(), r.pixels.end(), kPaper);
  return r;
}

// A ring centred on the page, in `ink`, between radii `inner` and `outer`
// (pixels): by default 30 mm across and 1 mm wide at 300 dpi.
void DrawRing(Raster& page, uint8_t ink, double inner = 165, double outer = 177) {
  const double centre = page.width / 2.0;
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      const double r = std::hypot(x - centre, y - centre);
      if (r >= inner && r <= outer) page.row(y)[x] = ink;
    }
  }
}

// The seal ink drawn so far cut into 12 arcs of 24° around the page's
// centre, as print crossing a ring leaves it.
void CutIntoArcs(Raster& page) {
  const double centre = page.width / 2.0;
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      const double turn = std::atan2(y - centre, x - centre) * 180 / M_PI + 180;  // 0..360
      if (std::fmod(turn, 30) >= 24 && page.row(y)[x] == kSealInk) page.row(y)[x] = kPaper;
    }
  }
}

// A bar of `ink` (a stroke of print) from (x, y), `w` x `h` pixels.
void DrawBar(Raster& page, int x, int y, int w, int h, uint8_t ink) {
  for (int yy = y; yy < y + h; ++yy) std::fill_n(page.row(yy) + x, w, ink);
}

// Print of a page holds far more dark ink than any seal: a column of
// strokes down the left margin.
void DrawPrint(Raster& page) {
  for (int y = 10; y + 20 < page.height; y += 30) DrawBar(page, 4, y, 40, 12, kPrint);
}

// At 300 dpi rings are looked for at half the resolution, at 200 dpi at
// the page's own.
class LightSealAtTest : public ::testing::TestWithParam<double> {};

TEST_P(LightSealAtTest, TheSealsInkBecomesPaperAndPrintStays) {
  Raster page = PaperPage(GetParam());
  DrawPrint(page);
  DrawRing(page, kSealInk);
  DrawBar(page, 236 - 2, 236 - 170 - 5, 4, 10, 15);  // print where the ring crosses it, darker under the ink
  DrawBar(page, 200, 236, 8, 2, 100);  // a thin stroke of print inside the ring (a diacritic): no dark core
  int seals = 0;
  StatusOr<std::optional<Raster>> copy = WithoutLightSeal(page, &seals);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_TRUE(copy->has_value());
  EXPECT_EQ(seals, 1);
  const Raster& read = **copy;
  EXPECT_EQ(read.row(236)[236 + 171], kPaper) << "the ring's ink";
  EXPECT_EQ(read.row(236)[236 - 171], kPaper);
  EXPECT_EQ(read.row(236 - 171)[236 - 1], 15) << "print under the seal";
  EXPECT_EQ(read.row(16)[20], kPrint) << "print elsewhere";
  EXPECT_EQ(read.row(236)[203], 100) << "a thin stroke darker than the seal's ink";
  EXPECT_EQ(page.row(236)[236 + 171], kSealInk) << "the page itself was changed";
}


// A seal stamped over text: print crossing its ring breaks it into arcs,
// each too short to fit a circle alone (tuning seed 4: a 31-mm seal over a
// table, its arcs under 7.5 mm, not found). All the arcs vote for one
// centre, and the ring found is checked on the light ink itself.
TEST_P(LightSealAtTest, ARingBrokenIntoShortArcsIsFoundByTheirVote) {
  Raster page = PaperPage(GetParam());
  DrawPrint(page);
  DrawRing(page, kSealInk);
  CutIntoArcs(page);
  int seals = 0;
  StatusOr<std::optional<Raster>> copy = WithoutLightSeal(page, &seals);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_TRUE(copy->has_value());
  EXPECT_EQ(seals, 1);
  int left = 0;
  for (uint8_t v : (*copy)->pixels) left += v == kSealInk;
  EXPECT_EQ(left, 0) << "pixels of the ring's ink left";
  EXPECT_EQ((*copy)->row(16)[20], kPrint) << "print elsewhere";
}

// A seal's inner ring is whole and found by its own fit; its outer ring,
// broken by print into short arcs, only by the vote, around the same centre.
// Both are the seal's (tuning seed 3: the outer ring, kept as one with the
// inner by its centre, was left over a label and the label read "CHảÀ").
TEST_P(LightSealAtTest, AnOuterRingAroundAFoundInnerOneGoesToo) {
  Raster page = PaperPage(GetParam());
  DrawPrint(page);
  DrawRing(page, kSealInk);
  CutIntoArcs(page);
  DrawRing(page, kSealInk, 100, 110);
  int seals = 0;
  StatusOr<std::optional<Raster>> copy = WithoutLightSeal(page, &seals);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_TRUE(copy->has_value());
  EXPECT_EQ(seals, 2);
  int left = 0;
  for (uint8_t v : (*copy)->pixels) left += v == kSealInk;
  EXPECT_EQ(left, 0) << "pixels of the rings' ink left";
  EXPECT_EQ((*copy)->row(16)[20], kPrint) << "print elsewhere";
}

INSTANTIATE_TEST_SUITE_P(Resolutions, LightSealAtTest, ::testing::Values(200.0, 300.0));

// Why the ring: faded print, a pale signature or pencil is light ink too,
// and must be read. Light ink that makes no ring (strokes of light print,
// a table of light rules, a filled disc) changes nothing.
TEST(LightSealTest, LightInkThatIsNoRingIsReadAsItIs) {
  Raster faded = PaperPage();
  DrawPrint(faded);
  for (int y = 60; y < 420; y += 24)
    for (int x = 80; x < 440; x += 16) DrawBar(faded, x, y, 10, 14, kSealInk);  // a block of light "letters"
  EXPECT_FALSE(WithoutLightSeal(faded)->has_value());
  Raster table = PaperPage();
  DrawPrint(table);
  for (int y = 60; y <= 420; y += 60) DrawBar(table, 80, y, 360, 2, kSealInk);
  for (int x = 80; x <= 440; x += 120) DrawBar(table, x, 60, 2, 362, kSealInk);
  EXPECT_FALSE(WithoutLightSeal(table)->has_value());
  Raster disc = PaperPage();
  DrawPrint(disc);
  for (int y = 0; y < disc.height; ++y)
    for (int x = 0; x < disc.width; ++x)
      if (std::hypot(x - 236.0, y - 236.0) < 170) disc.row(y)[x] = kSealInk;
  EXPECT_FALSE(WithoutLightSeal(disc)->has_value());
}

TEST(LightSealTest, ColourAndBilevelPagesAndPagesWithoutPrintAreReadAsTheyAre) {
  Raster bilevel = PaperPage();
  bilevel.kind = PixelKind::kBilevel;
  std::fill(bilevel.pixels.begin(), bilevel.pixels.end(), 255);
  DrawRing(bilevel, 0);
  EXPECT_FALSE(WithoutLightSeal(bilevel)->has_value());
  Raster only_seal = PaperPage();  // the seal is the darkest ink: it is the print
  DrawRing(only_seal, kSealInk);
  EXPECT_FALSE(WithoutLightSeal(only_seal)->has_value());
  Raster broken;
  broken.Allocate(4, 4, PixelKind::kGray);
  broken.pixels.resize(3);
  EXPECT_FALSE(WithoutLightSeal(broken).ok());
}

// Why: a seal stamped over a table's rows in faint ink and scanned in gray
// is read into the rows it crosses and spoils the letters it touches; read
// without it, every value comes out whole.
class GraySealedTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("gray_sealed_lines");
    testing::DrawFixtures("tests/stages/page/make_figure_lines.py", dir_->path());
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Read(bool drop_light_seal) {
    const std::filesystem::path file = dir_->path() / "sealed_lines_gray.png";
    OcrOptions options;
    options.drop_light_seal = drop_light_seal;
    Page page;
    const std::string text = testing::ReadImageWithOcrStage(file, options, &page);
    std::optional<Raster> scanned = LoadRaster(file, 0, 300);
    EXPECT_TRUE(scanned.has_value() && scanned->kind == PixelKind::kGray &&
                page.raster.pixels == scanned->pixels)
        << "the page itself must keep its seal";
    return text;
  }

  static ScratchDir* dir_;
};

ScratchDir* GraySealedTableTest::dir_ = nullptr;

TEST_F(GraySealedTableTest, ValuesUnderTheSealAreReadWithItDropped) {
  const std::vector<std::string> values = {"Việt Nam", "Tại nhà, Thôn 2, xã Hải Ba, huyện Hải",
                                           "Lăng, tỉnh Quảng Trị", "Ung thư gan",
                                           "Ủy ban nhân dân xã Hải Ba, huyện Hải"};
  auto whole = [&](const std::string& text) {
    size_t n = 0;
    for (const std::string& v : values) n += text.find(v) != std::string::npos;
    return n;
  };
  // The seal's strokes where they cross a letter stay with the letter (its
  // rim cannot be told from them): "Ung" comes out "Ủng" at the reading's
  // resolution, the one value of five left damaged.
  const std::string dropped = Read(true);
  EXPECT_GE(whole(dropped), values.size() - 1) << dropped;
  const std::string as_scanned = Read(false);
  EXPECT_LT(whole(as_scanned), whole(dropped)) << "the seal no longer damages the reading: the fixture shows "
                                                  "nothing\n"
                                               << as_scanned;
}

}  // namespace
}  // namespace sohoa
