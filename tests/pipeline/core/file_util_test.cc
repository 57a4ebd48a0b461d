#include "pipeline/core/file_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;

// A bare file name (`--metrics-file metrics.prom`) is in the current
// folder: writing it once failed with "cannot open for sync : No such file
// or directory" (the parent of a bare name is "", not ".").
TEST(FileUtilTest, WritesAndMovesAFileNamedWithoutAFolder) {
  testing::ScratchDir dir("file-util");
  const fs::path before = fs::current_path();
  fs::current_path(dir.path());
  const Status written = WriteFileAtomically("metrics.prom", "sohoa_up 1\n");
  const Status moved = DurableRename("metrics.prom", "moved.prom");
  fs::current_path(before);
  EXPECT_TRUE(written.ok()) << written.ToString();
  EXPECT_TRUE(moved.ok()) << moved.ToString();
  EXPECT_EQ(testing::ReadFile(dir / "moved.prom"), "sohoa_up 1\n");
}

}  // namespace
}  // namespace sohoa
