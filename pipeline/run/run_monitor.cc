#include "pipeline/run/run_monitor.h"
#include "pipeline/core/catalog.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"

namespace sohoa {

namespace {

constexpr char kLastSuccess[] = "sohoa_last_success_timestamp_seconds";
constexpr char kLastExit[] = "sohoa_last_exit_status";

// The metrics file's text; "" when there is none yet (or it cannot be read:
// the next write says why).
std::string ReadMetricsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (!in || !ReadStream(in, &text)) return "";
  return text;
}

// `text` without the lines of the metric family `name` (samples, HELP, TYPE).
std::string WithoutFamily(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line, kept;
  while (std::getline(lines, line)) {
    const bool sample = line.rfind(name, 0) == 0 &&
                        (line.size() == name.size() || line[name.size()] == ' ' || line[name.size()] == '{');
    const bool comment =
        line.rfind("# HELP " + name + " ", 0) == 0 || line.rfind("# TYPE " + name + " ", 0) == 0;
    if (!sample && !comment) kept += line + "\n";
  }
  return kept;
}

}  // namespace

RunExitRecord ParseRunExitRecord(const std::string& metrics_text) {
  RunExitRecord record;
  std::istringstream lines(metrics_text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    double value = 0;
    if (!(words >> name >> value) || !std::isfinite(value)) continue;
    if (name == kLastSuccess) record.last_success_unix = static_cast<int64_t>(value);
    if (name == kLastExit) record.exit_status = static_cast<int>(value);
  }
  return record;
}

std::string RunExitMetricsText(const RunExitRecord& record) {
  std::ostringstream m;
  if (record.last_success_unix) {
    m << "# HELP " << kLastSuccess
      << " Unix time the last run ended with its results kept (exit status 0 or 3).\n"
      << "# TYPE " << kLastSuccess << " gauge\n"
      << kLastSuccess << " " << *record.last_success_unix << "\n";
  }
  if (record.exit_status) {
    m << "# HELP " << kLastExit
      << " Exit status of the last finished run: 0 all archived, 3 some need a person, 2 failed.\n"
      << "# TYPE " << kLastExit << " gauge\n"
      << kLastExit << " " << *record.exit_status << "\n";
  }
  return m.str();
}

Status RecordRunExit(const std::string& metrics_file, int exit_status, bool succeeded, int64_t now_unix) {
  const std::string text = ReadMetricsFile(metrics_file);
  RunExitRecord record = ParseRunExitRecord(text);
  record.exit_status = exit_status;
  if (succeeded) record.last_success_unix = now_unix;
  const std::string rest = WithoutFamily(WithoutFamily(text, kLastSuccess), kLastExit);
  return WriteFileAtomically(metrics_file, rest + RunExitMetricsText(record));
}

RunMonitor::RunMonitor(const MonitorOptions& options, RunLog* log, const StageStatsTable* stats,
                       std::string run_id, size_t enumerated)
    : options_(options),
      log_(log),
      stats_(stats),
      run_id_(std::move(run_id)),
      enumerated_(enumerated),
      start_unix_(NowUnixSeconds()),
      start_(std::chrono::steady_clock::now()) {
  if (!options_.metrics_file.empty()) previous_ = ParseRunExitRecord(ReadMetricsFile(options_.metrics_file));
}

double RunMonitor::Elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string RunMonitor::ProgressText(const OutcomeCounts& counts) const {
  const double elapsed = Elapsed();
  const size_t done = counts.total();
  char text[256];
  const double pages_per_minute = elapsed > 0 ? 60.0 * static_cast<double>(counts.pages) / elapsed : 0;
  // ETA from the document rate: pages per document are unknown until probed.
  const size_t processed = done - counts.skipped - counts.deferred;
  const UiLang lang = log_ != nullptr ? log_->lang() : UiLang::kEn;
  std::string eta = Tr(lang, N_("ETA —"));
  if (processed > 0 && done < enumerated_) {
    const double seconds = elapsed / static_cast<double>(done) * static_cast<double>(enumerated_ - done);
    char buf[64];
    if (seconds < 90) {
      std::snprintf(buf, sizeof buf, "%.0f", seconds);
      eta = Fill(Tr(lang, N_("ETA {n} s")), {{"n", buf}});
    } else if (seconds < 5400) {
      std::snprintf(buf, sizeof buf, "%.0f", seconds / 60);
      eta = Fill(Tr(lang, N_("ETA {n} min")), {{"n", buf}});
    } else {
      std::snprintf(buf, sizeof buf, "%.1f", seconds / 3600);
      eta = Fill(Tr(lang, N_("ETA {n} h")), {{"n", buf}});
    }
  } else if (done >= enumerated_) {
    eta = Tr(lang, N_("done"));
  }
  std::snprintf(text, sizeof text, "%.1f", pages_per_minute);
  return Fill(Tr(lang, N_("{done}/{total} documents ({pages} pages) · {per_minute} pages/min · {eta}")),
              {{"done", std::to_string(done)},
               {"total", std::to_string(enumerated_)},
               {"pages", std::to_string(counts.pages)},
               {"per_minute", text},
               {"eta", eta}});
}

