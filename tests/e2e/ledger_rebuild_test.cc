// Issue 26: the ledger is not a single point of failure. A real archive (the
// built CLI, real OCR on a few generated scans): a register imported (so
// documents match it, or disagree and go to review), a quarantined input,
// two runs and a person's review through the review station's own library
// code. Then its ledger is deleted and rebuilt from the bags alone — into
// SQLite and into PostgreSQL — and must export the same, verify intact and
// report the same coverage; `ledger check` tells a truncated ledger from a
// healthy one; a backup taken while `sohoa run` writes is a healthy ledger.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/review/field_checker.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/review/review.h"
#include "stages/signing/pdf_revision.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Quote;

std::string Sohoa() { return Quote(testing::BinaryPath("sohoa").string()); }

testing::CommandResult Sh(const std::string& args) { return testing::RunCommand(Sohoa() + " " + args); }

// sha256 -> export line.
std::map<std::string, json> ExportOf(const std::string& where) {
  testing::CommandResult out = Sh("export " + where);
  EXPECT_EQ(out.exit_code, 0) << out.output;
  std::map<std::string, json> lines;
  std::istringstream in(out.output);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object()) lines[j["sha256"]] = j;
  }
  return lines;
}

double ReportPercent(const std::string& where) {
  testing::CommandResult out = Sh("report --format json " + where);
  json j = json::parse(out.output, nullptr, false);
  EXPECT_TRUE(j.is_object()) << out.output;
  return j.is_object() ? j.value("percent", -1.0) : -1.0;
}

class LedgerRebuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    master_ = new testing::ScratchDir("ledger-rebuild-master");
    const fs::path root = master_->path();
    const std::string archive = (root / "archive").string();
    // Run 1: two documents the register disagrees with (-> review) and an
    // input that is no image at all (-> quarantined).
    fs::create_directories(root / "scans1");
    fs::create_directories(root / "scans2");
    for (const char* name : {"t03_khai_tu_packbits.tif", "t04_tinh_trang_gray_none.tif"})
      fs::copy_file(testing::SamplesDir() / "scans" / name, root / "scans1" / name);
    testing::WriteFile(root / "scans1" / "broken.tif", std::string("II*\0", 4) + std::string(600, '\x07'));
    // Run 2: a document the register confirms.
    fs::copy_file(testing::SamplesDir() / "scans" / "t11_khai_tu.jpg", root / "scans2" / "t11_khai_tu.jpg");
    std::istringstream rows(testing::ReadFile(testing::SamplesDir() / "inventory.csv"));
    std::string row, reg;
    while (std::getline(rows, row)) {
      for (const char* id : {"R00003,", "R00004,"}) {
        if (row.rfind(id, 0) != 0) continue;
        std::vector<std::string> cols;
        std::istringstream cells(row);
        for (std::string cell; std::getline(cells, cell, ',');) cols.push_back(cell);
        if (cols.size() >= 6) cols[4] = "2000-01-01", cols[5] = "001000000001";
        row.clear();
        for (const std::string& c : cols) row += (row.empty() ? "" : ",") + c;
      }
      reg += row + "\n";
    }
    testing::WriteFile(root / "register.csv", reg);
    testing::CommandResult import =
        Sh("inventory import --archive " + Quote(archive) + " " + Quote((root / "register.csv").string()));
    ASSERT_EQ(import.exit_code, 0) << import.output;
    testing::CommandResult run1 =
        Sh("run --jobs 2 --input " + Quote((root / "scans1").string()) + " --archive " + Quote(archive));
    ASSERT_EQ(run1.exit_code, 3) << run1.output;
    testing::CommandResult run2 =
        Sh("run --jobs 2 --input " + Quote((root / "scans2").string()) + " --archive " + Quote(archive));
    ASSERT_TRUE(run2.exit_code == 0 || run2.exit_code == 3) << run2.output;

    // A person confirms one document in review, choosing its register record.
    auto ledger = OpenArchiveLedger(archive);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    auto catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    ReviewService service(archive, ledger->get(), &*catalog, cli::NewFieldChecker(), NewPdfReviser(nullptr));
    auto queue = service.Queue();
    ASSERT_TRUE(queue.ok()) << queue.status().ToString();
    ASSERT_GE(queue->size(), 2u);
    const json doc = json::parse(*service.DocumentJson(queue->front().sha256));
    ReviewSubmission s;
    s.sha256 = doc["sha256"];
    s.version = doc["version"];
    s.reviewer = "lan";
    s.doc_type = doc["doc_type"];
    for (const auto& [key, f] : doc["fields"].items()) s.fields[key] = f["value"];
    if (!doc["inventory"].empty()) s.record_id = doc["inventory"][0]["record_id"];
    auto outcome = service.Confirm(s);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    reviewed_ = s.sha256;
  }
  static void TearDownTestSuite() {
    delete master_;
    master_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(master_, nullptr);
    scratch_ = std::make_unique<testing::ScratchDir>("ledger-rebuild");
    archive_ = (scratch_->path() / "archive").string();
    fs::copy(master_->path() / "archive", archive_, fs::copy_options::recursive);
  }

  void DeleteLedger() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(archive_ + "/ledger.sqlite" + suffix);
  }

  // Every export line of `rebuilt` equals `original`'s but for updated_at,
  // which is the time of the rebuild (README: not recoverable).
  static void ExpectSameExport(const std::map<std::string, json>& original,
                               const std::map<std::string, json>& rebuilt) {
    ASSERT_EQ(rebuilt.size(), original.size());
    for (const auto& [sha, line] : original) {
      auto it = rebuilt.find(sha);
      ASSERT_NE(it, rebuilt.end()) << sha << " (" << line["status"] << ") missing from the rebuilt export";
      for (const auto& [key, value] : line.items()) {
        if (key == "updated_at") continue;
        if (key == "seconds") {
          // The PostgreSQL ledger keeps seconds as `real` (about 6 significant
          // digits), written with 6 decimals: both bounds apply.
          EXPECT_NEAR(it->second.value(key, -1.0), value.get<double>(), 1e-5 * value.get<double>() + 1e-6);
          continue;
        }
        EXPECT_EQ(it->second.value(key, json()), value) << sha.substr(0, 12) << " " << key;
      }
      EXPECT_EQ(it->second.size(), line.size()) << sha.substr(0, 12);
    }
  }

  static testing::ScratchDir* master_;
  static std::string reviewed_;
  std::unique_ptr<testing::ScratchDir> scratch_;
  std::string archive_;
};

