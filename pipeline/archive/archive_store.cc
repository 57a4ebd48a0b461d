// The filesystem archive store: a folder on a local disk or on a shared
// filesystem (NFS). Atomicity comes from rename(2) within one directory and
// durability from fsync of the file and of its directory (pipeline/file_util).
// Temporary names carry the host, pid and a counter so that writers on
// several machines never share one.
#include "pipeline/archive/archive_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {

Status Errno(const std::string& what) { return Status::Unavailable(what + ": " + std::strerror(errno)); }

// ".tmp-<host>-<pid>-<n>": unique across processes and machines sharing the store.
std::string TempSuffix() {
  static std::atomic<uint64_t> counter{0};
  char host[64] = {0};
  gethostname(host, sizeof host - 1);
  return ".tmp-" + std::string(host) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// Copies `from` to `to` (a new file) and fsyncs it.
Status CopyAndSync(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Errno("cannot open " + from);
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (out < 0) {
    Status s = Errno("cannot create " + to);
    ::close(in);
    return s;
  }
  char buffer[1 << 16];
  Status status;
  while (status.ok()) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = Errno("cannot read " + from);
    if (n <= 0) break;
    for (ssize_t done = 0; done < n && status.ok();) {
      ssize_t w = ::write(out, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0)
        status = Errno("cannot write " + to);
      else
        done += w;
    }
  }
  if (status.ok() && ::fsync(out) != 0) status = Errno("fsync failed for " + to);
  ::close(in);
  ::close(out);
  if (!status.ok()) ::unlink(to.c_str());
  return status;
}

class FilesystemStore final : public ArchiveStore {
 public:
  explicit FilesystemStore(std::string root) : root_(std::move(root)) {}

  std::string Describe() const override { return "file://" + root_; }

  Status Publish(const std::string& staged, const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    const std::string dir = fs::path(*path).parent_path().string();
    SOHOA_RETURN_IF_ERROR(MakeDirectories(dir));
    SOHOA_RETURN_IF_ERROR(SyncPath(staged));
    if (::rename(staged.c_str(), path->c_str()) == 0) {
      SOHOA_RETURN_IF_ERROR(SyncPath(dir));
      return SyncPath(fs::path(staged).parent_path().string());
    }
    if (errno != EXDEV) return Errno("cannot move " + staged + " to " + *path);
    // Staged on another filesystem: copy beside the key, then rename.
    const std::string temp = *path + TempSuffix();
    SOHOA_RETURN_IF_ERROR(CopyAndSync(staged, temp));
    if (::rename(temp.c_str(), path->c_str()) != 0) {
      Status s = Errno("cannot rename into " + *path);
      ::unlink(temp.c_str());
      return s;
    }
    SOHOA_RETURN_IF_ERROR(SyncPath(dir));
    ::unlink(staged.c_str());
    return Status::Ok();
  }

