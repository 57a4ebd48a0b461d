// One suite of ledger behaviour run against both implementations: SQLite in
// a scratch folder and PostgreSQL in a throwaway cluster started by the test
// (tests/support/postgres_cluster.h). A backend that cannot be started fails
// the tests; nothing is skipped. PostgreSQL-only behaviour (work queue,
// concurrent migration, connection errors) is at the end.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pipeline/ledger/ledger.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "pipeline/report/find.h"
#include "pipeline/report/report.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::PostgresCluster;
using testing::ScratchDir;

// One cluster for the whole test program (starting one takes ~2 s); each
// test gets a fresh database in it.
PostgresCluster* g_cluster = nullptr;

PostgresCluster& Cluster() {
  if (g_cluster == nullptr) g_cluster = new PostgresCluster();
  return *g_cluster;
}

// Stops the shared cluster when the test program ends.
class ClusterEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override {
    delete g_cluster;
    g_cluster = nullptr;
  }
};
const auto* const kClusterEnvironment = ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

// Where one test's ledger lives; Open() may be called again to reopen it.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual StatusOr<std::unique_ptr<Ledger>> Open() = 0;
  // Runs SQL on the ledger's database behind the ledger's back (to turn a
  // ledger into one of an older schema); "" when it worked, else the error.
  virtual std::string Sql(const std::string& sql) = 0;
  // The first column of the first row of `sql` as text ("" when no row; the
  // error, prefixed "error: ", when it fails).
  virtual std::string Scalar(const std::string& sql) = 0;
};

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() : dir_("ledger") {}
  StatusOr<std::unique_ptr<Ledger>> Open() override {
    return OpenSqliteLedger((dir_ / "ledger.sqlite").string());
  }
  std::string Sql(const std::string& sql) override {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "ledger.sqlite").string().c_str(), &db);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error ? error : "error");
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
  }
  std::string Scalar(const std::string& sql) override {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "ledger.sqlite").string().c_str(), &db);
    sqlite3_stmt* q = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) {
      value = std::string("error: ") + sqlite3_errmsg(db);
    } else if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return value;
  }

 private:
  ScratchDir dir_;
};

class PostgresBackend final : public Backend {
 public:
  PostgresBackend() {
    if (!Cluster().ok()) {
      error_ = "PostgreSQL cluster did not start: " + Cluster().error();
      return;
    }
    url_ = Cluster().NewDatabase(&error_);
  }
  StatusOr<std::unique_ptr<Ledger>> Open() override {
    if (url_.empty()) return Status::Configuration(error_);
    StatusOr<std::unique_ptr<WorkLedger>> ledger = OpenPostgresLedger(url_);
    if (!ledger.ok()) return ledger.status();
    return std::unique_ptr<Ledger>(std::move(ledger).value());
  }
  const std::string& url() const { return url_; }
  std::string Sql(const std::string& sql) override {
    PGconn* conn = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    std::string message = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? "" : PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    return message;
  }
  std::string Scalar(const std::string& sql) override {
    PGconn* conn = PQconnectdb(url_.c_str());
    PGresult* r = PQexec(conn, sql.c_str());
    std::string value;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      value = std::string("error: ") + PQresultErrorMessage(r);
    } else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
      value = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
    PQfinish(conn);
    return value;
  }

 private:
  std::string url_, error_;
};

std::unique_ptr<Backend> MakeBackend(const std::string& name) {
  if (name == "postgres") return std::make_unique<PostgresBackend>();
  return std::make_unique<SqliteBackend>();
}

LedgerRecord Outcome(const std::string& sha, const std::string& source, const std::string& status,
                     const std::string& run) {
  LedgerRecord r;
  r.sha256 = sha;
  r.source = source;
  r.status = status;
  r.run_id = run;
  r.pages = 2;
  r.pdf = "bags/" + run + "/data/" + sha + ".pdf";
  return r;
}

class LedgerContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = MakeBackend(GetParam());
    ledger_ = Reopen();
    ASSERT_NE(ledger_, nullptr);
  }
  std::unique_ptr<Ledger> Reopen() {
    auto ledger = backend_->Open();
    EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
    return ledger.ok() ? std::move(ledger).value() : nullptr;
  }
  // Claims `sha` in run1 and records it with `status` and `details`.
  void AddOutcome(const std::string& sha, const std::string& status, const std::string& details) {
    ASSERT_TRUE(ledger_->ClaimInput(sha, sha + ".tif", "run1", 60).ok());
    LedgerRecord r = Outcome(sha, sha + ".tif", status, "run1");
    r.details_json = details;
    ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  }
  // `status`'s counts (issue 22) are kept by the ledger's writes: the kept
  // rows (PostgreSQL: with the changes not yet folded in) and Summarize()
  // must both equal a fresh count of the inputs.
  void ExpectCountsEqualAFreshCount(const std::string& when) {
    auto summary = ledger_->Summarize();
    ASSERT_TRUE(summary.ok()) << when << ": " << summary.status().ToString();
    const std::string kept =
        GetParam() == "postgres"
            ? "(SELECT status, documents, pages FROM status_counts UNION ALL "
              "SELECT status, documents, pages FROM status_count_changes) k"
            : "status_counts k";
    for (const std::string status : {"processing", "archived", "review", "quarantined"}) {
      const std::string fresh = backend_->Scalar("SELECT COUNT(*) FROM inputs WHERE status='" + status + "'");
      EXPECT_EQ(backend_->Scalar("SELECT COALESCE(SUM(documents), 0) FROM " + kept + " WHERE status='" +
                                 status + "'"),
                fresh)
          << when << ", " << status;
      EXPECT_EQ(std::to_string(summary->documents[status]), fresh) << when << ", " << status;
    }
    const std::string where = " WHERE status IN ('archived','review')";
    const std::string pages = backend_->Scalar("SELECT COALESCE(SUM(pages), 0) FROM inputs" + where);
    EXPECT_EQ(backend_->Scalar("SELECT COALESCE(SUM(pages), 0) FROM " + kept + where), pages) << when;
    EXPECT_EQ(std::to_string(summary->pages), pages) << when;
  }
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_P(LedgerContractTest, ArchivedInputIsNotClaimedAgainEvenUnderAnotherName) {
  auto claim = ledger_->ClaimInput("aa11", "scans/a.tif", "run1", 60);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
  EXPECT_EQ(claim->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(ledger_->RecordOutcome(Outcome("aa11", "scans/a.tif", "archived", "run1")).ok());

  auto again = ledger_->ClaimInput("aa11", "renamed/copy.tif", "run2", 60);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ClaimOutcome::kAlreadyDone);
  EXPECT_EQ(again->existing_source, "scans/a.tif");
  EXPECT_EQ(again->existing_status, "archived");
  auto sources = ledger_->SourcesOf("aa11");
  ASSERT_TRUE(sources.ok());
  // Both names, first seen first; two claims within the same second are in
  // path order, so which comes first depends on the clock: compare as a set.
  std::sort(sources->begin(), sources->end());
  EXPECT_EQ(*sources, (std::vector<std::string>{"renamed/copy.tif", "scans/a.tif"}));
}

TEST_P(LedgerContractTest, SameContentTwiceInOneRunIsADuplicate) {
  ASSERT_EQ(ledger_->ClaimInput("bb", "x/1.tif", "run1", 60)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger_->ClaimInput("bb", "x/2.tif", "run1", 60)->outcome, ClaimOutcome::kHeldByThisRun);
}

