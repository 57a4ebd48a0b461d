#include "pipeline/core/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace sohoa {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  // Failure here means OpenSSL itself is unusable; nothing sensible to do
  // but make it loud.
  if (impl_->ctx == nullptr || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1) {
    std::fprintf(stderr, "sohoa: OpenSSL SHA-256 initialisation failed\n");
    std::abort();
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256::Update(const void* data, size_t size) { EVP_DigestUpdate(impl_->ctx, data, size); }

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(impl_->ctx, digest, &length);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string Sha256Hex(const std::string& bytes) {
  Sha256 h;
  h.Update(bytes.data(), bytes.size());
  return h.HexDigest();
}

StatusOr<std::string> Sha256File(const std::string& path, uint64_t* size) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  Sha256 h;
  std::vector<char> buffer(1 << 20);
  uint64_t total = 0;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0) {
    h.Update(buffer.data(), n);
    total += n;
  }
  bool error = std::ferror(f) != 0;
  int saved_errno = errno;
  std::fclose(f);
  if (error) return Status::IoError("error reading " + path + ": " + std::strerror(saved_errno));
  if (size != nullptr) *size = total;
  return h.HexDigest();
}

StatusOr<std::string> Sha256Stream(std::istream& in, uint64_t* size) {
  Sha256 hasher;
  uint64_t total = 0;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    const std::streamsize n = in.gcount();
    if (n > 0) {
      hasher.Update(buffer, static_cast<size_t>(n));
      total += static_cast<uint64_t>(n);
    }
  }
  if (in.bad()) return Status::IoError("read error while hashing");
  if (size) *size = total;
  return hasher.HexDigest();
}

}  // namespace sohoa
