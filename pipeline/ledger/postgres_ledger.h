// The PostgreSQL ledger: one database shared by many workers on many machines
// (issue 8). Same behaviour as the SQLite ledger (pipeline/ledger/ledger.h; both pass
// tests/pipeline/ledger/ledger_contract_test.cc), plus the work queue that
// `sohoa enqueue` fills and `sohoa worker` drains.
//
// Leases are timestamps of the database's clock (lease_until timestamptz
// compared with now()), so workers on machines with skewed clocks agree.
// Schema migrations are versioned in a schema_migrations table and applied on
// open inside one transaction holding an advisory lock, so two workers
// starting at once do not both migrate.
//
// Thread-safety: one libpq connection per ledger object, guarded by a mutex;
// every method may be called from several threads (calls are serialised).
// A worker that wants parallel database traffic opens several ledgers.
//
// Connection strings: postgresql://user:password@host:port/db?... or any
// libpq conninfo. Messages name host, port, database and user, never the
// password.
#pragma once

#include <memory>
#include <string>

#include "pipeline/ledger/ledger.h"
#include "pipeline/ledger/work_ledger.h"

namespace sohoa {

// True for postgresql:// and postgres:// URLs.
bool IsPostgresUrl(const std::string& url);

// The URL with any password replaced by "***", for messages and logs.
std::string RedactPostgresUrl(const std::string& url);

// Connects, then creates or migrates the schema. A failed connection is a
// kConfiguration error naming host, port, database and user (and saying so
// plainly when the password was refused).
StatusOr<std::unique_ptr<WorkLedger>> OpenPostgresLedger(const std::string& url);

}  // namespace sohoa
