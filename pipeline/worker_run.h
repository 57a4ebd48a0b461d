// One `sohoa worker` (issue 8): drains the work queue of a shared PostgreSQL
// ledger in small batches until nothing is left, running the same graph as
// `sohoa run` on each batch. Claims are leases renewed by a heartbeat thread
// (its own database connection); a worker that dies stops renewing, and the
// next worker to take one of its items abandons its run: its claims are
// released and its unrecorded files (staging and archive) are deleted, so a
// half-finished attempt leaves nothing behind. Outputs of a worker go to
// <archive>/bags/<worker id>/ via the same staging + durable rename as a run.
#pragma once

#include <string>

#include "pipeline/batch_run.h"

namespace sohoa {

struct WorkerOptions {
  std::string ledger_url;
  std::string archive_dir;  // shared filesystem path
  GraphOptions graph;
  int batch = 8;            // items claimed at a time
  int lease_seconds = 300;  // renewed every lease/3 s while the worker lives
  double poll_seconds = 1;  // wait while other workers hold live leases
};

struct WorkerSummary {
  std::string worker_id;
  OutcomeCounts counts;
  size_t claimed = 0, reclaimed = 0, batches = 0;
  double wall_seconds = 0;
};

StatusOr<WorkerSummary> RunWorker(const WorkerOptions& options, const GraphStages& stages,
                                  RunLog& log);

}  // namespace sohoa
