#include "stages/page/letter_reread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::LoadRaster;
using testing::ScratchDir;

TEST(LetterWordTest, WordsWithALetterAndNoDigitAreCandidates) {
  EXPECT_TRUE(IsLetterWord("NGUYỄN"));
  EXPECT_TRUE(IsLetterWord("Kinh;"));
  EXPECT_FALSE(IsLetterWord("68/TLKT"));  // a number with its symbol
  EXPECT_FALSE(IsLetterWord("14/08/2024"));  // figures: the figure reader's
  EXPECT_FALSE(IsLetterWord(":"));
  EXPECT_FALSE(IsLetterWord(""));
}

TEST(LetterWordTest, KeysCompareLettersAndCaseNotTheirWrapping) {
  EXPECT_EQ(LetterKey("“NGUYỄN,"), "NGUYỄN");
  EXPECT_EQ(LetterKey("|Kinh;"), "Kinh");
  EXPECT_EQ(LetterKey("CƯỜNG."), "CƯỜNG");
  EXPECT_NE(LetterKey("Làm"), LetterKey("làm"));  // case is part of a name
  EXPECT_NE(LetterKey("CƯỞNG"), LetterKey("CƯỜNG"));
}

// A label and a name in capitals drawn by make_figure_lines.py, and where
// each word of the name is.
class LetterRereadTest : public ::testing::Test {
 protected:
  struct Word {
    std::string text;
    Box box;
  };

  static void SetUpTestSuite() {
    dir_ = new ScratchDir("name_line");
    testing::DrawFixtures("tests/stages/page/make_figure_lines.py", dir_->path());
    std::ifstream in(dir_->path() / "name_line.json");
    for (const auto& item : nlohmann::json::parse(in)) {
      const auto& b = item["box"];
      words_->push_back({item["text"], {b[0], b[1], b[2], b[3]}});
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    words_->clear();
  }

  // The name's line as a first reader might have read it: `texts` in the
  // drawn words' boxes, each at `confidence`.
  static OcrResult NameReadAs(const std::vector<std::string>& texts, float confidence) {
    OcrResult ocr;
    OcrLine line;
    for (size_t i = 0; i < texts.size() && i < words_->size(); ++i) {
      line.words.push_back({.text = texts[i], .box = (*words_)[i].box, .confidence = confidence});
    }
    ocr.lines.push_back(line);
    return ocr;
  }

  static std::optional<Raster> Page() { return LoadRaster(dir_->path() / "name_line.png", 0, 200); }

  static std::unique_ptr<TesseractEngine> Reader() {
    auto reader = NewLetterReader("");
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  static ScratchDir* dir_;
  static std::vector<Word>* words_;
};

ScratchDir* LetterRereadTest::dir_ = nullptr;
std::vector<LetterRereadTest::Word>* LetterRereadTest::words_ = new std::vector<LetterRereadTest::Word>;

TEST_F(LetterRereadTest, AgreementRaisesAnUnsureNameButNotPastTheCap) {
  std::optional<Raster> raster = Page();
  ASSERT_TRUE(raster.has_value());
  ASSERT_EQ(words_->size(), 3u);
  OcrResult ocr = NameReadAs({"NGUYỄN", "HỮU", "CƯỜNG"}, 30);
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  int reread = 0;
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, ocr, &reread).ok());
  EXPECT_EQ(reread, 1);  // the three words are one run, read as one line
  for (const OcrWord& word : ocr.lines[0].words) {
    EXPECT_GT(word.confidence, 80) << word.text;  // past the gate's bar for names
    EXPECT_LE(word.confidence, LetterRereadOptions{}.agreed_confidence) << word.text;
    EXPECT_TRUE(word.other_reading.empty()) << word.text;
  }
}

// A wrong mark read at a confidence that passes: the second reader's word
// is kept beside it, and the dissent does not lower it (see the header).
TEST_F(LetterRereadTest, ADisagreementIsRecordedNotCounted) {
  std::optional<Raster> raster = Page();
  ASSERT_TRUE(raster.has_value());
  OcrResult ocr = NameReadAs({"NGUYỄN", "HỮU", "CƯỞNG"}, 85);
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, ocr, nullptr).ok());
  const OcrWord& last = ocr.lines[0].words[2];
  EXPECT_EQ(last.text, "CƯỞNG");  // the first reading stays the word's text
  EXPECT_EQ(LetterKey(last.other_reading), "CƯỜNG");
  EXPECT_EQ(last.confidence, 85);
  EXPECT_GE(ocr.lines[0].words[0].confidence, 85);  // the agreeing words may rise
  EXPECT_TRUE(ocr.lines[0].words[0].other_reading.empty());
}

