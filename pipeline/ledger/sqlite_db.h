// The one SQLite layer (issue 16): opening a database file the way sohoa
// keeps them (WAL, synchronous=FULL, foreign keys, a busy timeout), prepared
// statements, schema migrations, and one mapping of SQLite's result codes to
// Status. The ledger (sqlite_ledger.cc) and the review station's accounts
// (pipeline/review/accounts.cc) both use it, so they agree on what a full disk
// is: kUnavailable, which stops a run cleanly and tells the operator why.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "pipeline/core/status.h"

namespace sohoa::sqlite {

// A prepared statement, finalized when it goes out of scope. A statement that
// failed to prepare steps to SQLITE_ERROR (and Check() then names the cause).
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  int Step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  // The column's text without a copy: valid until the next Step.
  std::string_view View(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, col))
             : std::string_view();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// OK, DONE and ROW are Ok. BUSY and LOCKED -> kBusy; a full, failing,
// read-only or unopenable file -> kUnavailable with the system's errno;
// anything else -> kInternal. Messages read "<subject>: <what>: <sqlite's>".
Status Check(sqlite3* db, int rc, const std::string& subject, const std::string& what);

// Runs `sql` (one or more statements, no results), named in errors by its
// first line.
Status Exec(sqlite3* db, const std::string& subject, const std::string& sql);

// Opens (creating) the file at `path` (":memory:" too) for use from several
// threads and sets the pragmas above. The file's permissions are the
// caller's to set first (MakePrivateFile). Errors: kUnavailable.
StatusOr<sqlite3*> Open(const std::string& path, const std::string& subject);

// Applies migrations[applied .. count) in order, each in one BEGIN IMMEDIATE
// transaction with PRAGMA user_version set to its number, so a crash leaves
// the schema at a version it names. `after_each(version)`, when given, runs
// inside that transaction (a backfill the migration needs). A schema newer
// than `count` is kConfiguration ("upgrade sohoa").
Status Migrate(sqlite3* db, const std::string& subject, const char* const* migrations, size_t count,
               const std::function<Status(int64_t)>& after_each = {});

}  // namespace sohoa::sqlite
