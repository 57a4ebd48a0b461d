// The SQLite ledger on a real database file.
#include <gtest/gtest.h>

#include <thread>

#include "pipeline/ledger.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::ScratchDir;

std::unique_ptr<Ledger> Open(const ScratchDir& dir) {
  auto ledger = OpenSqliteLedger((dir / "ledger.sqlite").string());
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return std::move(ledger).value();
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

TEST(SqliteLedgerTest, ArchivedInputIsNotClaimedAgainEvenUnderAnotherName) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  auto claim = ledger->ClaimInput("aa11", "scans/a.tif", "run1", 60);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(ledger->RecordOutcome(Outcome("aa11", "scans/a.tif", "archived", "run1")).ok());

  auto again = ledger->ClaimInput("aa11", "renamed/copy.tif", "run2", 60);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ClaimOutcome::kAlreadyDone);
  EXPECT_EQ(again->existing_source, "scans/a.tif");
  auto sources = ledger->SourcesOf("aa11");
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ(sources->size(), 2u);
}

TEST(SqliteLedgerTest, SameContentTwiceInOneRunIsADuplicate) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  ASSERT_EQ(ledger->ClaimInput("bb", "x/1.tif", "run1", 60)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger->ClaimInput("bb", "x/2.tif", "run1", 60)->outcome, ClaimOutcome::kHeldByThisRun);
}

TEST(SqliteLedgerTest, LiveLeaseOfAnotherRunIsRespectedAndExpiredLeaseIsTaken) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  ASSERT_EQ(ledger->ClaimInput("cc", "a.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger->ClaimInput("cc", "a.tif", "run2", 3600)->outcome, ClaimOutcome::kHeldElsewhere);
  ASSERT_EQ(ledger->ClaimInput("dd", "b.tif", "run1", -1)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger->ClaimInput("dd", "b.tif", "run2", 3600)->outcome, ClaimOutcome::kClaimed);
  // run1 lost "dd": its late outcome must not overwrite run2's claim.
  Status late = ledger->RecordOutcome(Outcome("dd", "b.tif", "archived", "run1"));
  EXPECT_EQ(late.code(), StatusCode::kBusy);
}

TEST(SqliteLedgerTest, AbandonedRunReleasesItsClaimsAndHidesNothingArchived) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  RunRecord run;
  run.run_id = "run1";
  run.started_at = "2026-11-30T00:00:00Z";
  ASSERT_TRUE(ledger->StartRun(run).ok());
  ASSERT_EQ(ledger->ClaimInput("ee", "a.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  ASSERT_EQ(ledger->ClaimInput("ff", "b.tif", "run1", 3600)->outcome, ClaimOutcome::kClaimed);
  ASSERT_TRUE(ledger->RecordOutcome(Outcome("ff", "b.tif", "archived", "run1")).ok());
  auto released = ledger->AbandonRun("run1");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 1);
  EXPECT_EQ(ledger->ClaimInput("ee", "a.tif", "run2", 3600)->outcome, ClaimOutcome::kClaimed);
  EXPECT_EQ(ledger->ClaimInput("ff", "b.tif", "run2", 3600)->outcome, ClaimOutcome::kAlreadyDone);
  auto runs = ledger->Runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().state, "interrupted");
}

TEST(SqliteLedgerTest, QuarantinedInputIsRetriedByTheNextRun) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  ASSERT_TRUE(ledger->ClaimInput("gg", "bad.tif", "run1", 60).ok());
  LedgerRecord q = Outcome("gg", "bad.tif", "quarantined", "run1");
  q.reason = "truncated";
  ASSERT_TRUE(ledger->RecordOutcome(q).ok());
  EXPECT_EQ(ledger->ClaimInput("gg", "bad.tif", "run2", 60)->outcome, ClaimOutcome::kClaimed);
}

TEST(SqliteLedgerTest, OutcomesSurviveReopeningAndListInFirstSeenOrder) {
  ScratchDir dir("ledger");
  {
    auto ledger = Open(dir);
    for (std::string sha : {"03", "01", "02"}) {
      ASSERT_TRUE(ledger->ClaimInput(sha, "f" + sha, "run1", 60).ok());
      ASSERT_TRUE(ledger->RecordOutcome(Outcome(sha, "f" + sha, "archived", "run1")).ok());
    }
    ASSERT_TRUE(ledger->ClaimInput("04", "still-processing", "run1", 60).ok());
  }
  auto ledger = Open(dir);
  std::vector<std::string> order;
  ASSERT_TRUE(ledger->ForEachRecord([&](const LedgerRecord& r) { order.push_back(r.sha256); }).ok());
  EXPECT_EQ(order, (std::vector<std::string>{"03", "01", "02"}));
  auto found = ledger->Find("01");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->pdf, "bags/run1/data/01.pdf");
  EXPECT_EQ((*found)->pages, 2);
}

TEST(SqliteLedgerTest, ConcurrentClaimsFromManyThreadsGiveExactlyOneWinnerPerInput) {
  ScratchDir dir("ledger");
  auto ledger = Open(dir);
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto c = ledger->ClaimInput("sha" + std::to_string(i), "p" + std::to_string(t), "run" + std::to_string(t), 600);
        if (c.ok() && c->outcome == ClaimOutcome::kClaimed) ++winners;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(winners.load(), 25);
}

TEST(SqliteLedgerTest, UnwritableLocationIsAClearError) {
  auto ledger = OpenSqliteLedger("/proc/sohoa-cannot-be-here/ledger.sqlite");
  ASSERT_FALSE(ledger.ok());
  EXPECT_NE(ledger.status().message().find("ledger"), std::string::npos);
}

}  // namespace
}  // namespace sohoa
