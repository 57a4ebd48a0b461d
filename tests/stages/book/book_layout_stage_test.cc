#include "stages/book/book_layout_stage.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "build_paths.h"
#include "stages/book/book_numbers.h"
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
    testing::DrawFixtures("tests/stages/book/make_book_pages.py", dir_->path());
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

TEST(BookLayoutStageTest, OnPagesOfOtherDocumentsFindsOnlyTheRulings) {
  Page page = DrawnPage(1200, 1600, [](cv::Mat& m) { cv::line(m, {100, 300}, {1100, 300}, 0, 3); });
  Document certificate;  // no manifest: not a book
  auto worker = NewBookLayoutStage()->NewWorker();
  ASSERT_TRUE(worker.ok());
  ASSERT_TRUE((*worker)->Process(certificate, page).ok());
  EXPECT_FALSE(page.layout.analysed);
  ASSERT_EQ(page.layout.rules_y.size(), 1u);  // for field extraction's table rows
  EXPECT_TRUE(page.layout.rules_x.empty());
  EXPECT_TRUE(page.layout.printed_page_numbers.empty());
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

// A certificate's table (issue 14, stages/fields/table_rows.h): its rows'
// rulings span more than half the page, its column rulings only the
// table's height; the motto's short underline is no ruling.
TEST(BookLayoutStageTest, FindsACertificatesTableOnAPageThatIsNoBook) {
  Page page = DrawnPage(1654, 2339, [](cv::Mat& m) {
    cv::line(m, {620, 200}, {1030, 200}, 20, 3);  // under "Độc lập - Tự do - Hạnh phúc"
    for (int i = 0; i <= 11; ++i) cv::line(m, {150, 600 + 100 * i}, {1500, 600 + 100 * i}, 20, 3);
    for (int x : {150, 620, 1500}) cv::line(m, {x, 600}, {x, 1700}, 20, 3);
  });
  ASSERT_TRUE(FindPageRulings(page).ok());
  EXPECT_FALSE(page.layout.analysed);
  ASSERT_EQ(page.layout.rules_y.size(), 12u);
  EXPECT_NEAR(page.layout.rules_y.front(), 600, 3);
  ASSERT_EQ(page.layout.rules_x.size(), 3u);
  EXPECT_NEAR(page.layout.rules_x[1], 620, 3);
}

// An OCR word over the box [left, right) x [top, bottom) of a drawn page.
OcrWord WordAt(const std::string& text, int left, int top, int right, int bottom, float confidence) {
  OcrWord word;
  word.text = text;
  word.box = {left, top, right, bottom};
  word.confidence = confidence;
  return word;
}

OcrLine LineOf(std::vector<OcrWord> words) {
  OcrLine line;
  line.words = std::move(words);
  line.box = line.words.front().box;
  for (const OcrWord& w : line.words) {
    line.box.left = std::min(line.box.left, w.box.left);
    line.box.right = std::max(line.box.right, w.box.right);
  }
  line.baseline_y = line.box.bottom;
  return line;
}

// The cases measured on generated books (tuning printed book: 26 of 27
// typed entries were marked handwritten): a lone "Số: 1" or a stray ":"
// Tesseract reads with low confidence is print, and a long printed label
// beside a short ballpoint value ("Quan hệ với người được khai sinh: Mẹ",
// the label read well) is handwriting.
TEST(BookLayoutStageTest, JudgesHandwritingByTheInkNotByALowConfidence) {
  Page page;
  page.raster.Allocate(1600, 600, PixelKind::kRgb);
  page.raster.dpi_x = page.raster.dpi_y = 200;
  cv::Mat mat(600, 1600, CV_8UC3, page.raster.pixels.data());
  mat.setTo(cv::Scalar(238, 228, 200));  // yellowed paper (RGB)
  const cv::Scalar black(30, 30, 30), blue(30, 50, 150), red(215, 40, 45);
  cv::putText(mat, "So: 1", {100, 100}, cv::FONT_HERSHEY_SIMPLEX, 1.2, black, 3);
  cv::putText(mat, "Quan he voi nguoi duoc khai sinh:", {100, 250}, cv::FONT_HERSHEY_SIMPLEX, 1.2, black, 3);
  cv::putText(mat, "Me", {770, 250}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, blue, 3);
  cv::putText(mat, "Dan toc: Kinh", {100, 400}, cv::FONT_HERSHEY_SIMPLEX, 1.2, black, 3);
  cv::circle(mat, {260, 390}, 60, red, 5);  // a stamp over print
  page.ocr.lines.push_back(LineOf({WordAt("SỐ:", 95, 70, 170, 105, 40), WordAt("1", 180, 70, 210, 105, 45)}));
  page.ocr.lines.push_back(LineOf({WordAt("Quan", 95, 215, 190, 255, 96), WordAt("hệ", 195, 215, 250, 255, 96),
                                   WordAt("với", 255, 215, 330, 255, 96), WordAt("người", 335, 215, 460, 255, 96),
                                   WordAt("được", 465, 215, 570, 255, 96), WordAt("khai", 575, 215, 660, 255, 96),
                                   WordAt("sinh:", 665, 215, 760, 255, 96), WordAt("ỳ/", 765, 215, 840, 255, 30)}));
  page.ocr.lines.push_back(LineOf({WordAt("Dân", 95, 365, 170, 405, 50), WordAt("tộc:", 175, 365, 260, 405, 45),
                                   WordAt("Kinh", 265, 365, 360, 405, 60)}));
  auto cues = MeasureHandwriting({}, page);
  ASSERT_TRUE(cues.ok());
  EXPECT_NEAR((*cues)[0].pen_share, 0, 0.02);
  // Little of the line's ink is blue ("Quan hệ với người được khai sinh:
  // 4⁄2, z" measured 0.06), but the written word is mostly blue.
  EXPECT_GT((*cues)[1].pen_share, 0.03);
  EXPECT_LT((*cues)[1].pen_share, 0.25);  // the bar before
  EXPECT_EQ((*cues)[1].pen_words, 1);
  EXPECT_EQ((*cues)[0].pen_words + (*cues)[2].pen_words, 0);
  EXPECT_NEAR((*cues)[2].pen_share, 0, 0.02);  // red is no ballpoint
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_FALSE(page.ocr.lines[0].handwritten);
  EXPECT_TRUE(page.ocr.lines[1].handwritten);
  EXPECT_FALSE(page.ocr.lines[2].handwritten);  // low confidence under a stamp, but black ink
}

// Without colour only the weak cues are left, on lines of three words or
// more: a line mostly read with low confidence is handwriting, a lone
// low-confidence character is not.
TEST(BookLayoutStageTest, GrayPageFallsBackOnConfidenceForLongLinesOnly) {
  Page page = DrawnPage(1600, 400, [](cv::Mat& m) {
    cv::putText(m, "Ho ten: Nguyen Van An", {100, 100}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, 30, 3);
    cv::putText(m, "Y", {100, 300}, cv::FONT_HERSHEY_SIMPLEX, 1.2, 30, 3);
  });
  page.ocr.lines.push_back(LineOf({WordAt("Họ", 95, 65, 150, 105, 90), WordAt("tên:", 155, 65, 250, 105, 80),
                                   WordAt("ngvgen", 255, 65, 400, 105, 30), WordAt("Vcm", 405, 65, 480, 105, 35),
                                   WordAt("Am", 485, 65, 540, 105, 20)}));
  page.ocr.lines.push_back(LineOf({WordAt("Ỷ", 95, 265, 130, 305, 0)}));
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_TRUE(page.ocr.lines[0].handwritten);
  EXPECT_FALSE(page.ocr.lines[1].handwritten);
}

// A pen whose ink passes for print (blue-black on a gray scan here: no
// colour at all) on lines Tesseract reads with a high confidence: its value
// reads as garble no typed value gives ("lJŸ 1w", "7# GŒD s#f 620%"), so the
// line is handwriting. Typed values are not, even misread or glued to the
// dots of a dotted line ("ngày..30..", "Ấp £U"), nor a lone odd token.
TEST(BookLayoutStageTest, AValueReadAsGarbleIsHandwritingWhateverItsInk) {
  Page page = DrawnPage(1600, 700, [](cv::Mat& m) {
    for (int y : {100, 200, 300, 400, 500, 600}) cv::putText(m, "Ho ten cha", {100, y}, cv::FONT_HERSHEY_SIMPLEX, 1.2, 30, 3);
  });
  auto line = [](int top, const std::vector<std::string>& words) {
    std::vector<OcrWord> placed;
    int left = 100;
    for (const std::string& w : words) {
      placed.push_back(WordAt(w, left, top, left + 120, top + 40, 95));
      left += 130;
    }
    return LineOf(placed);
  };
  page.ocr.lines.push_back(line(65, {"Họ", "tên", "cha:", "lJŸ", "1w", "ĐỨC"}));
  page.ocr.lines.push_back(line(165, {"Giấy", "tờ:", "7#", "GŒD", "s#f.2942", "620%"}));
  page.ocr.lines.push_back(line(265, {"Sinh", "ngày:", "ngày..30..", "tháng..19..", "năm..2021"}));
  page.ocr.lines.push_back(line(365, {"Nơi", "cư", "trú:", "Ấp", "£U", "xã", "Ea", "Kao"}));
  page.ocr.lines.push_back(line(465, {"Số", "định", "danh:", "6622/91", "Z6"}));
  page.ocr.lines.push_back(line(565, {"Quyển", "số:", "02/2020", "Tr.", "12"}));
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  const std::vector<bool> expected = {true, true, false, false, false, false};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(page.ocr.lines[i].handwritten, expected[i]) << page.ocr.lines[i].Text();
  }
}

