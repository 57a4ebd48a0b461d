#include "pipeline/ledger/sqlite_db.h"

#include <algorithm>
#include <cstring>

namespace sohoa::sqlite {

Status Check(sqlite3* db, int rc, const std::string& subject, const std::string& what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string message = subject + ": " + what + ": " + sqlite3_errmsg(db);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Busy(message);
  const int primary = rc & 0xff;  // extended codes (SQLITE_IOERR_WRITE, ...) share the low byte
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_READONLY ||
      primary == SQLITE_CANTOPEN) {
    // "disk I/O error" alone does not say what to fix; the system's errno does.
    if (const int err = sqlite3_system_errno(db); err != 0) {
      message += std::string(" (") + std::strerror(err) + ")";
    } else if (primary == SQLITE_IOERR || primary == SQLITE_FULL) {
      message += " (the " + subject + " file could not be written: is its disk full or read-only?)";
    }
    return Status::Unavailable(message);
  }
  return Status::Internal(message);
}

Status Exec(sqlite3* db, const std::string& subject, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text as sqlite3_errmsg(), which Check adds
  if (rc == SQLITE_OK) return Status::Ok();
  // Name the statement (its first line: "BEGIN IMMEDIATE", "CREATE TABLE …").
  return Check(db, rc, subject, sql.substr(0, std::min<size_t>(sql.find('\n'), 60)));
}

StatusOr<sqlite3*> Open(const std::string& path, const std::string& subject) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::Unavailable("cannot open " + subject + " " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 10000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Status s = Exec(db, subject, pragma);
    if (!s.ok()) {
      sqlite3_close_v2(db);
      return s.WithContext(path);
    }
  }
  return db;
}

Status Migrate(sqlite3* db, const std::string& subject, const char* const* migrations, size_t count,
               const std::function<Status(int64_t)>& after_each) {
  int64_t applied = 0;
  {  // finalized before migrating: DROP INDEX fails while a statement is open
    Statement version(db, "PRAGMA user_version");
    const int rc = version.Step();
    if (rc != SQLITE_ROW)
      return Check(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, subject, "reading schema version");
    applied = version.Int(0);
  }
  const int64_t known = static_cast<int64_t>(count);
  if (applied > known) {
    return Status::Configuration(subject + " schema version " + std::to_string(applied) +
                                 " is newer than this sohoa understands (" + std::to_string(known) +
                                 "); upgrade sohoa");
  }
  for (int64_t i = applied; i < known; ++i) {
    SOHOA_RETURN_IF_ERROR(Exec(db, subject, "BEGIN IMMEDIATE"));
    Status s = Exec(db, subject, migrations[i]);
    if (s.ok() && after_each) s = after_each(i + 1);
    if (s.ok()) s = Exec(db, subject, "PRAGMA user_version=" + std::to_string(i + 1));
    if (!s.ok()) {
      (void)Exec(db, subject, "ROLLBACK");
      return s.WithContext("applying " + subject + " migration " + std::to_string(i + 1));
    }
    SOHOA_RETURN_IF_ERROR(Exec(db, subject, "COMMIT"));
  }
  return Status::Ok();
}

}  // namespace sohoa::sqlite
