// Where archived files live: the archive store (issue 8).
//
// A narrow interface over the storage of the archive's files, so that the
// archive step and the workers do not assume a local disk. Files are named by
// keys: archive-relative, '/'-separated paths ("bags/<bag>/data/ab/ab12….pdf");
// a key never starts with '/' and never contains a ".." segment.
//
// Implementations: a folder — a local disk or a shared filesystem mounted by
// every worker (NFS) — NewFilesystemStore(); memory (NewMemoryStore(),
// pipeline/archive/memory_store.h), for tests and the fault-injecting wrapper
// the tests put around either. An object store (S3 and the like: put = PUT of
// the whole object, exists = HEAD, list = LIST by prefix, children = LIST
// with a delimiter, publish = upload then it is visible at once) fits the
// same contract and can follow without touching its callers: the run's sink
// and the BagIt code (pipeline/archive/bag.h) reach archive files only here.
//
// Contract:
//  - Publish and Put are atomic: a reader sees no file under the key, or the
//    whole file, never part of one; and durable: once they return OK, the
//    file survives a crash (fsync of file and folder on a filesystem).
//    Concurrent writers of different keys never disturb each other (their
//    temporary names are unique per process and call).
//  - Errors are kUnavailable values naming the key and the cause; a missing key
//    is kNotFound where it matters (OpenForRead, Move, Remove).
//
// Thread-safety: all methods may be called from several threads and several
// processes (on several machines) at once.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

class ArchiveStore {
 public:
  virtual ~ArchiveStore() = default;

  // "file:///srv/sohoa/archive": for messages.
  virtual std::string Describe() const = 0;

  // Moves the finished file at the local path `staged` into the store under
  // `key` (replacing what was there), atomically and durably. `staged` is
  // gone afterwards.
  virtual Status Publish(const std::string& staged, const std::string& key) = 0;

  // Writes `bytes` under `key`, atomically and durably.
  virtual Status Put(const std::string& key, const std::string& bytes) = 0;

  virtual StatusOr<bool> Exists(const std::string& key) = 0;

  // The file's size in bytes (kNotFound if there is none).
  virtual StatusOr<uint64_t> SizeOf(const std::string& key) = 0;

  // A stream over the file's bytes (binary).
  virtual StatusOr<std::unique_ptr<std::istream>> OpenForRead(const std::string& key) = 0;

  // Every file key under `prefix` (a folder-like key, "bags/w-1/data"),
  // recursively, sorted; a temporary file a crashed write left is listed
  // too (bags and verify must see it). An absent prefix lists nothing.
  virtual StatusOr<std::vector<std::string>> List(const std::string& prefix) = 0;

  // The names directly under `prefix` ("bags" -> "run-1/", "run-2/"), sorted;
  // a folder's name ends with '/'. An absent prefix lists nothing.
  virtual StatusOr<std::vector<std::string>> ListChildren(const std::string& prefix) = 0;

  // Makes `key` exist as a folder even while empty (BagIt wants data/ in a
  // bag with no payload). An object store writes a "key/" marker.
  virtual Status MakeFolder(const std::string& key) = 0;

  // Removes the empty folders under `prefix`, and `prefix` itself if it is
  // left empty: what moving files out leaves behind. A folder made with
  // MakeFolder is a folder like any other here.
  virtual Status PruneEmptyFolders(const std::string& prefix) = 0;

  // Renames a file within the store (moving an unrecorded file aside).
  virtual Status Move(const std::string& from_key, const std::string& to_key) = 0;

  // Deletes a file; kNotFound if there was none.
  virtual Status Remove(const std::string& key) = 0;
};

// The whole file at `key`: kNotFound if none, kUnavailable when reading fails
// part way (a truncated file is never returned as if whole).
StatusOr<std::string> ReadAll(ArchiveStore& store, const std::string& key);

// True for a key as described above (relative, no "..", no empty segment).
bool IsValidStoreKey(const std::string& key);

// The store rooted at the folder `root` (created if missing). Staged files
// on the same filesystem are renamed in; from another filesystem they are
// copied next to the key under a unique name first, then renamed.
StatusOr<std::unique_ptr<ArchiveStore>> NewFilesystemStore(const std::string& root);

// The store of an existing archive folder, for readers (`sohoa verify` run by
// an auditor who may read but not write): never creates the folder nor asks
// for write access. kNotFound when there is no such folder.
StatusOr<std::unique_ptr<ArchiveStore>> OpenFilesystemStoreForReading(const std::string& root);

}  // namespace sohoa