TEST_P(LedgerContractTest, LiveLeaseOfAnotherRunIsRespectedAndExpiredLeaseIsTaken) {
  ASSERT_EQ(ledger_->ClaimInput("cc", "a.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger_->ClaimInput("cc", "a.tif", "run2", 3600)->outcome, ClaimOutcome::kHeldElsewhere);
  ASSERT_EQ(ledger_->ClaimInput("dd", "b.tif", "run1", -1)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger_->ClaimInput("dd", "b.tif", "run2", 3600)->outcome, ClaimOutcome::kClaimed);
  // run1 lost "dd": its late outcome must not overwrite run2's claim.
  Status late = ledger_->RecordOutcome(Outcome("dd", "b.tif", "archived", "run1"));
  EXPECT_EQ(late.code(), StatusCode::kBusy) << late.ToString();
  ASSERT_TRUE(ledger_->RecordOutcome(Outcome("dd", "b.tif", "archived", "run2")).ok());
  auto found = ledger_->Find("dd");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->run_id, "run2");
  EXPECT_EQ((*found)->pdf, "bags/run2/data/dd.pdf");
}

TEST_P(LedgerContractTest, RecordingTheSameOutcomeTwiceIsIdempotent) {
  ASSERT_EQ(ledger_->ClaimInput("ab", "a.tif", "run1", 60)->outcome, ClaimOutcome::kClaimed);
  LedgerRecord r = Outcome("ab", "a.tif", "archived", "run1");
  ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  int n = 0;
  ASSERT_TRUE(ledger_
                  ->ForEachRecord([&](const LedgerRecord& rec) {
                    ++n;
                    EXPECT_EQ(rec.status, "archived");
                  })
                  .ok());
  EXPECT_EQ(n, 1);
}

TEST_P(LedgerContractTest, AbandonedRunReleasesItsClaimsAndHidesNothingArchived) {
  RunRecord run;
  run.run_id = "run1";
  run.started_at = "2026-11-30T00:00:00Z";
  run.host = "host-a";
  run.pid = 4242;
  ASSERT_TRUE(ledger_->StartRun(run).ok());
  ASSERT_EQ(ledger_->ClaimInput("ee", "a.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(ledger_->ClaimInput("ff", "b.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(ledger_->RecordOutcome(Outcome("ff", "b.tif", "archived", "run1")).ok());
  auto released = ledger_->AbandonRun("run1");
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(*released, 1);
  EXPECT_EQ(ledger_->ClaimInput("ee", "a.tif", "run2", 3600)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger_->ClaimInput("ff", "b.tif", "run2", 3600)->outcome, ClaimOutcome::kAlreadyDone);
  auto runs = ledger_->Runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().state, "interrupted");
  EXPECT_EQ(runs->front().host, "host-a");
  EXPECT_EQ(runs->front().pid, 4242);
}

TEST_P(LedgerContractTest, FinishedRunKeepsItsCounts) {
  RunRecord run;
  run.run_id = "r9";
  run.started_at = "2026-11-30T01:00:00Z";
  ASSERT_TRUE(ledger_->StartRun(run).ok());
  run.finished_at = "2026-11-30T01:05:00Z";
  run.state = "finished";
  run.counts_json = R"({"archived":3})";
  ASSERT_TRUE(ledger_->FinishRun(run).ok());
  auto runs = ledger_->Runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().finished_at, "2026-11-30T01:05:00Z");
  EXPECT_EQ(runs->front().state, "finished");
  EXPECT_EQ(runs->front().counts_json, R"({"archived":3})");
  // A second run with the same id is refused, not merged.
  EXPECT_FALSE(ledger_->StartRun(run).ok());
}

TEST_P(LedgerContractTest, QuarantinedInputIsRetriedByTheNextRun) {
  ASSERT_TRUE(ledger_->ClaimInput("gg", "bad.tif", "run1", 60).ok());
  LedgerRecord q = Outcome("gg", "bad.tif", "quarantined", "run1");
  q.reason = "truncated";
  ASSERT_TRUE(ledger_->RecordOutcome(q).ok());
  auto found = ledger_->Find("gg");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->reason, "truncated");
  EXPECT_EQ(ledger_->ClaimInput("gg", "bad.tif", "run2", 60)->outcome, ClaimOutcome::kClaimed);
}

TEST_P(LedgerContractTest, OutcomesSurviveReopeningAndListInFirstSeenOrder) {
  for (std::string sha : {"03", "01", "02"}) {
    ASSERT_TRUE(ledger_->ClaimInput(sha, "f" + sha, "run1", 60).ok());
    LedgerRecord r = Outcome(sha, "f" + sha, "archived", "run1");
    r.seconds = 1.5;
    r.details_json = R"({"k":"v"})";
    ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  }
  ASSERT_TRUE(ledger_->ClaimInput("04", "still-processing", "run1", 60).ok());
  ledger_.reset();
  auto ledger = Reopen();
  ASSERT_NE(ledger, nullptr);
  std::vector<std::string> order;
  ASSERT_TRUE(ledger->ForEachRecord([&](const LedgerRecord& r) { order.push_back(r.sha256); }).ok());
  EXPECT_EQ(order, (std::vector<std::string>{"03", "01", "02"}));
  auto found = ledger->Find("01");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->pdf, "bags/run1/data/01.pdf");
  EXPECT_EQ((*found)->pages, 2);
  EXPECT_DOUBLE_EQ((*found)->seconds, 1.5);
  EXPECT_EQ((*found)->details_json, R"({"k":"v"})");
  EXPECT_EQ((*found)->source, "f01");
  EXPECT_FALSE((*found)->updated_at.empty());
  auto missing = ledger->Find("nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(LedgerContractTest, ConcurrentClaimsFromManyThreadsGiveExactlyOneWinnerPerInput) {
  std::atomic<int> winners{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto c = ledger_->ClaimInput("sha" + std::to_string(i), "p" + std::to_string(t),
                                     "run" + std::to_string(t), 600);
        if (!c.ok()) ++errors;
        if (c.ok() && c->outcome == ClaimOutcome::kClaimed) ++winners;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(winners.load(), 25);
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(LedgerContractTest, ConcurrentClaimsFromSeparateConnectionsGiveOneWinner) {
  // Separate ledger objects: for PostgreSQL, separate connections, as
  // separate worker processes have.
  std::vector<std::unique_ptr<Ledger>> ledgers;
  for (int t = 0; t < 3; ++t) ledgers.push_back(Reopen());
  std::atomic<int> winners{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        auto c = ledgers[t]->ClaimInput("s" + std::to_string(i), "p", "w" + std::to_string(t), 600);
        if (!c.ok()) ++errors;
        if (c.ok() && c->outcome == ClaimOutcome::kClaimed) ++winners;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(winners.load(), 30);
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(LedgerContractTest, InventoryUpsertCountsAndLookups) {
  InventoryRecord a{"KS-1", "khai_sinh", "12", "01/2019", "2019-03-04", "001099000123", true, "reg.csv:2"};
  InventoryRecord b{"KH-7", "ket_hon", "7", "", "2020-01-02", "", false, "reg.csv:3"};
  auto first = ledger_->UpsertInventory({a, b});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, 2);
  auto same = ledger_->UpsertInventory({a, b});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->unchanged, 2);
  EXPECT_EQ(same->inserted + same->updated, 0);
  b.valid = true;
  auto changed = ledger_->UpsertInventory({a, b});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->unchanged, 1);
  EXPECT_EQ(*ledger_->CountInventory(), 2);

  auto found = ledger_->FindInventory("khai_sinh", "12", "01/2019");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().holder_id, "001099000123");
  EXPECT_TRUE(found->front().valid);
  auto no_book = ledger_->FindInventory("ket_hon", "7", "");
  ASSERT_TRUE(no_book.ok());
  ASSERT_EQ(no_book->size(), 1u);
  EXPECT_TRUE(no_book->front().valid);
  auto all = ledger_->InventoryRecords();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().record_id, "KH-7");  // ordered by record_id

  auto by_holder = ledger_->FindInventoryByHolder("khai_sinh", "001099000123");
  ASSERT_TRUE(by_holder.ok()) << by_holder.status().ToString();
  ASSERT_EQ(by_holder->size(), 1u);
  EXPECT_EQ(by_holder->front().number, "12");
  auto other_type = ledger_->FindInventoryByHolder("ket_hon", "001099000123");
  ASSERT_TRUE(other_type.ok());
  EXPECT_TRUE(other_type->empty());
}

