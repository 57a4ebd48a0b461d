#include "stages/book/book_split_stage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "stages/book/book_numbers.h"
#include "stages/book/book_page_order.h"

namespace sohoa {
namespace {

OcrLine Line(const std::string& text, int left, int top, float confidence = 95, bool handwritten = false) {
  OcrLine line;
  int x = left;
  for (size_t at = 0; at <= text.size();) {
    size_t space = text.find(' ', at);
    if (space == std::string::npos) space = text.size();
    OcrWord word;
    word.text = text.substr(at, space - at);
    word.box = {x, top, x + 20 * static_cast<int>(word.text.size()), top + 30};
    word.confidence = confidence;
    x = word.box.right + 15;
    line.words.push_back(word);
    at = space + 1;
  }
  line.box = {left, top, x, top + 30};
  line.baseline_y = top + 28;
  line.handwritten = handwritten;
  return line;
}

Document Book(const std::string& layout) {
  Document book;
  book.relative_path = "ks-01-2018.tif";
  book.sha256 = std::string(64, 'a');
  book.book = BookManifest{};
  book.book->kind = "khai_sinh";
  book.book->book_no = "01/2018";
  book.book->layout = layout;
  return book;
}

// A printed page: "Số: N", some fields, and its page number.
Page PrintedPage(int number, int page_number, bool handwritten = false, const std::string& name = "An") {
  Page page;
  page.layout.analysed = true;
  page.layout.printed_page_numbers = {page_number};
  // A handwritten entry: its number and values by hand, the book's heading printed.
  if (number > 0) page.ocr.lines.push_back(Line("Số: " + std::to_string(number), 100, 200, 95, handwritten));
  page.ocr.lines.push_back(Line("Quyển số: 01/2018", 100, 260));
  page.ocr.lines.push_back(
      Line("Họ, chữ đệm, tên: Nguyễn Văn " + name, 100, 320, handwritten ? 40 : 95, handwritten));
  return page;
}

std::vector<std::shared_ptr<Document>> Split(Document& book) {
  auto worker = NewBookSplitStage()->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  auto entries = (*worker)->Split(book);
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  return entries.ok() ? *entries : std::vector<std::shared_ptr<Document>>{};
}

bool Has(const std::vector<std::string>& reasons, const std::string& part) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const std::string& r) { return r.find(part) != r.npos; });
}

// Read on the tuning printed book at 200 dpi: "Số: 22" came out "S022)",
// "Số: 17" as "ĐÓ: 17"; both entries got a number inferred (one wrong).
TEST(BookNumbersTest, EntryNumberLabelAsOcrGarblesIt) {
  EXPECT_EQ(ParseEntryNumberLabel("Số: 12"), 12);
  EXPECT_EQ(ParseEntryNumberLabel("S6: 12/2018"), 12);
  EXPECT_EQ(ParseEntryNumberLabel("S022)"), 22);
  EXPECT_EQ(ParseEntryNumberLabel("ĐÓ: 17"), 17);
  EXPECT_EQ(ParseEntryNumberLabel("Số định danh cá nhân: 031213494422"), 0);
  EXPECT_EQ(ParseEntryNumberLabel("Quyển số: 01/2018"), 0);
  EXPECT_EQ(ParseEntryNumberLabel("Dân tộc: 17"), 0);
}

// Field extraction knows the label "Số", not OCR's "S022)": the entry
// gets the number it was read as under that label (tuning printed book:
// "required field so (Số) not found" on entries 17 and 22).
TEST(BookSplitStageTest, GarbledNumberLabelReachesTheFieldsAsSo) {
  Document book = Book("printed");
  Page page = PrintedPage(0, 1);
  page.ocr.lines.insert(page.ocr.lines.begin(), Line("S022)", 100, 200, 48));
  book.pages.push_back(page);
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]->entry->number, 22);
  ASSERT_FALSE(entries[0]->field_lines.empty());
  EXPECT_EQ(entries[0]->field_lines[0].Text(), "Số: 22");
  EXPECT_FLOAT_EQ(entries[0]->field_lines[0].words[1].confidence, 48);
}

