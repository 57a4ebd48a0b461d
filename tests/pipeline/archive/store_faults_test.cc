// The archive step and the BagIt code when the archive store fails at an
// exact point (issue 16): a full disk while archiving, one failed write while
// closing a bag, writes the disk lost after acknowledging them. The store is
// the memory store inside tests/support/fault_injecting_store.h; the ledger,
// the sink and the bag code are the real ones.
#include <gtest/gtest.h>

#include <sstream>

#include "pipeline/archive/bag.h"
#include "pipeline/archive/memory_store.h"
#include "pipeline/archive/verify.h"
#include "tests/pipeline/archive/archive_fixture.h"
#include "tests/support/fault_injecting_store.h"

namespace sohoa {
namespace {

using testing::ArchiveBuilder;
using testing::FaultInjectingStore;
using testing::ScratchDir;
using testing::StoreFaults;

// The builder over a faulty memory store; `faulty` keeps a view of it.
std::unique_ptr<ArchiveBuilder> Build(const ScratchDir& dir, StoreFaults faults,
                                      FaultInjectingStore** faulty) {
  auto store = std::make_unique<FaultInjectingStore>(NewMemoryStore(), faults);
  *faulty = store.get();
  return std::make_unique<ArchiveBuilder>(dir / "archive", std::move(store));
}

std::string Read(ArchiveStore& store, const std::string& key) {
  StatusOr<std::unique_ptr<std::istream>> in = store.OpenForRead(key);
  if (!in.ok()) return "";
  std::stringstream buffer;
  buffer << (*in)->rdbuf();
  return buffer.str();
}

TEST(StoreFaultsTest, BagOnTheMemoryStoreHasEveryTagFileAndManifestLine) {
  ScratchDir dir("faults-none");
  FaultInjectingStore* store = nullptr;
  auto archive = Build(dir, StoreFaults{}, &store);
  archive->StartRun("run-1");
  const std::string a = archive->Archive("a.tif");
  const std::string b = archive->Archive("b.tif", /*review=*/true);
  archive->FinishRun();
  std::vector<std::string> completed;
  ASSERT_TRUE(archive->CompleteBags(&completed).ok()) << archive->log();
  EXPECT_EQ(completed, std::vector<std::string>{"run-1"});
  EXPECT_TRUE(*IsBagComplete(*store, "run-1"));
  const std::string manifest = Read(*store, "bags/run-1/manifest-sha256.txt");
  for (const std::string& sha : {a, b}) {
    EXPECT_NE(manifest.find("data/" + sha.substr(0, 2) + "/" + sha + ".pdf"), std::string::npos) << manifest;
  }
  EXPECT_NE(Read(*store, "bags/run-1/bag-info.txt").find("Sohoa-Documents: 2\n"), std::string::npos);
  EXPECT_NE(Read(*store, "bags/run-1/tagmanifest-sha256.txt").find("bag-info.txt"), std::string::npos);
  EXPECT_TRUE(store->failed_keys().empty());
}

TEST(StoreFaultsTest, DiskFullWhileArchivingStopsTheRunAndLeavesNothingHalfArchived) {
  ScratchDir dir("faults-full");
  FaultInjectingStore* store = nullptr;
  // Room for about two documents' outputs (each ~0.5–2.5 kB of "PDF" plus text).
  auto archive = Build(dir, StoreFaults{.capacity = 4000}, &store);
  archive->ExpectFailures();
  archive->StartRun("run-1");
  std::vector<std::string> shas;
  for (const char* source : {"a.tif", "b.tif", "c.tif", "d.tif", "e.tif"})
    shas.push_back(archive->Archive(source));
  ASSERT_FALSE(store->failed_keys().empty()) << "the capacity never ran out";
  EXPECT_EQ(archive->sink().fatal().code(), StatusCode::kUnavailable);
  EXPECT_NE(archive->sink().fatal().message().find("No space left on device"), std::string::npos);
  // Every document either archived whole (both outputs in the store, as the
  // ledger records them) or not recorded at all and nothing of it stored.
  int archived = 0;
  for (const std::string& sha : shas) {
    StatusOr<std::optional<LedgerRecord>> record = archive->ledger().Find(sha);
    ASSERT_TRUE(record.ok());
    const std::string prefix = "bags/run-1/data/" + sha.substr(0, 2) + "/" + sha;
    const bool stored = *store->Exists(prefix + ".pdf") || *store->Exists(prefix + ".txt");
    if (*record && (*record)->status == "archived") {
      ++archived;
      EXPECT_TRUE(*store->Exists((*record)->pdf)) << sha;
      EXPECT_TRUE(*store->Exists((*record)->text)) << sha;
    } else {
      EXPECT_FALSE(stored) << sha << " has files in the store but no outcome in the ledger";
    }
  }
  EXPECT_GT(archived, 0);
  EXPECT_LT(archived, 5);
}

TEST(StoreFaultsTest, FailedTagWriteLeavesTheBagOpenAndTheNextClosingCompletesIt) {
  ScratchDir dir("faults-tag");
  FaultInjectingStore* store = nullptr;
  // Writes 1–4 publish two documents' PDF and text; closing the bag then
  // writes bagit.txt (5), the manifest (6), bag-info.txt (7): that one fails.
  auto archive = Build(dir, StoreFaults{.fail_write = 7}, &store);
  archive->StartRun("run-1");
  archive->Archive("a.tif");
  archive->Archive("b.tif");
  archive->FinishRun();
  Status first = archive->CompleteBags();
  EXPECT_EQ(first.code(), StatusCode::kUnavailable) << first.ToString();
  EXPECT_EQ(store->failed_keys(), std::vector<std::string>{"bags/run-1/bag-info.txt"});
  EXPECT_FALSE(*IsBagComplete(*store, "run-1")) << "a bag with a missing tag file was declared complete";
  // The next night: the same closing, nothing failing now, completes it.
  std::vector<std::string> completed;
  ASSERT_TRUE(archive->CompleteBags(&completed).ok()) << archive->log();
  EXPECT_EQ(completed, std::vector<std::string>{"run-1"});
  EXPECT_NE(Read(*store, "bags/run-1/bag-info.txt").find("Sohoa-Documents: 2\n"), std::string::npos);
}

TEST(StoreFaultsTest, PayloadTheDiskLostIsNamedWhenTheBagCloses) {
  ScratchDir dir("faults-lost");
  FaultInjectingStore* store = nullptr;
  // The second document's PDF (write 3) and everything after it say OK and
  // are not kept: a disk that lost what it acknowledged.
  auto archive = Build(dir, StoreFaults{.lose_from_write = 3}, &store);
  archive->StartRun("run-1");
  archive->Archive("a.tif");
  const std::string b = archive->Archive("b.tif");
  archive->FinishRun();
  ASSERT_FALSE(store->lost_keys().empty());
  (void)archive->CompleteBags();
  // The bag is not complete (its tag files were lost too), and the log names
  // the recorded file that is not there, for a person to act on.
  EXPECT_FALSE(*IsBagComplete(*store, "run-1"));
  EXPECT_NE(archive->log().find(b + ".pdf is recorded in the ledger but missing"), std::string::npos)
      << archive->log();
}

TEST(StoreFaultsTest, VerifyFindsTheFileTheDiskLostAfterTheBagClosed) {
  ScratchDir dir("faults-verify");
  FaultInjectingStore* store = nullptr;
  // Write 3 is the second document's PDF: acknowledged, never kept.
  auto archive = Build(dir, StoreFaults{.lose_write = 3}, &store);
  archive->StartRun("run-1");
  archive->Archive("a.tif");
  const std::string b = archive->Archive("b.tif");
  archive->FinishRun();
  ASSERT_TRUE(archive->CompleteBags().ok()) << archive->log();
  ASSERT_EQ(store->lost_keys().size(), 1u);
  VerifyOptions options;
  options.archive_dir = archive->root().string();  // its ledger
  options.store = store;
  StatusOr<VerifyReport> report = VerifyArchive(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // The lost PDF, named as missing; and the bag's Payload-Oxum, which counts
  // a file data/ no longer holds. Nothing else.
  std::vector<std::string> found;
  for (const Problem& p : report->problems) found.push_back(std::string(FaultName(p.fault)) + " " + p.file);
  EXPECT_EQ(found, (std::vector<std::string>{"bad bag bags/run-1/bag-info.txt",
                                             "missing " + store->lost_keys().front()}));
  EXPECT_NE(store->lost_keys().front().find(b + ".pdf"), std::string::npos);
  EXPECT_EQ(report->summary.bags_complete, 1);
}

}  // namespace
}  // namespace sohoa
