// The filesystem archive store (pipeline/archive/archive_store.h): atomic publish and
// put, keys confined to the store, listing, moving, removing, reading back.
#include "pipeline/archive/archive_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::ScratchDir;
using testing::WriteFile;

std::unique_ptr<ArchiveStore> Open(const fs::path& root) {
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(root.string());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::string Read(ArchiveStore& store, const std::string& key) {
  StatusOr<std::unique_ptr<std::istream>> in = store.OpenForRead(key);
  if (!in.ok()) return "<" + in.status().ToString() + ">";
  std::stringstream buffer;
  buffer << (*in)->rdbuf();
  return buffer.str();
}

TEST(ArchiveStoreTest, PublishMovesTheStagedFileUnderItsKey) {
  ScratchDir dir("store_publish");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  WriteFile(dir / "staged.pdf", "%PDF-1.7 payload");
  ASSERT_TRUE(store->Publish((dir / "staged.pdf").string(), "bags/w-1/data/ab/ab12.pdf").ok());
  EXPECT_FALSE(fs::exists(dir / "staged.pdf"));
  EXPECT_EQ(ReadFile(dir / "archive/bags/w-1/data/ab/ab12.pdf"), "%PDF-1.7 payload");
  EXPECT_EQ(Read(*store, "bags/w-1/data/ab/ab12.pdf"), "%PDF-1.7 payload");
  StatusOr<bool> exists = store->Exists("bags/w-1/data/ab/ab12.pdf");
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(*exists);
  exists = store->Exists("bags/w-1/data/ab/none.pdf");
  ASSERT_TRUE(exists.ok());
  EXPECT_FALSE(*exists);
  // A missing staged file is an error naming it, and creates nothing.
  Status s = store->Publish((dir / "gone.pdf").string(), "bags/w-1/data/cd/cd.pdf");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gone.pdf"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir / "archive/bags/w-1/data/cd/cd.pdf"));
}

TEST(ArchiveStoreTest, PublishFromAnotherFilesystemCopiesThenRenames) {
  ScratchDir dir("store_exdev");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  // /dev/shm is tmpfs: a rename from it into the scratch tree is EXDEV.
  const fs::path staged = fs::path("/dev/shm") / ("sohoa-store-test-" + std::to_string(::getpid()));
  WriteFile(staged, std::string(200000, 'x'));
  ASSERT_TRUE(store->Publish(staged.string(), "bags/r/data/00/00.txt").ok());
  EXPECT_FALSE(fs::exists(staged));
  EXPECT_EQ(fs::file_size(dir / "archive/bags/r/data/00/00.txt"), 200000u);
  for (const auto& e : fs::directory_iterator(dir / "archive/bags/r/data/00"))
    EXPECT_EQ(e.path().filename(), "00.txt") << "temporary file left: " << e.path();
}

TEST(ArchiveStoreTest, PutReplacesAtomicallyAndLeavesNoTemporaryFile) {
  ScratchDir dir("store_put");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("bags/r/bagit.txt", "one").ok());
  ASSERT_TRUE(store->Put("bags/r/bagit.txt", "two").ok());
  EXPECT_EQ(Read(*store, "bags/r/bagit.txt"), "two");
  StatusOr<std::vector<std::string>> keys = store->List("bags");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, std::vector<std::string>{"bags/r/bagit.txt"});
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "archive")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(ArchiveStoreTest, ConcurrentWritersOfDifferentKeysAllLand) {
  ScratchDir dir("store_concurrent");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string key = "bags/w" + std::to_string(t) + "/data/" + std::to_string(i);
        EXPECT_TRUE(store->Put(key, key).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  StatusOr<std::vector<std::string>> keys = store->List("bags/");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 100u);
  EXPECT_TRUE(std::is_sorted(keys->begin(), keys->end()));
  for (const std::string& key : *keys) EXPECT_EQ(Read(*store, key), key);
}

TEST(ArchiveStoreTest, KeysCannotLeaveTheStore) {
  ScratchDir dir("store_keys");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  for (const std::string key :
       {"", "/etc/passwd", "../outside", "bags/../../outside", "bags//x", "bags/./x", "bags/x/"}) {
    EXPECT_FALSE(IsValidStoreKey(key)) << key;
    EXPECT_FALSE(store->Put(key, "x").ok()) << key;
  }
  EXPECT_FALSE(fs::exists(dir / "outside"));
  EXPECT_TRUE(IsValidStoreKey("bags/w-1/data/ab/ab12.pdf"));
  EXPECT_FALSE(store->List("../").ok());
}

TEST(ArchiveStoreTest, ListMoveRemoveAndMissingKeys) {
  ScratchDir dir("store_list");
  auto store = Open(dir / "archive");
  ASSERT_TRUE(store);
  StatusOr<std::vector<std::string>> none = store->List("bags/nobody/data");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(store->Put("bags/a/data/2", "2").ok());
  ASSERT_TRUE(store->Put("bags/a/data/1", "1").ok());
  ASSERT_TRUE(store->Put("bags/b/data/3", "3").ok());
  StatusOr<std::vector<std::string>> a = store->List("bags/a/data");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<std::string>{"bags/a/data/1", "bags/a/data/2"}));
  ASSERT_TRUE(store->Move("bags/a/data/1", "unrecorded/a/data/1").ok());
  EXPECT_EQ(Read(*store, "unrecorded/a/data/1"), "1");
  EXPECT_EQ(store->Move("bags/a/data/1", "x").code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->Remove("bags/a/data/2").ok());
  EXPECT_EQ(store->Remove("bags/a/data/2").code(), StatusCode::kNotFound);
  EXPECT_EQ(store->OpenForRead("bags/a/data/2").status().code(), StatusCode::kNotFound);
  a = store->List("bags/a");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->empty());
  EXPECT_NE(store->Describe().find("file://"), std::string::npos);
}

TEST(ArchiveStoreTest, UnwritableRootIsAConfigurationError) {
  if (::geteuid() == 0) {
    // root writes anywhere: use a path under a regular file instead.
    ScratchDir dir("store_root");
    WriteFile(dir / "file", "x");
    StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore((dir / "file/archive").string());
    EXPECT_FALSE(store.ok());
    return;
  }
  ScratchDir dir("store_root");
  fs::create_directories(dir / "ro");
  fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore((dir / "ro").string());
  EXPECT_FALSE(store.ok());
  fs::permissions(dir / "ro", fs::perms::owner_all);
}

}  // namespace
}  // namespace sohoa