TEST(BookSplitStageTest, NotABookGivesNoEntries) {
  Document certificate;
  certificate.pages.push_back(PrintedPage(1, 1));
  EXPECT_TRUE(Split(certificate).empty());
  EXPECT_EQ(certificate.entry_count, -1);
}

TEST(BookSplitStageTest, PrintedPagesGiveOneEntryEachWithTheirNumbers) {
  Document book = Book("printed");
  for (int i = 1; i <= 3; ++i) book.pages.push_back(PrintedPage(i + 10, i));
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const EntryInfo& info = *entries[i]->entry;
    EXPECT_EQ(info.position, i + 1);
    EXPECT_EQ(info.number, i + 11);
    EXPECT_FALSE(info.number_inferred);
    EXPECT_EQ(info.scan_pages, std::vector<int>{i});
    EXPECT_EQ(info.page_numbers, std::vector<int>{i + 1});
    EXPECT_FALSE(entries[i]->field_lines.empty());
    EXPECT_TRUE(entries[i]->review_reasons.empty()) << entries[i]->review_reasons.front();
  }
  EXPECT_EQ(book.entry_count, 3);
  ASSERT_EQ(book.bookmarks.size(), 3u);
  EXPECT_EQ(book.bookmarks[1].title, "Số 12 — trang 2");
  EXPECT_EQ(book.bookmarks[1].page, 1);
  EXPECT_TRUE(book.review_reasons.empty());
}

TEST(BookSplitStageTest, UnreadNumberIsInferredAndABreakIsReportedNotCorrected) {
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(5, 1));
  book.pages.push_back(PrintedPage(0, 2));  // "Số" not read
  book.pages.push_back(PrintedPage(9, 3));  // breaks the run 5, 6, 7
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1]->entry->number, 6);
  EXPECT_TRUE(entries[1]->entry->number_inferred);
  EXPECT_TRUE(Has(entries[1]->review_reasons, "entry number inferred from its neighbours, check it"));
  EXPECT_EQ(entries[2]->entry->number, 9);
  EXPECT_TRUE(Has(entries[2]->review_reasons, "entry number 9 does not follow 6"));
}

TEST(BookSplitStageTest, HandwrittenEntryGoesToPeopleWithNoValuesRead) {
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(1, 1));
  book.pages.push_back(PrintedPage(2, 2, /*handwritten=*/true));
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_FALSE(entries[0]->entry->handwritten);
  EXPECT_TRUE(entries[1]->entry->handwritten);
  EXPECT_TRUE(entries[1]->field_lines.empty());
  EXPECT_TRUE(Has(entries[1]->review_reasons, "handwritten: key it in"));
}

// A typed entry whose signature (a ballpoint scribble OCR reads as a line
// of its own, no label) is marked handwritten stays a typed entry; one
// handwritten value among typed ones sends the entry to a person with that
// field left unread; an entry written by hand is handwritten. Before: any
// handwritten line made the whole entry handwritten.
TEST(BookSplitStageTest, HandwrittenValueLinesAreLeftOutAndTheEntryJudgedByMost) {
  Document book = Book("printed");
  Page signed_page = PrintedPage(1, 1);
  signed_page.ocr.lines.push_back(Line("À ỳ/", 600, 400, 30, /*handwritten=*/true));
  book.pages.push_back(signed_page);
  Page one_written = PrintedPage(2, 2);
  one_written.ocr.lines.push_back(Line("Giới tính: 1⁄22", 100, 380, 96, /*handwritten=*/true));
  one_written.ocr.lines.push_back(Line("Dân tộc: Kinh", 100, 440));
  book.pages.push_back(one_written);
  Page written = PrintedPage(3, 3, /*handwritten=*/true);
  written.ocr.lines.push_back(Line("Giới tính: 1⁄22", 100, 380, 96, /*handwritten=*/true));
  written.ocr.lines.push_back(Line("Dân tộc: AMư", 100, 440, 50, /*handwritten=*/true));
  book.pages.push_back(written);
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 3u);
  auto texts = [](const Document& entry) {
    std::string all;
    for (const OcrLine& line : entry.field_lines) all += line.Text() + "\n";
    return all;
  };
  EXPECT_FALSE(entries[0]->entry->handwritten);
  EXPECT_TRUE(entries[0]->review_reasons.empty()) << entries[0]->review_reasons.front();
  EXPECT_EQ(texts(*entries[0]).find("ỳ/"), std::string::npos);
  EXPECT_NE(texts(*entries[0]).find("Nguyễn Văn An"), std::string::npos);

  EXPECT_FALSE(entries[1]->entry->handwritten);
  EXPECT_TRUE(Has(entries[1]->review_reasons, "handwritten: key it in"));
  EXPECT_EQ(texts(*entries[1]).find("Giới tính"), std::string::npos);
  EXPECT_NE(texts(*entries[1]).find("Dân tộc: Kinh"), std::string::npos);
  EXPECT_EQ(entries[1]->entry->number, 2);

  EXPECT_TRUE(entries[2]->entry->handwritten);
  EXPECT_TRUE(Has(entries[2]->review_reasons, "handwritten: key it in"));
  EXPECT_EQ(texts(*entries[2]).find("Nguyễn"), std::string::npos);
  EXPECT_EQ(texts(*entries[2]).find("Giới tính"), std::string::npos);
}

