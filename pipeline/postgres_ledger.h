// The PostgreSQL ledger: one database shared by many workers on many machines
// (issue 8). Same behaviour as the SQLite ledger (pipeline/ledger.h; both pass
// tests/pipeline/ledger_contract_test.cc), plus the work queue that
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
#include <vector>

#include "pipeline/ledger.h"

namespace sohoa {

// One input registered as work by `sohoa enqueue`.
struct WorkItem {
  std::string sha256;
  std::string path;    // absolute path the worker reads (shared filesystem)
  std::string source;  // path relative to the enqueued folder (the ledger's source)
  // Set by ClaimWork when the item was taken from an expired lease: the
  // worker that held it (presumed dead).
  std::string previous_worker;
};

struct WorkCounts {
  int64_t queued = 0;   // waiting, or claimed with an expired lease
  int64_t claimed = 0;  // held under a live lease
  int64_t done = 0;
};

class WorkLedger : public Ledger {
 public:
  // Adds the items not yet known (by sha256) with status 'queued'; returns
  // how many were new. Enqueuing the same folder twice adds nothing.
  virtual StatusOr<int> Enqueue(const std::vector<WorkItem>& items) = 0;
  // Claims up to `max_items` queued items (or items whose lease expired) for
  // `worker_id` until now + lease_seconds, with FOR UPDATE SKIP LOCKED so
  // concurrent workers never get the same item. Returns reclaimed ones too;
  // `reclaimed` (optional) counts items taken from an expired lease.
  virtual StatusOr<std::vector<WorkItem>> ClaimWork(const std::string& worker_id, int max_items,
                                                    int lease_seconds, int* reclaimed) = 0;
  // Extends the leases of everything `worker_id` holds (work items and the
  // inputs it claimed as run `worker_id`). Returns how many items it holds.
  virtual StatusOr<int> RenewLeases(const std::string& worker_id, int lease_seconds) = 0;
  // Marks the item done; refused (kBusy) if the worker no longer holds it.
  virtual Status FinishWork(const std::string& sha256, const std::string& worker_id) = 0;
  // Gives the item back (status 'queued') so another worker takes it now.
  virtual Status ReleaseWork(const std::string& sha256, const std::string& worker_id) = 0;
  virtual StatusOr<WorkCounts> CountWork() = 0;
};

// True for postgresql:// and postgres:// URLs.
bool IsPostgresUrl(const std::string& url);

// The URL with any password replaced by "***", for messages and logs.
std::string RedactPostgresUrl(const std::string& url);

// Connects, then creates or migrates the schema. A failed connection is a
// kConfiguration error naming host, port, database and user (and saying so
// plainly when the password was refused).
StatusOr<std::unique_ptr<WorkLedger>> OpenPostgresLedger(const std::string& url);

}  // namespace sohoa
