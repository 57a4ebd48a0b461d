#include "pipeline/report/archive_status.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/archive/run_lock.h"
#include "pipeline/core/reason_text.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/ledger/ledger_factory.h"

namespace sohoa {

StatusOr<ArchiveStatus> ReadArchiveStatus(const std::string& archive_dir, size_t recent_runs,
                                          size_t max_items) {
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenArchiveLedger(archive_dir);
  if (!ledger.ok()) return ledger.status();
  return ReadArchiveStatus(**ledger, archive_dir, recent_runs, max_items);
}

StatusOr<ArchiveStatus> ReadArchiveStatus(Ledger& ledger, const std::string& archive_dir, size_t recent_runs,
                                          size_t max_items) {
  ArchiveStatus status;
  if (!archive_dir.empty()) status.running = RunLock::IsHeld(archive_dir, &status.running_holder);
  StatusOr<std::vector<RunRecord>> runs = ledger.RecentRuns(static_cast<int64_t>(recent_runs));
  if (!runs.ok()) return runs.status();
  status.recent_runs = std::move(*runs);
  StatusOr<LedgerSummary> summary = ledger.Summarize();
  if (!summary.ok()) return summary.status();
  for (const auto& [state, count] : summary->documents)
    if (state != "processing") status.by_status[state] = count;
  status.pages_archived = summary->pages;
  StatusOr<std::vector<LedgerRecord>> review =
      ledger.RecordsWithStatus("review", static_cast<int64_t>(max_items));
  if (!review.ok()) return review.status();
  status.review = std::move(*review);
  StatusOr<std::vector<LedgerRecord>> quarantined =
      ledger.RecordsWithStatus("quarantined", static_cast<int64_t>(max_items));
  if (!quarantined.ok()) return quarantined.status();
  status.quarantined = std::move(*quarantined);
  return status;
}

namespace {

void ListRecords(std::ostringstream& out, const std::vector<LedgerRecord>& records, int64_t total,
                 size_t max_items) {
  for (size_t i = 0; i < records.size() && i < max_items; ++i) {
    out << "  " << EscapeForLog(records[i].source) << ": "
        << EscapeForLog(ReasonWithoutValues(records[i].reason)) << "\n";
  }
  const int64_t listed = static_cast<int64_t>(std::min(records.size(), max_items));
  if (total > listed) {
    out << "  … and " << total - listed << " more (sohoa export --archive … lists all)\n";
  }
}

}  // namespace

std::string FormatArchiveStatus(const ArchiveStatus& s, size_t max_items) {
  std::ostringstream out;
  out << (s.running ? "A run is going now (" + s.running_holder + ").\n" : "No run is going now.\n");
  auto count = [&](const char* key) {
    auto it = s.by_status.find(key);
    return it == s.by_status.end() ? int64_t{0} : it->second;
  };
  out << "Archive: " << count("archived") << " archived, " << count("review") << " awaiting review, "
      << count("quarantined") << " quarantined; " << s.pages_archived << " pages.\n";
  if (!s.recent_runs.empty()) out << "\nLast runs:\n";
  for (const RunRecord& run : s.recent_runs) {
    nlohmann::json c = nlohmann::json::parse(run.counts_json, nullptr, false);
    out << "  " << run.run_id << "  " << run.state << "  started " << run.started_at;
    if (!run.finished_at.empty()) out << ", finished " << run.finished_at;
    if (c.is_object() && c.contains("enumerated")) {
      out << "\n      " << c.value("enumerated", 0) << " files: " << c.value("archived", 0) << " archived, "
          << c.value("review", 0) << " review, " << c.value("quarantined", 0) << " quarantined, "
          << c.value("skipped", 0) << " already done";
      if (c.value("deferred", 0) > 0) out << ", " << c.value("deferred", 0) << " left for the next run";
      out << "; " << c.value("pages", 0) << " pages in " << static_cast<int>(c.value("wall_seconds", 0.0))
          << " s";
    }
    out << "\n";
  }
  if (count("review") > 0) {
    out << "\nAwaiting review (" << count("review") << "):\n";
    ListRecords(out, s.review, count("review"), max_items);
  }
  if (count("quarantined") > 0) {
    out << "\nQuarantined (" << count("quarantined") << "):\n";
    ListRecords(out, s.quarantined, count("quarantined"), max_items);
  }
  return out.str();
}

}  // namespace sohoa