  Status Put(const std::string& key, const std::string& bytes) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    const std::string dir = fs::path(*path).parent_path().string();
    SOHOA_RETURN_IF_ERROR(MakeDirectories(dir));
    const std::string temp = *path + TempSuffix();
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (!out.flush()) return Status::Unavailable("cannot write " + temp);
    }
    Status synced = SyncPath(temp);
    if (synced.ok() && ::rename(temp.c_str(), path->c_str()) != 0)
      synced = Errno("cannot rename into " + *path);
    if (!synced.ok()) {
      ::unlink(temp.c_str());
      return synced;
    }
    return SyncPath(dir);
  }

  StatusOr<bool> Exists(const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    std::error_code ec;
    const bool exists = fs::is_regular_file(*path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return Status::Unavailable("cannot look at " + *path + ": " + ec.message());
    }
    return exists;
  }

  StatusOr<uint64_t> SizeOf(const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    std::error_code ec;
    const uint64_t size = fs::file_size(*path, ec);
    if (ec == std::errc::no_such_file_or_directory)
      return Status::NotFound("no file " + key + " in " + Describe());
    if (ec) return Status::Unavailable("cannot look at " + *path + ": " + ec.message());
    return size;
  }

  StatusOr<std::unique_ptr<std::istream>> OpenForRead(const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    auto in = std::make_unique<std::ifstream>(*path, std::ios::binary);
    if (!*in) {
      std::error_code ec;
      if (!fs::exists(*path, ec)) return Status::NotFound("no file " + key + " in " + Describe());
      return Status::Unavailable("cannot open " + *path);
    }
    return std::unique_ptr<std::istream>(std::move(in));
  }

  StatusOr<std::vector<std::string>> List(const std::string& prefix) override {
    const std::string trimmed =
        prefix.empty() || prefix.back() != '/' ? prefix : prefix.substr(0, prefix.size() - 1);
    if (!trimmed.empty() && !IsValidStoreKey(trimmed)) {
      return Status::Internal("invalid store prefix " + prefix);
    }
    const fs::path dir = trimmed.empty() ? fs::path(root_) : fs::path(root_) / trimmed;
    std::vector<std::string> keys;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return keys;
    // Everything but folders: a temporary file a crashed write left, or a
    // FIFO someone put in a bag, is a file the bag and verify must see.
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (ec) break;
      std::error_code kind;
      if (it->is_directory(kind)) continue;
      keys.push_back(fs::relative(it->path(), root_).generic_string());
    }
    if (ec) return Status::Unavailable("cannot list " + dir.string() + ": " + ec.message());
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  StatusOr<std::vector<std::string>> ListChildren(const std::string& prefix) override {
    StatusOr<std::string> dir = PathOf(prefix);
    if (!dir.ok()) return dir.status();
    std::vector<std::string> names;
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) return names;
    for (auto it = fs::directory_iterator(*dir, ec); it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code kind;  // an entry gone meanwhile is not a failure of the listing
      const std::string name = it->path().filename().string();
      names.push_back(it->is_directory(kind) ? name + "/" : name);
    }
    if (ec) return Status::Unavailable("cannot list " + *dir + ": " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
  }

  Status MakeFolder(const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    return MakeDirectories(*path);
  }

  Status PruneEmptyFolders(const std::string& prefix) override {
    StatusOr<std::string> dir = PathOf(prefix);
    if (!dir.ok()) return dir.status();
    PruneBelow(*dir);
    return Status::Ok();
  }

  Status Move(const std::string& from_key, const std::string& to_key) override {
    StatusOr<std::string> from = PathOf(from_key);
    if (!from.ok()) return from.status();
    StatusOr<std::string> to = PathOf(to_key);
    if (!to.ok()) return to.status();
    std::error_code ec;
    if (!fs::exists(*from, ec)) return Status::NotFound("no file " + from_key + " in " + Describe());
    return DurableRename(*from, *to);
  }

  Status Remove(const std::string& key) override {
    StatusOr<std::string> path = PathOf(key);
    if (!path.ok()) return path.status();
    if (::unlink(path->c_str()) != 0) {
      if (errno == ENOENT) return Status::NotFound("no file " + key + " in " + Describe());
      return Errno("cannot delete " + *path);
    }
    return SyncPath(fs::path(*path).parent_path().string());
  }

 private:
  // Best effort: a folder that cannot be removed stays, which harms nothing.
  static void PruneBelow(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code kind;
      if (it->is_directory(kind)) PruneBelow(it->path());
    }
    if (fs::is_empty(dir, ec)) fs::remove(dir, ec);
  }

  StatusOr<std::string> PathOf(const std::string& key) const {
    if (!IsValidStoreKey(key)) return Status::Internal("invalid archive store key \"" + key + "\"");
    return root_ + "/" + key;
  }

  std::string root_;
};

}  // namespace

StatusOr<std::string> ReadAll(ArchiveStore& store, const std::string& key) {
  StatusOr<std::unique_ptr<std::istream>> in = store.OpenForRead(key);
  if (!in.ok()) return in.status();
  std::string bytes;
  if (!ReadStream(**in, &bytes)) return Status::Unavailable("cannot read " + key + " in " + store.Describe());
  return bytes;
}

bool IsValidStoreKey(const std::string& key) {
  if (key.empty() || key.front() == '/' || key.back() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    const size_t slash = std::min(key.find('/', start), key.size());
    const std::string segment = key.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  return key.find('\0') == std::string::npos;
}

StatusOr<std::unique_ptr<ArchiveStore>> NewFilesystemStore(const std::string& root) {
  SOHOA_RETURN_IF_ERROR(MakeDirectories(root));
  std::error_code ec;
  const std::string canonical = fs::canonical(root, ec).string();
  if (ec) return Status::Configuration("archive folder " + root + ": " + ec.message());
  if (::access(canonical.c_str(), W_OK) != 0) {
    return Status::Configuration(ErrorText("archive.not_writable", {{"folder", canonical}}));
  }
  return std::unique_ptr<ArchiveStore>(std::make_unique<FilesystemStore>(canonical));
}

StatusOr<std::unique_ptr<ArchiveStore>> OpenFilesystemStoreForReading(const std::string& root) {
  std::error_code ec;
  const std::string canonical = fs::canonical(root, ec).string();
  if (ec || !fs::is_directory(canonical, ec))
    return Status::NotFound(ErrorText("archive.none", {{"folder", root}}));
  return std::unique_ptr<ArchiveStore>(std::make_unique<FilesystemStore>(canonical));
}

}  // namespace sohoa