TEST_P(LedgerContractTest, ExtractedMetadataFindsHolderAndMatches) {
  AddOutcome("h1", "archived",
             R"({"metadata":{"doc_type":"khai_sinh","holder_id":"0011","record_id":"KS-1"}})");
  AddOutcome("h2", "review", R"({"metadata":{"doc_type":"ket_hon","holder_id":"0011"}})");
  AddOutcome("h3", "quarantined",
             R"({"metadata":{"doc_type":"khai_sinh","holder_id":"0011","record_id":"KS-1"}})");
  AddOutcome("h4", "archived", "not json at all");
  auto holder = ledger_->FindByHolder("0011", "");
  ASSERT_TRUE(holder.ok()) << holder.status().ToString();
  ASSERT_EQ(holder->size(), 2u);
  EXPECT_EQ((*holder)[0].sha256, "h1");
  EXPECT_EQ((*holder)[1].sha256, "h2");
  auto births = ledger_->FindByHolder("0011", "khai_sinh");
  ASSERT_TRUE(births.ok());
  ASSERT_EQ(births->size(), 1u);
  auto matched = ledger_->InputsMatchedTo("KS-1");
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(*matched, std::vector<std::string>{"h1"});
}

// Issue 22 (bytes per record): both ledgers store details without the XMP
// twins of the facts beside them, whether a run or a review writes them.
TEST_P(LedgerContractTest, DetailsAreStoredWithoutXmpTwinsByRunsAndReviews) {
  const std::string details =
      R"({"fields":{"ho_ten":{"value":"NGUYEN","confidence":0.51234567}},"metadata":{"holder_id":"0011",)"
      R"("xmp:sohoa:HolderId":"0011","xmp:sohoaf:ho_ten":"NGUYEN","xmp:ns:sohoaf":"u"}})";
  ASSERT_TRUE(ledger_->ClaimInput("tw1", "tw1.tif", "run1", 60).ok());
  LedgerRecord r = Outcome("tw1", "tw1.tif", "review", "run1");
  r.details_json = details;
  ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  auto seen = ledger_->Find("tw1");
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ((*seen)->details_json,
            R"({"fields":{"ho_ten":{"confidence":0.5123,"value":"NGUYEN"}},"metadata":{"holder_id":"0011",)"
            R"("xmp:ns:sohoaf":"u"}})");
  LedgerRecord corrected = **seen;
  corrected.status = "archived";
  corrected.details_json = details;
  ASSERT_TRUE(
      ledger_->RecordReview(corrected, (*seen)->updated_at, ReviewRecord{"tw1", "lan", "t", "{}"}).ok());
  auto reviewed = ledger_->Find("tw1");
  ASSERT_TRUE(reviewed.ok() && reviewed->has_value());
  EXPECT_EQ((*reviewed)->details_json, (*seen)->details_json);
  auto holder = ledger_->FindByHolder("0011", "");  // the generated column reads the plain key
  ASSERT_TRUE(holder.ok());
  EXPECT_EQ(holder->size(), 1u);
}

// Issue 22: `report` counts register books and keyed records from these
// sets (an index each), not from every record: each holds exactly its own.
TEST_P(LedgerContractTest, RecordSetsHoldRegisterBooksAndKeyedRecordsOnly) {
  AddOutcome("b1", "archived", R"({"metadata":{"record_kind":"register_book","register_kind":"khai_sinh"}})");
  AddOutcome("p1", "archived", R"({"metadata":{"doc_type":"khai_sinh","holder_id":"0011"}})");
  AddOutcome("e1", "review", R"({"metadata":{"record_kind":"register_entry"},"keying":{"by":"lan"}})");
  AddOutcome("k1", "archived", R"({"keying":{"by":"minh"},"note":"register_kind in text only"})");
  AddOutcome("x1", "archived", R"({"keying":"not an object"})");
  AddOutcome("n1", "archived", "not json at all");
  ASSERT_TRUE(ledger_->ClaimInput("w1", "w1.tif", "run1", 60).ok());  // processing: never listed
  auto listed = [&](Ledger::RecordSet set) {
    std::vector<std::string> shas;
    EXPECT_TRUE(ledger_->ForEachRecordIn(set, [&](const LedgerRecord& r) { shas.push_back(r.sha256); }).ok());
    return shas;
  };
  EXPECT_EQ(listed(Ledger::RecordSet::kRegisterBook), (std::vector<std::string>{"b1", "e1"}));
  EXPECT_EQ(listed(Ledger::RecordSet::kKeyed), (std::vector<std::string>{"e1", "k1"}));
}

TEST_P(LedgerContractTest, ReviewIsAppliedOnceAndASecondReviewerIsRefused) {
  ASSERT_TRUE(ledger_->ClaimInput("rv1", "rv1.tif", "run1", 60).ok());
  LedgerRecord r = Outcome("rv1", "rv1.tif", "review", "run1");
  r.reason = "fields: so_dinh_danh not found";
  r.details_json = R"({"fields":{"ho_ten":{"value":"NGUYEN","confidence":0.5}}})";
  ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  auto seen = ledger_->Find("rv1");
  ASSERT_TRUE(seen.ok() && seen->has_value());
  const std::string seen_at = (*seen)->updated_at;

  LedgerRecord corrected = **seen;
  corrected.status = "archived";
  corrected.reason = "";
  corrected.pdf = "bags/review-1/data/rv/rv1.pdf";
  corrected.details_json = R"({"fields":{"ho_ten":{"value":"NGUYỄN","confidence":1}}})";
  ReviewRecord first{"rv1", "lan", "2026-11-30T03:00:00Z",
                     R"({"fields":{"ho_ten":{"from":"NGUYEN","to":"NGUYỄN"}}})"};
  Status applied = ledger_->RecordReview(corrected, seen_at, first);
  ASSERT_TRUE(applied.ok()) << applied.ToString();

  // A second reviewer who opened the same version is told, and changes nothing.
  LedgerRecord other = corrected;
  other.details_json = R"({"fields":{"ho_ten":{"value":"TRẦN","confidence":1}}})";
  Status late =
      ledger_->RecordReview(other, seen_at, ReviewRecord{"rv1", "minh", "2026-11-30T03:00:01Z", "{}"});
  EXPECT_EQ(late.code(), StatusCode::kBusy) << late.ToString();
  // Replaying the first confirmation is refused as well: it was applied once.
  EXPECT_EQ(ledger_->RecordReview(corrected, seen_at, first).code(), StatusCode::kBusy);
  auto now = ledger_->Find("rv1");
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->status, "archived");
  EXPECT_EQ((*now)->reason, "");
  EXPECT_EQ((*now)->pdf, "bags/review-1/data/rv/rv1.pdf");
  EXPECT_NE((*now)->details_json.find("NGUYỄN"), std::string::npos);
  auto history = ledger_->ReviewsOf("rv1");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reviewer, "lan");
  EXPECT_EQ((*history)[0].reviewed_at, "2026-11-30T03:00:00Z");
  EXPECT_NE((*history)[0].changes_json.find("NGUYỄN"), std::string::npos);

  Status unknown = ledger_->RecordReview(Outcome("zz", "zz.tif", "archived", "run1"), seen_at, first);
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound) << unknown.ToString();
}

