// The shared ledger behind PgBouncer in session mode, the way a province
// serves many short `sohoa find` processes (README, "find through a pooler"):
// each command's session must end cleanly so the pooler hands the same
// server connection to the next one (a session left inside a transaction,
// or state the pooler cannot reset, makes it open a new server process
// each time, which is the cost the pooler is there to save).
#include <gtest/gtest.h>

#include <string>

#include "pipeline/ledger/postgres_ledger.h"
#include "tests/support/pgbouncer.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::BinaryPath;
using testing::CommandResult;
using testing::Count;
using testing::PgBouncer;
using testing::PostgresCluster;
using testing::Quote;
using testing::RunCommand;

constexpr char kHolder[] = "001099000123";

// Puts one archived birth certificate of kHolder in the ledger at `url`.
void RecordOneBirthCertificate(const std::string& url) {
  auto ledger = OpenPostgresLedger(url);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  ASSERT_TRUE((*ledger)->ClaimInput("p1", "p1.tif", "run1", 60).ok());
  LedgerRecord r;
  r.sha256 = "p1";
  r.source = "p1.tif";
  r.status = "archived";
  r.run_id = "run1";
  r.pages = 1;
  r.pdf = "bags/run1/data/p1.pdf";
  r.details_json = std::string(R"({"metadata":{"doc_type":"khai_sinh","holder_id":")") + kHolder + R"("}})";
  ASSERT_TRUE((*ledger)->RecordOutcome(r).ok());
}

TEST(PostgresPoolerTest, FindsThroughPgBouncerOnOneServerConnectionAndEachSearchIsAudited) {
  PostgresCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string direct = cluster.NewDatabase(&error);
  ASSERT_FALSE(direct.empty()) << error;
  const std::string db = direct.substr(direct.rfind('/') + 1);
  PgBouncer pooler(cluster.port(), db);
  ASSERT_TRUE(pooler.ok()) << pooler.error();

  // The first open migrates the schema through the pooler (its lock and
  // its transaction included), then three find processes follow.
  RecordOneBirthCertificate(pooler.Url());
  for (int i = 0; i < 3; ++i) {
    CommandResult found = RunCommand(Quote(BinaryPath("sohoa").string()) + " find --ledger " + Quote(pooler.Url()) +
                                     " --holder " + kHolder + " --purpose 'pooler test' --ui-lang en");
    ASSERT_EQ(found.exit_code, 0) << found.output;
    EXPECT_NE(found.output.find(kHolder), std::string::npos) << found.output;
    EXPECT_NE(found.output.find("khai_sinh"), std::string::npos) << found.output;
  }

  // One server connection for the four sessions: each ended cleanly.
  EXPECT_EQ(Count(pooler.Log(), "new connection to server"), 1u) << pooler.Log();
  auto ledger = OpenPostgresLedger(direct);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto log = (*ledger)->AccessLog(10);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 3u);
  for (const AccessRecord& access : *log) {
    EXPECT_EQ(access.via, "cli");
    EXPECT_EQ(access.purpose, "pooler test");
    EXPECT_EQ(access.returned, 1);
    EXPECT_EQ(access.records_json.find(kHolder), std::string::npos) << "the query value is not logged";
  }
}

}  // namespace
}  // namespace sohoa
