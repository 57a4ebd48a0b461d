#include "pipeline/archive/bag.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/pipeline/archive/archive_fixture.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveBuilder;
using testing::ReadFile;
using testing::ScratchDir;
using testing::ValidateBagIndependently;

std::string Joined(const std::vector<std::string>& faults) {
  std::string s;
  for (const auto& f : faults) s += f + "\n";
  return s;
}

TEST(BagTest, RunBagIsValidPerIndependentValidator) {
  ScratchDir dir("bag-valid");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  for (int i = 0; i < 5; ++i) archive.Archive("scans/doc" + std::to_string(i) + ".tif", i == 3);
  archive.FinishRun();
  std::vector<std::string> completed;
  ASSERT_TRUE(archive.CompleteBags(&completed).ok());
  ASSERT_EQ(completed, std::vector<std::string>{"run-1"});

  const fs::path bag = archive.bag("run-1");
  EXPECT_EQ(Joined(ValidateBagIndependently(bag)), "");
  // 5 documents x (pdf + text), each hash as the archive step recorded it.
  const std::string manifest = ReadFile(bag / "manifest-sha256.txt");
  EXPECT_EQ(std::count(manifest.begin(), manifest.end(), '\n'), 10);
  for (const auto& doc : archive.docs()) {
    for (const OutputFile& out : doc->outputs) {
      ASSERT_FALSE(out.sha256.empty());
      const std::string relative = out.archive_path.substr(std::string("bags/run-1/").size());
      EXPECT_NE(manifest.find(out.sha256 + "  " + relative + "\n"), std::string::npos) << relative;
    }
  }
  const std::string info = ReadFile(bag / "bag-info.txt");
  EXPECT_NE(info.find("Source-Organization: UBND xã Xuân Thành\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Contact-Name: Nguyễn Văn A\n"), std::string::npos);
  EXPECT_NE(info.find("External-Identifier: run-1\n"), std::string::npos);
  EXPECT_NE(info.find("Bag-Software-Agent: sohoa " SOHOA_VERSION "\n"), std::string::npos);
  EXPECT_NE(info.find("Sohoa-Documents: 5\n"), std::string::npos);
  EXPECT_NE(info.find("Sohoa-Documents-Review: 1\n"), std::string::npos);
  EXPECT_NE(info.find("Bagging-Date: "), std::string::npos);
  // No temporary file is left behind by the atomic writes.
  for (const auto& e : fs::directory_iterator(bag)) EXPECT_NE(e.path().extension(), ".part") << e.path();
}

TEST(BagTest, ManifestUsesRecordedHashesNotTheFilesOnDisk) {
  // A file damaged after archiving but before bagging must not be blessed
  // by the manifest: the manifest carries the hash the archive step recorded.
  ScratchDir dir("bag-recorded");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  archive.Archive("a.tif");
  archive.FinishRun();
  const std::string pdf = archive.docs()[0]->FindOutput("pdf")->archive_path;
  testing::WriteFile(archive.root() / pdf, "damaged");
  ASSERT_TRUE(archive.CompleteBags().ok());
  const auto faults = ValidateBagIndependently(archive.bag("run-1"));
  ASSERT_FALSE(faults.empty());
  EXPECT_NE(Joined(faults).find("FAILED"), std::string::npos) << Joined(faults);
}

TEST(BagTest, CrashedRunBagIsCompletedByNextRunAndUnrecordedFilesMovedAside) {
  ScratchDir dir("bag-crash");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  archive.Archive("a.tif");
  archive.Archive("b.tif");
  // The crash: a file moved into data/ whose outcome never reached the ledger.
  const fs::path stray = archive.bag("run-1") / "data" / "ff" / "ffff.pdf";
  fs::create_directories(stray.parent_path());
  testing::WriteFile(stray, "%PDF half");
  // No FinishRun: the run is still "running"; its bag must not be completed.
  std::vector<std::string> completed;
  ASSERT_TRUE(archive.CompleteBags(&completed).ok());
  EXPECT_TRUE(completed.empty());
  EXPECT_FALSE(*IsBagComplete(archive.store(), "run-1"));

  // The next run holds the lock, declares run-1 dead, and completes its bag.
  ASSERT_TRUE(archive.ledger().AbandonRun("run-1").ok());
  ASSERT_TRUE(archive.CompleteBags(&completed).ok());
  EXPECT_EQ(completed, std::vector<std::string>{"run-1"});
  EXPECT_EQ(Joined(ValidateBagIndependently(archive.bag("run-1"))), "");
  EXPECT_FALSE(fs::exists(stray));
  EXPECT_TRUE(fs::exists(archive.root() / "unrecorded" / "run-1" / "data" / "ff" / "ffff.pdf"));
  EXPECT_NE(archive.log().find("never recorded in the ledger"), std::string::npos) << archive.log();
  EXPECT_NE(ReadFile(archive.bag("run-1") / "bag-info.txt").find("Sohoa-Documents: 2\n"), std::string::npos);
}

TEST(BagTest, CompletedBagIsNeverRewritten) {
  ScratchDir dir("bag-immutable");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  archive.Archive("a.tif");
  archive.FinishRun();
  ASSERT_TRUE(archive.CompleteBags().ok());
  const fs::path bag = archive.bag("run-1");
  std::map<std::string, std::pair<std::string, fs::file_time_type>> before;
  for (const auto& e : fs::recursive_directory_iterator(bag))
    if (e.is_regular_file()) before[e.path().string()] = {ReadFile(e.path()), fs::last_write_time(e.path())};

  // Direct attempt: refused.
  Status again = WriteBag(archive.store(), "run-1", {}, BagFacts{});
  EXPECT_EQ(again.code(), StatusCode::kConfiguration);
  EXPECT_NE(again.message().find("never rewritten"), std::string::npos);
  // A later run (a re-digitized document is a new input, in the new run's bag).
  archive.StartRun("run-2");
  archive.Archive("a-rescanned.tif");
  archive.FinishRun();
  std::vector<std::string> completed;
  ASSERT_TRUE(archive.CompleteBags(&completed).ok());
  EXPECT_EQ(completed, std::vector<std::string>{"run-2"});
  std::map<std::string, std::pair<std::string, fs::file_time_type>> after;
  for (const auto& e : fs::recursive_directory_iterator(bag))
    if (e.is_regular_file()) after[e.path().string()] = {ReadFile(e.path()), fs::last_write_time(e.path())};
  EXPECT_EQ(before, after);
  EXPECT_EQ(Joined(ValidateBagIndependently(archive.bag("run-2"))), "");
}

TEST(BagTest, ManifestPathEncodingRoundTrips) {
  const std::string odd = "data/a%b\nc\rd.pdf";
  EXPECT_EQ(EncodeManifestPath(odd), "data/a%25b%0Ac%0Dd.pdf");
  EXPECT_EQ(DecodeManifestPath(EncodeManifestPath(odd)), odd);
  EXPECT_EQ(PayloadOxum({{"data/a", "", 10}, {"data/b", "", 5}}), "15.2");
}

}  // namespace
}  // namespace sohoa
