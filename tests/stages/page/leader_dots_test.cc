#include "stages/page/leader_dots.h"

#include <gtest/gtest.h>

#include <optional>

#include "build_paths.h"
#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::LoadRaster;
using testing::Quote;
using testing::RunCommand;
using testing::ScratchDir;

// Serif lines drawn by make_figure_lines.py: values followed by dotted
// leaders, and a text dense with diacritics and no leaders.
class LeaderDotsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("leader_lines");
    testing::DrawFixtures("tests/stages/page/make_figure_lines.py", dir_->path());
  }
  static void TearDownTestSuite() { delete dir_; }

  static Raster Load(const std::string& name) {
    std::optional<Raster> raster = LoadRaster(dir_->path() / name, 0, 300);
    EXPECT_TRUE(raster.has_value()) << name;
    return raster ? std::move(*raster) : Raster{};
  }

  static std::string Read(const std::string& name, bool remove_leader_dots) {
    return Read(Load(name), remove_leader_dots);
  }
  static std::string Read(Raster raster, bool remove_leader_dots) {
    Page page;
    page.raster = std::move(raster);
    OcrOptions options;
    options.remove_leader_dots = remove_leader_dots;
    return testing::ReadWithOcrStage(page, options);
  }

  static ScratchDir* dir_;
};

ScratchDir* LeaderDotsTest::dir_ = nullptr;

TEST_F(LeaderDotsTest, LeadersArePaintedOutOfTheCopyOnly) {
  const Raster page = Load("leader_lines.png");
  int removed = 0;
  StatusOr<std::optional<Raster>> clean = WithoutLeaderDots(page, &removed);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  ASSERT_TRUE(clean->has_value());
  EXPECT_GE(removed, 3 * 40);  // three leaders of 50-odd dots each
  EXPECT_NE((*clean)->pixels, page.pixels);
  const Raster again = Load("leader_lines.png");
  EXPECT_EQ(page.pixels, again.pixels) << "the page itself was changed";
}

// Why: Tesseract reads a row of dots beside a value as letters and digits
// and garbles the value with it.
TEST_F(LeaderDotsTest, ValuesBeforeLeadersAreReadOnlyWithoutTheDots) {
  const std::string with_dots = Read("leader_lines.png", false);
  EXPECT_EQ(with_dots.find("Quốc tịch: Việt Nam"), std::string::npos) << with_dots;
  const std::string without = Read("leader_lines.png", true);
  EXPECT_NE(without.find("Quốc tịch: Việt Nam"), std::string::npos) << without;
  EXPECT_NE(without.find("Nguyễn Thị Oanh"), std::string::npos) << without;
  EXPECT_NE(without.find("Thôn 3, xã Hải Ba"), std::string::npos) << without;
  // The full stop that ends a sentence before its leader is no leader dot.
  EXPECT_NE(without.find("với ai."), std::string::npos) << without;
}

// A deskewed scan leaves its leaders a few pixels off level, dots a pixel
// taller or shorter than their neighbours and specks of noise among them:
// the dots are followed along the row (grouping them in fixed height bands
// found 80 of about 460 here, and one forms' dates lost their last word).
TEST_F(LeaderDotsTest, NoisyLeadersNotQuiteLevelAreFoundEndToEnd) {
  int removed = 0;
  StatusOr<std::optional<Raster>> clean = WithoutLeaderDots(Load("leader_lines_noisy.png"), &removed);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  ASSERT_TRUE(clean->has_value());
  EXPECT_GE(removed, 300);
  const std::string text = Read(std::move(**clean), false);  // the copy OCR would be given
  EXPECT_NE(text.find("Nơi cư trú: Thôn"), std::string::npos) << text;
}

// A thin gray table rule falls apart into dot-sized pieces when the page is
// thresholded; the paper between its pieces is gray, not white: no leader.
TEST_F(LeaderDotsTest, GrayTableRulesAreNotLeaders) {
  int removed = -1;
  StatusOr<std::optional<Raster>> clean = WithoutLeaderDots(Load("gray_rules.png"), &removed);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_FALSE(clean->has_value());
  EXPECT_EQ(removed, 0);
}

// Dots under vowels, marks over them, the dot of i and a short "..." are
// no leaders: a page of such text is left as it is.
TEST_F(LeaderDotsTest, DiacriticsAndShortEllipsesAreNotLeaders) {
  int removed = -1;
  StatusOr<std::optional<Raster>> clean = WithoutLeaderDots(Load("diacritics.png"), &removed);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_FALSE(clean->has_value());
  EXPECT_EQ(removed, 0);
}

// Low-resolution images (web screenshots, x-height 6-8 px) are read as
// they are: their full stops cannot be told from specks and diacritics.
TEST_F(LeaderDotsTest, LowResolutionPagesAreLeftAlone) {
  Raster page = Load("leader_lines.png");
  page.dpi_x = page.dpi_y = kMinLeaderDpi - 1;
  StatusOr<std::optional<Raster>> clean = WithoutLeaderDots(page);
  ASSERT_TRUE(clean.ok());
  EXPECT_FALSE(clean->has_value());
}

TEST(LeaderDotsInputTest, InconsistentRasterIsRefused) {
  Raster raster;
  raster.width = 100;
  raster.height = 100;
  raster.pixels.resize(10);
  EXPECT_EQ(WithoutLeaderDots(raster).status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace sohoa