// A lone digit is dropped by Tesseract's page layout: the page number "8"
// in a ruled page's corner (tuning ruled spreads: 15 of 16 halves had none
// read) and a "3" in the table's number column read as "K)". Both are read
// again mark by mark.
TEST(BookLayoutStageTest, RereadsALoneDigitInTheCornerAndInTheNumberColumn) {
  auto draw = [](cv::Mat& m) {
    for (int i = 0; i <= 5; ++i) cv::line(m, {100, 300 + 200 * i}, {1550, 300 + 200 * i}, 20, 3);
    for (int x : {100, 300, 900, 1550}) cv::line(m, {x, 300}, {x, 1300}, 20, 3);
    cv::putText(m, "So", {130, 380}, cv::FONT_HERSHEY_SIMPLEX, 1.2, 20, 3);
    cv::putText(m, "Ho va ten", {330, 380}, cv::FONT_HERSHEY_SIMPLEX, 1.2, 20, 3);
    const char* numbers[] = {"1", "2", "3", "4"};
    for (int r = 0; r < 4; ++r) {
      cv::putText(m, numbers[r], {130, 580 + 200 * r}, cv::FONT_HERSHEY_COMPLEX, 1.0, 20, 2);
      cv::putText(m, "Nguyen Van An", {330, 580 + 200 * r}, cv::FONT_HERSHEY_SIMPLEX, 1.2, 20, 3);
    }
    cv::putText(m, "8", {110, 2250}, cv::FONT_HERSHEY_COMPLEX, 1.2, 20, 2);
  };
  auto ocr = [](Page& page) {
    page.ocr.lines.clear();
    const char* read[] = {"1", "2", "K)", "4"};
    for (int r = 0; r < 4; ++r) {
      page.ocr.lines.push_back(LineOf({WordAt(read[r], 125, 550 + 200 * r, 160, 585 + 200 * r, 80)}));
    }
  };
  Page page = DrawnPage(1654, 2339, draw);
  ocr(page);
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());  // the page's OCR alone
  EXPECT_EQ(page.layout.printed_page_numbers, std::vector<int>{0});

  auto reader = NewPageNumberReader();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  page = DrawnPage(1654, 2339, draw);
  ocr(page);
  ASSERT_TRUE(AnalyseBookPage({}, page, reader->get()).ok());
  EXPECT_EQ(page.layout.printed_page_numbers, std::vector<int>{8});
  std::vector<std::string> texts;
  for (const OcrLine& line : page.ocr.lines) texts.push_back(line.Text());
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(BookNumbersTest, PageNumberForms) {
  EXPECT_EQ(ParsePageNumber("12"), 12);
  EXPECT_EQ(ParsePageNumber("- 12 -"), 12);
  EXPECT_EQ(ParsePageNumber("(12)"), 12);
  EXPECT_EQ(ParsePageNumber("Trang 12"), 12);
  EXPECT_EQ(ParsePageNumber("Trang số: 12"), 12);
  EXPECT_EQ(ParsePageNumber("Tr. 12"), 12);
  EXPECT_EQ(ParsePageNumber("Quyển số: 01/2018   Trang số: 12"), 12);
  EXPECT_EQ(ParsePageNumber("Quyển số: 01/2018"), 0);
  EXPECT_EQ(ParsePageNumber("Trường"), 0);
}

