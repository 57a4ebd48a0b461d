// One way to name the ledger, for every command (issue 8).
//
// A ledger location is, in order of precedence, the --ledger option, else the
// SOHOA_LEDGER environment variable, else the archive's own SQLite file:
//
//   postgresql://user:password@host:port/db   the shared PostgreSQL ledger
//   postgres://…                               (same)
//   sqlite:PATH  or a plain PATH               an SQLite ledger file
//   "" (nothing given)                         <archive>/ledger.sqlite
//
// OpenLedger is the single factory every command goes through (run, worker,
// status, report, export, verify), so `sohoa status --ledger URL` reads the
// very database the workers wrote.
#pragma once

#include <memory>
#include <string>

#include "pipeline/ledger/ledger.h"
#include "pipeline/ledger/work_ledger.h"

namespace sohoa {

// The ledger location: `flag` if not empty, else $SOHOA_LEDGER, else "".
std::string ResolveLedgerLocation(const std::string& flag);

// True when `location` names a ledger shared by many processes (PostgreSQL):
// a run then must not treat other runs as crashed merely because it holds the
// archive's lock.
bool IsSharedLedger(const std::string& location);

// The SQLite file a non-PostgreSQL `location` names (the archive's
// ledger.sqlite for "").
std::string SqliteLedgerPath(const std::string& location, const std::string& archive_dir);

// For messages: the location with any password replaced by "***", or
// "<archive>/ledger.sqlite" for the default.
std::string DescribeLedger(const std::string& location, const std::string& archive_dir);

enum class LedgerAccess {
  kCreate,    // `sohoa run`: create (and migrate) the ledger if missing
  kExisting,  // readers: an SQLite file that does not exist is kNotFound,
              // rather than an empty archive created where a path was mistyped
  kRead,      // as kExisting, for the short-lived readers (`find`, `status`,
              // `export`, `report`): they leave an SQLite ledger's write-ahead
              // log to the next writer to checkpoint (OpenSqliteLedger)
};

// What closing an SQLite ledger does with its write-ahead log when no other
// connection has it open.
enum class SqliteLogOnClose {
  kCheckpoint,  // SQLite's default: copy it into the database (an fdatasync of
                // each) and delete it
  kLeave,       // leave it, with its shared-memory index, for the next writer,
                // whose commits checkpoint it once it passes 1000 pages. Every
                // commit is durable either way; a reader then closes without
                // syncing, and `find`'s audit entry costs the commit's
                // fdatasync and its directory's instead of five (with a new
                // log's header, and the checkpoint's two).
};

// OpenSqliteLedger (ledger.h) with a choice of what closing does.
StatusOr<std::unique_ptr<Ledger>> OpenSqliteLedger(const std::string& path, SqliteLogOnClose on_close);

// Opens the ledger at `location` (see above; `archive_dir` is used for the
// default). PostgreSQL schemas are always migrated on open.
StatusOr<std::unique_ptr<Ledger>> OpenLedger(const std::string& location, const std::string& archive_dir,
                                             LedgerAccess access);

// The work-queue view of a ledger opened by OpenLedger, or null when it has
// none (SQLite).
WorkLedger* AsWorkLedger(Ledger* ledger);

// Opens the SQLite ledger of an existing archive (kNotFound if there is none,
// rather than creating an empty archive where the user mistyped a path).
StatusOr<std::unique_ptr<Ledger>> OpenArchiveLedger(const std::string& archive_dir);

}  // namespace sohoa
