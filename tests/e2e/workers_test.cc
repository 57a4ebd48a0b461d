// End-to-end tests of `sohoa enqueue` and `sohoa worker` on a throwaway
// PostgreSQL cluster (issue 8): three workers on one batch, one killed with
// SIGKILL mid-document; enqueue twice; a wrong database password.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

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
  auto first = RunCommand(Sohoa() + " enqueue --ledger " + Quote(url) + " --input " + Quote(dir.path().string()));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("enqueued " + std::to_string(n) + " new of " + std::to_string(2 * n)),
            std::string::npos) << first.output;
  auto second = RunCommand("SOHOA_LEDGER=" + Quote(url) + " " + Sohoa() + " enqueue --input " +
                           Quote(dir.path().string()));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("enqueued 0 new"), std::string::npos) << second.output;
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

  const std::string worker = Sohoa() + " worker --ledger " + Quote(url) + " --archive " +
                             Quote(archive) + " --jobs 1 --batch 2 --lease 4";
  // The victim starts alone, and is killed once it holds a claim and has
  // had time to be inside a document.
  auto started = RunCommand(worker + " > " + Quote((dir / "victim.log").string()) + " 2>&1 & echo $!");
  const pid_t victim = std::stoi(started.output);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (One(url, "SELECT COUNT(*) FROM inputs WHERE status='processing'") == "0" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  const std::string victim_run =
      One(url, "SELECT run_id FROM runs WHERE pid=" + std::to_string(victim));
  ASSERT_FALSE(victim_run.empty());
  const std::string held = One(url, "SELECT COUNT(*) FROM work WHERE status='claimed' AND worker_id='" +
                                        victim_run + "'");
  ASSERT_NE(held, "0") << "the victim held nothing when killed";

  // The two survivors finish the batch, including the victim's items.
  const std::string a_log = (dir / "a.log").string(), b_log = (dir / "b.log").string();
  auto survivors = RunCommand(worker + " > " + Quote(a_log) + " 2>&1 & pa=$!; " + worker + " > " +
                              Quote(b_log) + " 2>&1 & pb=$!; wait $pa; ra=$?; wait $pb; rb=$?; "
                              "echo \"$ra $rb\"");
  const std::string logs = testing::ReadFile(a_log) + testing::ReadFile(b_log);
  // 0 = all archived, 3 = finished with some documents for review.
  for (const std::string& rc : {survivors.output.substr(0, 1), survivors.output.substr(2, 1)}) {
    EXPECT_TRUE(rc == "0" || rc == "3") << survivors.output << logs;
  }

  // Every input has one final outcome and one work item done.
  EXPECT_EQ(One(url, "SELECT COUNT(*) FROM work WHERE status='done'"), std::to_string(n)) << logs;
  EXPECT_EQ(One(url, "SELECT COUNT(*) FROM inputs WHERE status IN ('archived','review')"),
            std::to_string(n)) << logs;
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
  EXPECT_NE(r.output.find("refused the password of user sohoa"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("database " + db), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("127.0.0.1"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("not-the-password"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sohoa
