// What an operator sees while a run goes on: a progress line and a
// Prometheus metrics file (node_exporter's textfile collector format).
//
// The archive step calls OnDocument() once per document, on one thread.
// Progress goes to the RunLog: a live status line on a terminal, a plain line
// at most every `plain_interval_seconds` otherwise (cron mail, journald).
// The metrics file is rewritten atomically (node_exporter must never read a
// half-written file) at most every `metrics_interval_seconds` and at Finish().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pipeline/core/run_log.h"
#include "pipeline/graph/stage_stats.h"
#include "pipeline/run/archive_sink.h"

namespace sohoa {

// What the metrics file keeps from one run to the next, for alerts on a
// nightly job that stopped working: when a run last ended with its results
// kept (exit 0, or 3: finished, some documents need a person), and how the
// last run ended. Written once the process's exit status is known
// (RecordRunExit), carried through every rewrite of the file by the next run.
struct RunExitRecord {
  std::optional<int64_t> last_success_unix;  // sohoa_last_success_timestamp_seconds
  std::optional<int> exit_status;            // sohoa_last_exit_status
};
// The record held in a metrics file's text (absent values where it has none).
RunExitRecord ParseRunExitRecord(const std::string& metrics_text);
// Its Prometheus lines ("" for an empty record).
std::string RunExitMetricsText(const RunExitRecord& record);
// Rewrites `metrics_file` atomically: what the run wrote (if anything) with
// the exit status set and, when `succeeded`, the last success time set to
// `now_unix`; an older last success is kept when not.
Status RecordRunExit(const std::string& metrics_file, int exit_status, bool succeeded, int64_t now_unix);

struct MonitorOptions {
  std::string metrics_file;  // empty: no metrics file
  double plain_interval_seconds = 30;
  double metrics_interval_seconds = 5;
};

class RunMonitor {
 public:
  RunMonitor(const MonitorOptions& options, RunLog* log, const StageStatsTable* stats, std::string run_id,
             size_t enumerated);

  void OnDocument(const OutcomeCounts& counts);
  // Final metrics (run_in_progress 0) and a cleared progress line.
  Status Finish(const OutcomeCounts& counts);

  // The metrics text for the given counts (exposed for tests).
  std::string MetricsText(const OutcomeCounts& counts, bool in_progress) const;
  // "12/40 documents (30 pages) · 14.2 pages/min · ETA 3 min"
  std::string ProgressText(const OutcomeCounts& counts) const;

 private:
  double Elapsed() const;
  Status WriteMetrics(const OutcomeCounts& counts, bool in_progress);

  MonitorOptions options_;
  RunLog* log_;
  const StageStatsTable* stats_;
  std::string run_id_;
  size_t enumerated_;
  int64_t start_unix_;
  RunExitRecord previous_;  // from the file the previous run left
  std::chrono::steady_clock::time_point start_;
  double last_plain_ = 0, last_metrics_ = -1e9;
};

}  // namespace sohoa
