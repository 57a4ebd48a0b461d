#include "pipeline/archive/register_store.h"

#include <algorithm>
#include <istream>

#include "pipeline/core/clock.h"
#include "pipeline/core/sha256.h"

namespace sohoa {
namespace {

// "2026-11-30T03:14:27Z" -> "20261130T031427Z": sorts as the time does.
std::string CompactTime(int64_t unix_time) {
  std::string iso = FormatIso8601(unix_time, 0);
  iso.erase(std::remove_if(iso.begin(), iso.end(), [](char c) { return c == '-' || c == ':'; }), iso.end());
  return iso;
}

bool IsHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

StatusOr<std::string> ReadStoreFile(ArchiveStore& store, const std::string& key, uint64_t max_bytes) {
  StatusOr<std::unique_ptr<std::istream>> in = store.OpenForRead(key);
  if (!in.ok()) return in.status();
  std::string bytes;
  char buffer[1 << 16];
  while (**in) {
    (*in)->read(buffer, sizeof buffer);
    bytes.append(buffer, static_cast<size_t>((*in)->gcount()));
    if (bytes.size() > max_bytes) {
      return Status::InvalidInput(key + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  if ((*in)->bad()) return Status::IoError("cannot read " + key + " from " + store.Describe());
  return bytes;
}

StatusOr<std::vector<KeptRegister>> KeptRegisters(ArchiveStore& store) {
  StatusOr<std::vector<std::string>> keys = store.List(kRegistersDir);
  if (!keys.ok()) return keys.status();
  std::vector<KeptRegister> kept;
  const std::string prefix = std::string(kRegistersDir) + "/";
  for (const std::string& key : *keys) {
    // registers/ + 16 (time) + '-' + 64 (hash) + ".csv"
    const std::string name = key.substr(prefix.size());
    if (key.rfind(prefix, 0) != 0 || name.size() != 16 + 1 + 64 + 4 || name[16] != '-' ||
        name.substr(name.size() - 4) != ".csv" || !IsHex(name.substr(17, 64))) {
      continue;
    }
    kept.push_back(KeptRegister{key, name.substr(0, 16), name.substr(17, 64)});
  }
  std::sort(kept.begin(), kept.end(),
            [](const KeptRegister& a, const KeptRegister& b) { return a.key < b.key; });
  return kept;
}

StatusOr<std::string> KeepRegister(ArchiveStore& store, const std::string& bytes, int64_t unix_time) {
  const std::string sha = Sha256Hex(bytes);
  StatusOr<std::vector<KeptRegister>> kept = KeptRegisters(store);
  if (!kept.ok()) return kept.status();
  if (!kept->empty() && kept->back().sha256 == sha) return kept->back().key;
  const std::string key = std::string(kRegistersDir) + "/" + CompactTime(unix_time) + "-" + sha + ".csv";
  SOHOA_RETURN_IF_ERROR(store.Put(key, bytes));
  return key;
}

}  // namespace sohoa
