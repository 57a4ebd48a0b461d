#include "pipeline/core/file_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

class ReadFileBoundedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sohoa_read_bounded_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

TEST_F(ReadFileBoundedTest, ReadsAFileUpToTheLimitWhole) {
  const std::string bytes(100000, 'x');
  std::string read = "left over";
  ASSERT_TRUE(ReadFileBounded(Write("exact", bytes), bytes.size(), &read).ok());
  EXPECT_EQ(read, bytes);
  ASSERT_TRUE(ReadFileBounded(Write("empty", ""), 10, &read).ok());
  EXPECT_EQ(read, "");
}

TEST_F(ReadFileBoundedTest, RefusesOneByteOverTheLimitNamingFileAndLimit) {
  const std::string path = Write("big.json", std::string(64 * 1024 + 1, '{'));
  std::string read;
  const Status status = ReadFileBounded(path, 64 * 1024, &read);
  EXPECT_EQ(status.code(), StatusCode::kTooLarge);
  EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("larger than 64 kB"), std::string::npos) << status.message();
  EXPECT_TRUE(read.empty());  // nothing half-read is handed on
}

TEST_F(ReadFileBoundedTest, StopsReadingAtTheLimitOnAnEndlessFile) {
  // /dev/zero never ends: a reader that reads whole before checking the
  // size would never return.
  std::string read;
  const Status status = ReadFileBounded("/dev/zero", 1024 * 1024, &read);
  EXPECT_EQ(status.code(), StatusCode::kTooLarge) << status.message();
}

TEST_F(ReadFileBoundedTest, MissingFileAndFolderAreErrorsNamingThePath) {
  std::string read;
  const std::string missing = (dir_ / "absent.csv").string();
  const Status gone = ReadFileBounded(missing, 10, &read);
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  EXPECT_NE(gone.message().find(missing), std::string::npos);
  const Status folder = ReadFileBounded(dir_.string(), 10, &read);
  EXPECT_FALSE(folder.ok());
  EXPECT_NE(folder.message().find(dir_.string()), std::string::npos);
}

TEST(ByteLimitTextTest, SaysLimitsAsPeopleWriteThem) {
  EXPECT_EQ(ByteLimitText(64 * 1024), "64 kB");
  EXPECT_EQ(ByteLimitText(4 * 1024 * 1024), "4 MB");
  EXPECT_EQ(ByteLimitText(1000), "1000 bytes");
}

}  // namespace
}  // namespace sohoa
