// What `sohoa status` and bag closing rely on in the PostgreSQL ledger
// (issue 8): each worker's liveness from its heartbeat, leases held and
// outcomes recorded, and a database-wide named lock that serialises two
// connections. Real PostgreSQL in a throwaway cluster.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <filesystem>
#include <sstream>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/clock.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "pipeline/run/archive_sink.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::PostgresCluster;

std::unique_ptr<WorkLedger> Open(const std::string& url) {
  StatusOr<std::unique_ptr<WorkLedger>> ledger = OpenPostgresLedger(url);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return ledger.ok() ? std::move(ledger).value() : nullptr;
}

RunRecord WorkerRun(const std::string& id) {
  RunRecord run;
  run.run_id = id;
  run.started_at = NowUtcIso8601();
  run.host = "test-host";
  run.pid = 42;
  run.input = "worker";
  return run;
}

const WorkerInfo* Find(const std::vector<WorkerInfo>& workers, const std::string& id) {
  for (const WorkerInfo& w : workers)
    if (w.worker_id == id) return &w;
  return nullptr;
}

TEST(PostgresWorkersTest, HeartbeatMakesAWorkerAliveAndItsExpiryPresumesItDead) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto db = Open(url);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Enqueue({{"a", "/in/a", "a.tif", ""}, {"b", "/in/b", "b.tif", ""}}).ok());
  ASSERT_TRUE(db->StartRun(WorkerRun("w-live")).ok());
  ASSERT_TRUE(db->StartRun(WorkerRun("w-short")).ok());
  ASSERT_TRUE(db->StartRun(WorkerRun("w-new")).ok());  // no heartbeat yet
  RunRecord plain = WorkerRun("run-1");
  plain.input = "/scans";
  ASSERT_TRUE(db->StartRun(plain).ok());  // a `sohoa run`: not a worker

  ASSERT_TRUE(db->RenewLeases("w-live", 300).ok());
  ASSERT_TRUE(db->RenewLeases("w-short", 1).ok());
  StatusOr<std::vector<WorkItem>> got = db->ClaimWork("w-live", 1, 300, nullptr);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  // w-live records one outcome of 3 pages.
  ASSERT_TRUE(db->ClaimInput(got->front().sha256, "a.tif", "w-live", 300).ok());
  LedgerRecord r;
  r.sha256 = got->front().sha256;
  r.source = "a.tif";
  r.status = "archived";
  r.pages = 3;
  r.run_id = "w-live";
  ASSERT_TRUE(db->RecordOutcome(r).ok());
  StatusOr<std::vector<WorkItem>> more = db->ClaimWork("w-live", 1, 300, nullptr);
  ASSERT_TRUE(more.ok());
  ASSERT_EQ(more->size(), 1u);

  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  StatusOr<std::vector<WorkerInfo>> workers = db->Workers();
  ASSERT_TRUE(workers.ok()) << workers.status().ToString();
  EXPECT_EQ(workers->size(), 3u);  // run-1 is not a worker
  const WorkerInfo* live = Find(*workers, "w-live");
  const WorkerInfo* dead = Find(*workers, "w-short");
  const WorkerInfo* fresh = Find(*workers, "w-new");
  ASSERT_TRUE(live && dead && fresh);
  EXPECT_TRUE(live->alive);
  EXPECT_FALSE(live->expired);
  EXPECT_EQ(live->leases_held, 1);
  EXPECT_EQ(live->documents, 1);
  EXPECT_EQ(live->pages, 3);
  EXPECT_GT(live->seconds, 0);
  EXPECT_EQ(live->host, "test-host");
  EXPECT_FALSE(dead->alive);
  EXPECT_TRUE(dead->expired);
  EXPECT_FALSE(fresh->alive);
  EXPECT_FALSE(fresh->expired);  // between start and first heartbeat: not dead

  // A `sohoa run` with a heartbeat on the shared ledger is listed, not as a worker.
  ASSERT_TRUE(db->RenewLeases("run-1", 300).ok());
  workers = db->Workers();
  ASSERT_TRUE(workers.ok());
  ASSERT_EQ(workers->size(), 4u);
  const WorkerInfo* run = Find(*workers, "run-1");
  ASSERT_TRUE(run);
  EXPECT_FALSE(run->worker);
  EXPECT_TRUE(run->alive);
  EXPECT_TRUE(Find(*workers, "w-live")->worker);

  // A finished worker is neither alive nor dead.
  RunRecord done = WorkerRun("w-live");
  done.finished_at = NowUtcIso8601();
  done.state = "finished";
  ASSERT_TRUE(db->FinishRun(done).ok());
  workers = db->Workers();
  ASSERT_TRUE(workers.ok());
  live = Find(*workers, "w-live");
  ASSERT_TRUE(live);
  EXPECT_FALSE(live->alive);
  EXPECT_FALSE(live->expired);
  EXPECT_EQ(live->state, "finished");
  EXPECT_FALSE(live->finished_at.empty());
}

