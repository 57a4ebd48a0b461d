// Durable file operations: what "archived" promises rests on these.
#pragma once

#include <string>

#include "pipeline/status.h"

namespace sohoa {

// fsync() of a file or a directory (a rename is durable only once its
// directory is synced).
Status SyncPath(const std::string& path);

// Writes `bytes` to `path` atomically: a temporary sibling is written and
// synced, then renamed over `path`, and the directory synced. Readers see the
// old file or the whole new one, never a part.
Status WriteFileAtomically(const std::string& path, const std::string& bytes);

// Renames `from` to `to` (same file system), creating `to`'s directory, and
// syncs the file and both directories.
Status DurableRename(const std::string& from, const std::string& to);

// Creates the directory and its parents; a clear error if it cannot.
Status MakeDirectories(const std::string& path);

}  // namespace sohoa
