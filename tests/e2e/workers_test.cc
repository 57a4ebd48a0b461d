// End-to-end tests of `sohoa enqueue` and `sohoa worker` on a throwaway
// PostgreSQL cluster (issue 8): three workers on one batch, one killed with
// SIGKILL mid-document; enqueue twice; a wrong database password; a fleet
// (two workers and a `sohoa run --ledger`) on one store whose status, report,
// verify and export all read the shared ledger and agree with one plain
// `sohoa run` of the same scans.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "pipeline/core/clock.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "tests/signing_fixture.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::PostgresCluster;
using testing::Quote;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

std::string Sohoa() { return Quote(BinaryPath("sohoa").string()); }

// Rows of a query, each row's fields joined by '|'.
std::vector<std::string> Query(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::vector<std::string> rows;
  PGresult* r = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << sql << ": " << PQresultErrorMessage(r);
  for (int i = 0; i < PQntuples(r); ++i) {
    std::string row;
    for (int j = 0; j < PQnfields(r); ++j) row += (j ? "|" : "") + std::string(PQgetvalue(r, i, j));
    rows.push_back(row);
  }
  PQclear(r);
  PQfinish(conn);
  return rows;
}

std::string One(const std::string& url, const std::string& sql) {
  auto rows = Query(url, sql);
  return rows.empty() ? "" : rows.front();
}

size_t ScanCount() {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(SamplesDir() / "scans")) n += e.is_regular_file();
  return n;
}

TEST(WorkersTest, EnqueueTwiceAddsNothingTheSecondTime) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  ScratchDir dir("enqueue");
  // The same scans twice under other names too: one work item per content.
  fs::copy(SamplesDir() / "scans", dir / "a");
  fs::copy(SamplesDir() / "scans", dir / "b");
  const size_t n = ScanCount();
  auto first = RunCommand(Sohoa() + " enqueue --ui-lang en --ledger " + Quote(url) + " --input " +
                          Quote(dir.path().string()));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("enqueued " + std::to_string(n) + " new of " + std::to_string(2 * n)),
            std::string::npos)
      << first.output;
  // In Vietnamese, the default (issue 20: the result line from the catalogue).
  auto second = RunCommand("SOHOA_LEDGER=" + Quote(url) + " " + Sohoa() + " enqueue --input " +
                           Quote(dir.path().string()));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("đã đưa vào hàng đợi 0 tệp mới trong " + std::to_string(2 * n) + " tệp"),
            std::string::npos)
      << second.output;
  EXPECT_EQ(One(url, "SELECT COUNT(*), COUNT(DISTINCT sha256) FROM work"),
            std::to_string(n) + "|" + std::to_string(n));
}