TEST(PostgresWorkersTest, AWorkerPresumedDeadCannotRecordAnyMore) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto db = Open(url);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->StartRun(WorkerRun("w-slow")).ok());
  ASSERT_TRUE(db->ClaimInput("s1", "s1.tif", "w-slow", 300).ok());
  ASSERT_TRUE(db->ClaimInput("s2", "s2.tif", "w-slow", 300).ok());
  LedgerRecord r;
  r.sha256 = "s1";
  r.source = "s1.tif";
  r.status = "archived";
  r.run_id = "w-slow";
  ASSERT_TRUE(db->RecordOutcome(r).ok());
  // Another worker found it dead (its heartbeat stopped) and abandoned it;
  // nobody has re-claimed s2 yet, but the stalled worker must not record it.
  ASSERT_TRUE(db->AbandonRun("w-slow").ok());
  r.sha256 = "s2";
  r.source = "s2.tif";
  Status late = db->RecordOutcome(r);
  EXPECT_EQ(late.code(), StatusCode::kBusy) << late.ToString();
  StatusOr<std::optional<LedgerRecord>> s2 = db->Find("s2");
  ASSERT_TRUE(s2.ok() && s2->has_value());
  EXPECT_EQ((*s2)->status, "processing");
  // What it recorded before is kept.
  StatusOr<std::optional<LedgerRecord>> s1 = db->Find("s1");
  ASSERT_TRUE(s1.ok() && s1->has_value());
  EXPECT_EQ((*s1)->status, "archived");
}

TEST(PostgresWorkersTest, ArchiveStepTakesBackFilesItCouldNotRecord) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto db = Open(url);
  ASSERT_TRUE(db);
  testing::ScratchDir dir("sink_lost_claim");
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore((dir / "archive").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::ostringstream log_text;
  RunLog log(log_text, LogFormat::kHuman);
  ArchiveSink sink(store->get(), "w-slow", "w-slow", db.get(), &log);
  ASSERT_TRUE(db->StartRun(WorkerRun("w-slow")).ok());

  auto make_doc = [&](const std::string& sha) {
    auto doc = std::make_shared<Document>();
    doc->sha256 = sha;
    doc->relative_path = sha + ".tif";
    doc->pages.resize(1);
    for (const char* role : {"pdf", "text"}) {
      OutputFile out;
      out.role = role;
      out.staged_path = (dir / (sha + (std::string(role) == "pdf" ? ".pdf" : ".txt"))).string();
      testing::WriteFile(out.staged_path, std::string("bytes of ") + role);
      doc->outputs.push_back(out);
    }
    return doc;
  };
  const std::string kept(64, 'a'), lost(64, 'b');
  ASSERT_TRUE(db->ClaimInput(kept, "kept.tif", "w-slow", 300).ok());
  ASSERT_TRUE(db->ClaimInput(lost, "lost.tif", "w-slow", 300).ok());
  auto first = make_doc(kept);
  sink.Accept(*first);
  ASSERT_TRUE(sink.fatal().ok()) << sink.fatal().ToString();
  StatusOr<std::vector<std::string>> files = (*store)->List("bags/w-slow/data");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 2u);

  ASSERT_TRUE(db->AbandonRun("w-slow").ok());  // presumed dead meanwhile
  auto second = make_doc(lost);
  sink.Accept(*second);
  EXPECT_EQ(sink.fatal().code(), StatusCode::kBusy) << sink.fatal().ToString();
  files = (*store)->List("bags/w-slow/data");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 2u) << "the unrecorded outputs stayed in the bag";
  for (const std::string& key : *files) EXPECT_EQ(key.find(lost), std::string::npos) << key;
}

TEST(PostgresWorkersTest, NamedLockSerialisesTwoConnections) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error);
  ASSERT_FALSE(url.empty()) << error;
  auto a = Open(url);
  auto b = Open(url);
  ASSERT_TRUE(a && b);
  std::atomic<int> inside{0}, most{0};
  auto body = [&]() -> Status {
    const int now = ++inside;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    --inside;
    return Status::Ok();
  };
  std::thread ta([&] { EXPECT_TRUE(a->WithLock("bag:w-1", body).ok()); });
  std::thread tb([&] { EXPECT_TRUE(b->WithLock("bag:w-1", body).ok()); });
  ta.join();
  tb.join();
  EXPECT_EQ(most.load(), 1) << "both held the lock at once";
  // Different names do not exclude each other; a failing body's status is
  // returned and the lock is released.
  most = 0;
  std::thread tc([&] { EXPECT_TRUE(a->WithLock("bag:w-1", body).ok()); });
  std::thread td([&] { EXPECT_TRUE(b->WithLock("bag:w-2", body).ok()); });
  tc.join();
  td.join();
  EXPECT_EQ(most.load(), 2);
  Status failed = a->WithLock("bag:w-3", [] { return Status::IoError("disk full"); });
  EXPECT_EQ(failed.code(), StatusCode::kIoError);
  EXPECT_TRUE(b->WithLock("bag:w-3", [] { return Status::Ok(); }).ok());
}

}  // namespace
}  // namespace sohoa
