// SHA-256 (OpenSSL), the content identity of inputs and archived files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

// Incremental hasher, for hashing bytes as they are written.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t size);
  std::string HexDigest();  // lower-case hex; the hasher is finished after this

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(const std::string& bytes);
// Streams the file; fills *size with its byte count if not null.
StatusOr<std::string> Sha256File(const std::string& path, uint64_t* size = nullptr);
// The same over a stream (an archive store's file); kIoError if reading fails.
StatusOr<std::string> Sha256Stream(std::istream& in, uint64_t* size = nullptr);

}  // namespace sohoa