// Not even on an ordinary word ("mươi" read "mười" held dates back).
TEST_F(LetterRereadTest, ADissentOnALowerCaseWordIsOnlyRecorded) {
  std::optional<Raster> raster = Page();
  ASSERT_TRUE(raster.has_value());
  OcrResult ocr = NameReadAs({"nguyễn", "hữu", "cưởng"}, 85);  // the capitals read as small letters
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, ocr, nullptr).ok());
  for (const OcrWord& word : ocr.lines[0].words) {
    EXPECT_FALSE(word.other_reading.empty()) << word.text;  // read otherwise...
    EXPECT_EQ(word.confidence, 85) << word.text;            // ...and not held back for it
  }
}

TEST_F(LetterRereadTest, SureWordsFiguresAndHandwritingAreLeftAlone) {
  std::optional<Raster> raster = Page();
  ASSERT_TRUE(raster.has_value());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  OcrResult sure = NameReadAs({"NGUYỄN", "HỮU", "CƯỞNG"}, 96);
  OcrResult figures = NameReadAs({"12/03/2020"}, 20);
  OcrResult handwritten = NameReadAs({"NGUYỄN", "HỮU", "CƯỞNG"}, 20);
  handwritten.lines[0].handwritten = true;
  for (OcrResult* ocr : {&sure, &figures, &handwritten}) {
    int reread = -1;
    ASSERT_TRUE(RereadLetters({}, *raster, *reader, *ocr, &reread).ok());
    EXPECT_EQ(reread, 0);
    EXPECT_TRUE(ocr->lines[0].words[0].other_reading.empty());
  }
  EXPECT_EQ(sure.lines[0].words[2].confidence, 96);
  EXPECT_EQ(handwritten.lines[0].words[2].confidence, 20);
}

// On a page with a title, the header (lines above the title and the
// title's own) is not read again unless a line holds a figure; lines below
// the title are (LetterRereadOptions::find_title).
TEST_F(LetterRereadTest, TheHeaderDownToTheTitleIsLeftAloneUnlessItHoldsAFigure) {
  std::optional<Raster> raster = Page();
  ASSERT_TRUE(raster.has_value());
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto name_line = [] {
    OcrResult ocr = NameReadAs({"NGUYỄN", "HỮU", "CƯỜNG"}, 30);
    OcrLine& line = ocr.lines[0];
    line.box = line.words.front().box;
    for (const OcrWord& w : line.words) {
      line.box.top = std::min(line.box.top, w.box.top);
      line.box.right = std::max(line.box.right, w.box.right);
      line.box.bottom = std::max(line.box.bottom, w.box.bottom);
    }
    return ocr;
  };
  // The name's line is the title's line: left as read.
  OcrResult on_title = name_line();
  int reread = -1;
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, on_title, &reread, /*title_line=*/0).ok());
  EXPECT_EQ(reread, 0);
  EXPECT_EQ(on_title.lines[0].words[0].confidence, 30);
  // The same line under a title: read again.
  OcrResult below = name_line();
  OcrLine title;
  title.box = {below.lines[0].box.left, below.lines[0].box.top - 60, below.lines[0].box.right,
               below.lines[0].box.top - 20};
  title.words.push_back({.text = "GIẤY", .box = title.box, .confidence = 96});
  below.lines.push_back(title);
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, below, &reread, /*title_line=*/1).ok());
  EXPECT_EQ(reread, 1);
  EXPECT_GT(below.lines[0].words[0].confidence, 30);
  // A header line with a figure (the place-and-date line): read again.
  OcrResult dated = name_line();
  OcrWord year{.text = "2020", .box = dated.lines[0].box, .confidence = 96};
  year.box.left = year.box.right + 10;
  year.box.right += 60;
  dated.lines[0].words.push_back(year);
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, dated, &reread, /*title_line=*/0).ok());
  EXPECT_EQ(reread, 1);
  // No title known: every line.
  OcrResult unknown = name_line();
  ASSERT_TRUE(RereadLetters({}, *raster, *reader, unknown, &reread, /*title_line=*/-1).ok());
  EXPECT_EQ(reread, 1);
  EXPECT_TRUE(AnyNeedsLetterReading({}, unknown));
  EXPECT_FALSE(AnyNeedsLetterReading({}, name_line(), /*title_line=*/0));
}

TEST(LetterReaderTest, AMissingModelNamesItsPackage) {
  ScratchDir empty("no_tessdata");
  auto reader = NewLetterReader(empty.path().string());
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().ToString().find(kLetterReaderPackage), std::string::npos)
      << reader.status().ToString();
}

}  // namespace
}  // namespace sohoa
