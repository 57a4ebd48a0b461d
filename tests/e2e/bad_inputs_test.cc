// End to end, qpdf's way: the bad-input corpus (tests/corpus/
// make_bad_inputs.py, generated from the good samples) mixed into the good
// sample batch, one `sohoa run`, then `sohoa export`: every bad file ends in
// quarantine or review with its own reason, every good file is archived with
// its PDF, and nothing is archived with a page missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "build_paths.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::CorpusFile;
using testing::Quote;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

// "processed": archived, or review only for doubtful fields (the field
// extractor's call on a well-scanned page), never an ingest problem.
struct Expected {
  const char* file;
  const char* status;  // "quarantined", "review", "processed"
  const char* reason;  // substring of the recorded reason ("" for processed)
  int pages;           // archived page count (processed/review), 0 otherwise
};

const Expected kTable[] = {
    {"zero_byte.tif", "quarantined", "empty file (0 bytes)", 0},
    {"random_bytes.tif", "quarantined", "not an image: file starts with '\\x01\\x80", 0},
    {"text_named.tif", "quarantined", "not an image: file starts with 'Danh s", 0},
    {"truncated.tif", "quarantined", "not a readable TIFF", 0},
    {"huge_header.tif", "quarantined", "page 1: 200000×200000 pixels exceeds the limit of 400 megapixels", 0},
    {"unsupported_compression.tif", "quarantined", "page 1: JPEG 2000 compression is not supported", 0},
    {"one_pixel.png", "quarantined", "page 1: 1×1 pixels is too small to be a page scan", 0},
    {"blank_page.tif", "review", "page 1: blank page", 1},
    {"multipage_corrupt.tif", "quarantined", "page 2: cannot decode", 0},
    {"gray16.tif", "processed", "", 1},
    {"cmyk.tif", "processed", "", 1},
    {"scan.pdf", "processed", "", 1},
    {"locked.pdf", "quarantined", "password-protected PDF", 0},
    {"broken.pdf", "quarantined", "PDF is damaged: ", 0},
    {"bad_xref.pdf", "review", "damaged PDF, repaired on reading", 1},
    {"invalid.pdf", "quarantined", "PDF is damaged: Couldn't find trailer dictionary", 0},
    // OCRmyPDF's corpus: 200 dpi across, 100 down.
    {"aspect.pdf", "review", "page 1: 200×100 dpi is below the 200 dpi", 1},
    {"damaged_jpeg.pdf", "quarantined", "page 1: damaged page image (JPEG): Corrupt JPEG data", 0},
    {"damaged.jpg", "quarantined", "page 1: damaged JPEG data: Corrupt JPEG data", 0},
};

std::map<std::string, nlohmann::json> Export(const fs::path& archive) {
  testing::CommandResult r = RunCommand(Quote(BinaryPath("sohoa").string()) + " export --archive " +
                                        Quote(archive.string()) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, nlohmann::json> by_source;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("source")) by_source[j["source"].get<std::string>()] = j;
  }
  return by_source;
}

std::string Reasons(const nlohmann::json& row) {
  std::string all = row.value("reason", "");
  if (row.contains("review_reasons")) {
    for (const auto& r : row["review_reasons"]) all += " | " + r.get<std::string>();
  }
  return all;
}

bool OnlyFieldDoubts(const nlohmann::json& row) {
  if (!row.contains("review_reasons")) return true;
  for (const auto& r : row["review_reasons"]) {
    if (r.get<std::string>().rfind("fields: ", 0) != 0) return false;
  }
  return true;
}

class BadInputsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("e2e-bad-inputs");
    const fs::path input = dir_->path() / "input";
    fs::create_directories(input);
    make_ = new testing::CommandResult(RunCommand(
        "/usr/bin/python3 " + Quote(SOHOA_SOURCE_DIR "/tests/corpus/make_bad_inputs.py") + " --samples " +
        Quote((SamplesDir() / "scans").string()) + " --out " + Quote(input.string()) + " 2>&1"));
    for (const char* name : {"invalid.pdf", "aspect.pdf"}) fs::copy_file(CorpusFile(name), input / name);
    for (const auto& entry : fs::directory_iterator(SamplesDir() / "scans")) {
      fs::copy_file(entry.path(), input / entry.path().filename());
    }
    const fs::path archive = dir_->path() / "archive";
    run_ = new testing::CommandResult(RunCommand(Quote(BinaryPath("sohoa").string()) + " run --input " +
                                                 Quote(input.string()) + " --archive " +
                                                 Quote(archive.string()) + " --jobs 2 2>&1"));
    exported_ = new std::map<std::string, nlohmann::json>(Export(archive));
  }
  static void TearDownTestSuite() {
    delete exported_;
    delete run_;
    delete make_;
    delete dir_;
  }
  static ScratchDir* dir_;
  static testing::CommandResult* make_;
  static testing::CommandResult* run_;
  static std::map<std::string, nlohmann::json>* exported_;
};
ScratchDir* BadInputsTest::dir_;
testing::CommandResult* BadInputsTest::make_;
testing::CommandResult* BadInputsTest::run_;
std::map<std::string, nlohmann::json>* BadInputsTest::exported_;

TEST_F(BadInputsTest, RunFinishesAndSaysSomeNeedAPerson) {
  ASSERT_EQ(make_->exit_code, 0) << make_->output;
  EXPECT_EQ(run_->exit_code, 3) << run_->output;  // quarantined/review present
}

TEST_F(BadInputsTest, EachBadInputEndsWithItsOwnReason) {
  for (const Expected& e : kTable) {
    SCOPED_TRACE(e.file);
    auto it = exported_->find(e.file);
    ASSERT_NE(it, exported_->end()) << "not in the ledger; run output:\n" << run_->output;
    const nlohmann::json& row = it->second;
    const std::string status = row.value("status", "");
    if (std::string(e.status) == "processed") {
      EXPECT_TRUE(status == "archived" || (status == "review" && OnlyFieldDoubts(row)))
          << status << ": " << Reasons(row);
    } else {
      EXPECT_EQ(status, e.status) << Reasons(row);
      EXPECT_NE(Reasons(row).find(e.reason), std::string::npos) << Reasons(row);
    }
    if (e.pages > 0) {
      EXPECT_EQ(row.value("pages", 0), e.pages);
      EXPECT_TRUE(row.contains("outputs") && row["outputs"].contains("pdf")) << row.dump();
    } else {
      // Quarantined: nothing archived for it.
      EXPECT_FALSE(row.contains("outputs") && row["outputs"].contains("pdf")) << row.dump();
    }
  }
}

// Reasons are specific: no two bad files share one.
TEST_F(BadInputsTest, ReasonsAreDistinct) {
  std::map<std::string, std::string> seen;
  for (const Expected& e : kTable) {
    // invalid.pdf (the corpus's) and broken.pdf are the same damage.
    if (std::string(e.status) != "quarantined" || std::string(e.file) == "invalid.pdf") continue;
    auto it = exported_->find(e.file);
    if (it == exported_->end()) continue;
    const std::string reason = it->second.value("reason", "");
    EXPECT_FALSE(reason.empty()) << e.file;
    EXPECT_TRUE(seen.emplace(reason, e.file).second)
        << e.file << " and " << seen[reason] << " share: " << reason;
  }
}

// The run's output is its own lines: a library's warnings on stderr (once
// Leptonica's "Warning in pixScaleAreaMap" for aspect.pdf, four times) would
// sit between them in the nightly log, in English, saying nothing to act on.
TEST_F(BadInputsTest, NoLibraryWarningSitsAmongTheRunsLines) {
  EXPECT_EQ(run_->output.find("Warning in "), std::string::npos) << run_->output;
}

TEST_F(BadInputsTest, EveryGoodSampleIsProcessed) {
  int good = 0;
  for (const auto& entry : fs::directory_iterator(SamplesDir() / "scans")) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    ++good;
    auto it = exported_->find(name);
    ASSERT_NE(it, exported_->end());
    const std::string status = it->second.value("status", "");
    EXPECT_TRUE(status == "archived" || (status == "review" && OnlyFieldDoubts(it->second)))
        << status << ": " << Reasons(it->second);
  }
  EXPECT_GE(good, 10);
}

}  // namespace
}  // namespace sohoa
