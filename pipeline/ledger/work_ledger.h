// The work queue of a ledger that many workers share (issue 8): what
// `sohoa enqueue` fills and `sohoa worker` drains. A ledger that can be
// shared implements it beside Ledger (the PostgreSQL ledger does; the SQLite
// ledger, one archive's file, does not). Reach it with Ledger::work_queue().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/ledger/ledger.h"

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

// One `sohoa worker` as the ledger knows it (its run record, issue 8), or a
// `sohoa run` that keeps a heartbeat on the shared ledger.
struct WorkerInfo {
  std::string worker_id, host;  // worker_id: the run id
  bool worker = true;           // false: a `sohoa run --ledger postgresql://…`
  int64_t pid = 0;
  std::string state;  // running | finished | failed | interrupted
  // Running and its heartbeat renewed recently (alive_until in the future).
  // A running worker whose heartbeat stopped is presumed dead.
  bool alive = false;
  // Running, but its heartbeat lease ran out: presumed dead (a worker
  // between start and its first heartbeat is neither alive nor expired).
  bool expired = false;
  std::string started_at, finished_at;  // ISO 8601 UTC; finished empty while running
  int64_t leases_held = 0;              // work items it holds under a live lease
  int64_t documents = 0;                // outcomes it recorded (archived, review, quarantined)
  int64_t pages = 0;                    // pages of its archived and review documents
  double seconds = 0;                   // from start to finish (or to now, while running)
};

class WorkLedger : public Ledger {
 public:
  WorkLedger* work_queue() override { return this; }

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
  // Every worker run and every run with a heartbeat, oldest first.
  virtual StatusOr<std::vector<WorkerInfo>> Workers() = 0;
  // Runs `fn` holding the database-wide lock `name` (a session advisory
  // lock; waits for it). Serialises work on one shared thing across
  // machines, e.g. closing one bag. `fn` may call this ledger.
  virtual Status WithLock(const std::string& name, const std::function<Status()>& fn) = 0;
};

}  // namespace sohoa