// Issue 15: two documents confirmed at once against one register record —
// the check that the record is free is part of the confirming transaction.
TEST_P(LedgerContractTest, ReviewIsRefusedWhenItsRegisterRecordIsAlreadyMatched) {
  for (const char* sha : {"m1", "m2"}) {
    ASSERT_TRUE(ledger_->ClaimInput(sha, std::string(sha) + ".tif", "run1", 60).ok());
    LedgerRecord r = Outcome(sha, std::string(sha) + ".tif", "review", "run1");
    r.details_json = R"({"metadata":{"doc_type":"khai_sinh"}})";
    ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  }
  ASSERT_TRUE(
      ledger_->UpsertInventory({InventoryRecord{"KS-9", "khai_sinh", "9", "1", "2020-01-02", "", true, ""}})
          .ok());
  auto confirm = [&](const char* sha) {
    auto seen = ledger_->Find(sha);
    EXPECT_TRUE(seen.ok() && seen->has_value());
    LedgerRecord corrected = **seen;
    corrected.status = "archived";
    corrected.details_json = R"({"metadata":{"doc_type":"khai_sinh","record_id":"KS-9"}})";
    return ledger_->RecordReview(corrected, (*seen)->updated_at,
                                 ReviewRecord{sha, "lan", "2026-11-30T03:00:00Z", "{}"});
  };
  ASSERT_TRUE(confirm("m1").ok());
  Status second = confirm("m2");
  EXPECT_EQ(second.code(), StatusCode::kInvalidInput) << second.ToString();
  EXPECT_NE(second.message().find("already matched"), std::string::npos);
  auto m2 = ledger_->Find("m2");
  ASSERT_TRUE(m2.ok() && m2->has_value());
  EXPECT_EQ((*m2)->status, "review");
  auto history = ledger_->ReviewsOf("m2");
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
  auto matched = ledger_->InputsMatchedTo("KS-9");
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(*matched, std::vector<std::string>{"m1"});
}

// The report aggregated from the ledger's cursor (issue 22) against the
// in-memory path on the same register and outcomes — report_test's
// hand-computed register: validity on a date, expiry of marital-status
// certificates, first digitization day, forecasts and capped lists.
TEST_P(LedgerContractTest, ReportStreamedFromTheLedgerEqualsTheInMemoryReport) {
  auto record = [](const char* id, const char* type, const char* issued, bool valid = true) {
    InventoryRecord r;
    r.record_id = id;
    r.doc_type = type;
    r.number = std::string(id).substr(1);
    r.number_printed = r.number + "/UBND";
    r.book = std::string(type) == "khai_sinh" ? "01/2019" : "";
    r.issue_date = issued;
    r.valid = valid;
    r.source = "register.csv:1";
    return r;
  };
  ASSERT_TRUE(
      ledger_
          ->UpsertInventory({record("R1", "khai_sinh", "2019-05-01"), record("R2", "khai_sinh", "2020-02-02"),
                             record("R3", "khai_sinh", "2021-06-01"), record("R4", "ket_hon", "2018-01-01"),
                             record("R5", "ket_hon", "2020-01-01", false),
                             record("R6", "tinh_trang_hon_nhan", "2025-03-01"),
                             record("R7", "tinh_trang_hon_nhan", "2024-06-01"),
                             record("R8", "tinh_trang_hon_nhan", "2025-05-01"),
                             record("R9", "khai_tu", "2022-08-08"), record("R10", "khai_tu", "2025-08-01")})
          .ok());
  // Inputs matched to register records, on the days of report_test; a
  // quarantined one and one matched outside the register count for nothing.
  struct Match {
    const char* sha;
    const char* record;
    const char* status;
    const char* day;
  };
  const Match matches[] = {{"a1", "R1", "archived", "2024-03-10"},    {"a2", "R2", "review", "2024-03-10"},
                           {"a4", "R4", "archived", "2025-01-05"},    {"a5", "R5", "archived", "2024-01-01"},
                           {"a6", "R6", "archived", "2025-03-20"},    {"a7", "R7", "archived", "2024-06-10"},
                           {"a9", "R9", "archived", "2023-12-31"},    {"b9", "R9", "archived", "2024-02-02"},
                           {"q3", "R3", "quarantined", "2024-01-01"}, {"x", "R99", "archived", "2024-02-02"}};
  for (const Match& m : matches) {
    ASSERT_TRUE(ledger_->ClaimInput(m.sha, std::string(m.sha) + ".tif", "run1", 60).ok());
    LedgerRecord r = Outcome(m.sha, std::string(m.sha) + ".tif", m.status, "run1");
    r.reason = std::string(m.status) == "archived" ? "" : "needs a person";
    r.details_json = std::string(R"({"metadata":{"record_id":")") + m.record + "\"}}";
    ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
    ASSERT_EQ(backend_->Sql("UPDATE inputs SET updated_at='" + std::string(m.day) +
                            "T20:00:00Z' WHERE sha256='" + m.sha + "'"),
              "");
  }
  for (auto [id, started, archived] :
       {std::tuple{"run-a", "2025-06-22T20:00:00Z", 3}, std::tuple{"run-a2", "2025-06-25T20:00:00Z", 0},
        std::tuple{"run-b", "2025-06-28T20:00:00Z", 4}, std::tuple{"run-c", "2025-07-05T20:00:00Z", 50}}) {
    RunRecord run;
    run.run_id = id;
    run.started_at = started;
    ASSERT_TRUE(ledger_->StartRun(run).ok());
    run.state = "finished";
    run.finished_at = started;
    run.counts_json = "{\"archived\": " + std::to_string(archived) + "}";
    ASSERT_TRUE(ledger_->FinishRun(run).ok());
  }
  const std::map<std::string, int> months = {{"tinh_trang_hon_nhan", 6}};

  for (const char* as_of : {"2025-07-01", "2024-06-15", "2019-01-01"}) {
    for (int64_t limit : {int64_t{1000}, int64_t{1}}) {
      SCOPED_TRACE(std::string(as_of) + " limit " + std::to_string(limit));
      ReportInput settings;
      settings.as_of = as_of;
      settings.list_limit = limit;
      StatusOr<Report> streamed = ComputeLedgerReport(*ledger_, months, settings);
      ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();

      ReportInput whole = settings;
      auto inventory = LoadInventoryFromLedger(*ledger_, months);
      auto found = LoadMatchesFromLedger(*ledger_);
      ASSERT_TRUE(inventory.ok() && found.ok());
      whole.inventory = *inventory;
      whole.matches = *found;
      ASSERT_TRUE(LoadLedgerFacts(*ledger_, &whole).ok());
      StatusOr<Report> in_memory = ComputeReport(whole);
      ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();

      std::ostringstream a, b, c, d;
      WriteReportJson(*streamed, a);
      WriteReportJson(*in_memory, b);
      EXPECT_EQ(a.str(), b.str());
      WriteReportText(*streamed, ReportLang::kEn, c);
      WriteReportText(*in_memory, ReportLang::kEn, d);
      EXPECT_EQ(c.str(), d.str());
      EXPECT_EQ(streamed->not_digitized.size(), std::min<size_t>(limit, streamed->not_digitized_total));
      EXPECT_EQ(streamed->review_total, 1);
      EXPECT_EQ(streamed->quarantined_total, 1);
      if (std::string(as_of) != "2025-07-01") continue;
      // report_test's hand-computed figures.
      EXPECT_EQ(streamed->overall.valid_total, 7);
      EXPECT_EQ(streamed->overall.digitized, 4);
      EXPECT_EQ(streamed->by_type.at("tinh_trang_hon_nhan").valid_total, 2);
      EXPECT_EQ(streamed->by_year.count(2024), 0u);
      ASSERT_EQ(streamed->targets.size(), 5u);
      EXPECT_DOUBLE_EQ(*streamed->targets[3].actual, 40);
      EXPECT_EQ(streamed->targets[2].state, TargetState::kMissed);
      EXPECT_EQ(streamed->targets[2].reached_late_on, "2025-01-05");
      EXPECT_EQ(streamed->targets[4].forecast_date, "2025-07-06");
      EXPECT_EQ(streamed->forecast_full, "2025-07-06");
      EXPECT_EQ(streamed->not_digitized_total, 3);
      EXPECT_EQ(streamed->not_digitized.front().record_id, "R2");
      EXPECT_EQ(streamed->not_digitized.front().number, "2/UBND / 01/2019");
      EXPECT_EQ(streamed->review_only, 1);
    }
  }
}