testing::ScratchDir* LedgerRebuildTest::master_ = nullptr;
std::string LedgerRebuildTest::reviewed_;

TEST_F(LedgerRebuildTest, RebuiltSqliteLedgerExportsVerifiesAndReportsTheSame) {
  const std::string where = "--archive " + Quote(archive_);
  const auto original = ExportOf(where);
  const double percent = ReportPercent(where);
  std::map<std::string, int> statuses;
  for (const auto& [sha, line] : original) ++statuses[line["status"]];
  ASSERT_EQ(statuses["quarantined"], 1) << "the archive should hold a quarantine";
  ASSERT_GE(statuses["review"], 1);
  ASSERT_TRUE(original.at(reviewed_).contains("outputs") &&
              original.at(reviewed_)["outputs"].contains("pdf_v1"));
  ASSERT_GT(percent, 0) << "some documents should match the register";

  DeleteLedger();
  testing::CommandResult rebuilt = Sh("ledger rebuild " + where);
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  ExpectSameExport(original, ExportOf(where));
  testing::CommandResult verify = Sh("verify " + where);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_DOUBLE_EQ(ReportPercent(where), percent);
  // The review history is back: who confirmed, what changed.
  auto ledger = OpenArchiveLedger(archive_);
  ASSERT_TRUE(ledger.ok());
  auto reviews = (*ledger)->ReviewsOf(reviewed_);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_EQ(reviews->front().reviewer, "lan");
  EXPECT_NE(json::parse(reviews->front().changes_json)["pdf"]["to"], json());
  testing::CommandResult check = Sh("ledger check " + where);
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

TEST_F(LedgerRebuildTest, RebuiltIntoAnEmptyPostgresLedgerExportsTheSame) {
  const auto original = ExportOf("--archive " + Quote(archive_));
  const double percent = ReportPercent("--archive " + Quote(archive_));
  testing::PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  DeleteLedger();
  testing::CommandResult rebuilt =
      Sh("ledger rebuild --archive " + Quote(archive_) + " --into " + Quote(url));
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  ExpectSameExport(original, ExportOf("--ledger " + Quote(url)));
  testing::CommandResult verify = Sh("verify --archive " + Quote(archive_) + " --ledger " + Quote(url));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_DOUBLE_EQ(ReportPercent("--ledger " + Quote(url)), percent);
  // A second rebuild into the same, now full, database is refused.
  testing::CommandResult again = Sh("ledger rebuild --archive " + Quote(archive_) + " --into " + Quote(url));
  EXPECT_EQ(again.exit_code, 2) << again.output;
}

TEST_F(LedgerRebuildTest, AHealthyLedgerIsReplacedOnlyWhenAskedAndKeptAside) {
  testing::CommandResult refused = Sh("ledger rebuild --archive " + Quote(archive_));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("--replace"), std::string::npos) << refused.output;
  testing::CommandResult replaced = Sh("ledger rebuild --replace --archive " + Quote(archive_));
  ASSERT_EQ(replaced.exit_code, 0) << replaced.output;
  int kept = 0;
  for (const auto& e : fs::directory_iterator(archive_))
    kept += e.path().filename().string().rfind("ledger.sqlite.replaced-", 0) == 0;
  EXPECT_EQ(kept, 1);
}

