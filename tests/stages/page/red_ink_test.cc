#include "stages/page/red_ink.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::LoadRaster;
using testing::ScratchDir;

Raster OneRow(std::initializer_list<std::array<uint8_t, 3>> pixels) {
  Raster r;
  r.Allocate(static_cast<int>(pixels.size()), 1, PixelKind::kRgb);
  r.dpi_x = r.dpi_y = 300;
  size_t i = 0;
  for (const auto& p : pixels) std::copy(p.begin(), p.end(), r.pixels.begin() + 3 * i++);
  return r;
}

// Seal ink and its pink rim read as near paper; print, blue and black pens,
// and print stamped over (dark in every channel) keep their luminance.
TEST(RedInkTest, OnlyRedInkIsLiftedToPaper) {
  const Raster page = OneRow({{205, 40, 48},      // seal ink
                              {232, 150, 152},    // its anti-aliased rim
                              {22, 22, 22},       // black print
                              {16, 4, 5},         // print under the seal's ink
                              {40, 52, 190},      // a blue signature
                              {246, 240, 222},    // yellowed paper
                              {120, 118, 116}});  // gray print
  const Raster gray = WithoutRedInk(page);
  ASSERT_EQ(gray.kind, PixelKind::kGray);
  ASSERT_EQ(gray.width, 7);
  EXPECT_EQ(gray.dpi_x, 300);
  EXPECT_GE(gray.pixels[0], 200);
  EXPECT_GE(gray.pixels[1], 230);
  for (int x = 2; x < 7; ++x) EXPECT_EQ(gray.pixels[x], GrayAt(page, x, 0)) << x;
  EXPECT_EQ(CountRedInk(page), 2u);
}

TEST(RedInkTest, GrayAndBilevelPagesAreReadAsTheyAre) {
  Raster gray;
  gray.Allocate(3, 2, PixelKind::kGray);
  gray.pixels = {0, 128, 255, 30, 60, 90};
  const Raster same = WithoutRedInk(gray);
  EXPECT_EQ(same.kind, PixelKind::kGray);
  EXPECT_EQ(same.pixels, gray.pixels);
  EXPECT_EQ(CountRedInk(gray), 0u);
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
    std::optional<Raster> raster = LoadRaster(dir_->path() / "sealed_lines.png", 0, 300);
    EXPECT_TRUE(raster.has_value());
    if (!raster) return "";
    EXPECT_EQ(raster->kind, PixelKind::kRgb);
    Page page;
    page.raster = std::move(*raster);
    OcrOptions options;
    options.drop_red_ink = drop_red_ink;
    const std::string text = testing::ReadWithOcrStage(page, options);
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