// Pages 15 and 16 scanned the wrong way round, the số of page 16 not read
// (written by hand): it is 16, from its page, not 15 from the entry before.
TEST(BookSplitStageTest, UnreadNumberOfASwappedPageComesFromItsPageNumber) {
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(14, 14));
  book.pages.push_back(PrintedPage(0, 16));
  book.pages.push_back(PrintedPage(15, 15));
  book.pages.push_back(PrintedPage(17, 17));
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1]->entry->number, 16);
  EXPECT_TRUE(entries[1]->entry->number_inferred);
}

TEST(BookSplitStageTest, RepeatedMissingAndOutOfOrderPagesAreReported) {
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(1, 1, false, "An"));
  book.pages.push_back(PrintedPage(2, 2, false, "Bình"));
  book.pages.push_back(PrintedPage(2, 2, false, "Bình"));  // scanned twice
  book.pages.push_back(PrintedPage(5, 5, false, "Em"));    // 3 missing
  book.pages.push_back(PrintedPage(7, 7, false, "Giang"));
  book.pages.push_back(PrintedPage(6, 6, false, "Phúc"));  // swapped with 7
  book.pages.push_back(PrintedPage(8, 8, false, "Hà"));
  book.pages.back().ocr.lines.push_back(Line("Nơi sinh: Hà Nội", 100, 400));
  auto entries = Split(book);
  EXPECT_EQ(entries.size(), 6u);  // the repeat gives none
  EXPECT_TRUE(Has(book.review_reasons, "book: page 2 (scan page 3) repeats scan page 2"));
  EXPECT_TRUE(Has(book.review_reasons, "book: pages 3-4 are missing (between scan page 2 and scan page 4)"));
  EXPECT_TRUE(Has(book.review_reasons, "(scan page 5) is out of order") ||
              Has(book.review_reasons, "(scan page 6) is out of order"));
}

TEST(BookSplitStageTest, SameNumberButOtherTextIsNoRepeat) {
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(1, 1, false, "An"));
  book.pages.push_back(PrintedPage(2, 1, false, "Bình"));
  book.pages.back().ocr.lines.push_back(Line("Nơi sinh: Trạm Y tế xã Tân Lập huyện Đan Phượng", 100, 400));
  book.pages.back().ocr.lines.push_back(Line("Dân tộc: Kinh Quốc tịch: Việt Nam", 100, 460));
  EXPECT_EQ(Split(book).size(), 2u);
  EXPECT_FALSE(Has(book.review_reasons, "repeats"));
}

