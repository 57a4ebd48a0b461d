// Issue 17: what a register book's manifest may say, and the keys its
// entries are recorded under.
#include "pipeline/core/book.h"

#include <gtest/gtest.h>

#include "pipeline/core/document.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {
using testing::ScratchDir;
using testing::WriteFile;

TEST(BookManifestTest, ReadsEveryKeyAndRefusesWhatIsWrongNamingTheFile) {
  ScratchDir dir("book_manifest");
  WriteFile(dir / "ok.json",
            R"({"kind": "khai_sinh", "book_no": "01/2018", "year_from": 2018, "year_to": 2019,
                "commune": "Xã Tân Lập", "layout": "ruled", "first_page_number": 3})");
  StatusOr<BookManifest> ok = ReadBookManifest((dir / "ok.json").string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->kind, "khai_sinh");
  EXPECT_EQ(ok->book_no, "01/2018");
  EXPECT_EQ(ok->year_to, 2019);
  EXPECT_EQ(ok->commune, "Xã Tân Lập");
  EXPECT_EQ(ok->layout, "ruled");
  EXPECT_EQ(ok->first_page_number, 3);
  const std::map<std::string, std::string> bad = {
      {"no_kind.json", R"({"book_no": "01/2018"})"},
      {"kind.json", R"({"kind": "Khai sinh"})"},
      {"book_no.json", R"({"kind": "khai_sinh", "book_no": "2018"})"},
      {"layout.json", R"({"kind": "khai_sinh", "layout": "table"})"},
      {"years.json", R"({"kind": "khai_sinh", "year_from": 2019, "year_to": 2018})"},
      {"year_text.json", R"({"kind": "khai_sinh", "year_from": "2018"})"},
      {"not_json.json", "kind = khai_sinh"},
      {"big.json", std::string(70 * 1024, ' ') + "{}"},
  };
  for (const auto& [name, text] : bad) {
    WriteFile(dir / name, text);
    StatusOr<BookManifest> m = ReadBookManifest((dir / name).string());
    ASSERT_FALSE(m.ok()) << name;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidInput) << name;
    EXPECT_NE(m.status().message().find(name), std::string::npos) << m.status().message();
  }
}

TEST(BookManifestTest, ABookListGivesEachRowItsManifestOrItsOwnProblem) {
  ScratchDir dir("book_list");
  WriteFile(dir / "books.csv",
            "file,kind,book_no,year_from,commune\n"
            "ks-2018.tif,khai_sinh,01/2018,2018,\"Xã Tân Lập, huyện X\"\n"
            "kh.tif,ket hon,02/2009,,\n"
            ",khai_tu,,,\n");
  StatusOr<std::vector<BookListRow>> rows = ReadBookList((dir / "books.csv").string());
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_TRUE((*rows)[0].status.ok());
  EXPECT_EQ((*rows)[0].file, "ks-2018.tif");
  EXPECT_EQ((*rows)[0].manifest.year_from, 2018);
  EXPECT_EQ((*rows)[0].manifest.commune, "Xã Tân Lập, huyện X");
  EXPECT_NE((*rows)[1].status.message().find("books.csv:3"), std::string::npos)
      << (*rows)[1].status.message();
  EXPECT_NE((*rows)[2].status.message().find("names no file"), std::string::npos);
  WriteFile(dir / "headless.csv", "ks.tif,khai_sinh\n");
  EXPECT_FALSE(ReadBookList((dir / "headless.csv").string()).ok());
}

TEST(BookEntryTest, KeysDependOnTheBookAndThePlaceNotOnWhatWasRead) {
  const std::string book = std::string(64, 'a');
  EXPECT_EQ(EntryKey(book, 3, 0), EntryKey(book, 3, 0));
  EXPECT_NE(EntryKey(book, 3, 0), EntryKey(book, 3, 1));
  EXPECT_NE(EntryKey(book, 3, 0), EntryKey(book, 4, 0));
  EXPECT_NE(EntryKey(book, 3, 0), EntryKey(std::string(64, 'b'), 3, 0));
  EXPECT_EQ(EntryKey(book, 3, 0).size(), 64u);
  EXPECT_EQ(PageNumbersText({12}), "12");
  EXPECT_EQ(PageNumbersText({12, 13}), "12-13");
  EXPECT_EQ(PageNumbersText({0, 7}), "7");
  EXPECT_EQ(PageNumbersText({}), "");
}

TEST(BookEntryTest, AnEntryDocumentCopiesItsPagesAndSaysWhereItComesFrom) {
  Document book;
  book.sha256 = std::string(64, 'c');
  book.relative_path = "so/ks.tif";
  book.staging_dir = "/tmp/staging";
  BookManifest manifest;
  manifest.kind = "khai_sinh";
  manifest.book_no = "01/2018";
  book.book = manifest;
  book.pages.resize(4);
  for (int i = 0; i < 4; ++i) {
    book.pages[i].index = i;
    book.pages[i].image.data = {static_cast<uint8_t>(i)};
  }
  EntryInfo info;
  info.position = 5;
  info.number = 12;
  info.scan_pages = {2, 3};
  info.page_numbers = {12, 13};
  std::shared_ptr<Document> entry = NewEntryDocument(book, info, 1);
  EXPECT_EQ(entry->sha256, EntryKey(book.sha256, 2, 1));
  EXPECT_EQ(entry->relative_path, "so/ks.tif#page3.2");
  ASSERT_EQ(entry->page_count(), 2);
  EXPECT_EQ(entry->pages[0].index, 0);
  EXPECT_EQ(entry->pages[1].image.data, std::vector<uint8_t>{3});
  EXPECT_TRUE(entry->is_entry());
  EXPECT_FALSE(entry->is_book());
  EXPECT_EQ(entry->metadata["doc_type_declared"], "khai_sinh");
  EXPECT_EQ(entry->metadata["entry_no"], "12");
  EXPECT_EQ(entry->metadata["page_no"], "12-13");
  EXPECT_EQ(entry->metadata["scan_pages"], "3,4");
  EXPECT_EQ(entry->metadata["book_no"], "01/2018");
}

// Issue 18: where fields are written travels in the entry's metadata; what
// the ledger gives back is read defensively (a bad part is skipped, never a crash).
TEST(BookEntryTest, FieldPlacesRoundTripAndBadPartsAreSkipped) {
  std::map<std::string, EntryFieldPlace> places = {{"ho_ten", {0, 0.084, 0.212, 0.83, 0.031}},
                                                   {"noi_sinh", {1, 0.5, 0.5, 0.25, 0.125}}};
  const std::string text = FieldPlacesText(places);
  EXPECT_EQ(text, "ho_ten@1:84,212,830,31;noi_sinh@2:500,500,250,125");
  auto back = ParseFieldPlaces(text + ";bad;x@0:1,2,3,4;Y@1:1,2,3,4;so@1:1,2,3");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back["noi_sinh"].page, 1);
  EXPECT_DOUBLE_EQ(back["noi_sinh"].w, 0.25);
  EXPECT_TRUE(ParseFieldPlaces("").empty());
  EXPECT_TRUE(ParseFieldPlaces(std::string(100000, ';')).empty());
}

}  // namespace
}  // namespace sohoa
