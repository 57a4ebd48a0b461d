#include "stages/page/red_ink.h"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "stages/page/leptonica_raster.h"
#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::LoadRaster;
using testing::ScratchDir;

// A page of `paper` with a red seal's body (a square of seal ink, 3 mm at
// 300 dpi) in its top left corner, then one row of `probes` pixels.
Raster SealedPage(std::initializer_list<std::array<uint8_t, 3>> probes) {
  Raster r;
  r.Allocate(120, 60, PixelKind::kRgb);
  r.dpi_x = r.dpi_y = 300;
  for (size_t i = 0; i < r.pixels.size(); i += 3)
    r.pixels[i] = 246, r.pixels[i + 1] = 242, r.pixels[i + 2] = 232;
  for (int y = 0; y < 36; ++y)
    for (int x = 0; x < 36; ++x)
      std::copy_n(std::array<uint8_t, 3>{205, 40, 48}.begin(), 3, r.row(y) + 3 * x);
  int x = 0;
  for (const auto& p : probes) std::copy(p.begin(), p.end(), r.row(50) + 3 * x++);
  return r;
}

// Seal ink and its pink rim read as near paper; print, blue and black pens,
// and print stamped over (dark in every channel) keep the page's gray.
TEST(RedInkTest, OnlyRedInkIsLiftedToPaper) {
  const std::vector<std::array<uint8_t, 3>> probes = {{205, 40, 48},     // seal ink
                                                      {232, 150, 152},   // its anti-aliased rim
                                                      {22, 22, 22},      // black print
                                                      {16, 4, 5},        // print under the seal's ink
                                                      {40, 52, 190},     // a blue signature
                                                      {246, 240, 222},   // yellowed paper
                                                      {120, 118, 116}};  // gray print
  const Raster page =
      SealedPage({probes[0], probes[1], probes[2], probes[3], probes[4], probes[5], probes[6]});
  EXPECT_EQ(CountSolidRedInk(page), 34u * 34u);
  const std::optional<Raster> gray = WithoutRedInk(page);
  ASSERT_TRUE(gray.has_value());
  ASSERT_EQ(gray->kind, PixelKind::kGray);
  EXPECT_EQ(gray->dpi_x, 300);
  EXPECT_GE(gray->row(50)[0], 200);
  EXPECT_GE(gray->row(50)[1], 230);
  for (int x = 2; x < 7; ++x)
    EXPECT_EQ(gray->row(50)[x], RecognitionLuminance(probes[x][0], probes[x][1], probes[x][2])) << x;
}

// Why the body: black text drawn with subpixel smoothing (a web screenshot)
// has dark red and orange fringes a pixel wide; lifting them thinned the
// letters of a real web form until "Kính" read "Kinh". A page with red only
// in fringes, or a red mark smaller than a seal's ring, is read as it is.
TEST(RedInkTest, RedFringesAndSpecksAreNoSeal) {
  Raster fringes;
  fringes.Allocate(200, 40, PixelKind::kRgb);
  fringes.dpi_x = fringes.dpi_y = 96;
  std::fill(fringes.pixels.begin(), fringes.pixels.end(), 255);
  for (int y = 5; y < 35; y += 3)
    for (int x = 5; x < 195; x += 4)
      std::copy_n(std::array<uint8_t, 3>{132, 0, 0}.begin(), 3, fringes.row(y) + 3 * x);
  EXPECT_EQ(CountSolidRedInk(fringes), 0u);
  EXPECT_FALSE(WithoutRedInk(fringes).has_value());
  Raster speck = SealedPage({});
  for (int y = 0; y < 36; ++y)
    for (int x = 10; x < 36; ++x)
      std::fill_n(speck.row(y) + 3 * x, 3, 246);  // a 10 x 36 pixel mark: under 3 mm2
  EXPECT_FALSE(WithoutRedInk(speck).has_value());
}

TEST(RedInkTest, GrayAndBilevelPagesAreReadAsTheyAre) {
  Raster gray;
  gray.Allocate(3, 2, PixelKind::kGray);
  gray.pixels = {0, 128, 255, 30, 60, 90};
  EXPECT_FALSE(WithoutRedInk(gray).has_value());
  EXPECT_EQ(CountSolidRedInk(gray), 0u);
}

// Why: a red seal stamped over a table's rows, read in luminance, is as dark
// as the print. Tesseract then reads its ring and lettering into the rows
// it crosses and loses words under it; read through the dropout, every
// value comes out whole.
class SealedTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("sealed_lines");
    testing::DrawFixtures("tests/stages/page/make_figure_lines.py", dir_->path());
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Read(bool drop_red_ink) {
    OcrOptions options;
    options.drop_red_ink = drop_red_ink;
    Page page;
    const std::string text =
        testing::ReadImageWithOcrStage(dir_->path() / "sealed_lines.png", options, &page);
    EXPECT_EQ(page.raster.kind, PixelKind::kRgb) << "the page itself must keep its colour";
    return text;
  }

  static ScratchDir* dir_;
};

ScratchDir* SealedTableTest::dir_ = nullptr;

TEST_F(SealedTableTest, ValuesUnderTheSealAreReadWithTheRedInkDropped) {
  const std::vector<std::string> values = {"Việt Nam", "Tại nhà, Thôn 2, xã Hải Ba, huyện Hải",
                                           "Lăng, tỉnh Quảng Trị", "Ung thư gan",
                                           "Ủy ban nhân dân xã Hải Ba, huyện Hải"};
  const std::string dropped = Read(true);
  for (const std::string& v : values) EXPECT_NE(dropped.find(v), std::string::npos) << v << "\n" << dropped;
  const std::string luminance = Read(false);
  size_t whole = 0;
  for (const std::string& v : values) whole += luminance.find(v) != std::string::npos;
  EXPECT_LT(whole, values.size())
      << "the seal no longer damages the luminance reading: the fixture shows nothing\n"
      << luminance;
}

}  // namespace
}  // namespace sohoa
