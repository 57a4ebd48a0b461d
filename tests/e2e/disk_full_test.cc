// End to end: the disk fills up during a nightly run (issue 6). The kernel's
// own file-size limit (`ulimit -f`, with SIGXFSZ ignored) makes every write
// past the limit fail with EFBIG, as a full disk fails with ENOSPC: no fake,
// the real binary meets a real failing write() in its staging area or its
// SQLite ledger. What must hold: exit code 2 and a message naming the cause;
// nothing recorded as archived that is not on disk (`sohoa verify`); no input
// quarantined for the machine's fault; and the next run, with room again,
// archives every input exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Quote;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

// Three bilevel pages (PDFs of 40-55 KB) and one gray page (a ~480 KB PDF),
// in the order a one-job run takes them.
const char* const kInputs[] = {"t01_khai_sinh_g4.tif", "t02_ket_hon_g3.tif", "t03_khai_tu_packbits.tif",
                               "t05_khai_sinh_gray_lzw.tif"};

std::string Sohoa() { return Quote(BinaryPath("sohoa").string()); }

// `sohoa run` with files limited to `limit_kib` KiB (0: no limit). bash, not
// sh: dash counts `ulimit -f` in 512-byte blocks.
testing::CommandResult RunSohoa(const fs::path& input, const fs::path& archive, int limit_kib) {
  std::string run = Sohoa() + " run --input " + Quote(input.string()) + " --archive " +
                    Quote(archive.string()) + " --jobs 1 --ui-lang en --image-mode jpeg --jpeg-quality 95";
  if (limit_kib > 0) {
    run = "bash -c " + Quote("trap '' XFSZ; ulimit -f " + std::to_string(limit_kib) + "; exec " + run);
  }
  return RunCommand(run + " 2>&1");
}

// source -> export row, and how many rows each source had.
struct Exported {
  std::map<std::string, nlohmann::json> rows;
  std::map<std::string, int> count;
};

Exported Export(const fs::path& archive) {
  testing::CommandResult r =
      RunCommand(Sohoa() + " export --archive " + Quote(archive.string()) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  Exported e;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("source")) continue;
    const std::string source = j["source"].get<std::string>();
    e.rows[source] = j;
    ++e.count[source];
  }
  return e;
}

// Every PDF in the archive's bags, by path relative to the archive.
std::vector<std::string> PdfsOnDisk(const fs::path& archive) {
  std::vector<std::string> pdfs;
  if (!fs::exists(archive / "bags")) return pdfs;
  for (const auto& entry : fs::recursive_directory_iterator(archive / "bags")) {
    if (entry.path().extension() == ".pdf") pdfs.push_back(fs::relative(entry.path(), archive).string());
  }
  return pdfs;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kInputs) {
      fs::create_directories(dir_.path() / "input");
      fs::copy_file(SamplesDir() / "scans" / name, dir_.path() / "input" / name);
    }
  }

  // What a failed run must leave: exit 2 with `cause` in the message, no
  // quarantine, every record's files intact, no PDF the ledger does not
  // list, nothing in staging.
  void ExpectCleanStop(const testing::CommandResult& run, const std::string& cause) {
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("the run stopped: results could not be kept"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find(cause), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("left for the next run"), std::string::npos) << run.output;
    EXPECT_EQ(run.output.find("quarantined:"), std::string::npos)
        << "the machine's fault is not the input's\n"
        << run.output;
    const Exported e = Export(archive());
    size_t recorded_pdfs = 0;
    for (const auto& [source, row] : e.rows) {
      EXPECT_NE(row.value("status", ""), "quarantined") << source;
      if (row.contains("pdf") && !row["pdf"].get<std::string>().empty()) ++recorded_pdfs;
    }
    EXPECT_EQ(PdfsOnDisk(archive()).size(), recorded_pdfs)
        << "a PDF in the archive that the ledger does not list";
    testing::CommandResult verify =
        RunCommand(Sohoa() + " verify --archive " + Quote(archive().string()) + " 2>&1");
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    if (fs::exists(archive() / "staging")) {
      for (const auto& entry : fs::recursive_directory_iterator(archive() / "staging")) {
        EXPECT_FALSE(entry.is_regular_file()) << "left in staging: " << entry.path();
      }
    }
  }

  // The next run, with room again, finishes the batch: every input once.
  void ExpectResumeFinishes() {
    testing::CommandResult again = RunSohoa(input(), archive(), 0);
    EXPECT_TRUE(again.exit_code == 0 || again.exit_code == 3) << again.output;
    const Exported e = Export(archive());
    for (const char* name : kInputs) {
      ASSERT_EQ(e.count.count(name), 1u) << name << " missing after the resume";
      EXPECT_EQ(e.count.at(name), 1) << name;
      const std::string status = e.rows.at(name).value("status", "");
      EXPECT_TRUE(status == "archived" || status == "review") << name << ": " << status;
    }
    EXPECT_EQ(e.rows.size(), std::size(kInputs));
    EXPECT_EQ(PdfsOnDisk(archive()).size(), std::size(kInputs));
    EXPECT_FALSE(fs::exists(archive() / "unrecorded")) << "published files the ledger never listed";
    testing::CommandResult verify =
        RunCommand(Sohoa() + " verify --archive " + Quote(archive().string()) + " 2>&1");
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
  }

  fs::path input() const { return dir_.path() / "input"; }
  fs::path archive() const { return dir_.path() / "archive"; }
  ScratchDir dir_{"e2e-disk-full"};
};

// 700 KiB: the ledger (its write-ahead log passed 400 KiB by the third
// document once the ledger gained the review leases' tables) and the small
// PDFs fit, the gray page's PDF does not: as one JPEG at quality 95 it is
// 1.2 MB (the runs here ask for it; as MRC it would be small enough to fit).
TEST_F(DiskFullTest, StagingWriteFailsTheRunStopsAndTheNextRunFinishes) {
  testing::CommandResult run = RunSohoa(input(), archive(), 700);
  ExpectCleanStop(run, "File too large");
  const Exported e = Export(archive());
  EXPECT_EQ(e.rows.size(), 3u) << "the three pages before the full disk are kept";
  EXPECT_EQ(e.rows.count("t05_khai_sinh_gray_lzw.tif"), 0u);
  EXPECT_NE(run.output.find("deferred: t05_khai_sinh_gray_lzw.tif"), std::string::npos) << run.output;
  ExpectResumeFinishes();
}

// 120 KiB: the SQLite ledger's write-ahead log reaches the limit first. The
// archive exists already (an earlier night's run made its ledger: a new
// ledger's schema alone is about 100 KiB, so the disk fills mid-run, not
// while the schema is created).
TEST_F(DiskFullTest, LedgerWriteFailsTheRunStopsAndTheNextRunFinishes) {
  fs::create_directories(dir_.path() / "empty");
  testing::CommandResult first = RunSohoa(dir_.path() / "empty", archive(), 0);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  testing::CommandResult run = RunSohoa(input(), archive(), 120);
  ExpectCleanStop(run, "ledger");
  ExpectResumeFinishes();
}

}  // namespace
}  // namespace sohoa
