#include "pipeline/core/input_walk.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "pipeline/core/book.h"
#include "pipeline/core/error_text.h"

namespace sohoa {
namespace {

using Identity = std::pair<dev_t, ino_t>;

Identity IdentityOf(const struct stat& st) { return {st.st_dev, st.st_ino}; }

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

class Walker {
 public:
  Walker(const InputWalkOptions& options, InputWalk* out) : options_(options), out_(out) {
    for (const auto& [path, what] : options.exclude) {
      struct stat st;
      if (!path.empty() && ::stat(path.c_str(), &st) == 0) excluded_[IdentityOf(st)] = what;
    }
  }

  Status WalkRoot(const std::string& root) {
    struct stat st;
    if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status::Configuration(ErrorText("input.not_folder", {{"folder", root}}));
    }
    if (auto it = excluded_.find(IdentityOf(st)); it != excluded_.end()) {
      return Status::Configuration("input folder " + root + " is " + it->second);
    }
    DIR* dir = ::opendir(root.c_str());
    if (dir == nullptr) {
      return Status::Configuration(
          ErrorText("input.cannot_read", {{"folder", root}, {"cause", std::strerror(errno)}}));
    }
    walked_.insert(IdentityOf(st));
    WalkOpen(dir, root, "", 1);
    std::sort(out_->files.begin(), out_->files.end(),
              [](const InputFile& a, const InputFile& b) { return a.relative_name < b.relative_name; });
    AttachBookManifests();
    return Status::Ok();
  }

 private:
  // "<scan>.book.json" files leave the inputs and declare "<scan>" a book.
  void AttachBookManifests() {
    const std::string suffix = kBookManifestSuffix;
    auto is_manifest = [&](const InputFile& f) {
      return f.relative_name.size() > suffix.size() &&
             f.relative_name.compare(f.relative_name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < out_->files.size(); ++i)
      if (!is_manifest(out_->files[i])) index[out_->files[i].relative_name] = i;
    std::vector<InputFile> kept;
    AttachBookLists(index);
    for (const InputFile& f : out_->files) {
      if (!is_manifest(f)) continue;
      auto scan = index.find(f.relative_name.substr(0, f.relative_name.size() - suffix.size()));
      if (scan == index.end())
        Pass(f.relative_name, PassedOverKind::kLoneBookManifest, "no file of that name beside it");
      else
        out_->files[scan->second] = WithManifest(out_->files[scan->second], f.path, 0);
    }
    for (InputFile& f : out_->files)
      if (!is_manifest(f) && !IsBookList(f)) kept.push_back(std::move(f));
    out_->files = std::move(kept);
  }

  static InputFile WithManifest(InputFile file, const std::string& manifest, int line) {
    file.book_manifest = manifest;
    file.book_manifest_line = line;
    return file;
  }

  static bool IsBookList(const InputFile& f) {
    const std::string name = kBookListName;
    const std::string& r = f.relative_name;
    return r == name ||
           (r.size() > name.size() && r.compare(r.size() - name.size(), name.size(), name) == 0 &&
            r[r.size() - name.size() - 1] == '/');
  }

  // Each books.csv declares the books its rows name in its own folder.
  void AttachBookLists(const std::map<std::string, size_t>& index) {
    for (const InputFile& list : std::vector<InputFile>(out_->files)) {
      if (!IsBookList(list)) continue;
      const std::string folder =
          list.relative_name.substr(0, list.relative_name.size() - strlen(kBookListName));
      StatusOr<std::vector<BookListRow>> rows = ReadBookList(list.path);
      if (!rows.ok()) {
        Pass(list.relative_name, PassedOverKind::kUnreadable, rows.status().message());
        continue;
      }
      for (const BookListRow& row : *rows) {
        auto scan = index.find(folder + row.file);
        if (scan == index.end()) {
          Pass(list.relative_name + ":" + std::to_string(row.line), PassedOverKind::kLoneBookManifest,
               "names a file that is not in its folder");
        } else if (out_->files[scan->second].book_manifest.empty()) {
          out_->files[scan->second] = WithManifest(out_->files[scan->second], list.path, row.line);
        }
      }
    }
  }

  void Pass(const std::string& name, PassedOverKind kind, std::string detail = "") {
    out_->passed_over.push_back({name, kind, std::move(detail)});
  }

  // The folder at `path` opened, or nullptr with the folder passed over.
  DIR* OpenFolder(const std::string& path, const std::string& relative) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) Pass(relative, PassedOverKind::kUnreadableFolder, std::strerror(errno));
    return dir;
  }

  // The names in `dir` but . and .. (then closes it); a read that fails
  // half-way passes the folder over with the cause, keeping the names read.
  std::vector<std::string> ReadNames(DIR* dir, const std::string& relative) {
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    const int read_errno = errno;
    ::closedir(dir);
    if (read_errno != 0) Pass(relative, PassedOverKind::kUnreadableFolder, std::strerror(read_errno));
    return names;
  }

