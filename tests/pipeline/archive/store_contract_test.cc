// The archive store's contract (pipeline/archive/archive_store.h), run on
// every implementation: the folder store and the memory store must answer
// the same way, so that code tested on one holds on the other.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/memory_store.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;
using testing::WriteFile;

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = NewMemoryStore();
    } else {
      auto folder = NewFilesystemStore((dir_ / "archive").string());
      ASSERT_TRUE(folder.ok()) << folder.status().ToString();
      store_ = std::move(*folder);
    }
  }

  std::string Read(const std::string& key) {
    StatusOr<std::unique_ptr<std::istream>> in = store_->OpenForRead(key);
    if (!in.ok()) return "<" + in.status().ToString() + ">";
    std::stringstream buffer;
    buffer << (*in)->rdbuf();
    return buffer.str();
  }

  std::vector<std::string> Children(const std::string& prefix) {
    StatusOr<std::vector<std::string>> names = store_->ListChildren(prefix);
    EXPECT_TRUE(names.ok()) << names.status().ToString();
    return names.ok() ? *names : std::vector<std::string>{};
  }

  ScratchDir dir_{"store_contract"};
  std::unique_ptr<ArchiveStore> store_;
};

TEST_P(StoreContractTest, PublishTakesTheStagedFileAndPutReplaces) {
  WriteFile(dir_ / "staged.pdf", "%PDF-1.7 payload");
  ASSERT_TRUE(store_->Publish((dir_ / "staged.pdf").string(), "bags/w-1/data/ab/ab12.pdf").ok());
  EXPECT_FALSE(fs::exists(dir_ / "staged.pdf"));
  EXPECT_EQ(Read("bags/w-1/data/ab/ab12.pdf"), "%PDF-1.7 payload");
  EXPECT_TRUE(*store_->Exists("bags/w-1/data/ab/ab12.pdf"));
  EXPECT_FALSE(*store_->Exists("bags/w-1/data/ab/none.pdf"));
  EXPECT_FALSE(store_->Publish((dir_ / "gone.pdf").string(), "bags/w-1/data/cd/cd.pdf").ok());
  EXPECT_FALSE(*store_->Exists("bags/w-1/data/cd/cd.pdf"));
  ASSERT_TRUE(store_->Put("bags/r/bagit.txt", "one").ok());
  ASSERT_TRUE(store_->Put("bags/r/bagit.txt", "two").ok());
  EXPECT_EQ(Read("bags/r/bagit.txt"), "two");
}

TEST_P(StoreContractTest, ListIsRecursiveSortedAndConfinedToThePrefix) {
  for (const std::string key : {"bags/b/data/3", "bags/a/data/2", "bags/a/data/1", "bags/ab/x", "other/y"})
    ASSERT_TRUE(store_->Put(key, key).ok()) << key;
  EXPECT_EQ(*store_->List("bags/a"), (std::vector<std::string>{"bags/a/data/1", "bags/a/data/2"}));
  EXPECT_EQ(*store_->List("bags/a/"), (std::vector<std::string>{"bags/a/data/1", "bags/a/data/2"}));
  EXPECT_EQ(store_->List("bags")->size(), 4u);
  EXPECT_TRUE(store_->List("bags/nobody/data")->empty());
  EXPECT_FALSE(store_->List("../").ok());
}

TEST_P(StoreContractTest, ChildrenAreNamesWithFoldersMarked) {
  ASSERT_TRUE(store_->Put("bags/run-2/data/ab/x.pdf", "x").ok());
  ASSERT_TRUE(store_->Put("bags/run-1/bagit.txt", "b").ok());
  ASSERT_TRUE(store_->Put("bags/stray.txt", "s").ok());
  ASSERT_TRUE(store_->MakeFolder("bags/empty-run/data").ok());
  EXPECT_EQ(Children("bags"), (std::vector<std::string>{"empty-run/", "run-1/", "run-2/", "stray.txt"}));
  EXPECT_EQ(Children("bags/empty-run"), std::vector<std::string>{"data/"});
  EXPECT_TRUE(Children("bags/nobody").empty());
}

TEST_P(StoreContractTest, PruningRemovesOnlyEmptyFolders) {
  ASSERT_TRUE(store_->Put("bags/run-1/data/ab/kept.pdf", "k").ok());
  ASSERT_TRUE(store_->Put("bags/run-1/data/cd/moved.pdf", "m").ok());
  ASSERT_TRUE(store_->MakeFolder("bags/run-1/data/ef").ok());
  ASSERT_TRUE(store_->Move("bags/run-1/data/cd/moved.pdf", "unrecorded/run-1/data/cd/moved.pdf").ok());
  ASSERT_TRUE(store_->PruneEmptyFolders("bags/run-1").ok());
  EXPECT_EQ(Children("bags/run-1/data"), std::vector<std::string>{"ab/"});
  ASSERT_TRUE(store_->Remove("bags/run-1/data/ab/kept.pdf").ok());
  ASSERT_TRUE(store_->PruneEmptyFolders("bags/run-1").ok());
  EXPECT_TRUE(Children("bags").empty());
  EXPECT_EQ(Read("unrecorded/run-1/data/cd/moved.pdf"), "m");
}

TEST_P(StoreContractTest, MissingKeysAndKeysOutsideTheStore) {
  EXPECT_EQ(store_->Move("bags/a/1", "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Remove("bags/a/1").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->OpenForRead("bags/a/1").status().code(), StatusCode::kNotFound);
  for (const std::string key :
       {"", "/etc/passwd", "../outside", "bags/../../outside", "bags//x", "bags/x/"}) {
    EXPECT_FALSE(store_->Put(key, "x").ok()) << key;
    EXPECT_FALSE(store_->MakeFolder(key).ok()) << key;
  }
  EXPECT_FALSE(fs::exists(dir_ / "outside"));
}

TEST_P(StoreContractTest, ConcurrentWritersOfDifferentKeysAllLand) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string key = "bags/w" + std::to_string(t) + "/data/" + std::to_string(i);
        EXPECT_TRUE(store_->Put(key, key).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  StatusOr<std::vector<std::string>> keys = store_->List("bags");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 100u);
  EXPECT_TRUE(std::is_sorted(keys->begin(), keys->end()));
  for (const std::string& key : *keys) EXPECT_EQ(Read(key), key);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContractTest, ::testing::Values("folder", "memory"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace sohoa
