// End to end (issue 18): a generated ruled register book written entirely by
// hand, read by the built `sohoa run`, must leave in the ledger where each of
// its entries' fields is written (the entry metadata "field_places"), so the
// keying station can show that part of the page beside the field's input.
//
// Seed 18 gives a book of five rows a page: its header band (17 mm of column
// titles) is under two fifths of a row, which the table reader once took for
// a doubled ruling; the first handwritten row then became the header, no
// column named a field and the station said "position not known".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "build_paths.h"
#include "pipeline/core/book.h"
#include "pipeline/ledger/ledger.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Quote;
using testing::RunCommand;

// The columns of the generator's tuning ruled book (RULED_TUNING in
// scripts/samples_lib/book_render.py): the left page's, then the facing
// right page's.
const std::vector<std::string> kLeftColumns = {"so", "ngay_dang_ky", "ho_ten", "ngay_sinh", "gioi_tinh"};
const std::vector<std::string> kRightColumns = {"dan_toc", "quoc_tich", "noi_sinh", "ho_ten_me", "ho_ten_cha"};

TEST(EntryPlacesTest, EveryEntryOfAHandwrittenRuledBookKnowsWhereEachFieldIsWritten) {
  testing::ScratchDir dir("e2e-entry-places");
  const fs::path generated = dir / "generated", input = dir / "input", archive = dir / "archive";
  // Two scan pages: one left page and its facing right page, 200 dpi.
  const testing::CommandResult made = RunCommand(
      "/usr/bin/python3 " + Quote(SOHOA_SOURCE_DIR "/scripts/make_books.py") + " --out " +
      Quote(generated.string()) +
      " --seed 18 --pages 2 --layout ruled --handwritten 1.0 --dpi 200 --name ruled 2>&1");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  fs::create_directories(input);
  for (const std::string suffix : {".tif", ".tif.book.json"})
    fs::copy_file(generated / ("ruled" + suffix), input / ("ruled" + suffix));
  std::ifstream truth_file(generated / "ruled.truth.json");
  const nlohmann::json truth = nlohmann::json::parse(truth_file);
  ASSERT_EQ(truth["rows_per_page"], 5) << "the seed no longer gives the five-row page this test is about";

  const testing::CommandResult run =
      RunCommand(Quote(BinaryPath("sohoa").string()) + " run --deterministic --jobs 2 --ui-lang en --input " +
                 Quote(input.string()) + " --archive " + Quote(archive.string()) + " 2>&1");
  ASSERT_EQ(run.exit_code, 3) << "handwritten entries go to review\n" << run.output;

  auto ledger = OpenSqliteLedger((archive / "ledger.sqlite").string());
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  std::map<int, nlohmann::json> entries;  // book position -> metadata
  ASSERT_TRUE((*ledger)
                  ->ForEachRecord([&](const LedgerRecord& r) {
                    const nlohmann::json details = nlohmann::json::parse(r.details_json);
                    const nlohmann::json metadata = details.value("metadata", nlohmann::json::object());
                    if (metadata.value("record_kind", "") != "register_entry") return;
                    entries[std::stoi(metadata.value("entry_position", "0"))] = metadata;
                  })
                  .ok());
  // The book's entries come first, in row order: the first row is an
  // entry, not the header. (This book's seal, stamped across an empty row
  // of the right page, makes one record more: known, not this test's
  // subject.)
  const int written = static_cast<int>(truth["entries"].size());
  ASSERT_GE(static_cast<int>(entries.size()), written) << run.output;

  std::map<std::string, double> last_top;  // per column: the row above's top
  for (int position = 1; position <= written; ++position) {
    SCOPED_TRACE("entry " + std::to_string(position));
    ASSERT_EQ(entries.count(position), 1u);
    const nlohmann::json& metadata = entries[position];
    EXPECT_EQ(metadata.value("scan_pages", ""), "1,2");  // the row runs on over the facing page
    const std::map<std::string, EntryFieldPlace> places = ParseFieldPlaces(metadata.value("field_places", ""));
    for (int page : {0, 1}) {
      for (const std::string& key : page == 0 ? kLeftColumns : kRightColumns) {
        const auto at = places.find(key);
        ASSERT_NE(at, places.end()) << key << " has no place: " << metadata.value("field_places", "");
        const EntryFieldPlace& p = at->second;
        EXPECT_EQ(p.page, page) << key;
        // A cell of a row: a strip of the table, below the rows above it.
        EXPECT_GT(p.w, 0.05) << key;
        EXPECT_GT(p.h, 0.05) << key;
        EXPECT_LT(p.h, 0.25) << key;
        EXPECT_GT(p.y, 0.15) << key;  // below the book's heading and the column titles
        if (position == 1) {
          EXPECT_LT(p.y, 0.25) << key;  // the first row, right under the titles
        }
        if (last_top.count(key)) {
          EXPECT_GT(p.y, last_top[key] + 0.05) << key;
        }
        last_top[key] = p.y;
      }
    }
  }
}

}  // namespace
}  // namespace sohoa
