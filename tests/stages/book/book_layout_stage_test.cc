#include "stages/book/book_layout_stage.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

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

Document Book() {
  Document book;
  book.book = BookManifest{};
  book.book->kind = "khai_sinh";
  return book;
}

// A gray page drawn with OpenCV: paper, and what `draw` puts on it.
Page DrawnPage(int width, int height, const std::function<void(cv::Mat&)>& draw) {
  Page page;
  page.raster.Allocate(width, height, PixelKind::kGray);
  page.raster.dpi_x = page.raster.dpi_y = 200;
  cv::Mat mat(height, width, CV_8UC1, page.raster.pixels.data());
  mat.setTo(235);
  draw(mat);
  return page;
}

// The fixture pages (tests/stages/book/make_book_pages.py), OCRed by the
// real OCR stage.
class BookPagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("book_pages");
    const auto result = RunCommand("/usr/bin/python3 " +
                                   Quote(std::string(SOHOA_SOURCE_DIR) + "/tests/stages/book/make_book_pages.py") +
                                   " " + Quote(dir_->path().string()));
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  static void TearDownTestSuite() { delete dir_; }

  static Page ReadPage(const std::string& name) {
    Page page;
    std::optional<Raster> raster = LoadRaster(dir_->path() / name, 0, 200);
    EXPECT_TRUE(raster.has_value());
    if (!raster) return page;
    page.raster = std::move(*raster);
    auto worker = NewOcrStage({})->NewWorker();
    EXPECT_TRUE(worker.ok()) << worker.status().ToString();
    Document book = Book();
    Status status = (*worker)->Process(book, page);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return page;
  }

  static ScratchDir* dir_;
};
ScratchDir* BookPagesTest::dir_ = nullptr;

TEST(BookLayoutStageTest, LeavesPagesOfOtherDocumentsAlone) {
  Page page = DrawnPage(1200, 1600, [](cv::Mat& m) { cv::line(m, {100, 300}, {1100, 300}, 0, 3); });
  Document certificate;  // no manifest: not a book
  auto worker = NewBookLayoutStage()->NewWorker();
  ASSERT_TRUE(worker.ok());
  ASSERT_TRUE((*worker)->Process(certificate, page).ok());
  EXPECT_FALSE(page.layout.analysed);
  Document book = Book();
  ASSERT_TRUE((*worker)->Process(book, page).ok());
  EXPECT_TRUE(page.layout.analysed);
  ASSERT_EQ(page.layout.rules_y.size(), 1u);
  EXPECT_NEAR(page.layout.rules_y[0], 300, 2);
}

TEST(BookLayoutStageTest, FindsTheRulingsOfATableButNotTextOrDottedLines) {
  Page page = DrawnPage(1654, 2339, [](cv::Mat& m) {
    for (int i = 0; i <= 10; ++i) cv::line(m, {100, 300 + 150 * i}, {1550, 300 + 150 * i}, 20, 3);
    for (int x : {100, 300, 900, 1550}) cv::line(m, {x, 300}, {x, 1800}, 20, 3);
    for (int x = 100; x < 1500; x += 16) cv::circle(m, {x, 2000}, 2, 20, -1);  // a dotted line
    cv::putText(m, "Ho va ten: Nguyen Van An", {120, 2200}, cv::FONT_HERSHEY_SIMPLEX, 2.0, 20, 4);
  });
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  ASSERT_EQ(page.layout.rules_y.size(), 11u);
  for (int i = 0; i <= 10; ++i) EXPECT_NEAR(page.layout.rules_y[i], 300 + 150 * i, 3);
  ASSERT_EQ(page.layout.rules_x.size(), 4u);
  EXPECT_NEAR(page.layout.rules_x[1], 300, 3);
  EXPECT_EQ(page.layout.gutter_x, -1);  // portrait: one page
}

TEST(BookLayoutStageTest, FindsTheFoldOfASpreadByItsShadow) {
  Page page = DrawnPage(3000, 2000, [](cv::Mat& m) {
    for (int dx = -40; dx <= 40; ++dx) cv::line(m, {1620 + dx, 0}, {1620 + dx, 1999}, 235 - 3 * (40 - std::abs(dx)));
    cv::line(m, {100, 400}, {1400, 400}, 20, 3);
  });
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_NEAR(page.layout.gutter_x, 1620, 15);
  // The shadow is paper to the local threshold, not a ruling.
  EXPECT_TRUE(page.layout.rules_x.empty());
}

TEST(BookLayoutStageTest, FindsTheFoldOfASpreadBetweenTwoTables) {
  Page page = DrawnPage(3000, 2000, [](cv::Mat& m) {
    for (auto [from, to] : {std::pair{100, 1380}, std::pair{1560, 2900}}) {
      for (int i = 0; i <= 8; ++i) cv::line(m, {from, 200 + 180 * i}, {to, 200 + 180 * i}, 20, 3);
      for (int x : {from, (from + to) / 2, to}) cv::line(m, {x, 200}, {x, 1640}, 20, 3);
    }
  });
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_GT(page.layout.gutter_x, 1385);
  EXPECT_LT(page.layout.gutter_x, 1555);
  EXPECT_EQ(page.layout.rules_y.size(), 9u);  // each ruling of the two halves once
  EXPECT_EQ(page.layout.rules_x.size(), 6u);
}

TEST_F(BookPagesTest, ReadsBothPageNumbersOfASpreadAndMarksTheBallpointRow) {
  Page page = ReadPage("ruled_spread.png");
  ASSERT_FALSE(page.ocr.lines.empty());
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_NEAR(page.layout.gutter_x, 1300, 20);
  EXPECT_EQ(page.layout.rules_y.size(), 10u);
  EXPECT_EQ(page.layout.rules_x.size(), 7u);
  EXPECT_EQ(page.layout.printed_page_numbers, (std::vector<int>{12, 13}));
  int blue = 0, black = 0;
  for (const OcrLine& line : page.ocr.lines) {
    const std::string text = line.Text();
    const bool written = text.find("Hoa") != std::string::npos || text.find("Lan") != std::string::npos;
    const bool printed = text.find("An") != std::string::npos || text.find("Minh") != std::string::npos ||
                         text.find("Mai") != std::string::npos;
    if (written) {
      ++blue;
      EXPECT_TRUE(line.handwritten) << text;
    } else if (printed) {
      ++black;
      EXPECT_FALSE(line.handwritten) << text;
    }
  }
  EXPECT_GE(blue, 2);
  EXPECT_GE(black, 3);
}

TEST_F(BookPagesTest, ReadsTheLabelledPageNumberOfAPrintedPage) {
  Page page = ReadPage("printed_page.png");
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_EQ(page.layout.gutter_x, -1);
  EXPECT_EQ(page.layout.printed_page_numbers, std::vector<int>{7});
  for (const OcrLine& line : page.ocr.lines) EXPECT_FALSE(line.handwritten) << line.Text();
}

}  // namespace
}  // namespace sohoa