  // Reads `dir` (then closes it) and visits its entries in name order.
  void WalkOpen(DIR* dir, const std::string& path, const std::string& relative, int depth) {
    std::vector<std::string> names = ReadNames(dir, relative);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      Visit(path + "/" + name, relative.empty() ? name : relative + "/" + name, depth);
    }
  }

  void Visit(const std::string& path, const std::string& relative, int depth) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      Pass(relative, PassedOverKind::kUnreadable, std::strerror(errno));
      return;
    }
    const bool link = S_ISLNK(st.st_mode);
    if (link && ::stat(path.c_str(), &st) != 0) {
      const int err = errno;
      Pass(relative,
           err == ELOOP    ? PassedOverKind::kSymlinkLoop
           : err == ENOENT ? PassedOverKind::kDanglingLink
                           : PassedOverKind::kUnreadable,
           std::strerror(err));
      return;
    }
    if (auto it = excluded_.find(IdentityOf(st)); it != excluded_.end()) {
      Pass(relative, PassedOverKind::kOwnOutput, it->second);
      return;
    }
    if (S_ISREG(st.st_mode)) {
      out_->files.push_back({path, relative});
    } else if (S_ISDIR(st.st_mode)) {
      VisitFolder(path, relative, depth, st);
    } else if (S_ISFIFO(st.st_mode)) {
      Pass(relative, PassedOverKind::kFifo);
    } else if (S_ISSOCK(st.st_mode)) {
      Pass(relative, PassedOverKind::kSocket);
    } else {
      Pass(relative, PassedOverKind::kDevice);
    }
  }

  // A book folder: one input, its page files in natural order; what else
  // it holds (folders, links to folders, pipes…) is named, not walked.
  void VisitBookFolder(const std::string& path, const std::string& relative) {
    DIR* dir = OpenFolder(path, relative);
    if (dir == nullptr) return;
    std::vector<std::string> names = ReadNames(dir, relative);
    std::erase_if(names, [](const std::string& name) { return name[0] == '.' || name == kBookFolderManifest; });
    std::sort(names.begin(), names.end(), NaturalLess);
    InputFile book{path, relative, path + "/" + kBookFolderManifest, 0, {}};
    for (const std::string& name : names) {
      struct stat st;
      if (::stat((path + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        book.page_files.push_back(path + "/" + name);
      } else {
        Pass(relative + "/" + name, PassedOverKind::kInBookFolder, "not a page image");
      }
    }
    if (book.page_files.empty()) {
      Pass(relative, PassedOverKind::kInBookFolder, "a book folder without page images");
      return;
    }
    out_->files.push_back(std::move(book));
  }

  void VisitFolder(const std::string& path, const std::string& relative, int depth, const struct stat& st) {
    if (walked_.count(IdentityOf(st))) {
      Pass(relative, PassedOverKind::kAlreadyWalked);
      return;
    }
    walked_.insert(IdentityOf(st));
    if (!relative.empty() && Exists(path + "/" + kBookFolderManifest)) {
      VisitBookFolder(path, relative);
      return;
    }
    if (Exists(path + "/ledger.sqlite")) {
      Pass(relative, PassedOverKind::kOtherArchive);
      return;
    }
    if (Exists(path + "/bagit.txt")) {
      Pass(relative, PassedOverKind::kBag);
      return;
    }
    if (depth >= options_.max_depth) {
      Pass(relative, PassedOverKind::kTooDeep, "more than " + std::to_string(options_.max_depth) + " levels");
      return;
    }
    DIR* dir = OpenFolder(path, relative);
    if (dir == nullptr) return;
    WalkOpen(dir, path, relative, depth + 1);
  }

  const InputWalkOptions& options_;
  InputWalk* out_;
  std::map<Identity, std::string> excluded_;
  std::set<Identity> walked_;
};

}  // namespace

bool NaturalLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t i_end = i, j_end = j;
      while (i_end < a.size() && digit(a[i_end])) ++i_end;
      while (j_end < b.size() && digit(b[j_end])) ++j_end;
      // Compared as numbers without converting (any length): leading zeros
      // off, then the longer is larger, then digit by digit.
      size_t i_first = i, j_first = j;
      while (i_first + 1 < i_end && a[i_first] == '0') ++i_first;
      while (j_first + 1 < j_end && b[j_first] == '0') ++j_first;
      const size_t len_a = i_end - i_first, len_b = j_end - j_first;
      if (len_a != len_b) return len_a < len_b;
      const int order = a.compare(i_first, len_a, b, j_first, len_b);
      if (order != 0) return order < 0;
      if (i_end - i != j_end - j) return i_end - i < j_end - j;  // "02" after "2"
      i = i_end, j = j_end;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

const char* PassedOverKindName(PassedOverKind kind) {
  switch (kind) {
    case PassedOverKind::kOwnOutput:
      return "own output";
    case PassedOverKind::kAlreadyWalked:
      return "folder walked already";
    case PassedOverKind::kOtherArchive:
      return "another sohoa archive";
    case PassedOverKind::kBag:
      return "BagIt bag";
    case PassedOverKind::kFifo:
      return "named pipe (FIFO)";
    case PassedOverKind::kSocket:
      return "socket";
    case PassedOverKind::kDevice:
      return "device";
    case PassedOverKind::kUnreadableFolder:
      return "unreadable folder";
    case PassedOverKind::kSymlinkLoop:
      return "symlink loop";
    case PassedOverKind::kDanglingLink:
      return "dangling symlink";
    case PassedOverKind::kUnreadable:
      return "unreadable entry";
    case PassedOverKind::kTooDeep:
      return "folder nested too deep";
    case PassedOverKind::kLoneBookManifest:
      return "book manifest without its scan";
    case PassedOverKind::kInBookFolder:
      return "in a book folder";
  }
  return "?";
}

bool PassedOverNeedsAttention(PassedOverKind kind) {
  return kind != PassedOverKind::kOwnOutput && kind != PassedOverKind::kAlreadyWalked;
}

StatusOr<InputWalk> WalkInputs(const std::string& input_dir, const InputWalkOptions& options) {
  InputWalk walk;
  Walker walker(options, &walk);
  SOHOA_RETURN_IF_ERROR(walker.WalkRoot(input_dir));
  return walk;
}

}  // namespace sohoa
