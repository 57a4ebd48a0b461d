// Helpers shared by the fuzz targets: the input as a file, for parsers that
// read files the way a run does.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace sohoa::fuzz {

// Writes the fuzzer's bytes to one scratch file per process (named with
// `suffix`) and returns its path; "" when it cannot be written.
inline std::string InputAsFile(const uint8_t* data, size_t size, const std::string& suffix) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/sohoa-fuzz-" +
                           std::to_string(getpid()) + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return "";
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

}  // namespace sohoa::fuzz