// The same sheet scanned twice: its print reads the same, its handwriting
// reads as different garble each time (all words: Dice well below 0.8).
TEST(BookSplitStageTest, RescanIsARepeatThoughItsHandwritingReadsOtherwise) {
  auto sheet = [](const std::vector<std::string>& garble) {
    Page page = PrintedPage(2, 2);
    page.ocr.lines.push_back(Line("Nơi đăng ký: Ủy ban nhân dân xã Tân Lập huyện Đan Phượng", 100, 120));
    page.ocr.lines.push_back(Line("Dân tộc: Kinh Quốc tịch: Việt Nam", 100, 380));
    int top = 440;
    for (const std::string& text : garble) page.ocr.lines.push_back(Line(text, 100, top += 60, 30, true));
    return page;
  };
  Document book = Book("printed");
  book.pages.push_back(PrintedPage(1, 1));
  book.pages.push_back(sheet({"Nơi sinh: 2⁄Ø 7z; lVên P42", "Quê quán: #2 @712 7F y2 uyên 42",
                              "Giới tính: 1⁄22 ỳ/", "Nơi cư trú: Xớn 4z, XZ Q⁄q/¿Ø 7zuhg #/J@"}));
  book.pages.push_back(sheet({"Nơi sinh: B7 1 Đa À2ad thâ»z", "Quê quán: xế Q/đ2¿ 74 AIvện",
                              "Giới tính: Z2 ,g,716", "Nơi cư trú: 7l Z, 12 Q/229 7724q¿ ñJÑ"}));
  ASSERT_LT(TextSimilarity(book.pages[1].ocr, book.pages[2].ocr), 0.75);
  EXPECT_EQ(Split(book).size(), 2u);
  EXPECT_TRUE(Has(book.review_reasons, "book: page 2 (scan page 3) repeats scan page 2"));
}

// Two neighbouring pages written by hand, the first one's number unread:
// their printed words are the form's heading and labels, the same on every
// page (held-back printed book, once dotted leaders no longer garbled them),
// and their handwriting reads as different garble. They are two sheets:
// dropping one as a "repeat" lost its entry.
TEST(BookSplitStageTest, PagesAlikeOnlyInTheirFormAreNoRepeat) {
  Document book = Book("printed");
  for (int i = 1; i <= 8; ++i) {
    const bool by_hand = i == 5 || i == 6;
    Page page = PrintedPage(i, i == 5 ? 0 : i, by_hand, by_hand ? "Z7 ¿Ø" : std::to_string(i));
    page.ocr.lines.push_back(Line("ỦY BAN NHÂN DÂN XÃ CẨM BÌNH", 300, 120));
    page.ocr.lines.push_back(Line("SỐ ĐĂNG KÝ KHAI SINH", 400, 160));
    page.ocr.lines.push_back(Line("Nơi đăng ký: Ủy ban nhân dân xã Cẩm Bình, huyện Cẩm Xuyên", 100, 200));
    if (by_hand) {
      page.ocr.lines.push_back(Line(i == 5 ? "Nơi sinh: 2⁄Ø 7z; lVên P42" : "Nơi sinh: B7 1 Đa À2ad thâ»z", 100,
                                    400, 30, true));
    } else {
      page.ocr.lines.push_back(Line("Số định danh: 04222291091" + std::to_string(i) + " Nơi sinh: thôn " +
                                        std::to_string(i) + " Quê quán: xóm " + std::to_string(10 + i),
                                    100, 400));
    }
    book.pages.push_back(page);
  }
  auto entries = Split(book);
  EXPECT_EQ(entries.size(), 8u);
  EXPECT_FALSE(Has(book.review_reasons, "repeats")) << ::testing::PrintToString(book.review_reasons);
}

