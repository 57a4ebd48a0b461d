#include "pipeline/core/credentials.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace sohoa {
namespace fs = std::filesystem;

namespace {
constexpr std::uintmax_t kMaxCredentialBytes = 64 * 1024;
}  // namespace

StatusOr<std::optional<std::string>> ReadCredential(const std::string& name) {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') return std::optional<std::string>();
  const fs::path path = fs::path(dir) / name;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<std::string>();
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Configuration("credential " + path.string() + ": " + ec.message());
  if (size > kMaxCredentialBytes) {
    return Status::Configuration("credential " + path.string() + " is larger than 64 KiB: not a password");
  }
  std::ifstream in(path, std::ios::binary);
  std::string secret(size, '\0');
  if (!in || !in.read(secret.data(), static_cast<std::streamsize>(size))) {
    return Status::Configuration("cannot read the credential " + path.string());
  }
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return std::optional<std::string>(std::move(secret));
}

}  // namespace sohoa
