// libFuzzer target over the ingest stages: the input bytes are written to a
// file (ingest reads files, as it does in a run) and go through probe and
// then decode of every page the probe sized, with small size limits so the
// fuzzer explores damage rather than big allocations. Any crash, sanitizer
// report or leak (LeakSanitizer) is a bug; a non-OK Status is the expected
// outcome for most inputs.
//
// Built with -DSOHOA_FUZZ=ON (fuzz/CMakeLists.txt), run by scripts/fuzz.sh.
// Crashes found are kept in tests/corpus/crashes/ and replayed by
// tests/corpus/crash_replay_test.cc in the normal test run.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_input.h"
#include "stages/decode/ingest_stage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = sohoa::fuzz::InputAsFile(data, size, ".scan");
  if (path.empty()) return 0;

  sohoa::IngestOptions options;
  options.max_pixels_per_page = 4'000'000;  // 2000×2000: keep runs fast
  options.max_dimension = 8000;
  options.max_pages = 16;
  static const auto probe_stage = sohoa::NewIngestProbeStage(options);
  static const auto decode_stage = sohoa::NewIngestDecodeStage(options);
  auto probe = probe_stage->NewWorker();
  auto decode = decode_stage->NewWorker();
  if (!probe.ok() || !decode.ok()) std::abort();

  sohoa::Document doc;
  doc.source_path = path;
  if (!(*probe)->Process(doc).ok()) return 0;
  for (sohoa::Page& page : doc.pages) {
    sohoa::Status s = (*decode)->Process(doc, page);
    if (s.ok() && page.raster.byte_size() != page.raster.pixels.size()) std::abort();
    page.raster.Release();
  }
  return 0;
}