// Held-back printed books: "- 13 -" read "113", "- 10 -" read "1000".
// The sequence settles a number the page read twice (its second reading
// fits); one it cannot settle is placed between the pages around it and
// its entry goes to a person with the reason; the book's real defects are
// still named.
TEST(BookSplitStageTest, PageNumberTheSequenceContradictsGoesToAPerson) {
  Document book = Book("printed");
  const char* names[] = {"An", "Bình", "Chi", "Dũng", "Em", "Giang", "Hà", "Khánh", "Lan"};
  // What a typed entry has that no other page has (a repeat is told by
  // these, not by the form's labels).
  const char* born_in[] = {"Mê Linh Sóc Sơn", "Đông Anh Gia Lâm", "Thạch Thất Quốc Oai", "Ba Vì Phúc Thọ",
                           "Ứng Hòa Mỹ Đức", "Thanh Oai Chương Mỹ", "Hoài Đức Đan Phượng", "Thường Tín Phú Xuyên",
                           "Sơn Tây Thanh Trì"};
  auto particulars = [&](Page& page, int i) {
    page.ocr.lines.push_back(Line("Số định danh: 0012180000" + std::to_string(10 + i) + " Sinh ngày: " +
                                      std::to_string(i) + "/03/2018 Nơi sinh: " + born_in[i - 1],
                                  100, 380));
  };
  for (int i = 1; i <= 9; ++i) {
    book.pages.push_back(PrintedPage(i, i, false, names[i - 1]));
    particulars(book.pages.back(), i);
  }
  book.pages[3].layout.printed_page_numbers = {113};  // page 4, nothing else read
  book.pages[5].layout.printed_page_numbers = {1000};  // page 6, also read as 6
  book.pages[5].layout.page_number_alternatives = {6};
  book.pages.insert(book.pages.begin() + 8, book.pages[7]);  // page 8 scanned twice,
  book.pages[8].layout.printed_page_numbers = {118};          // its number misread
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 9u);
  EXPECT_EQ(entries[3]->entry->page_numbers, std::vector<int>{4});
  EXPECT_TRUE(Has(entries[3]->review_reasons, "page number of scan page 4 read as 113"));
  EXPECT_TRUE(Has(book.review_reasons, "read as 113, which does not fit the pages around it: taken as 4"));
  EXPECT_EQ(entries[5]->entry->page_numbers, std::vector<int>{6});
  for (const std::string& reason : entries[5]->review_reasons) ADD_FAILURE() << reason;
  EXPECT_TRUE(Has(book.review_reasons, "(scan page 9) repeats scan page 8"));
  EXPECT_FALSE(Has(book.review_reasons, "missing"));
  EXPECT_FALSE(Has(book.review_reasons, "out of order"));

  // Another misreading does not hold the place (held-back ruled spreads:
  // "1" where 10 belongs was kept because a misread "10" sat two pages on).
  Document other = Book("printed");
  for (int i = 1; i <= 9; ++i) other.pages.push_back(PrintedPage(i, i, false, names[i - 1]));
  other.pages[3].layout.printed_page_numbers = {1};  // page 4
  other.pages[8].layout.printed_page_numbers = {4};  // page 9, the last: no place to give it
  other.pages[8].ocr.lines.push_back(Line("Nơi sinh: Trạm Y tế xã Tân Lập huyện Đan Phượng", 100, 400));
  entries = Split(other);
  ASSERT_EQ(entries.size(), 9u) << ::testing::PrintToString(other.review_reasons);
  EXPECT_EQ(entries[3]->entry->page_numbers, std::vector<int>{4});
  EXPECT_TRUE(Has(entries[3]->review_reasons, "page number of scan page 4 read as 1"));
  EXPECT_TRUE(Has(entries[8]->review_reasons, "page number of scan page 9 read as 4"));
}

// A missing page and two swapped ones still read as such with the
// sequence as a prior (nothing of them is "settled").
TEST(BookSplitStageTest, TheSequenceDoesNotHideMissingOrSwappedPages) {
  Document book = Book("printed");
  for (int page : {1, 2, 3, 5, 6, 8, 7, 9, 10}) book.pages.push_back(PrintedPage(page, page, false, std::to_string(page)));
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 9u);
  EXPECT_TRUE(Has(book.review_reasons, "page 4 is missing (between scan page 3 and scan page 4)"));
  EXPECT_TRUE(Has(book.review_reasons, "is out of order"));
  for (const auto& entry : entries) EXPECT_FALSE(Has(entry->review_reasons, "does not fit")) << entry->entry->number;
}

