// libFuzzer target: a review station request body, bounded and parsed as
// the server does (cli/review/json_body.h), with the server's default
// limits' order of size.
#include <cstdint>
#include <string_view>

#include "cli/review/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)sohoa::cli::ParseJsonBody(body, 1 << 20, 64);
  return 0;
}
