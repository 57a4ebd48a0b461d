// Keeping the ledger safe (issue 26): an online backup of the SQLite ledger,
// a health check for the nightly job, and putting a rebuilt ledger in place.
//
// PostgreSQL ledgers are backed up with the database's own tools (pg_dump,
// see the README); their invariants are checked through the Ledger interface.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// Copies the SQLite ledger `source` to `destination` while runs and the
// review station keep writing to it: SQLite's online backup API copies one
// consistent snapshot (one read transaction; WAL lets writers go on). The
// copy is written beside `destination`, synced, then renamed over it, so
// `destination` is never a half file. kNotFound if `source` does not exist.
Status BackupSqliteLedger(const std::string& source, const std::string& destination);

// Problems of the SQLite file `path` itself, opened read-only: SQLite's
// integrity check (quick_check if `quick`: no index cross-check), foreign
// keys, a schema this sohoa knows. Empty: healthy. Non-OK only when the file
// cannot be examined at all (kNotFound when missing).
StatusOr<std::vector<std::string>> CheckSqliteLedgerFile(const std::string& path, bool quick);

// The ledger's own invariants, through the interface (either backend):
// statuses, details that parse, archived/review records with their PDF and
// every output hashed under bags/, quarantines with a reason, register links
// to records that exist. One line per problem; empty: none.
StatusOr<std::vector<std::string>> CheckLedgerInvariants(Ledger& ledger);

// Puts the finished SQLite ledger `built` at `target`. What was at `target`
// (and its -wal/-shm files) is kept beside it as
// "<target>.replaced-<YYYYMMDDTHHMMSSZ>" (`kept_aside` says where, "" if
// nothing was there). Each step is a durable rename.
Status InstallSqliteLedger(const std::string& built, const std::string& target, std::string* kept_aside);

}  // namespace sohoa