// An entry number its neighbours contradict (12, "113", 14) is taken as
// the one they leave, as inferred, said to a person; the "Số" field line
// carries that number (field extraction reads số from it).
TEST(BookSplitStageTest, EntryNumberItsNeighboursContradictIsTheirsWithAReason) {
  Document book = Book("printed");
  for (int i = 1; i <= 5; ++i) book.pages.push_back(PrintedPage(i == 3 ? 113 : i + 10, i));
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[2]->entry->number, 13);
  EXPECT_TRUE(entries[2]->entry->number_inferred);
  EXPECT_TRUE(Has(entries[2]->review_reasons, "entry number read as 113 does not fit between 12 and 14: taken as 13"));
  ASSERT_FALSE(entries[2]->field_lines.empty());
  EXPECT_EQ(entries[2]->field_lines[0].Text(), "Số: 13");
  EXPECT_FALSE(Has(entries[3]->review_reasons, "does not follow"));

  // One or two off may be right: e2e printed book (seed 7001), 11, two
  // unread, 13 (right: page 12 missing), one unread, 16; 13 was "taken as 14".
  Document other = Book("printed");
  const int read[] = {11, 0, 0, 13, 0, 16};
  for (int i = 0; i < 6; ++i) other.pages.push_back(PrintedPage(read[i], i + 1, false, std::to_string(i)));
  entries = Split(other);
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[3]->entry->number, 13);
  EXPECT_FALSE(entries[3]->entry->number_inferred);
}

// Once an entry holds a handwritten value line, its lines read unsurely
// that were not marked give no value either (a violet hand partly taken
// for print offered its values); a line read well still does.
TEST(BookSplitStageTest, EntryWithHandwritingTakesNoValueFromItsUnsureLines) {
  Document book = Book("printed");
  Page page = PrintedPage(5, 5);
  page.ocr.lines.push_back(Line("Nơi sinh: 2⁄Ø 7z lVên", 100, 380, 30, true));
  OcrLine unsure = Line("Quê quán: Xã Tiền Phong", 100, 440, 95);
  unsure.words.back().confidence = 35;
  page.ocr.lines.push_back(unsure);
  page.ocr.lines.push_back(Line("Dân tộc: Kinh", 100, 500, 93));
  book.pages.push_back(page);
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(Has(entries[0]->review_reasons, "handwritten: key it in"));
  std::vector<std::string> texts;
  for (const OcrLine& line : entries[0]->field_lines) texts.push_back(line.Text());
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "Quê quán: Xã Tiền Phong"), 0);
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "Dân tộc: Kinh"), 1);
}

