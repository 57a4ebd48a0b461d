// The registers an archive was given, kept in the archive (issue 26).
//
// The commune's register (`sohoa inventory import`) is an input like the
// scans: the register matches, and so the coverage report, depend on it. Each
// imported file is kept, byte for byte, through the archive store under
//
//   registers/<YYYYMMDDTHHMMSSZ>-<sha256>.csv
//
// (import time, UTC, then the SHA-256 of the bytes), so a ledger rebuilt from
// the archive (pipeline/run/ledger_rebuild.h) re-imports them in the order they
// were imported, after checking each file still has its hash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/status.h"

namespace sohoa {

inline constexpr const char* kRegistersDir = "registers";

struct KeptRegister {
  std::string key;     // "registers/20261130T031427Z-<sha>.csv"
  std::string time;    // "20261130T031427Z"
  std::string sha256;  // of the bytes, from the key
};

// Keeps `bytes` (a register file imported at `unix_time`) in `store`. A
// register identical to the newest one kept is not kept twice (re-importing
// the same file changes nothing); returns the key it is kept under.
StatusOr<std::string> KeepRegister(ArchiveStore& store, const std::string& bytes, int64_t unix_time);

// The registers kept in `store`, oldest import first. Keys that do not have
// the form above are ignored.
StatusOr<std::vector<KeptRegister>> KeptRegisters(ArchiveStore& store);

// The whole file under `key` (a bounded read: at most `max_bytes`).
StatusOr<std::string> ReadStoreFile(ArchiveStore& store, const std::string& key,
                                    uint64_t max_bytes = uint64_t{1} << 30);

}  // namespace sohoa
