// libFuzzer target: one document type's JSON (--doctypes DIR/*.json) as
// DocTypeCatalog::Parse reads and checks it.
#include <cstdint>
#include <string>

#include "pipeline/core/doctype_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  (void)sohoa::DocTypeCatalog::Parse(json, "fuzz.json");
  return 0;
}
