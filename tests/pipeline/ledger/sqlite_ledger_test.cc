// SQLite-only ledger behaviour. The behaviour both ledgers share (claims,
// leases, outcomes, runs, inventory) is tested against both in
// tests/pipeline/ledger/ledger_contract_test.cc.
#include <gtest/gtest.h>

#include "pipeline/ledger/ledger.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

TEST(SqliteLedgerTest, UnwritableLocationIsAClearError) {
  auto ledger = OpenSqliteLedger("/proc/sohoa-cannot-be-here/ledger.sqlite");
  ASSERT_FALSE(ledger.ok());
  EXPECT_NE(ledger.status().message().find("ledger"), std::string::npos);
}

TEST(SqliteLedgerTest, LedgerFileIsCreatedAndReopened) {
  testing::ScratchDir dir("ledger");
  const std::string path = (dir / "ledger.sqlite").string();
  {
    auto ledger = OpenSqliteLedger(path);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ASSERT_TRUE((*ledger)->ClaimInput("aa", "a.tif", "run1", 60).ok());
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  auto again = OpenSqliteLedger(path);
  ASSERT_TRUE(again.ok());
  auto found = (*again)->Find("aa");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->status, "processing");
}

}  // namespace
}  // namespace sohoa
