// libFuzzer target: a register book's `<scan>.book.json` manifest and a
// folder's books.csv, read from a file as a run reads them
// (pipeline/core/book.h).
#include <cstdint>
#include <string>

#include "fuzz/fuzz_input.h"
#include "pipeline/core/book.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = sohoa::fuzz::InputAsFile(data, size, ".book.json");
  if (path.empty()) return 0;
  (void)sohoa::ReadBookManifest(path);
  (void)sohoa::ReadBookList(path);
  return 0;
}