TEST_F(LedgerRebuildTest, LedgerCheckReportsATruncatedLedger) {
  testing::CommandResult healthy = Sh("ledger check --archive " + Quote(archive_));
  EXPECT_EQ(healthy.exit_code, 0) << healthy.output;
  // As after a disk error: the file cut to half its size (WAL checkpointed first by a clean close).
  const fs::path file = archive_ + "/ledger.sqlite";
  fs::resize_file(file, fs::file_size(file) / 2);
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(file.string() + suffix);
  testing::CommandResult damaged = Sh("ledger check --ui-lang en --archive " + Quote(archive_));
  EXPECT_EQ(damaged.exit_code, 2) << damaged.output;
  EXPECT_NE(damaged.output.find("DAMAGED"), std::string::npos) << damaged.output;
  // And the way back: rebuild over the damaged file (no --replace needed), check again.
  testing::CommandResult rebuilt = Sh("ledger rebuild --archive " + Quote(archive_));
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  EXPECT_EQ(Sh("ledger check --archive " + Quote(archive_)).exit_code, 0);
}

TEST_F(LedgerRebuildTest, BackupTakenDuringARunIsAHealthyLedger) {
  const fs::path scans = scratch_->path() / "scans3";
  fs::create_directories(scans);
  for (const char* name : {"t01_khai_sinh_g4.tif", "t10_ket_hon.png"})
    fs::copy_file(testing::SamplesDir() / "scans" / name, scans / name);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string command = testing::BinaryPath("sohoa").string() + " run --jobs 1 --input " +
                                Quote(scans.string()) + " --archive " + Quote(archive_) + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Back up again and again while the run records its outcomes.
  int during = 0, taken = 0;
  const std::string backup = (scratch_->path() / "backup.sqlite").string();
  for (int i = 0; i < 600; ++i) {
    int status = 0;
    const bool running = waitpid(child, &status, WNOHANG) == 0;
    testing::CommandResult b = Sh("ledger backup --archive " + Quote(archive_) + " --to " + Quote(backup));
    ASSERT_EQ(b.exit_code, 0) << b.output;
    ++taken;
    if (running) ++during;
    testing::CommandResult check = Sh("ledger check --ledger " + Quote("sqlite:" + backup));
    ASSERT_EQ(check.exit_code, 0) << check.output;
    if (!running) break;
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_GE(during, 1) << "no backup was taken while the run went on";
  // Restored: the backup is the archive's ledger again, and everything reads it.
  DeleteLedger();
  fs::copy_file(backup, archive_ + "/ledger.sqlite");
  EXPECT_EQ(Sh("ledger check --archive " + Quote(archive_)).exit_code, 0);
  EXPECT_EQ(Sh("export --archive " + Quote(archive_)).exit_code, 0);
  EXPECT_GE(taken, during);
}

}  // namespace
}  // namespace sohoa
