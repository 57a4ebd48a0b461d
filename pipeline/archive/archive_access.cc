#include "pipeline/archive/archive_access.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "pipeline/core/file_name.h"

namespace sohoa {
namespace fs = std::filesystem;

Status SetArchiveAccess(const std::string& archive, const std::string& group) {
  mode_t mode = 0750;
  if (!group.empty()) {
    const struct group* g = ::getgrnam(group.c_str());
    if (g == nullptr) return Status::Configuration("--archive-group " + group + ": no such group");
    if (::chown(archive.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
      return Status::Configuration("cannot give the archive folder " + archive + " to group " + group + ": " +
                                   std::strerror(errno) +
                                   " (the account running sohoa must be in that group)");
    }
    mode |= S_ISGID;
  } else {
    // Keep a set-group-ID bit an earlier run (or the administrator) set.
    struct stat st;
    if (::stat(archive.c_str(), &st) == 0) mode |= st.st_mode & S_ISGID;
  }
  if (::chmod(archive.c_str(), mode) != 0) {
    return Status::Configuration("cannot restrict access to the archive folder " + archive + ": " +
                                 std::strerror(errno));
  }
  return Status::Ok();
}

std::vector<std::string> ReadableByOthers(const std::string& archive, size_t limit, size_t* count) {
  std::vector<std::string> names;
  *count = 0;
  auto note = [&](const fs::path& path, const std::string& name) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode) || (st.st_mode & S_IROTH) == 0) return;
    ++*count;
    names.push_back(DisplayName(name));
  };
  note(archive, ".");
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(archive, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    note(it->path(), it->path().lexically_relative(archive).generic_string());
  }
  std::sort(names.begin(), names.end());
  if (names.size() > limit) names.resize(limit);
  return names;
}

}  // namespace sohoa