TEST_P(LedgerContractTest, ReportWithoutARegisterIsNotFound) {
  ReportInput settings;
  settings.as_of = "2025-07-01";
  StatusOr<Report> report = ComputeLedgerReport(*ledger_, {}, settings);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
}

// Issue 18: the review station's leases, as several stations (separate
// connections) take them at once.
TEST_P(LedgerContractTest, StatusCountsKeptByEveryWriteEqualAFreshCount) {
  const bool postgres = GetParam() == "postgres";
  for (const std::string sha : {"a", "b", "c", "d"}) ASSERT_TRUE(ledger_->ClaimInput(sha, sha, "run1", 60).ok());
  ExpectCountsEqualAFreshCount("claimed");
  LedgerRecord a = Outcome("a", "a", "archived", "run1"), b = Outcome("b", "b", "review", "run1"),
               c = Outcome("c", "c", "quarantined", "run1");
  a.pages = 3;
  b.pages = 5;
  c.pages = 1;
  for (const LedgerRecord& r : {a, b, c, a}) ASSERT_TRUE(ledger_->RecordOutcome(r).ok());  // a twice
  ExpectCountsEqualAFreshCount("recorded");
  ASSERT_EQ(ledger_->ClaimInput("c", "c2", "run2", 60)->outcome, ClaimOutcome::kClaimed);  // retried
  ExpectCountsEqualAFreshCount("quarantined input claimed again");
  c = Outcome("c", "c2", "archived", "run2");
  c.pages = 7;
  ASSERT_TRUE(ledger_->RecordOutcome(c).ok());
  ASSERT_TRUE(ledger_->AbandonRun("run1").ok());
  ExpectCountsEqualAFreshCount("retried and abandoned");
  auto seen = ledger_->Find("b");
  ASSERT_TRUE(seen.ok() && seen->has_value());
  LedgerRecord confirmed = **seen;
  confirmed.status = "archived";
  ASSERT_TRUE(ledger_->RecordReview(confirmed, (*seen)->updated_at, ReviewRecord{"b", "lan", "t", "{}"}).ok());
  ExpectCountsEqualAFreshCount("reviewed");
  if (postgres) {  // folding the changes into the counts changes no count
    EXPECT_NE(backend_->Scalar("SELECT COUNT(*) FROM status_count_changes"), "0");
    ASSERT_EQ(backend_->Sql("SELECT sohoa_fold_status_counts()"), "");
    EXPECT_EQ(backend_->Scalar("SELECT COUNT(*) FROM status_count_changes"), "0");
    ExpectCountsEqualAFreshCount("folded");
  }
  // A ledger made before the counts existed gets them from its rows.
  ledger_.reset();
  ASSERT_EQ(backend_->Sql(postgres ? "DROP TABLE status_counts, status_count_changes; "
                                     "DROP FUNCTION sohoa_count_inserted, sohoa_count_deleted, "
                                     "sohoa_count_updated CASCADE; DROP FUNCTION sohoa_fold_status_counts; "
                                     "DROP INDEX inputs_record_match; CREATE INDEX inputs_record ON inputs(record_id); "
                                     "DELETE FROM schema_migrations WHERE version >= 10;"
                                   : "DROP TRIGGER status_counts_insert; DROP TRIGGER status_counts_delete; "
                                     "DROP TRIGGER status_counts_update; DROP TABLE status_counts; "
                                     "DROP INDEX inputs_record_match; CREATE INDEX inputs_record ON inputs(record_id); "
                                     "PRAGMA user_version=7;"),
            "");
  ledger_ = Reopen();
  ASSERT_NE(ledger_, nullptr);
  ExpectCountsEqualAFreshCount("migrated");
}

TEST_P(LedgerContractTest, AReviewLeaseGivesAnInputToOneOperatorAtATime) {
  ASSERT_TRUE(ledger_->ClaimInput("lz", "lz.tif", "run1", 60).ok());
  ASSERT_TRUE(ledger_->RecordOutcome(Outcome("lz", "lz.tif", "review", "run1")).ok());
  std::vector<std::unique_ptr<Ledger>> stations;
  for (int t = 0; t < 4; ++t) stations.push_back(Reopen());
  std::atomic<int> holders{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto taken = stations[t]->TakeReviewLease("lz", "op" + std::to_string(t), 600, 1);
      if (!taken.ok()) ++errors;
      if (taken.ok() && *taken) ++holders;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(holders.load(), 1);
  EXPECT_EQ(errors.load(), 0);
  auto live = ledger_->ReviewLeaseHolders();
  ASSERT_TRUE(live.ok());
  ASSERT_EQ((*live)["lz"].size(), 1u);
  const std::string holder = (*live)["lz"][0];
  const std::string other = holder == "op0" ? "op1" : "op0";
  EXPECT_TRUE(*ledger_->TakeReviewLease("lz", holder, 600, 1));   // renewed
  EXPECT_FALSE(*ledger_->TakeReviewLease("lz", other, 600, 1));   // held
  EXPECT_TRUE(*ledger_->TakeReviewLease("lz", other, 600, 2));    // double keying's second keyer
  EXPECT_FALSE(*ledger_->TakeReviewLease("lz", "op9", 600, 2));   // never a third
  ASSERT_TRUE(ledger_->ReleaseReviewLease("lz", holder).ok());
  ASSERT_TRUE(ledger_->ReleaseReviewLease("lz", other).ok());
  // A lease that ran out is taken by the next operator.
  EXPECT_TRUE(*ledger_->TakeReviewLease("lz", "op8", -1, 1));
  EXPECT_TRUE(*ledger_->TakeReviewLease("lz", "op9", 600, 1));
  EXPECT_EQ(ledger_->TakeReviewLease("nope", "op9", 600, 1).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(ledger_->ClaimInput("done", "done.tif", "run1", 60).ok());
  ASSERT_TRUE(ledger_->RecordOutcome(Outcome("done", "done.tif", "archived", "run1")).ok());
  EXPECT_EQ(ledger_->TakeReviewLease("done", "op9", 600, 1).status().code(), StatusCode::kBusy);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerContractTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// --- Finding a citizen's records and the ledger at scale (issue 22) ---

// A record with extracted fields, as the archive step writes it.
std::string Details(const std::string& type, const std::string& holder, const std::string& fields,
                    const std::string& bag = "run1") {
  return R"({"metadata":{"doc_type":")" + type + R"(","holder_id":")" + holder + R"(","result_code":")" +
         holder + "." + type + R"("},"fields":{)" + fields + R"(},"outputs":{"pdf":{"path":"bags/)" + bag +
         R"(/data/x.pdf","sha256":")" + std::string(64, 'a') + R"(","bytes":1}}})";
}

std::string F(const std::string& key, const std::string& value) {
  return "\"" + key + R"(":{"value":")" + value + R"(","confidence":0.9})";
}

