#include "pipeline/core/malloc_settings.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(EngineTunablesTest, HugePagesAreAskedForWhenTheOperatorSetNothing) {
  EXPECT_EQ(EngineTunables(nullptr), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(EngineTunables(""), "glibc.malloc.hugetlb=1");
}

TEST(EngineTunablesTest, TheOperatorsOtherTunablesAreKept) {
  EXPECT_EQ(EngineTunables("glibc.malloc.tcache_count=0"),
            "glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=1");
  EXPECT_EQ(EngineTunables("glibc.malloc.arena_max=4:glibc.malloc.check=0"),
            "glibc.malloc.arena_max=4:glibc.malloc.check=0:glibc.malloc.hugetlb=1");
}

TEST(EngineTunablesTest, TheOperatorsOwnHugePageSettingWins) {
  EXPECT_EQ(EngineTunables("glibc.malloc.hugetlb=0"), "glibc.malloc.hugetlb=0");
  EXPECT_EQ(EngineTunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2"),
            "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2");
}

TEST(EngineTunablesTest, ATunableWhoseNameOnlyStartsTheSameIsAnother) {
  // "glibc.malloc.hugetlbx" is not glibc.malloc.hugetlb.
  EXPECT_EQ(EngineTunables("glibc.malloc.hugetlbx=1"), "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1");
}

TEST(OperatorChoseArenasTest, OnlyAnArenaSettingCounts) {
  EXPECT_FALSE(OperatorChoseArenas(nullptr, nullptr));
  // The front end's own huge-page tunable must not switch the arena limit off.
  EXPECT_FALSE(OperatorChoseArenas(nullptr, "glibc.malloc.hugetlb=1"));
  EXPECT_TRUE(OperatorChoseArenas("4", nullptr));
  EXPECT_TRUE(OperatorChoseArenas(nullptr, "glibc.malloc.hugetlb=1:glibc.malloc.arena_max=8"));
  EXPECT_FALSE(OperatorChoseArenas(nullptr, "glibc.malloc.arena_test=8"));
}

}  // namespace
}  // namespace sohoa