std::string RunMonitor::MetricsText(const OutcomeCounts& counts, bool in_progress) const {
  std::ostringstream m;
  const std::string run = "run=\"" + run_id_ + "\"";
  m << "# HELP sohoa_documents Documents of the current run by outcome.\n"
       "# TYPE sohoa_documents gauge\n";
  const std::pair<const char*, size_t> outcomes[] = {{"archived", counts.archived},
                                                     {"review", counts.review},
                                                     {"quarantined", counts.quarantined},
                                                     {"skipped", counts.skipped},
                                                     {"deferred", counts.deferred}};
  for (const auto& [name, n] : outcomes)
    m << "sohoa_documents{" << run << ",status=\"" << name << "\"} " << n << "\n";
  m << "# HELP sohoa_documents_enumerated Input files found by the current run.\n"
       "# TYPE sohoa_documents_enumerated gauge\n"
    << "sohoa_documents_enumerated{" << run << "} " << enumerated_ << "\n"
    << "# HELP sohoa_pages Pages of archived and review documents in the current run.\n"
       "# TYPE sohoa_pages gauge\n"
    << "sohoa_pages{" << run << "} " << counts.pages << "\n";
  m << "# HELP sohoa_stage_items Items processed by each stage.\n# TYPE sohoa_stage_items gauge\n";
  const auto stages = stats_ ? stats_->Snapshot() : std::vector<StageStatsSnapshot>{};
  for (const auto& s : stages)
    m << "sohoa_stage_items{" << run << ",stage=\"" << s.stage << "\"} " << s.items << "\n";
  m << "# HELP sohoa_stage_failures Items that failed in each stage.\n# TYPE sohoa_stage_failures gauge\n";
  for (const auto& s : stages)
    m << "sohoa_stage_failures{" << run << ",stage=\"" << s.stage << "\"} " << s.failures << "\n";
  m << "# HELP sohoa_stage_busy_seconds Time spent working in each stage, summed over threads.\n"
       "# TYPE sohoa_stage_busy_seconds gauge\n";
  for (const auto& s : stages)
    m << "sohoa_stage_busy_seconds{" << run << ",stage=\"" << s.stage << "\"} " << s.busy_seconds << "\n";
  m << "# HELP sohoa_stage_p95_seconds 95th percentile of one item's time in each stage.\n"
       "# TYPE sohoa_stage_p95_seconds gauge\n";
  for (const auto& s : stages)
    m << "sohoa_stage_p95_seconds{" << run << ",stage=\"" << s.stage << "\"} " << s.p95_seconds << "\n";
  m << "# HELP sohoa_stage_wait_seconds Time items waited in the queue before each stage, summed.\n"
       "# TYPE sohoa_stage_wait_seconds gauge\n";
  for (const auto& s : stages)
    m << "sohoa_stage_wait_seconds{" << run << ",stage=\"" << s.stage << "\"} " << s.wait_seconds << "\n";
  m << "# HELP sohoa_run_duration_seconds Wall time of the current run so far.\n"
       "# TYPE sohoa_run_duration_seconds gauge\n"
    << "sohoa_run_duration_seconds{" << run << "} " << Elapsed() << "\n"
    << "# HELP sohoa_run_start_time_seconds Unix time the run started.\n"
       "# TYPE sohoa_run_start_time_seconds gauge\n"
    << "sohoa_run_start_time_seconds{" << run << "} " << start_unix_ << "\n"
    << "# HELP sohoa_run_in_progress 1 while the run is going, 0 once it finished.\n"
       "# TYPE sohoa_run_in_progress gauge\n"
    << "sohoa_run_in_progress{" << run << "} " << (in_progress ? 1 : 0) << "\n";
  // The previous run's outcome stays visible while this one goes on.
  m << RunExitMetricsText(previous_);
  return m.str();
}

Status RunMonitor::WriteMetrics(const OutcomeCounts& counts, bool in_progress) {
  if (options_.metrics_file.empty()) return Status::Ok();
  return WriteFileAtomically(options_.metrics_file, MetricsText(counts, in_progress));
}

void RunMonitor::OnDocument(const OutcomeCounts& counts) {
  const double now = Elapsed();
  if (log_->is_terminal()) {
    log_->SetStatusLine(ProgressText(counts));
  } else if (now - last_plain_ >= options_.plain_interval_seconds) {
    last_plain_ = now;
    log_->Info(Tr(log_->lang(), N_("progress: ")) + ProgressText(counts));
  }
  if (now - last_metrics_ >= options_.metrics_interval_seconds) {
    last_metrics_ = now;
    Status s = WriteMetrics(counts, true);
    if (!s.ok()) log_->Warning(Tr(log_->lang(), N_("metrics file: ")) + s.message());
  }
}

Status RunMonitor::Finish(const OutcomeCounts& counts) {
  log_->SetStatusLine("");
  return WriteMetrics(counts, false);
}

}  // namespace sohoa
