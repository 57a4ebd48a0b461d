// Every input in tests/corpus/crashes/ (fuzzer finds, field reports) through
// probe and decode with the fuzzer's limits: it must come back as a Status.
// A regression makes this test crash or trip a sanitizer.
#include <gtest/gtest.h>

#include <filesystem>

#include "build_paths.h"
#include "stages/decode/ingest_stage.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;

TEST(CrashReplayTest, EveryKeptCrashInputEndsWithAStatus) {
  const fs::path dir = fs::path(SOHOA_SOURCE_DIR) / "tests" / "corpus" / "crashes";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  IngestOptions options;  // as fuzz/ingest_fuzzer.cc
  options.max_pixels_per_page = 4'000'000;
  options.max_dimension = 8000;
  options.max_pages = 16;
  auto probe = NewIngestProbeStage(options)->NewWorker();
  auto decode = NewIngestDecodeStage(options)->NewWorker();
  ASSERT_TRUE(probe.ok() && decode.ok());
  int replayed = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Document doc;
    doc.source_path = entry.path().string();
    Status probed = (*probe)->Process(doc);
    if (!probed.ok()) {
      EXPECT_FALSE(probed.message().empty());
    } else {
      for (Page& page : doc.pages) {
        Status s = (*decode)->Process(doc, page);
        if (s.ok())
          EXPECT_EQ(page.raster.byte_size(), page.raster.pixels.size());
        else
          EXPECT_FALSE(s.message().empty());
      }
    }
    ++replayed;
  }
  RecordProperty("replayed", replayed);
}

}  // namespace
}  // namespace sohoa
