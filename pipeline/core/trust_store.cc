#include "pipeline/core/trust_store.h"

#include <openssl/err.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace sohoa {
namespace {

constexpr size_t kMaxFiles = 10000;

std::string OpenSslDetail() {
  std::string text;
  char buffer[256];
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buffer, sizeof buffer);
    text += text.empty() ? ": " : "; ";
    text += buffer;
  }
  return text;
}

}  // namespace

StatusOr<TrustStore> LoadTrustStore(const std::string& file_or_dir) {
  namespace fs = std::filesystem;
  TrustStore store(X509_STORE_new(), X509_STORE_free);
  if (!store) return Status::Internal("cannot create an X509 store");
  if (file_or_dir.empty()) {
    if (X509_STORE_set_default_paths(store.get()) != 1) {
      return Status::Configuration("cannot load the system's trusted certificates" + OpenSslDetail());
    }
    return store;
  }
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(file_or_dir, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(file_or_dir, ec)) {
      if (e.is_regular_file(ec)) files.push_back(e.path());
      if (files.size() > kMaxFiles) {
        return Status::Configuration("trust store " + file_or_dir + ": more than 10000 files");
      }
    }
    if (ec) return Status::Configuration("cannot list trust store " + file_or_dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
  } else {
    files.emplace_back(file_or_dir);
  }
  for (const fs::path& f : files) {
    ERR_clear_error();
    if (X509_STORE_load_file(store.get(), f.c_str()) != 1) {
      return Status::Configuration("cannot load trust store " + f.string() + OpenSslDetail());
    }
  }
  STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store.get());
  bool any_certificate = false;
  for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
    any_certificate |= X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509;
  }
  if (!any_certificate) return Status::Configuration("trust store " + file_or_dir + " holds no certificate");
  return store;
}

}  // namespace sohoa