class FindContractTest : public LedgerContractTest {
 protected:
  void Add(const std::string& sha, const std::string& status, const std::string& details) {
    ASSERT_TRUE(ledger_->ClaimInput(sha, sha + ".tif", "run1", 60).ok());
    LedgerRecord r = Outcome(sha, sha + ".tif", status, "run1");
    r.details_json = details;
    ASSERT_TRUE(ledger_->RecordOutcome(r).ok());
  }
  void AddCitizens() {
    Add("ks1", "archived",
        Details("khai_sinh", "001190123456",
                F("ho_ten", "NGUYỄN VĂN AN") + "," + F("ngay_sinh", "1990-03-02") + "," +
                    F("so_dinh_danh", "001190123456") + "," + F("ho_ten_me", "TRẦN THỊ BÌNH") + "," +
                    F("so", "12") + "," + F("quyen_so", "01/1990") + "," + F("ngay_dang_ky", "1990-03-10")));
    Add("kh1", "review",
        Details("ket_hon", "001090000111",
                F("ho_ten_chong", "LÊ VĂN CƯỜNG") + "," + F("ngay_sinh_chong", "1988-01-01") + "," +
                    F("so_dinh_danh_chong", "001090000111") + "," + F("ho_ten_vo", "Nguyễn Văn An") + "," +
                    F("ngay_sinh_vo", "1990-03-02") + "," + F("so_dinh_danh_vo", "001190123456")));
    Add("ks2", "quarantined",
        Details("khai_sinh", "001190123456",
                F("ho_ten", "NGUYỄN VĂN AN") + "," + F("ngay_sinh", "1990-03-02")));
    Add("ks3", "archived",
        Details("khai_sinh", "001200999999",
                F("ho_ten", "NGUYỄN VĂN AN") + "," + F("ngay_sinh", "2000-12-31") + "," +
                    F("so_dinh_danh", "001200999999")));
  }
  StatusOr<FindResult> Find(FindRequest request) {
    request.who = "clerk1";
    if (request.purpose.empty()) request.purpose = "cấp bản sao trích lục";
    return FindCitizenRecords(*ledger_, request);
  }
  static std::vector<std::string> Shas(const FindResult& result) {
    std::vector<std::string> out;
    for (const FoundRecord& r : result.records) out.push_back(r.sha256);
    return out;
  }
};

TEST_P(FindContractTest, HolderIdFindsArchivedAndReviewRecordsWithTheirRegisterFacts) {
  AddCitizens();
  FindRequest request;
  request.holder_id = "001190123456";
  auto found = Find(request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(Shas(*found), std::vector<std::string>{"ks1"});  // ks2 is quarantined
  const FoundRecord& r = found->records.front();
  EXPECT_EQ(r.doc_type, "khai_sinh");
  EXPECT_EQ(r.result_code, "001190123456.khai_sinh");
  EXPECT_EQ(r.number, "12");
  EXPECT_EQ(r.book, "01/1990");
  EXPECT_EQ(r.registered_on, "1990-03-10");
  EXPECT_EQ(r.status, "archived");
  EXPECT_EQ(r.pdf, "bags/run1/data/ks1.pdf");
  EXPECT_EQ(r.pdf_version, 1);
  EXPECT_EQ(r.names, std::vector<std::string>{"NGUYỄN VĂN AN"});
}

TEST_P(FindContractTest, NamesMatchWhateverTheCaseAccentsSpacingAndNormalForm) {
  AddCitizens();
  for (const std::string& typed : {std::string("nguyen van an"), std::string("  NGUYEN  Văn-an "),
                                   std::string("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An")}) {  // NFD
    FindRequest request;
    request.name = typed;
    auto found = Find(request);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    // The bride of kh1 too (a spouse is a person of a marriage record).
    EXPECT_EQ(Shas(*found), (std::vector<std::string>{"ks1", "kh1", "ks3"})) << typed;
  }
  FindRequest born;
  born.name = "nguyen van an";
  born.birth_date = "02/03/1990";
  EXPECT_EQ(Shas(*Find(born)), (std::vector<std::string>{"ks1", "kh1"}));
  born.doc_type = "ket_hon";
  EXPECT_EQ(Shas(*Find(born)), std::vector<std::string>{"kh1"});
  FindRequest mother;  // parents named on a birth certificate are not its persons
  mother.name = "tran thi binh";
  EXPECT_TRUE(Find(mother)->records.empty());
}

TEST_P(FindContractTest, EverySearchIsAuditedWithoutItsValuesAndAPurposeIsRequired) {
  AddCitizens();
  FindRequest request;
  request.name = "Nguyễn Văn An";
  request.birth_date = "1990-03-02";
  request.purpose = "   ";
  auto refused = Find(request);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(ledger_->AccessLog(10)->empty());  // nothing searched, nothing logged

  request.purpose = "hồ sơ đăng ký kết hôn";
  ASSERT_TRUE(Find(request).ok());
  request = FindRequest{};
  request.holder_id = "000000000000";
  ASSERT_TRUE(Find(request).ok());
  auto log = ledger_->AccessLog(10);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 2u);
  const AccessRecord& first = (*log)[0];
  EXPECT_EQ(first.who, "clerk1");
  EXPECT_EQ(first.via, "cli");
  EXPECT_EQ(first.purpose, "hồ sơ đăng ký kết hôn");
  EXPECT_EQ(first.query_kind, "name+birth_date");
  EXPECT_EQ(first.returned, 2);
  EXPECT_EQ(first.records_json, R"(["ks1","kh1"])");
  EXPECT_FALSE(first.at.empty());
  EXPECT_EQ((*log)[1].query_kind, "holder");
  EXPECT_EQ((*log)[1].returned, 0);
  for (const AccessRecord& a : *log) {  // the values searched for are nowhere in the log
    for (const std::string& field : {a.at, a.who, a.via, a.purpose, a.query_kind, a.records_json}) {
      EXPECT_EQ(field.find("000000000000"), std::string::npos);
      EXPECT_EQ(field.find("1990"), std::string::npos);
      EXPECT_EQ(field.find("guy"), std::string::npos);
    }
  }
}

TEST_P(FindContractTest, MalformedRequestsAreRefusedWithoutRepeatingTheirValues) {
  FindRequest both;
  both.holder_id = "001190123456";
  both.name = "An";
  EXPECT_EQ(Find(both).status().code(), StatusCode::kInvalidInput);
  FindRequest bad_id;
  bad_id.holder_id = "0011'; DROP TABLE inputs";
  auto refused = Find(bad_id);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(refused.status().message().find("DROP"), std::string::npos);
  FindRequest bad_date;
  bad_date.name = "An";
  bad_date.birth_date = "31/02/1990";
  EXPECT_EQ(Find(bad_date).status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(ledger_->AccessLog(10)->empty());
}

TEST_P(FindContractTest, AReviewedNameIsFoundByItsCorrectionAndThePdfVersionCounts) {
  Add("rv", "review",
      Details("khai_sinh", "001190000001",
              F("ho_ten", "NGUYEN VAN BINH") + "," + F("ngay_sinh", "1990-01-01")));
  auto seen = ledger_->Find("rv");
  ASSERT_TRUE(seen.ok() && seen->has_value());
  LedgerRecord corrected = **seen;
  corrected.status = "archived";
  corrected.pdf = "bags/review-1/data/rv.pdf";
  corrected.details_json = R"({"metadata":{"doc_type":"khai_sinh","holder_id":"001190000001"},"fields":{)" +
                           F("ho_ten", "NGUYỄN VĂN BÌNH AN") + "," + F("ngay_sinh", "1990-01-01") +
                           R"(},"outputs":{"pdf":{"path":"bags/review-1/data/rv.pdf","sha256":")" +
                           std::string(64, 'b') +
                           R"(","bytes":2},"pdf_v1":{"path":"bags/run1/data/x.pdf","sha256":")" +
                           std::string(64, 'a') + R"(","bytes":1}}})";
  ASSERT_TRUE(
      ledger_->RecordReview(corrected, (*seen)->updated_at, ReviewRecord{"rv", "lan", "t", "{}"}).ok());
  FindRequest old_name;
  old_name.name = "nguyen van binh";
  EXPECT_TRUE(Find(old_name)->records.empty());
  FindRequest new_name;
  new_name.name = "nguyen van binh an";
  auto found = Find(new_name);
  ASSERT_EQ(Shas(*found), std::vector<std::string>{"rv"});
  EXPECT_EQ(found->records.front().pdf_version, 2);
  // The record is in both bags: its first version's and the review's.
  for (const std::string bag : {"run1", "review-1"}) {
    std::vector<std::string> in_bag;
    ASSERT_TRUE(
        ledger_->ForEachRecordInBag(bag, [&](const LedgerRecord& r) { in_bag.push_back(r.sha256); }).ok());
    EXPECT_EQ(in_bag, std::vector<std::string>{"rv"}) << bag;
  }
}