TEST(WorkersTest, ThreeWorkersOneKilledMidDocumentEveryInputArchivedExactlyOnce) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  ScratchDir dir("workers");
  const std::string archive = (dir / "archive").string();
  const size_t n = ScanCount();
  auto enqueued = RunCommand(Sohoa() + " enqueue --ledger " + Quote(url) + " --input " +
                             Quote((SamplesDir() / "scans").string()));
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.output;

  const std::string worker = Sohoa() + " worker --ledger " + Quote(url) + " --archive " + Quote(archive) +
                             " --jobs 1 --batch 2 --lease 4 --ui-lang en";
  // The victim starts alone, and is killed once it has archived a document
  // (so its bag has content someone else must close) and holds a claim it
  // has had time to be inside of.
  auto started = RunCommand(worker + " > " + Quote((dir / "victim.log").string()) + " 2>&1 & echo $!");
  const pid_t victim = std::stoi(started.output);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while ((One(url, "SELECT COUNT(*) FROM inputs WHERE status='processing'") == "0" ||
          One(url, "SELECT COUNT(*) FROM inputs WHERE status<>'processing'") == "0") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  const std::string victim_run = One(url, "SELECT run_id FROM runs WHERE pid=" + std::to_string(victim));
  ASSERT_FALSE(victim_run.empty());
  // Between two claims the victim holds nothing for a moment (CI once killed
  // it there): freeze it, and kill it only while it is frozen holding a claim.
  const std::string held_sql =
      "SELECT COUNT(*) FROM work WHERE status='claimed' AND worker_id='" + victim_run + "'";
  std::string held = "0";
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(::kill(victim, SIGSTOP), 0);
    held = One(url, held_sql);
    if (held != "0") break;
    ASSERT_EQ(::kill(victim, SIGCONT), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  ASSERT_NE(held, "0") << "the victim held nothing when killed";

  // The two survivors finish the batch, including the victim's items.
  const std::string a_log = (dir / "a.log").string(), b_log = (dir / "b.log").string();
  auto survivors =
      RunCommand(worker + " > " + Quote(a_log) + " 2>&1 & pa=$!; " + worker + " > " + Quote(b_log) +
                 " 2>&1 & pb=$!; wait $pa; ra=$?; wait $pb; rb=$?; "
                 "echo \"$ra $rb\"");
  const std::string logs = testing::ReadFile(a_log) + testing::ReadFile(b_log);
  // Workers log as a run does: a field's doubt, never its value (issue 20).
  std::ifstream truth(SamplesDir() / "truth.json");
  for (const auto& entry : nlohmann::json::parse(truth))
    EXPECT_EQ(testing::FirstFound(logs, testing::PersonalValues(entry["fields"])), "")
        << entry["file"] << logs;
  // 0 = all archived, 3 = finished with some documents for review.
  for (const std::string& rc : {survivors.output.substr(0, 1), survivors.output.substr(2, 1)}) {
    EXPECT_TRUE(rc == "0" || rc == "3") << survivors.output << logs;
  }

  // Every input has one final outcome and one work item done.
  EXPECT_EQ(One(url, "SELECT COUNT(*) FROM work WHERE status='done'"), std::to_string(n)) << logs;
  EXPECT_EQ(One(url, "SELECT COUNT(*) FROM inputs WHERE status IN ('archived','review')"), std::to_string(n))
      << logs;
  EXPECT_EQ(One(url, "SELECT COUNT(*) FROM inputs WHERE status='processing'"), "0");
  // The victim's lease was reclaimed and its run marked interrupted.
  EXPECT_EQ(One(url, "SELECT state FROM runs WHERE run_id='" + victim_run + "'"), "interrupted");
  EXPECT_NE(One(url, "SELECT COUNT(*) FROM work WHERE attempts > 1"), "0");
  EXPECT_NE(logs.find("stopped renewing its leases"), std::string::npos) << logs;
  // Exactly once on disk: every recorded file exists, nothing else does, and
  // nothing is left of the dead attempt.
  std::set<std::string> recorded;
  for (const std::string& row : Query(url, "SELECT pdf, text FROM inputs")) {
    const size_t bar = row.find('|');
    recorded.insert(row.substr(0, bar));
    if (bar + 1 < row.size()) recorded.insert(row.substr(bar + 1));
  }
  std::map<std::string, int> pdfs_per_input;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(archive) / "bags")) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), archive).generic_string();
    if (e.path().extension() == ".pdf") {
      ++pdfs_per_input[e.path().stem().string()];
      EXPECT_TRUE(recorded.count(rel)) << rel << " is in the archive but not in the ledger";
    }
  }
  EXPECT_EQ(pdfs_per_input.size(), n);
  for (const auto& [sha, count] : pdfs_per_input) EXPECT_EQ(count, 1) << sha;
  for (const std::string& rel : recorded) {
    if (!rel.empty()) EXPECT_TRUE(fs::exists(fs::path(archive) / rel)) << rel;
  }
  EXPECT_FALSE(fs::exists(fs::path(archive) / "staging" / victim_run));
  // Every bag is closed — the survivors' as they exited, the victim's (with
  // what it recorded before it died) by whoever reclaimed its work — and the
  // archive verifies against the ledger.
  EXPECT_NE(One(url, "SELECT COUNT(*) FROM inputs WHERE status IN ('archived','review') AND run_id='" +
                         victim_run + "'"),
            "0");
  EXPECT_TRUE(fs::exists(fs::path(archive) / "bags" / victim_run / "tagmanifest-sha256.txt")) << logs;
  auto verify = RunCommand(Sohoa() + " verify --ui-lang en --no-signatures --archive " + Quote(archive) +
                           " --ledger " + Quote(url));
  EXPECT_EQ(verify.exit_code, 0) << verify.output << logs;
  EXPECT_NE(verify.output.find("result: intact"), std::string::npos) << verify.output;
}

