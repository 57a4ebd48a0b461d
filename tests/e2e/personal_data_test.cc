// End to end (issue 20): names, personal IDs and birth dates stay out of
// everything an operator or auditor reads — the run's log (JSON Lines here;
// run_test checks the human one), the metrics file, `sohoa status`, `sohoa
// report` in every format and language, `verify`, `ledger check`, the
// register import's output and its errors, and `handover`'s own output (its
// zip is data and holds them by design). The values come from the
// generators' truth files: the sample batch and a small register book, run
// together. The ledger, the export and the review station keep them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "build_paths.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

std::string Sohoa(const std::string& args) { return Quote(BinaryPath("sohoa").string()) + " " + args; }

class PersonalDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("e2e-personal");
    outputs_ = new std::vector<std::pair<std::string, std::string>>();
    values_ = new std::set<std::string>();
    const fs::path input = dir_->path() / "input", generated = dir_->path() / "generated";
    const fs::path archive = dir_->path() / "archive", metrics = dir_->path() / "metrics.prom";
    // The sample batch and one small printed register book (3 entries).
    fs::create_directories(input);
    fs::copy(SamplesDir() / "scans", input, fs::copy_options::recursive);
    const testing::CommandResult made =
        RunCommand("/usr/bin/python3 " + Quote(SOHOA_SOURCE_DIR "/scripts/make_books.py") + " --out " +
                   Quote(generated.string()) +
                   " --dpi 200 --jobs 1 --seed 7101 --pages 3 --layout printed --name book 2>&1");
    made_ok_ = made.exit_code == 0;
    for (const std::string suffix : {".tif", ".tif.book.json"})
      if (fs::exists(generated / ("book" + suffix)))
        fs::copy_file(generated / ("book" + suffix), input / ("book" + suffix));

    std::ifstream samples(SamplesDir() / "truth.json");
    for (const auto& entry : nlohmann::json::parse(samples))
      values_->merge(testing::PersonalValues(entry["fields"]));
    std::ifstream book(generated / "book.truth.json");
    if (book.good())
      for (const auto& entry : nlohmann::json::parse(book)["entries"])
        values_->merge(testing::PersonalValues(entry["fields"]));

    const std::string at = " --archive " + Quote(archive.string());
    auto keep = [](const std::string& what, const testing::CommandResult& r) {
      outputs_->emplace_back(what + " (exit " + std::to_string(r.exit_code) + ")", r.output);
    };
    keep("run --log-format json", RunCommand(Sohoa("run --input " + Quote(input.string()) + at +
                                                   " --jobs 2 --log-format json --metrics-file " +
                                                   Quote(metrics.string()) + " 2>&1")));
    outputs_->emplace_back("the metrics file", ReadFile(metrics));
    keep("status", RunCommand(Sohoa("status" + at + " 2>&1")));
    // Before the register is imported nothing is matched to it.
    keep("report --inventory before the import",
         RunCommand(Sohoa("report" + at + " --ui-lang en --inventory " +
                          Quote((SamplesDir() / "inventory.csv").string()) + " 2>&1")));
    keep("inventory import", RunCommand(Sohoa("inventory import" + at + " " +
                                              Quote((SamplesDir() / "inventory.csv").string()) + " 2>&1")));
    // A register with mistyped rows: the rejects name line and column.
    std::string bad_csv = "record_id,doc_type,number,book,issue_date,holder_id,valid\n";
    int bad_rows = 0;
    for (const std::string& v : *values_)
      if (v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos)
        bad_csv += "BAD" + std::to_string(++bad_rows) + ",khai_sinh,1,01/2020,2020-01-01," + v + "9,true\n";
    testing::WriteFile(dir_->path() / "bad.csv", bad_csv);
    keep("inventory import of bad rows",
         RunCommand(
             Sohoa("inventory import" + at + " " + Quote((dir_->path() / "bad.csv").string()) + " 2>&1")));
    for (const std::string format : {"text", "json", "csv", "html"})
      for (const std::string lang : {"vi", "en"})
        keep("report --format " + format + " --ui-lang " + lang,
             RunCommand(Sohoa("report" + at + " --format " + format + " --ui-lang " + lang + " 2>&1")));
    keep("verify", RunCommand(Sohoa("verify" + at + " 2>&1")));
    keep("ledger check", RunCommand(Sohoa("ledger check" + at + " 2>&1")));
    keep("handover", RunCommand(Sohoa("handover" + at + " --book book.tif" + " --out " +
                                      Quote((dir_->path() / "handover").string()) + " --purpose " +
                                      Quote("bàn giao kiểm thử") + " 2>&1")));
  }
  static void TearDownTestSuite() {
    delete values_;
    delete outputs_;
    delete dir_;
  }
  static ScratchDir* dir_;
  static std::vector<std::pair<std::string, std::string>>* outputs_;
  static std::set<std::string>* values_;
  static bool made_ok_;
};
ScratchDir* PersonalDataTest::dir_;
std::vector<std::pair<std::string, std::string>>* PersonalDataTest::outputs_;
std::set<std::string>* PersonalDataTest::values_;
bool PersonalDataTest::made_ok_;

// The checks below would pass on empty outputs: first, the commands did
// their work.
TEST_F(PersonalDataTest, EveryCommandRanAndSaidSomething) {
  ASSERT_TRUE(made_ok_) << "make_books.py failed";
  EXPECT_GT(values_->size(), 60u);  // 11 documents and 3 entries, several persons each
  for (const auto& [what, output] : *outputs_) EXPECT_FALSE(output.empty()) << what;
  const auto& run = outputs_->front().second;
  EXPECT_NE(run.find("\"reason\""), std::string::npos) << "no document went to review: nothing was tested\n"
                                                       << run;
  EXPECT_NE(run.find("book.tif"), std::string::npos) << run;
  EXPECT_NE(outputs_->at(1).second.find("sohoa_documents"), std::string::npos) << outputs_->at(1).second;
  for (const auto& [what, output] : *outputs_)
    if (what.rfind("handover", 0) == 0) EXPECT_NE(what.find("(exit 0)"), std::string::npos) << output;
}

// `report --inventory FILE` on a register never imported: nothing was
// matched to it, and the report says so and why instead of a bare 0%.
TEST_F(PersonalDataTest, ReportOfAnUnimportedRegisterSaysWhyNothingIsMatched) {
  for (const auto& [what, output] : *outputs_) {
    if (what.rfind("report --inventory", 0) != 0) continue;
    EXPECT_NE(what.find("(exit 0)"), std::string::npos) << output;
    EXPECT_TRUE(
        std::regex_search(output, std::regex("[1-9][0-9]* archived documents match no record of this "
                                             "register: documents are matched to a register when it is "
                                             "imported with `sohoa inventory import`")))
        << output;
    return;
  }
  FAIL() << "not run";
}

TEST_F(PersonalDataTest, NoLogStatusMetricsOrReportHoldsANameIdOrBirthDate) {
  for (const auto& [what, output] : *outputs_)
    for (const std::string& value : *values_)
      EXPECT_EQ(output.find(value), std::string::npos)
          << "'" << value << "' in the output of " << what << ":\n"
          << output;
}

}  // namespace
}  // namespace sohoa