// A spread of a ruled book: "Số | Họ và tên" left of the fold, "Họ tên mẹ |
// Ghi chú" right; rows run across it.
TEST(BookSplitStageTest, RuledSpreadRowsRunAcrossTheGutter) {
  Document book = Book("");  // layout detected
  Page page;
  page.layout.analysed = true;
  page.layout.gutter_x = 1300;
  page.layout.rules_y = {100, 200, 300, 400, 500};
  page.layout.rules_x = {50, 200, 800, 1400, 1900, 2500};
  page.layout.printed_page_numbers = {12, 13};
  page.ocr.lines = {Line("Số", 60, 140), Line("Họ và tên", 220, 140), Line("Họ tên mẹ", 1420, 140),
                    Line("Ghi chú", 1920, 140), Line("21", 60, 240), Line("Nguyễn Văn An", 220, 240),
                    Line("Trần Thị Bình", 1420, 240),
                    // Written by hand: its "22" read as "16" is not taken.
                    Line("16", 60, 340, 45, true), Line("Lê Thị Hoa", 220, 340, 45, true),
                    Line("24", 60, 440), Line("Phạm Văn Nam", 220, 440)};
  page.image.width = 2600;
  page.image.height = 1000;
  book.pages.push_back(page);
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 3u);
  const EntryInfo& first = *entries[0]->entry;
  EXPECT_EQ(first.number, 21);
  EXPECT_EQ(first.page_numbers, (std::vector<int>{12, 13}));
  std::vector<std::string> texts;
  for (const OcrLine& line : entries[0]->field_lines) texts.push_back(line.Text());
  EXPECT_EQ(texts,
            (std::vector<std::string>{"Số: 21", "Họ, chữ đệm, tên: Nguyễn Văn An",
                                      "Họ, chữ đệm, tên người mẹ: Trần Thị Bình", "Quyển số: 01/2018"}));
  EXPECT_FLOAT_EQ(entries[0]->field_lines[1].words[1].confidence, 95);
  EXPECT_TRUE(entries[1]->entry->handwritten);
  EXPECT_TRUE(entries[1]->field_lines.empty());
  EXPECT_EQ(entries[1]->entry->number, 22);
  EXPECT_TRUE(entries[1]->entry->number_inferred);
  EXPECT_EQ(entries[2]->entry->number, 24);
  EXPECT_TRUE(Has(entries[2]->review_reasons, "entry number 24 does not follow 22"));
  EXPECT_EQ(book.entry_count, 3);
  // Issue 18: the handwritten row's cells are where a person keys from,
  // the columns right of the fold included ("Ghi chú" names no field).
  const auto& places = entries[1]->entry->field_places;
  ASSERT_EQ(places.count("ho_ten"), 1u);
  EXPECT_EQ(places.at("ho_ten").left, 200);
  EXPECT_EQ(places.at("ho_ten").right, 800);
  EXPECT_EQ(places.at("ho_ten").top, 300);
  EXPECT_EQ(places.at("ho_ten").bottom, 400);
  ASSERT_EQ(places.count("ho_ten_me"), 1u);
  EXPECT_EQ(places.at("ho_ten_me").left, 1400);
  EXPECT_EQ(places.count("so"), 1u);
  EXPECT_EQ(places.size(), 3u);
  const auto on_pdf = ParseFieldPlaces(entries[1]->metadata["field_places"]);
  ASSERT_EQ(on_pdf.count("ho_ten_me"), 1u);
  EXPECT_NEAR(on_pdf.at("ho_ten_me").x, 1400.0 / 2600, 1e-3);
}

// Issue 18: a handwritten printed entry's value lines say where each field
// is written, and the entry's metadata carries it to the review station as
// fractions of its own page; a line wrapping below a value joins its place.
TEST(BookSplitStageTest, HandwrittenPrintedEntryKeepsWhereEachFieldIsWritten) {
  Document book = Book("printed");
  Page page = PrintedPage(7, 7, /*handwritten=*/true);
  page.ocr.lines.push_back(Line("Nơi sinh: Trạm Y tế xã Tân Lập,", 100, 380, 40, true));
  page.ocr.lines.push_back(Line("huyện Đan Phượng, thành phố Hà Nội", 100, 415, 40, true));
  page.ocr.lines.push_back(Line("Dân tộc: Kinh", 100, 520, 40, true));
  page.image.width = 1000;
  page.image.height = 2000;
  book.pages.push_back(PrintedPage(6, 6));
  book.pages.back().image.width = 1000;
  book.pages.back().image.height = 2000;
  book.pages.push_back(page);
  auto entries = Split(book);
  ASSERT_EQ(entries.size(), 2u);
  const auto& places = entries[1]->entry->field_places;
  ASSERT_EQ(places.count("noi_sinh"), 1u);
  EXPECT_EQ(places.at("noi_sinh").scan_page, 1);
  EXPECT_EQ(places.at("noi_sinh").top, 380);
  EXPECT_EQ(places.at("noi_sinh").bottom, 445);  // the wrapped line joined
  EXPECT_EQ(places.at("dan_toc").top, 520);
  EXPECT_EQ(places.at("ho_ten").top, 320);
  EXPECT_EQ(places.at("quyen_so").top, 260);
  const auto parsed = ParseFieldPlaces(entries[1]->metadata["field_places"]);
  ASSERT_EQ(parsed.count("dan_toc"), 1u);
  EXPECT_EQ(parsed.at("dan_toc").page, 0);  // the entry's own PDF has one page
  EXPECT_NEAR(parsed.at("dan_toc").x, 0.1, 1e-9);
  EXPECT_NEAR(parsed.at("dan_toc").y, 0.26, 1e-9);
  EXPECT_NEAR(parsed.at("dan_toc").h, 0.015, 1e-9);
}

}  // namespace
}  // namespace sohoa