// sha256 -> the export line's facts that must not depend on who processed it.
std::map<std::string, nlohmann::json> ExportBySha(const std::string& jsonl) {
  std::map<std::string, nlohmann::json> out;
  std::istringstream lines(jsonl);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    if (j.is_discarded()) continue;
    EXPECT_EQ(out.count(j["sha256"]), 0u) << "input exported twice: " << line;
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, f] : j["fields"].items()) fields[key] = f["value"];
    out[j["sha256"]] = {{"source", j["source"]},       {"status", j["status"]}, {"pages", j["pages"]},
                        {"doc_type", j["doc_type"]},   {"code", j["code"]},     {"holder_id", j["holder_id"]},
                        {"record_id", j["record_id"]}, {"fields", fields},      {"pdf", j["pdf"]}};
  }
  return out;
}

TEST(WorkersTest, FleetOnOneStoreReadsTheSameEverywhereAsASingleRun) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  ScratchDir dir("fleet");
  const fs::path scans = SamplesDir() / "scans";
  const std::vector<std::string> queued = {"t01_khai_sinh_g4.tif", "t04_tinh_trang_gray_none.tif",
                                           "t10_ket_hon.png", "t11_khai_tu.jpg"};
  const std::string extra = "t02_ket_hon_g3.tif";  // archived by a plain `sohoa run --ledger`
  for (const std::string& name : queued) {
    fs::create_directories(dir / "in");
    fs::create_directories(dir / "all");
    fs::copy(scans / name, dir / "in" / name);
    fs::copy(scans / name, dir / "all" / name);
  }
  fs::create_directories(dir / "extra");
  fs::copy(scans / extra, dir / "extra" / extra);
  fs::copy(scans / extra, dir / "all" / extra);
  const std::string csv = (SamplesDir() / "inventory.csv").string();
  const std::string archive = (dir / "archive").string(), single = (dir / "single").string();
  const std::string ledger = " --ledger " + Quote(url);

  // The register goes into the shared ledger before the first document.
  auto imported_shared = RunCommand(Sohoa() + " inventory import --ui-lang en" + ledger + " " + Quote(csv));
  ASSERT_EQ(imported_shared.exit_code, 0) << imported_shared.output;
  EXPECT_NE(imported_shared.output.find(" rejected"), std::string::npos) << imported_shared.output;
  auto enqueued = RunCommand(Sohoa() + " enqueue" + ledger + " --input " + Quote((dir / "in").string()));
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.output;
  const std::string worker =
      Sohoa() + " worker" + ledger + " --archive " + Quote(archive) + " --jobs 1 --batch 1 --lease 30";
  auto workers = RunCommand(worker + " > " + Quote((dir / "a.log").string()) + " 2>&1 & pa=$!; " + worker +
                            " > " + Quote((dir / "b.log").string()) +
                            " 2>&1 & pb=$!; wait $pa; ra=$?; wait $pb; rb=$?; echo \"$ra $rb\"");
  const std::string logs = testing::ReadFile(dir / "a.log") + testing::ReadFile(dir / "b.log");
  for (const std::string& rc : {workers.output.substr(0, 1), workers.output.substr(2, 1)}) {
    EXPECT_TRUE(rc == "0" || rc == "3") << workers.output << logs;
  }
  // A plain run writes to the same ledger and store; the four done by the
  // workers are already done for it (given again: nothing twice).
  fs::copy(scans / queued[0], dir / "extra" / ("again-" + queued[0]));
  auto run = RunCommand(Sohoa() + " run" + ledger + " --input " + Quote((dir / "extra").string()) +
                        " --archive " + Quote(archive) + " --jobs 1 --ui-lang en");
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.output;

  // The same scans through one plain `sohoa run` on its own SQLite archive.
  auto imported = RunCommand(Sohoa() + " inventory import --archive " + Quote(single) + " " + Quote(csv));
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  auto alone = RunCommand(Sohoa() + " run --input " + Quote((dir / "all").string()) + " --archive " +
                          Quote(single) + " --jobs 1");
  EXPECT_TRUE(alone.exit_code == 0 || alone.exit_code == 3) << alone.output;

  // export: every input exactly once, with the outcome and fields one run gives.
  auto fleet_export = RunCommand(Sohoa() + " export" + ledger + " 2>/dev/null");
  ASSERT_EQ(fleet_export.exit_code, 0) << fleet_export.output;
  auto single_export = RunCommand(Sohoa() + " export --archive " + Quote(single) + " 2>/dev/null");
  ASSERT_EQ(single_export.exit_code, 0) << single_export.output;
  auto fleet = ExportBySha(fleet_export.output), one = ExportBySha(single_export.output);
  ASSERT_EQ(fleet.size(), queued.size() + 1) << fleet_export.output << logs << run.output;
  ASSERT_EQ(one.size(), fleet.size()) << single_export.output;
  size_t archived_or_review = 0;
  std::set<std::string> bags;
  for (auto& [sha, line] : fleet) {
    ASSERT_TRUE(one.count(sha)) << sha;
    nlohmann::json mine = line, theirs = one[sha];
    const std::string pdf = mine["pdf"].is_string() ? mine["pdf"].get<std::string>() : "";
    mine.erase("pdf");
    theirs.erase("pdf");
    EXPECT_EQ(mine.dump(), theirs.dump()) << "fleet and single run disagree on " << sha;
    if (line["status"] == "archived" || line["status"] == "review") {
      ++archived_or_review;
      ASSERT_EQ(pdf.rfind("bags/", 0), 0u) << pdf;
      EXPECT_TRUE(fs::exists(fs::path(archive) / pdf)) << pdf;
      bags.insert(pdf.substr(5, pdf.find('/', 5) - 5));
    }
  }
  EXPECT_EQ(archived_or_review, fleet.size());
  size_t pdfs_on_disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(archive) / "bags"))
    pdfs_on_disk += e.path().extension() == ".pdf";
  EXPECT_EQ(pdfs_on_disk, fleet.size());

  // status: the queue is drained, both workers finished, the counts agree.
  auto status = RunCommand(Sohoa() + " status --ui-lang en" + ledger + " --archive " + Quote(archive));
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("Work queue: 0 waiting, 0 held under a lease, 4 done."), std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("Workers: 0 alive of 2."), std::string::npos) << status.output;
  EXPECT_NE(status.output.find("Ledger: postgresql://"), std::string::npos) << status.output;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(status.output, m, std::regex("Archive: (\\d+) archived, (\\d+) awaiting review")))
      << status.output;
  EXPECT_EQ(std::stoul(m[1]) + std::stoul(m[2]), fleet.size()) << status.output;
  size_t worker_documents = 0;
  const std::regex per_worker("leases held 0; (\\d+) documents");
  for (auto it = std::sregex_iterator(status.output.begin(), status.output.end(), per_worker);
       it != std::sregex_iterator(); ++it) {
    worker_documents += std::stoul((*it)[1]);
  }
  // The workers and the run (it keeps a heartbeat on the shared ledger) gave
  // every input its outcome exactly once between them.
  EXPECT_EQ(worker_documents, fleet.size()) << status.output;
  EXPECT_NE(status.output.find("(sohoa run)  finished"), std::string::npos) << status.output;

  // report: the same coverage as the single run; its runs add up to every input.
  // Judged as of today: the documents were archived today, so a fixed as-of
  // date would leave them all in its future on any later day. One day for
  // both reports, so that they agree even across midnight.
  const std::string as_of = " --as-of " + NowUtcIso8601().substr(0, 10);
  auto fleet_report = RunCommand(Sohoa() + " report" + ledger + " --format json" + as_of);
  ASSERT_EQ(fleet_report.exit_code, 0) << fleet_report.output;
  auto single_report = RunCommand(Sohoa() + " report --archive " + Quote(single) + " --format json" + as_of);
  ASSERT_EQ(single_report.exit_code, 0) << single_report.output;
  nlohmann::json fr = nlohmann::json::parse(fleet_report.output, nullptr, false);
  nlohmann::json sr = nlohmann::json::parse(single_report.output, nullptr, false);
  ASSERT_TRUE(fr.is_object() && sr.is_object()) << fleet_report.output;
  for (const char* key : {"valid_total", "digitized", "percent", "by_type", "by_year", "not_digitized"}) {
    EXPECT_EQ(fr[key].dump(), sr[key].dump()) << key;
  }
  EXPECT_GT(fr["digitized"].get<int>(), 0) << fleet_report.output;
  int from_runs = 0;
  for (const auto& r : fr["runs"]) from_runs += r["archived"].get<int>() + r["review"].get<int>();
  EXPECT_EQ(from_runs, static_cast<int>(fleet.size())) << fr["runs"].dump();

  // verify: every bag (one per worker that archived something, one for the
  // run) is complete and matches the shared ledger.
  auto verify = RunCommand(Sohoa() + " verify --ui-lang en --archive " + Quote(archive) + ledger);
  EXPECT_EQ(verify.exit_code, 0) << verify.output << logs;
  EXPECT_NE(verify.output.find("result: intact"), std::string::npos) << verify.output;
  const std::string bag_line =
      "bags: " + std::to_string(bags.size()) + " (" + std::to_string(bags.size()) + " complete)";
  EXPECT_NE(verify.output.find(bag_line), std::string::npos) << verify.output;
  EXPECT_GE(bags.size(), 2u);
  // ... and it can fail: one altered byte in one worker's PDF is found.
  const fs::path victim = fs::path(archive) / fleet.begin()->second["pdf"].get<std::string>();
  std::string bytes = testing::ReadFile(victim);
  bytes[bytes.size() / 2] ^= 0x20;
  fs::permissions(victim, fs::perms::owner_write, fs::perm_options::add);
  testing::WriteFile(victim, bytes);
  auto broken = RunCommand(Sohoa() + " verify --ui-lang en --archive " + Quote(archive) + ledger);
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("ALTERED"), std::string::npos) << broken.output;
}