// A pen is told by its colour against the paper, whatever the pen: a light
// violet ballpoint on yellowed paper (held-back books: raw chroma about 30,
// below the blue-ballpoint test's 40, so half its lines passed for print)
// and a green one are writing; black print, its gray edges and a red
// stamp are not.
TEST(BookLayoutStageTest, TellsAnyPenFromPrintByItsColourAgainstThePaper) {
  Page page;
  page.raster.Allocate(1600, 700, PixelKind::kRgb);
  page.raster.dpi_x = page.raster.dpi_y = 200;
  cv::Mat mat(700, 1600, CV_8UC3, page.raster.pixels.data());
  mat.setTo(cv::Scalar(229, 220, 203));  // yellowed paper (RGB)
  const cv::Scalar black(40, 38, 35), violet(125, 92, 130), green(70, 130, 80), red(215, 40, 45);
  cv::putText(mat, "Ho va ten:", {100, 100}, cv::FONT_HERSHEY_SIMPLEX, 1.2, black, 3);
  cv::putText(mat, "Ly Thuy Uyen", {420, 100}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, violet, 2);
  cv::putText(mat, "Dan toc: Kinh", {100, 300}, cv::FONT_HERSHEY_SIMPLEX, 1.2, black, 3);
  cv::circle(mat, {260, 290}, 60, red, 5);  // a stamp over print
  cv::putText(mat, "Nguyen Van Binh", {100, 500}, cv::FONT_HERSHEY_SCRIPT_SIMPLEX, 1.4, green, 2);
  cv::GaussianBlur(mat, mat, {3, 3}, 0.8);  // the scan's softness: strokes' edges blend with the paper
  page.ocr.lines.push_back(LineOf({WordAt("Họ", 95, 65, 150, 105, 96), WordAt("và", 155, 65, 210, 105, 96),
                                   WordAt("tên:", 215, 65, 320, 105, 96), WordAt("Ly", 415, 60, 480, 110, 70),
                                   WordAt("Thuy", 485, 60, 600, 110, 70), WordAt("Uyen", 605, 60, 720, 110, 70)}));
  page.ocr.lines.push_back(LineOf({WordAt("Dân", 95, 265, 170, 305, 50), WordAt("tộc:", 175, 265, 260, 305, 45),
                                   WordAt("Kinh", 265, 265, 360, 305, 60)}));
  page.ocr.lines.push_back(LineOf({WordAt("Nguyen", 95, 460, 260, 510, 70), WordAt("Van", 265, 460, 350, 510, 70),
                                   WordAt("Binh", 355, 460, 460, 510, 70)}));
  auto cues = MeasureHandwriting({}, page);
  ASSERT_TRUE(cues.ok());
  EXPECT_EQ((*cues)[0].pen_words, 3);
  EXPECT_NEAR((*cues)[1].pen_share, 0, 0.02);
  EXPECT_GT((*cues)[2].pen_share, 0.5);
  ASSERT_TRUE(AnalyseBookPage({}, page).ok());
  EXPECT_TRUE(page.ocr.lines[0].handwritten);
  EXPECT_FALSE(page.ocr.lines[1].handwritten);
  EXPECT_TRUE(page.ocr.lines[2].handwritten);
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

// "- 2 -" alone at the top right, "Quyển số" and the heading under it, the
// number dropped by the page's OCR (as on held-back printed books, where
// yellowed paper and specks made Tesseract's layout drop it): read again,
// Tesseract's line mode read the dashed mark as nothing (with the "Quyển
// số" line in its crop, and even alone); the mark is read on its own, its
// dashes left out.
TEST_F(BookPagesTest, ReadsADashedPageNumberAboveAHeading) {
  Page page = ReadPage("dashed_number.png");
  std::erase_if(page.ocr.lines, [](const OcrLine& line) { return ParsePageNumber(line.Text()) == 2; });
  ASSERT_FALSE(page.ocr.lines.empty());
  auto reader = NewPageNumberReader();
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE(AnalyseBookPage({}, page, reader->get()).ok());
  EXPECT_EQ(page.layout.printed_page_numbers, std::vector<int>{2});
}

}  // namespace
}  // namespace sohoa
