// The walk of a run's input folder: which files become documents, and every
// entry that does not, with why. Names stay bytes (pipeline/core/file_name.h).
//
// The archive, and a ledger kept elsewhere, are recognised by identity
// (device and inode), however they are reached: directly, through a symlink
// or an alias path. A directory is walked once however many symlinks lead to
// it, so a link back to the input (`ln -s /srv/scans /srv/scans/all`) is no
// loop and no second walk. Nothing is passed over silently: a FIFO, socket
// or device, an unreadable folder, a dangling or looping symlink, another
// sohoa archive or BagIt bag, a folder nested too deep — each is reported by
// name and kind. They are not documents: runs list them and count them
// apart from the documents' outcomes.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

enum class PassedOverKind {
  kOwnOutput,      // the archive (or the ledger) this run writes to
  kAlreadyWalked,  // a link to a folder walked already
  kOtherArchive,   // a folder holding a ledger.sqlite: some sohoa archive
  kBag,            // a folder holding bagit.txt: a BagIt bag
  kFifo,
  kSocket,
  kDevice,
  kUnreadableFolder,
  kSymlinkLoop,
  kDanglingLink,
  kUnreadable,  // an entry that cannot even be examined
  kTooDeep,
  kLoneBookManifest,  // a "<scan>.book.json" whose scan is not beside it
  kInBookFolder,      // an entry of a book folder that is not a page file
};

// Stable English key ("fifo", "unreadable folder", ...).
const char* PassedOverKindName(PassedOverKind kind);
// True when something a person may want archived could be behind it
// (everything but the run's own archive and folders already walked).
bool PassedOverNeedsAttention(PassedOverKind kind);

struct PassedOver {
  std::string name;  // raw bytes, relative to the input folder
  PassedOverKind kind;
  std::string detail;  // the error, or what the entry is (may be empty)
};

// Book manifests: a file named "<scan>.book.json" is not an input but the
// manifest of the register book "<scan>" beside it, and a "books.csv" is
// the manifests of the books its rows name in its folder
// (pipeline/core/book.h); a .book.json wins over a row.
inline constexpr char kBookManifestSuffix[] = ".book.json";
// A folder holding a file of this name is one register book: the manifest,
// and its other files (not hidden) the book's page images, in the natural
// order of their names ("trang-2.jpg" before "trang-10.jpg").
inline constexpr char kBookFolderManifest[] = "book.json";

struct InputFile {
  std::string path;           // raw bytes: what to open
  std::string relative_name;  // raw bytes, '/' separated, relative to the input folder
  std::string book_manifest;  // raw path of its "<name>.book.json" or books.csv; empty: not a book
  int book_manifest_line = 0;  // the books.csv line declaring it; 0: a .book.json
  std::vector<std::string> page_files;  // a book folder's page images (raw paths), in order
};

// `a` before `b` with runs of digits compared as numbers: "2" < "10".
bool NaturalLess(const std::string& a, const std::string& b);

struct InputWalk {
  std::vector<InputFile> files;  // sorted by relative name
  std::vector<PassedOver> passed_over;
};

struct InputWalkOptions {
  // Folders or files never taken as input, recognised by identity; each
  // with what it is, for the report ("the archive").
  std::vector<std::pair<std::string, std::string>> exclude;
  int max_depth = 64;
};

// kConfiguration when the input folder cannot be read or is the archive.
StatusOr<InputWalk> WalkInputs(const std::string& input_dir, const InputWalkOptions& options);

}  // namespace sohoa