TEST_P(FindContractTest, CountsListsAndRunsComeFromBoundedQueries) {
  AddCitizens();
  ASSERT_TRUE(ledger_->ClaimInput("p1", "p1.tif", "run1", 60).ok());  // still processing
  auto summary = ledger_->Summarize();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->documents["archived"], 2);
  EXPECT_EQ(summary->documents["review"], 1);
  EXPECT_EQ(summary->documents["quarantined"], 1);
  EXPECT_EQ(summary->documents["processing"], 1);
  EXPECT_EQ(summary->pages, 6);  // 2 pages each, archived and review only
  auto first_archived = ledger_->RecordsWithStatus("archived", 1);
  ASSERT_TRUE(first_archived.ok());
  ASSERT_EQ(first_archived->size(), 1u);
  EXPECT_EQ(first_archived->front().sha256, "ks1");
  for (int i = 0; i < 4; ++i) {
    RunRecord run;
    run.run_id = "r" + std::to_string(i);
    run.started_at = "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z";
    ASSERT_TRUE(ledger_->StartRun(run).ok());
  }
  auto recent = ledger_->RecentRuns(2);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ((*recent)[0].run_id, "r2");
  EXPECT_EQ((*recent)[1].run_id, "r3");
  EXPECT_EQ((*ledger_->FindRun("r1"))->started_at, "2026-01-02T00:00:00Z");
  EXPECT_FALSE(ledger_->FindRun("nope")->has_value());
  std::vector<std::pair<std::string, std::vector<std::string>>> exported;
  ASSERT_TRUE(ledger_->ClaimInput("ks1", "zz/ks1.tif", "run2", 60).ok());
  ASSERT_TRUE(ledger_
                  ->ForEachRecordWithSources([&](const LedgerRecord& r, const std::vector<std::string>& s) {
                    exported.emplace_back(r.sha256, s);
                  })
                  .ok());
  ASSERT_EQ(exported.size(), 4u);
  EXPECT_EQ(exported[0].second, (std::vector<std::string>{"ks1.tif", "zz/ks1.tif"}));
}

// A ledger written before the persons/bags index existed is indexed when a
// newer sohoa opens it: its records are found by name and per bag.
TEST_P(FindContractTest, ExistingRecordsAreIndexedByTheMigration) {
  AddCitizens();
  ledger_.reset();
  const bool sqlite = GetParam() == "sqlite";
  const std::string downgrade =
      sqlite
          ? "DROP TRIGGER status_counts_insert; DROP TRIGGER status_counts_delete; "
            "DROP TRIGGER status_counts_update; DROP TABLE status_counts; "
            "DROP INDEX inputs_register_book; DROP INDEX inputs_keyed; ALTER TABLE inputs DROP COLUMN keyed; "
            "ALTER TABLE inputs DROP COLUMN record_kind; "
            "DROP TABLE review_leases; DROP TABLE input_bags; DROP TABLE record_persons; DROP TABLE "
            "access_log; "
            "DROP INDEX inputs_seq; DROP INDEX inputs_status_seq; DROP INDEX runs_started; "
            "CREATE INDEX inputs_status ON inputs(status); "
            "DROP INDEX inputs_record_match; CREATE INDEX inputs_record ON inputs(record_id); "
            "ALTER TABLE inventory DROP COLUMN number_printed; PRAGMA user_version=3;"
          : "DROP TABLE status_counts, status_count_changes; DROP FUNCTION sohoa_count_inserted, "
            "sohoa_count_deleted, sohoa_count_updated CASCADE; DROP FUNCTION sohoa_fold_status_counts; "
            "DROP INDEX inputs_register_book; DROP INDEX inputs_keyed; DROP FUNCTION sohoa_details_has; "
            "DROP TABLE review_leases; DROP TABLE keyings; "
            "DROP TABLE input_bags; DROP TABLE record_persons; DROP TABLE access_log; "
            "DROP FUNCTION sohoa_access_log_append_only; DROP INDEX inputs_status_seq; "
            "DROP INDEX runs_started; CREATE INDEX inputs_status ON inputs(status); "
            "DROP INDEX inputs_record_match; CREATE INDEX inputs_record ON inputs(record_id); "
            "ALTER TABLE inventory DROP COLUMN number_printed; "
            "DELETE FROM schema_migrations WHERE version >= 6;";
  ASSERT_EQ(backend_->Sql(downgrade), "");
  ledger_ = Reopen();
  ASSERT_NE(ledger_, nullptr);
  ExpectCountsEqualAFreshCount("migrated");
  FindRequest request;
  request.name = "nguyen van an";
  EXPECT_EQ(Shas(*Find(request)), (std::vector<std::string>{"ks1", "kh1", "ks3"}));
  int in_run1 = 0;
  ASSERT_TRUE(ledger_->ForEachRecordInBag("run1", [&](const LedgerRecord&) { ++in_run1; }).ok());
  EXPECT_EQ(in_run1, 3);  // ks2 is quarantined
}

INSTANTIATE_TEST_SUITE_P(Backends, FindContractTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// --- PostgreSQL only ---

std::unique_ptr<WorkLedger> OpenWork(const std::string& url) {
  auto ledger = OpenPostgresLedger(url);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return ledger.ok() ? std::move(ledger).value() : nullptr;
}

TEST(PostgresLedgerTest, ClusterStarts) { ASSERT_TRUE(Cluster().ok()) << Cluster().error(); }

TEST(PostgresLedgerTest, WorkersStartingTogetherMigrateOnce) {
  ASSERT_TRUE(Cluster().ok()) << Cluster().error();
  std::string error;
  const std::string url = Cluster().NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto ledger = OpenPostgresLedger(url);
      if (ledger.ok())
        ++ok;
      else
        failures[t] = ledger.status().ToString();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 4) << failures[0] << failures[1] << failures[2] << failures[3];
  // Exactly one row per migration.
  PGconn* conn = PQconnectdb(url.c_str());
  PGresult* r = PQexec(conn, "SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_migrations");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
  EXPECT_STREQ(PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2));
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "11");  // every migration in kMigrations
  PQclear(r);
  PQfinish(conn);
}

// Opening checks the schema version without the migration lock when it is
// current; a ledger a newer sohoa wrote must still be refused, not used.
TEST(PostgresLedgerTest, ALedgerFromANewerSohoaIsRefusedOnOpen) {
  ASSERT_TRUE(Cluster().ok()) << Cluster().error();
  std::string error;
  const std::string url = Cluster().NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  ASSERT_TRUE(OpenPostgresLedger(url).ok());
  ASSERT_TRUE(OpenPostgresLedger(url).ok());  // current: the one-read path
  PGconn* conn = PQconnectdb(url.c_str());
  PGresult* r = PQexec(conn, "INSERT INTO schema_migrations(version) SELECT MAX(version) + 1 FROM schema_migrations");
  ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  auto newer = OpenPostgresLedger(url);
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("ledger schema version 12 is newer than this sohoa understands (11)"),
            std::string::npos)
      << newer.status().ToString();
}

