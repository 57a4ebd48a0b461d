// Ruled lines taken out of the copy Tesseract reads (issue 14): a typed
// value against its cell's rules is read without them; print, however
// long its line, is no rule.
#include "stages/page/ruled_lines.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
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

constexpr uint8_t kPaper = 255, kInk = 20;

Raster BlankPage(int width, int height, double dpi) {
  Raster r;
  r.Allocate(width, height, PixelKind::kGray);
  r.dpi_x = r.dpi_y = dpi;
  std::fill(r.pixels.begin(), r.pixels.end(), kPaper);
  return r;
}

void Fill(Raster& page, int x, int y, int w, int h) {
  for (int yy = y; yy < y + h; ++yy) std::fill_n(page.row(yy) + x, w, kInk);
}

// RuledLinesOf, then PaintOut when it found rules: whether it did.
StatusOr<bool> PaintOutRuledLines(Raster& page) {
  StatusOr<PixPtr> rules = RuledLinesOf(page);
  if (!rules.ok()) return rules.status();
  if (*rules) PaintOut(page, rules->get());
  return *rules != nullptr;
}

int InkIn(const Raster& page, int x, int y, int w, int h) {
  int n = 0;
  for (int yy = y; yy < y + h; ++yy)
    for (int xx = x; xx < x + w; ++xx) n += page.row(yy)[xx] < 128;
  return n;
}

// A rule across left a pixel askew every 300 pixels, as deskewing leaves
// it, and broken into dashes, as a bilevel scan does; a rule down; beside
// them "print": letter strokes 3 mm tall, and a line of 1-mm letters two
// pixels apart at the baseline (serifs) broken by a space every 5 letters.
TEST(RuledLinesTest, RulesAskewAndDashedGoAndPrintStays) {
  Raster page = BlankPage(1200, 600, 300);
  for (int x = 100; x < 1100; ++x)
    if (x % 7 != 0) Fill(page, x, 100 + (x - 100) / 300, 1, 2);    // 14 cm, dashed, stepped
  Fill(page, 100, 100, 2, 400);                                    // 34 mm down
  for (int x = 200; x < 1000; x += 40) Fill(page, x, 200, 4, 35);  // strokes 3 mm tall
  for (int x = 200, n = 0; x < 1000; x += 14, ++n)
    if (n % 5 != 4) Fill(page, x, 300, 12, 3);  // letters' feet 2 px apart, a space every 5
  const Raster scanned = page;
  StatusOr<bool> had = PaintOutRuledLines(page);
  ASSERT_TRUE(had.ok()) << had.status().ToString();
  EXPECT_TRUE(*had);
  EXPECT_EQ(InkIn(page, 100, 95, 1000, 12), 0) << "the rule across";
  EXPECT_EQ(InkIn(page, 95, 110, 12, 390), 0) << "the rule down";
  EXPECT_EQ(InkIn(page, 200, 200, 800, 35), InkIn(scanned, 200, 200, 800, 35)) << "the strokes";
  EXPECT_EQ(InkIn(page, 200, 300, 800, 3), InkIn(scanned, 200, 300, 800, 3)) << "the line of print";

  // A screenshot's resolution: its pixels as they are.
  Raster low = BlankPage(1200, 600, 100);
  Fill(low, 100, 100, 1000, 2);
  const Raster low_before = low;
  had = PaintOutRuledLines(low);
  ASSERT_TRUE(had.ok());
  EXPECT_FALSE(*had);
  EXPECT_EQ(low.pixels, low_before.pixels);

  Raster unruled = BlankPage(1200, 600, 300);
  for (int x = 200; x < 1000; x += 40) Fill(unruled, x, 200, 4, 35);
  const Raster before = unruled;
  had = PaintOutRuledLines(unruled);
  ASSERT_TRUE(had.ok());
  EXPECT_FALSE(*had);
  EXPECT_EQ(unruled.pixels, before.pixels);
}

// Tesseract on a typewritten table whose values touch the rule above them
// and the one on their left (tuning seeds 1 and 7: "J94/09/2917" for
// 04/09/2017, "ột quy" for Đột quỵ).
class RuledCellsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("ruled_cells");
    testing::DrawFixtures("tests/stages/page/make_figure_lines.py", dir_->path());
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Read(bool remove_ruled_lines) {
    const std::filesystem::path file = dir_->path() / "ruled_cells.png";
    OcrOptions options;
    options.remove_ruled_lines = remove_ruled_lines;
    Page page;
    const std::string text = testing::ReadImageWithOcrStage(file, options, &page);
    std::optional<Raster> scanned = LoadRaster(file, 0, 300);
    EXPECT_TRUE(scanned.has_value() && page.raster.pixels == scanned->pixels)
        << "the page itself keeps its rules";
    return text;
  }

  static ScratchDir* dir_;
};
ScratchDir* RuledCellsTest::dir_ = nullptr;

TEST_F(RuledCellsTest, ValuesAgainstTheRulesAreReadWithoutThem) {
  const std::vector<std::string> values = {"Tai nạn giao thông", "Nam", "04/09/2017", "18/02/2025", "Kinh"};
  auto whole = [&](const std::string& text) {
    size_t n = 0;
    for (const std::string& v : values) n += text.find(v) != std::string::npos;
    return n;
  };
  const std::string without = Read(true);
  const std::string with = Read(false);
  EXPECT_GE(whole(without), values.size() - 1) << without;
  EXPECT_LT(whole(with), whole(without))
      << without << "\nthe rules no longer damage the reading: the fixture shows nothing\n"
      << with;
}

}  // namespace
}  // namespace sohoa
