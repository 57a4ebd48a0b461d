// One `sohoa worker` (issue 8): drains the work queue of a shared PostgreSQL
// ledger in small batches until nothing is left, running the same graph as
// `sohoa run` on each batch. Claims are leases renewed by a heartbeat thread
// (its own database connection); a worker that dies stops renewing, and the
// next worker to take one of its items abandons its run: its claims are
// released and its unrecorded files (staging and archive) are deleted, so a
// half-finished attempt leaves nothing behind.
//
// Outputs of a worker are published to the archive store (pipeline/
// archive_store.h; the shared folder today) under bags/<worker id>/, the
// worker's own BagIt bag: the worker id names one worker process (host, pid,
// a random suffix), so no two writers ever share a bag. The worker closes its
// bag (tag manifests from the hashes the ledger recorded) when the queue is
// drained and it exits; the bag of a worker that died is closed by the worker
// that reclaims its work, or, if nothing of it was left to reclaim, by the
// next worker to exit (its heartbeat has expired). Closings of one bag are
// serialised by a database lock. So once every worker has exited, every bag
// is complete and `sohoa verify` passes on the archive.
#pragma once

#include <memory>
#include <string>

#include "pipeline/archive/bag.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "pipeline/run/batch_run.h"

namespace sohoa {

struct WorkerOptions {
  std::string ledger_url;
  std::string archive_dir;  // shared filesystem path
  GraphOptions graph;
  int batch = 8;            // items claimed at a time
  int lease_seconds = 300;  // renewed every lease/3 s while the worker lives
  double poll_seconds = 1;  // wait while other workers hold live leases
  BagOptions bag;           // who the bags name as organisation and operator
};

struct WorkerSummary {
  std::string worker_id;
  OutcomeCounts counts;
  size_t claimed = 0, reclaimed = 0, batches = 0;
  double wall_seconds = 0;
};

// Renews everything `run_id` holds in `ledger` (work items, input claims, its
// run's alive_until) every lease/3 seconds on a thread until destroyed, so
// the run counts as alive; a run whose heartbeat stops is presumed dead once
// its lease expires, and the next worker to exit cleans it up. `ledger` is
// the heartbeat's own connection (owned). Used by workers and by `sohoa run
// --ledger postgresql://…`.
class LeaseHeartbeat {
 public:
  virtual ~LeaseHeartbeat() = default;
};
StatusOr<std::unique_ptr<LeaseHeartbeat>> StartLeaseHeartbeat(std::unique_ptr<WorkLedger> ledger,
                                                              const std::string& run_id, int lease_seconds,
                                                              RunLog* log);

StatusOr<WorkerSummary> RunWorker(const WorkerOptions& options, const GraphStages& stages, RunLog& log);

}  // namespace sohoa