// Workers recording outcomes of the same inputs at once while another
// connection folds the changes: no write waits on a counter row or
// deadlocks, and the counts stay exact.
TEST(PostgresLedgerTest, StatusCountsStayExactUnderConcurrentWorkersAndFolds) {
  PostgresBackend backend;
  auto first = backend.Open();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  constexpr int kWorkers = 4, kInputs = 40;
  std::atomic<bool> done{false};
  std::vector<std::string> failures(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      auto ledger = backend.Open();
      if (!ledger.ok()) {
        failures[w] = ledger.status().ToString();
        return;
      }
      const std::string run = "w" + std::to_string(w);
      for (int i = 0; i < kInputs && failures[w].empty(); ++i) {
        const std::string sha = "in" + std::to_string((i * (w + 1)) % kInputs);
        auto claim = (*ledger)->ClaimInput(sha, sha, run, 60);
        if (!claim.ok()) failures[w] = claim.status().ToString();
        if (!claim.ok() || claim->outcome != ClaimOutcome::kClaimed) continue;
        LedgerRecord r = Outcome(sha, sha, i % 3 == 0 ? "quarantined" : (i % 3 == 1 ? "review" : "archived"), run);
        r.pages = 1 + i % 4;
        Status recorded = (*ledger)->RecordOutcome(r);
        if (!recorded.ok() && recorded.code() != StatusCode::kBusy) failures[w] = recorded.ToString();
      }
    });
  }
  std::thread folder([&] {
    while (!done.load()) (void)backend.Sql("SELECT sohoa_fold_status_counts()");
  });
  for (auto& t : threads) t.join();
  done = true;
  folder.join();
  for (const std::string& f : failures) EXPECT_EQ(f, "");
  auto summary = (*first)->Summarize();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  int64_t documents = 0;
  for (const std::string status : {"processing", "archived", "review", "quarantined"}) {
    EXPECT_EQ(std::to_string(summary->documents[status]),
              backend.Scalar("SELECT COUNT(*) FROM inputs WHERE status='" + status + "'"))
        << status;
    documents += summary->documents[status];
  }
  EXPECT_EQ(documents, kInputs);
  EXPECT_EQ(std::to_string(summary->pages),
            backend.Scalar("SELECT SUM(pages) FROM inputs WHERE status IN ('archived','review')"));
}

TEST(PostgresLedgerTest, EnqueueIsDeduplicatedAndWorkIsClaimedOnceWithReclaimOfExpiredLeases) {
  ASSERT_TRUE(Cluster().ok()) << Cluster().error();
  std::string error;
  const std::string url = Cluster().NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto a = OpenWork(url);
  auto b = OpenWork(url);
  ASSERT_TRUE(a && b);
  std::vector<WorkItem> items;
  for (int i = 0; i < 10; ++i) {
    items.push_back(
        {"w" + std::to_string(i), "/in/" + std::to_string(i) + ".tif", std::to_string(i) + ".tif"});
  }
  EXPECT_EQ(*a->Enqueue(items), 10);
  EXPECT_EQ(*b->Enqueue(items), 0);

  // Two workers claim concurrently: disjoint sets covering everything.
  std::vector<WorkItem> got_a, got_b;
  std::thread ta([&] {
    for (int k = 0; k < 5; ++k) {
      auto c = a->ClaimWork("A", 2, 600, nullptr);
      if (c.ok()) got_a.insert(got_a.end(), c->begin(), c->end());
    }
  });
  std::thread tb([&] {
    for (int k = 0; k < 5; ++k) {
      auto c = b->ClaimWork("B", 2, 600, nullptr);
      if (c.ok()) got_b.insert(got_b.end(), c->begin(), c->end());
    }
  });
  ta.join();
  tb.join();
  std::set<std::string> seen;
  for (const auto& w : got_a) seen.insert(w.sha256);
  for (const auto& w : got_b) EXPECT_TRUE(seen.insert(w.sha256).second) << w.sha256 << " claimed twice";
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(a->CountWork()->claimed, 10);

  // A's leases expire (it "died"); B reclaims them and finishes them.
  ASSERT_TRUE(a->RenewLeases("A", -1).ok());
  int reclaimed = 0;
  auto taken = b->ClaimWork("B", 100, 600, &reclaimed);
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->size(), got_a.size());
  EXPECT_EQ(reclaimed, static_cast<int>(got_a.size()));
  // A comes back late: it can neither finish nor record the items.
  if (!got_a.empty()) {
    EXPECT_EQ(a->FinishWork(got_a.front().sha256, "A").code(), StatusCode::kBusy);
  }
  // B records an outcome: the work item is done in the same transaction.
  const WorkItem& w = taken->empty() ? got_b.front() : taken->front();
  ASSERT_EQ(b->ClaimInput(w.sha256, w.source, "B", 600)->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(b->RecordOutcome(Outcome(w.sha256, w.source, "archived", "B")).ok());
  EXPECT_EQ(b->CountWork()->done, 1);
  EXPECT_TRUE(b->FinishWork(w.sha256, "B").ok());  // idempotent
  EXPECT_EQ(b->CountWork()->done, 1);
  // Releasing puts an item back for anyone.
  // Any other item B holds: its own claims, or A's it reclaimed (either list
  // may be empty, depending on which thread won the race to claim).
  std::vector<WorkItem> held = got_b;
  held.insert(held.end(), taken->begin(), taken->end());
  auto other_it =
      std::find_if(held.begin(), held.end(), [&](const WorkItem& i) { return i.sha256 != w.sha256; });
  ASSERT_NE(other_it, held.end());
  const WorkItem other = *other_it;
  ASSERT_TRUE(b->ReleaseWork(other.sha256, "B").ok());
  auto again = a->ClaimWork("A2", 1, 600, nullptr);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().sha256, other.sha256);
}

TEST(PostgresLedgerTest, AbandonedWorkerGivesItsWorkBack) {
  ASSERT_TRUE(Cluster().ok()) << Cluster().error();
  std::string error;
  const std::string url = Cluster().NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto l = OpenWork(url);
  ASSERT_TRUE(l);
  ASSERT_EQ(*l->Enqueue({{"x1", "/x1", "x1"}, {"x2", "/x2", "x2"}}), 2);
  ASSERT_EQ(l->ClaimWork("W", 5, 3600, nullptr)->size(), 2u);
  ASSERT_EQ(l->ClaimInput("x1", "x1", "W", 3600)->outcome, ClaimOutcome::kClaimed);
  auto released = l->AbandonRun("W");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 1);
  EXPECT_EQ(l->CountWork()->queued, 2);
  EXPECT_EQ(l->ClaimInput("x1", "x1", "W2", 3600)->outcome, ClaimOutcome::kClaimed);
}

TEST(PostgresLedgerTest, WrongPasswordIsAClearErrorWithoutThePassword) {
  PostgresCluster secured("right-horse-battery");
  ASSERT_TRUE(secured.ok()) << secured.error();
  std::string error;
  const std::string url = secured.NewDatabase(&error, "right-horse-battery");
  ASSERT_FALSE(url.empty()) << error;
  EXPECT_NE(OpenWork(url), nullptr);
  const std::string wrong = secured.Url(url.substr(url.rfind('/') + 1), "wrong-staple");
  auto ledger = OpenPostgresLedger(wrong);
  ASSERT_FALSE(ledger.ok());
  const std::string message = ledger.status().message();
  EXPECT_EQ(ledger.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(message.find("password"), std::string::npos) << message;
  EXPECT_NE(message.find("user sohoa"), std::string::npos) << message;
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find("database t"), std::string::npos) << message;
  EXPECT_EQ(message.find("wrong-staple"), std::string::npos) << message;
  EXPECT_EQ(message.find("right-horse"), std::string::npos) << message;
}

TEST(PostgresLedgerTest, UnreachableServerNamesWhereItLooked) {
  auto ledger = OpenPostgresLedger("postgresql://sohoa:secret@127.0.0.1:1/ledgerdb?connect_timeout=3");
  ASSERT_FALSE(ledger.ok());
  const std::string message = ledger.status().message();
  EXPECT_NE(message.find("port 1"), std::string::npos) << message;
  EXPECT_NE(message.find("database ledgerdb"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret"), std::string::npos) << message;
}

TEST(PostgresLedgerTest, RedactsPasswordsInUrls) {
  EXPECT_EQ(RedactPostgresUrl("postgresql://u:p%40ss@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactPostgresUrl("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_TRUE(IsPostgresUrl("postgres://h/db"));
  EXPECT_FALSE(IsPostgresUrl("/srv/archive/ledger.sqlite"));
}

}  // namespace
}  // namespace sohoa
