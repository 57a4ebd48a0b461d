// `sohoa report`'s register-book figures (issue 17): per register kind and
// year, books scanned, entries found, archived / in review / keyed, and the
// pace — from book and entry records in a real SQLite ledger, recorded as
// the contract (README "Register books") says.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "build_paths.h"
#include "pipeline/core/sha256.h"
#include "pipeline/report/report.h"
#include "tests/support/register_books.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::Quote;
using testing::RunCommand;
using testing::ScratchDir;
using testing::TestBook;
using testing::TestEntry;

TestEntry Entry(int position, const std::string& status, const std::string& reviewed_by = "") {
  TestEntry e;
  e.position = position;
  e.entry_no = std::to_string(position);
  e.page_no = std::to_string(position);
  e.scan_page = position;
  e.status = status;
  e.reviewed_by = reviewed_by;
  return e;
}

class ReportBooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = OpenSqliteLedger(path_.string());
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
    TestBook births;  // 01/2018: its year from the book number
    births.sha256 = Sha256Hex("births 2018");
    births.entries = {Entry(1, "archived"), Entry(2, "archived", "clerk1"), Entry(3, "review"),
                      Entry(4, "archived")};
    testing::RecordBook(*ledger_, &births);
    TestBook old_births;  // no book number: its year from year_from
    old_births.sha256 = Sha256Hex("births 1998");
    old_births.source = "so/ks-cu.tif";
    old_births.book_no = "";
    old_births.year_from = 1998;
    old_births.entries = {Entry(1, "quarantined"), Entry(2, "review")};
    testing::RecordBook(*ledger_, &old_births);
    TestBook marriages;
    marriages.sha256 = Sha256Hex("marriages 2019");
    marriages.source = "so/kh-01-2019.tif";
    marriages.kind = "ket_hon";
    marriages.book_no = "01/2019";
    marriages.entries = {Entry(1, "archived")};
    testing::RecordBook(*ledger_, &marriages);
    // A loose certificate is no book and no entry.
    LedgerRecord loose;
    loose.sha256 = Sha256Hex("a certificate");
    loose.source = "giay/ks-1.tif";
    loose.status = "archived";
    loose.run_id = "run-books";
    loose.details_json = R"({"metadata":{"doc_type":"khai_sinh"}})";
    testing::RecordTestRecord(*ledger_, loose);
    // The 2018 book's entries were recorded over two working days.
    spread_ = {{births.entries[0].sha256, "2024-03-04T09:00:00Z"},
               {births.entries[1].sha256, "2024-03-04T10:00:00Z"},
               {births.entries[2].sha256, "2024-03-06T08:00:00Z"},
               {births.entries[3].sha256, "2024-03-06T09:00:00Z"}};
    ledger_.reset();
    for (const auto& [sha, at] : spread_) {
      auto r =
          RunCommand("sqlite3 " + Quote(path_.string()) + " " +
                     Quote("UPDATE inputs SET updated_at='" + at + "' WHERE sha256='" + sha + "'") + " 2>&1");
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    ledger = OpenSqliteLedger(path_.string());
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
  }

  ScratchDir dir_{"report-books"};
  std::filesystem::path path_ = dir_ / "ledger.sqlite";
  std::unique_ptr<Ledger> ledger_;
  std::map<std::string, std::string> spread_;
};

TEST_F(ReportBooksTest, CountsBooksAndEntriesPerKindAndYear) {
  Report report;
  ASSERT_TRUE(CountRegisterBooks(*ledger_, &report).ok());
  ASSERT_EQ(report.registers.size(), 3u);
  const RegisterBookRow& b2018 = report.registers.at({"khai_sinh", 2018});
  EXPECT_EQ(b2018.books, 1);
  EXPECT_EQ(b2018.entries, 4);
  EXPECT_EQ(b2018.archived, 3);
  EXPECT_EQ(b2018.review, 1);
  EXPECT_EQ(b2018.quarantined, 0);
  EXPECT_EQ(b2018.keyed, 1);
  EXPECT_EQ(b2018.days, 2);
  EXPECT_DOUBLE_EQ(b2018.entries_per_day, 2.0);
  EXPECT_EQ(b2018.first_day, "2024-03-04");
  EXPECT_EQ(b2018.last_day, "2024-03-06");
  const RegisterBookRow& b1998 =
      report.registers.at({"khai_sinh", 1998});  // year_from: no YYYY in the number
  EXPECT_EQ(b1998.books, 1);
  EXPECT_EQ(b1998.entries, 2);
  EXPECT_EQ(b1998.quarantined, 1);
  EXPECT_EQ(b1998.review, 1);
  EXPECT_EQ(b1998.archived, 0);
  const RegisterBookRow& kh = report.registers.at({"ket_hon", 2019});
  EXPECT_EQ(kh.books, 1);
  EXPECT_EQ(kh.entries, 1);
  EXPECT_EQ(kh.archived, 1);
}

TEST_F(ReportBooksTest, TextAndJsonCarryTheFigures) {
  Report report;
  report.as_of = "2024-03-07";
  ASSERT_TRUE(CountRegisterBooks(*ledger_, &report).ok());
  std::ostringstream text, en, json;
  WriteReportText(report, ReportLang::kVi, text);
  WriteReportText(report, ReportLang::kEn, en);
  WriteReportJson(report, json);
  EXPECT_NE(text.str().find("Sổ hộ tịch"), std::string::npos) << text.str();
  EXPECT_NE(en.str().find("1 books, 4 entries: 3 archived (1 keyed by a person), 1 in review, 0 quarantined; "
                          "2.0 entries/day (2 days)"),
            std::string::npos)
      << en.str();
  const nlohmann::json j = nlohmann::json::parse(json.str());
  ASSERT_EQ(j["registers"].size(), 3u);
  EXPECT_EQ(j["registers"][0]["kind"], "ket_hon");
  EXPECT_EQ(j["registers"][1]["year"], 1998);
  EXPECT_EQ(j["registers"][2]["entries_per_day"], 2.0);
  ScratchDir dir("report-books-json");
  testing::WriteFile(dir / "report.json", json.str());
  auto check =
      RunCommand("/usr/bin/python3 -c " +
                 Quote("import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                       "json.load(open(sys.argv[2])))") +
                 " " + Quote((dir / "report.json").string()) + " " +
                 Quote(std::string(SOHOA_SOURCE_DIR) + "/schemas/report.schema.json") + " 2>&1");
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(ReportBooksTest, TheCommandReportsBooksWithoutARegister) {
  ledger_.reset();
  auto r = RunCommand(testing::BinaryPath("sohoa").string() + " report --archive " +
                      Quote(dir_.path().string()) + " --lang en --as-of 2024-03-07 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Register books"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4 entries"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sohoa
