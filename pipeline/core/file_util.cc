#include "pipeline/core/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "pipeline/core/error_text.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {
// Everything here writes where results go (archive, staging, bags): a
// failure is the machine's, not the input's (pipeline/core/status.h).
Status Errno(const std::string& what, const std::string& path) {
  return Status::Unavailable(what + " " + path + ": " + std::strerror(errno));
}

// The folder holding `path`: "." for a bare name ("metrics.prom" has an
// empty parent_path, and syncing "" failed every metrics write).
std::string FolderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}
}  // namespace

Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open for sync", path);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return Errno("fsync failed for", path);
  return Status::Ok();
}

Status MakeDirectories(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec)
    return Status::Unavailable(
        ErrorText("folder.cannot_create", {{"folder", path}, {"cause", ec.message()}}));
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string temp = path + ".part";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("cannot create", temp);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = Errno("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = Errno("fsync failed for", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return s;
  }
  // close() can be where a network file system reports a failed write.
  if (::close(fd) != 0) {
    Status s = Errno("cannot close", temp);
    ::unlink(temp.c_str());
    return s;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status s = Errno("cannot rename into", path);
    ::unlink(temp.c_str());
    return s;
  }
  return SyncPath(FolderOf(path));
}

Status DurableRename(const std::string& from, const std::string& to) {
  const std::string to_dir = FolderOf(to);
  SOHOA_RETURN_IF_ERROR(MakeDirectories(to_dir));
  SOHOA_RETURN_IF_ERROR(SyncPath(from));
  if (::rename(from.c_str(), to.c_str()) != 0) return Errno("cannot move " + from + " to", to);
  SOHOA_RETURN_IF_ERROR(SyncPath(to_dir));
  return SyncPath(FolderOf(from));
}

Status MakePrivateFile(const std::string& path, bool narrow_existing, unsigned mode) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode & 0640));
  if (fd >= 0) {
    ::close(fd);
    return Status::Ok();
  }
  if (errno != EEXIST) return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (!narrow_existing || ::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return Status::Ok();
  if (::chmod(path.c_str(), st.st_mode & 0700) != 0) {
    return Status::IoError("cannot make " + path + " private (chmod 600): " + std::strerror(errno));
  }
  return Status::Ok();
}

bool ReadStream(std::istream& in, std::string* bytes) {
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    bytes->append(buffer, static_cast<size_t>(in.gcount()));
  }
  return !in.bad();
}

Status ReadFileBounded(const std::string& path, size_t limit, std::string* bytes) {
  bytes->clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot be opened");
  char buffer[1 << 16];
  while (in) {
    // One byte past the limit is enough to know the file is too large.
    const size_t room = limit + 1 - bytes->size();
    in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, room)));
    bytes->append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes->size() > limit) {
      bytes->clear();
      return Status::TooLarge(path + ": larger than " + ByteLimitText(limit));
    }
  }
  if (in.bad()) return Status::IoError(path + ": cannot be read");
  return Status::Ok();
}

std::string ByteLimitText(size_t limit) {
  if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0) return std::to_string(limit / (1024 * 1024)) + " MB";
  if (limit >= 1024 && limit % 1024 == 0) return std::to_string(limit / 1024) + " kB";
  return std::to_string(limit) + " bytes";
}

}  // namespace sohoa
