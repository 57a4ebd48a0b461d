// A certificate's ruled table read row by row (issue 14): wrapped labels
// and values, as Tesseract gives them on the tuning layouts' typewritten
// tables, meet again on one line.
#include "stages/fields/table_rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sohoa {
namespace {

// An OCR line of `words`, each 20 px high at `top`, from x = `left` on,
// 100 px a word.
OcrLine LineAt(int left, int top, const std::vector<std::string>& words) {
  OcrLine line;
  int x = left;
  for (const std::string& text : words) {
    OcrWord word;
    word.text = text;
    word.box = {x, top, x + 90, top + 20};
    word.confidence = 90;
    line.words.push_back(word);
    x += 100;
  }
  line.box = {left, top, x - 10, top + 20};
  line.baseline_y = top + 16;
  return line;
}

std::vector<std::string> Texts(const std::vector<OcrLine>& lines) {
  std::vector<std::string> texts;
  for (const OcrLine& line : lines) texts.push_back(line.Text());
  return texts;
}

// A two-column table from x 100 to 1500 (label column to 600), rows 50 px
// apart from y 300, the third row twice as tall (a value wrapped).
Page TablePage() {
  Page page;
  page.layout.rules_y = {300, 350, 400, 500, 550};
  page.layout.rules_x = {100, 600, 1500};
  return page;
}

TEST(TableRowsTest, AWrappedLabelAndAWrappedValueMeetOnTheirRowsLine) {
  Page page = TablePage();
  page.ocr.lines = {
      LineAt(200, 100, {"GIẤY", "KHAI", "SINH"}),  // above the table: as read
      LineAt(110, 315, {"Giới", "tính"}),          // label and value read apart
      LineAt(610, 315, {"Nam"}),
      // Tesseract gave the value's wrapped line first, and the label's
      // second line ("cha") after the value.
      LineAt(610, 465, {"Thành,", "tỉnh", "Bến", "Tre"}),
      LineAt(110, 410, {"Họ,", "tên", "người"}),
      LineAt(610, 410, {"xã", "Tam", "Hiệp,", "huyện", "Châu"}),
      LineAt(110, 440, {"cha"}),
      LineAt(110, 515, {"Dân", "tộc:"}),  // a colon of its own
      LineAt(610, 515, {"Kinh"}),
  };
  const std::optional<std::vector<OcrLine>> lines = LinesWithTableRows(page);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(Texts(*lines), (std::vector<std::string>{
                               "GIẤY KHAI SINH",
                               "Giới tính: Nam",
                               "Họ, tên người cha: xã Tam Hiệp, huyện Châu Thành, tỉnh Bến Tre",
                               "Dân tộc: Kinh",
                           }));
  // The row's words keep their boxes and confidences.
  EXPECT_EQ((*lines)[1].words.back().box.left, 610);
  EXPECT_EQ((*lines)[1].words.back().confidence, 90);
}

// Tesseract split one printed line of a label into pieces, the first a few
// pixels lower than the others (tuning seed 1: "Họ," then "chữ đệm, tên
// người", which by their tops came out "chữ đệm, tên người Họ,"), and read
// a speck between two lines of the label as a ":" of its own (seed 2).
TEST(TableRowsTest, PiecesOfOnePrintedLineAreReadLeftToRightAndASpeckLast) {
  Page page = TablePage();
  page.ocr.lines = {
      LineAt(210, 413, {"chữ", "đệm,", "tên", "người"}),
      LineAt(110, 416, {"Họ,"}),
      LineAt(610, 410, {"BÙI", "THỊ", "MAI"}),
      LineAt(150, 436, {":"}),
      LineAt(110, 442, {"mẹ"}),
  };
  page.ocr.lines[3].words[0].box = page.ocr.lines[3].box = {150, 436, 154, 439};
  const std::optional<std::vector<OcrLine>> lines = LinesWithTableRows(page);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(Texts(*lines), (std::vector<std::string>{"Họ, chữ đệm, tên người mẹ : BÙI THỊ MAI"}));
}

TEST(TableRowsTest, ALineAcrossTheTablesEdgeKeepsItsWordsOutside) {
  Page page = TablePage();
  page.ocr.lines = {LineAt(1310, 315, {"Nam", "xx", "yy"}), LineAt(110, 315, {"Giới", "tính"})};
  // "Nam" and "xx" lie in the value cell, "yy" (centre 1555) outside.
  const std::optional<std::vector<OcrLine>> lines = LinesWithTableRows(page);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(Texts(*lines), (std::vector<std::string>{"yy", "Giới tính: Nam xx"}));
}

// Rulings lost under a seal: a band four usual rows tall holds several
// rows, whose lines are kept as Tesseract read them.
TEST(TableRowsTest, ABandOfSeveralRowsKeepsItsOwnLines) {
  Page page;
  page.layout.rules_y = {300, 350, 400, 450, 650};
  page.layout.rules_x = {100, 600, 1500};
  page.ocr.lines = {LineAt(110, 315, {"Giới", "tính"}),    LineAt(610, 315, {"Nam"}),
                    LineAt(110, 365, {"Dân", "tộc"}),      LineAt(610, 365, {"Kinh"}),
                    LineAt(110, 470, {"Năm", "sinh:"}),    LineAt(610, 470, {"1990"}),
                    LineAt(110, 560, {"Nơi", "cư", "trú"})};
  const std::optional<std::vector<OcrLine>> lines = LinesWithTableRows(page);
  ASSERT_TRUE(lines.has_value());
  EXPECT_EQ(Texts(*lines),
            (std::vector<std::string>{"Giới tính: Nam", "Dân tộc: Kinh", "Năm sinh:", "1990", "Nơi cư trú"}));
}

TEST(TableRowsTest, APageWithoutATableIsReadAsItIs) {
  Page page;
  page.ocr.lines = {LineAt(110, 315, {"Giới", "tính:", "Nam"})};
  EXPECT_FALSE(LinesWithTableRows(page).has_value());
  page.layout.rules_y = {300, 350, 400};
  page.layout.rules_x = {100, 1500};  // one column: a box, not a table of labels and values
  EXPECT_FALSE(LinesWithTableRows(page).has_value());
  page.layout.rules_x = {100, 600, 1500};
  page.ocr.lines = {LineAt(110, 915, {"Giới", "tính:", "Nam"})};  // no word inside it
  EXPECT_FALSE(LinesWithTableRows(page).has_value());
}

}  // namespace
}  // namespace sohoa