// Issue 21: a fleet signs. A worker takes `run`'s signing options (the
// key's secret from the environment, never argv) and archives at the level
// asked: B-LT, with the chain and OCSP answers of the loopback test PKI.
TEST(WorkersTest, AWorkerSignsAtTheLevelAsked) {
  const testing::LtvEnvironment& ltv = testing::LtvEnvironment::Get();
  ASSERT_TRUE(ltv.ready());
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  ScratchDir dir("fleet-signed");
  fs::create_directories(dir / "in");
  fs::copy(SamplesDir() / "scans" / "t01_khai_sinh_g4.tif", dir / "in" / "t01_khai_sinh_g4.tif");
  const std::string archive = (dir / "archive").string(), ledger = " --ledger " + Quote(url);
  auto enqueued = RunCommand(Sohoa() + " enqueue" + ledger + " --input " + Quote((dir / "in").string()));
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.output;
  const std::string root = (ltv.pki() / "root.pem").string();
  auto worker = RunCommand("SOHOA_ORG_KEY_SECRET=" + Quote(testing::kP12Secret) + " " + Sohoa() + " worker" +
                           ledger + " --archive " + Quote(archive) + " --jobs 1 --batch 1 --org-key " +
                           Quote((ltv.pki() / "signer.p12").string()) + " --tsa " +
                           Quote(ltv.base_url() + "/tsa/tsa") + " --tsa-trust " + Quote(root) +
                           " --signature-level lt");
  ASSERT_TRUE(worker.exit_code == 0 || worker.exit_code == 3) << worker.output;
  EXPECT_EQ(worker.output.find(testing::kP12Secret), std::string::npos) << "the secret was printed";
  auto verify = RunCommand(Sohoa() + " verify --ui-lang en --archive " + Quote(archive) + ledger +
                           " --trust-store " + Quote(root));
  EXPECT_EQ(verify.exit_code, 0) << verify.output << worker.output;
  EXPECT_NE(verify.output.find("LEVEL B-LT "), std::string::npos) << verify.output;
  std::string pdf;
  for (const auto& e : fs::recursive_directory_iterator(archive))
    if (e.path().extension() == ".pdf") pdf = e.path().string();
  ASSERT_FALSE(pdf.empty());
  const std::string pdfsig = RunCommand("pdfsig " + Quote(pdf)).output;
  EXPECT_NE(pdfsig.find("Signature Validation: Signature is Valid."), std::string::npos) << pdfsig;
}

TEST(WorkersTest, WrongDatabasePasswordFailsWithAClearMessage) {
  PostgresCluster cluster("s3cret-right");
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error, "s3cret-right");
  ASSERT_FALSE(url.empty()) << error;
  const std::string db = url.substr(url.rfind('/') + 1);
  ScratchDir dir("wrongpw");
  auto r = RunCommand(Sohoa() + " worker --ledger " + Quote(cluster.Url(db, "not-the-password")) +
                      " --archive " + Quote((dir / "archive").string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // In the default language (issue 20: the library's error said from the
  // catalogue), the server and database kept.
  EXPECT_NE(r.output.find("sổ cái PostgreSQL từ chối mật khẩu của người dùng sohoa"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("database " + db), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("127.0.0.1"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("not-the-password"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sohoa
