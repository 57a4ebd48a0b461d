#include "pipeline/archive/memory_store.h"

#include <unistd.h>

#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "pipeline/core/file_util.h"

namespace sohoa {
namespace {

// "a/b/c" -> {"a", "a/b"}: the folders a key lies in.
std::vector<std::string> FoldersOf(const std::string& key) {
  std::vector<std::string> folders;
  for (size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1))
    folders.push_back(key.substr(0, slash));
  return folders;
}

bool IsUnder(const std::string& key, const std::string& prefix) {
  return key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0 &&
         key[prefix.size()] == '/';
}

class MemoryStore final : public ArchiveStore {
 public:
  std::string Describe() const override { return "memory://"; }

  Status Publish(const std::string& staged, const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::ifstream in(staged, std::ios::binary);
    if (!in) return Status::Unavailable("cannot open " + staged);
    std::string bytes;
    if (!ReadStream(in, &bytes)) return Status::Unavailable("cannot read " + staged);
    SOHOA_RETURN_IF_ERROR(Put(key, bytes));
    ::unlink(staged.c_str());
    return Status::Ok();
  }

  Status Put(const std::string& key, const std::string& bytes) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    if (folders_.count(key)) return Status::Unavailable("cannot write " + key + ": it is a folder");
    files_[key] = bytes;
    for (const std::string& folder : FoldersOf(key)) folders_.insert(folder);
    return Status::Ok();
  }

  StatusOr<bool> Exists(const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    return files_.count(key) > 0;
  }

  StatusOr<uint64_t> SizeOf(const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(key);
    if (it == files_.end()) return Status::NotFound("no file " + key + " in " + Describe());
    return static_cast<uint64_t>(it->second.size());
  }

  StatusOr<std::unique_ptr<std::istream>> OpenForRead(const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(key);
    if (it == files_.end()) return Status::NotFound("no file " + key + " in " + Describe());
    return std::unique_ptr<std::istream>(std::make_unique<std::istringstream>(it->second, std::ios::binary));
  }

  StatusOr<std::vector<std::string>> List(const std::string& prefix) override {
    const std::string trimmed =
        !prefix.empty() && prefix.back() == '/' ? prefix.substr(0, prefix.size() - 1) : prefix;
    if (!trimmed.empty() && !IsValidStoreKey(trimmed))
      return Status::Internal("invalid store prefix " + prefix);
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> keys;
    for (const auto& [key, bytes] : files_)
      if (trimmed.empty() || IsUnder(key, trimmed)) keys.push_back(key);
    return keys;  // std::map: sorted
  }

  StatusOr<std::vector<std::string>> ListChildren(const std::string& prefix) override {
    if (!IsValidStoreKey(prefix)) return Status::Internal("invalid store prefix " + prefix);
    std::lock_guard<std::mutex> lock(mutex_);
    std::set<std::string> names;
    for (const auto& [key, bytes] : files_)
      if (IsUnder(key, prefix)) names.insert(ChildName(key, prefix));
    for (const std::string& folder : folders_)
      if (IsUnder(folder, prefix)) names.insert(ChildName(folder + "/", prefix));
    return std::vector<std::string>(names.begin(), names.end());
  }

  Status MakeFolder(const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    if (files_.count(key)) return Status::Unavailable("cannot make folder " + key + ": it is a file");
    folders_.insert(key);
    for (const std::string& folder : FoldersOf(key)) folders_.insert(folder);
    return Status::Ok();
  }

  Status PruneEmptyFolders(const std::string& prefix) override {
    if (!IsValidStoreKey(prefix)) return Status::Internal("invalid store prefix " + prefix);
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = folders_.begin(); it != folders_.end();) {
      const bool inside = *it == prefix || IsUnder(*it, prefix);
      if (inside && !HoldsAnything(*it))
        it = folders_.erase(it);
      else
        ++it;
    }
    return Status::Ok();
  }

  Status Move(const std::string& from_key, const std::string& to_key) override {
    if (!IsValidStoreKey(from_key) || !IsValidStoreKey(to_key)) {
      return Status::Internal("invalid archive store key \"" + from_key + "\" or \"" + to_key + "\"");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(from_key);
    if (it == files_.end()) return Status::NotFound("no file " + from_key + " in " + Describe());
    std::string bytes = std::move(it->second);
    files_.erase(it);
    files_[to_key] = std::move(bytes);
    for (const std::string& folder : FoldersOf(to_key)) folders_.insert(folder);
    return Status::Ok();
  }

  Status Remove(const std::string& key) override {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    std::lock_guard<std::mutex> lock(mutex_);
    if (files_.erase(key) == 0) return Status::NotFound("no file " + key + " in " + Describe());
    return Status::Ok();
  }

 private:
  // The first segment of `key` below `prefix`, with its '/' if a folder.
  static std::string ChildName(const std::string& key, const std::string& prefix) {
    const std::string rest = key.substr(prefix.size() + 1);
    const size_t slash = rest.find('/');
    return slash == std::string::npos ? rest : rest.substr(0, slash + 1);
  }

  // A folder holds something if a file lies anywhere below it (sub-folders
  // that are empty do not count: they are pruned too).
  bool HoldsAnything(const std::string& folder) const {
    auto it = files_.lower_bound(folder + "/");
    return it != files_.end() && IsUnder(it->first, folder);
  }

  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  std::set<std::string> folders_;
};

}  // namespace

std::unique_ptr<ArchiveStore> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace sohoa
