// Durable file operations: what "archived" promises rests on these.
#pragma once

#include <istream>
#include <string>

#include "pipeline/core/status.h"

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

// Appends every byte left in `in` to `bytes`; false when reading failed part
// way. (Unlike `out << in.rdbuf()`, which swallows a read error into the
// output stream's state and leaves what it got so far as if it were all.)
bool ReadStream(std::istream& in, std::string* bytes);

// Reads the whole of `path` into `bytes`, but never more than `limit` bytes:
// a hostile or mistaken file of gigabytes costs `limit` of memory and is
// refused, instead of being read whole and then found too large. Errors name
// the file: kNotFound (cannot be opened), kTooLarge ("larger than 64 kB"),
// kIoError (a read failed part way). `bytes` is cleared first.
Status ReadFileBounded(const std::string& path, size_t limit, std::string* bytes);

// "64 kB", "4 MB": a byte limit as people write it in a message.
std::string ByteLimitText(size_t limit);

// Makes `path` readable and writable by its owner only (`mode` 0600), or
// also readable by its group (0640: the ledger, which the archive's auditors'
// group may read, pipeline/archive/archive_access.h): creates it empty when missing
// (an empty file is a valid new SQLite database, whose -wal and -shm files
// SQLite then creates with the same mode), whatever the process's umask; an
// existing file is narrowed to owner-only when `narrow_existing` (password
// hashes: review.sqlite). kIoError when the file cannot be created or its
// mode changed.
Status MakePrivateFile(const std::string& path, bool narrow_existing, unsigned mode = 0600);

}  // namespace sohoa
