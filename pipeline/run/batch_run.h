// One `sohoa run`: everything around the graph. Locks the archive, opens the
// ledger, recovers from a crashed previous run, enumerates the input folder,
// runs the graph with the admission stage in front of the given stages and
// the archive step behind them, and records the run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/archive/bag.h"
#include "pipeline/core/input_walk.h"
#include "pipeline/core/run_log.h"
#include "pipeline/graph/graph.h"
#include "pipeline/graph/stage_stats.h"
#include "pipeline/run/archive_sink.h"
#include "pipeline/run/run_monitor.h"

namespace sohoa {

struct BatchOptions {
  std::string input_dir;
  std::string archive_dir;
  // Where the ledger is (pipeline/ledger/ledger_factory.h): "" for the archive's
  // own SQLite file, or a postgresql:// URL to write to the ledger a fleet
  // of workers shares. With a shared ledger the run leaves other runs and
  // their bags alone (they may be live workers) and closes only its own bag.
  std::string ledger;
  // Group that may read the archive (pipeline/archive/archive_access.h); "" = none.
  std::string archive_group;
  GraphOptions graph;
  int lease_seconds = 6 * 3600;
  // Every input file without a "<file>.book.json" manifest is a register
  // book of this kind (pipeline/core/book.h); "" = only files with one are.
  std::string book_kind;
  // Fixed run id and clock for reproducible output (golden tests).
  bool deterministic = false;
  BagOptions bag;          // who the bags name as organisation and operator
  MonitorOptions monitor;  // progress line and metrics file
};

struct BatchSummary {
  std::string run_id;
  size_t enumerated = 0;
  OutcomeCounts counts;
  EntryCounts entries;  // register-book entries (pipeline/core/book.h), apart from the files
  double wall_seconds = 0;
  double cpu_seconds = 0;
  std::vector<StageStatsSnapshot> stages;
  // Why the run stopped before the end of its batch: the archive or the
  // ledger could no longer keep results (disk full, read-only, ledger gone).
  // The documents not done are counted `deferred`; nothing is recorded for
  // them, so the next run takes them again.
  Status stopped;
  // Entries of the input folder that are not documents (pipeline/core/input_walk.h):
  // not counted in `enumerated` or the outcomes; each was logged by name.
  std::vector<PassedOver> passed_over;
  bool needs_attention() const {
    for (const PassedOver& p : passed_over)
      if (PassedOverNeedsAttention(p.kind)) return true;
    return counts.quarantined + counts.review + counts.deferred + entries.review + entries.quarantined +
               entries.deferred >
           0;
  }
};

// `stages` are the concrete stages (probe, page stages, writers); admission is
// added in front. A non-OK Status means the run could not start or its
// bookkeeping failed; per-document failures are in the summary instead, and
// so is a run stopped because results could not be kept (`stopped`).
StatusOr<BatchSummary> RunBatch(const BatchOptions& options, const GraphStages& stages, RunLog& log);

// The documents of a walk (pipeline/core/input_walk.h): each named by its display
// name (pipeline/core/file_name.h), its raw bytes kept when they differ.
std::vector<std::shared_ptr<Document>> DocumentsOf(const InputWalk& walk, const std::string& book_kind = "");

}  // namespace sohoa
