// libFuzzer target: the register of issued results as `sohoa inventory
// import` parses it (pipeline/inventory/inventory.h), against the shipped
// document types. Bad rows are errors in the result, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/inventory/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sohoa::DocTypeCatalog* catalog = [] {
    auto loaded = sohoa::DocTypeCatalog::Load(sohoa::DefaultDocTypesDir());
    if (!loaded.ok()) std::abort();  // the shipped types must load
    return new sohoa::DocTypeCatalog(std::move(*loaded));
  }();
  const std::string csv(reinterpret_cast<const char*>(data), size);
  auto parsed = sohoa::ParseInventoryCsv(csv, "register.csv", *catalog);
  (void)parsed;
  return 0;
}
