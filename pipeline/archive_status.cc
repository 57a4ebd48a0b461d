#include "pipeline/archive_status.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/export.h"
#include "pipeline/run_lock.h"
#include "pipeline/text_safety.h"

namespace sohoa {

StatusOr<ArchiveStatus> ReadArchiveStatus(const std::string& archive_dir, size_t recent_runs) {
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenArchiveLedger(archive_dir);
  if (!ledger.ok()) return ledger.status();
  return ReadArchiveStatus(**ledger, archive_dir, recent_runs);
}

StatusOr<ArchiveStatus> ReadArchiveStatus(Ledger& ledger, const std::string& archive_dir,
                                          size_t recent_runs) {
  ArchiveStatus status;
  if (!archive_dir.empty()) status.running = RunLock::IsHeld(archive_dir, &status.running_holder);
  StatusOr<std::vector<RunRecord>> runs = ledger.Runs();
  if (!runs.ok()) return runs.status();
  const size_t first = runs->size() > recent_runs ? runs->size() - recent_runs : 0;
  status.recent_runs.assign(runs->begin() + static_cast<long>(first), runs->end());
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) {
    ++status.by_status[r.status];
    if (r.status == "archived" || r.status == "review") status.pages_archived += r.pages;
    if (r.status == "review") status.review.push_back(r);
    if (r.status == "quarantined") status.quarantined.push_back(r);
  }));
  return status;
}

namespace {

void ListRecords(std::ostringstream& out, const std::vector<LedgerRecord>& records, size_t max_items) {
  for (size_t i = 0; i < records.size() && i < max_items; ++i) {
    out << "  " << EscapeForLog(records[i].source) << ": " << EscapeForLog(records[i].reason) << "\n";
  }
  if (records.size() > max_items) {
    out << "  … and " << records.size() - max_items << " more (sohoa export --archive … lists all)\n";
  }
}

}  // namespace

std::string FormatArchiveStatus(const ArchiveStatus& s, size_t max_items) {
  std::ostringstream out;
  out << (s.running ? "A run is going now (" + s.running_holder + ").\n" : "No run is going now.\n");
  auto count = [&](const char* key) {
    auto it = s.by_status.find(key);
    return it == s.by_status.end() ? 0 : it->second;
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
      out << "; " << c.value("pages", 0) << " pages in "
          << static_cast<int>(c.value("wall_seconds", 0.0)) << " s";
    }
    out << "\n";
  }
  if (!s.review.empty()) {
    out << "\nAwaiting review (" << s.review.size() << "):\n";
    ListRecords(out, s.review, max_items);
  }
  if (!s.quarantined.empty()) {
    out << "\nQuarantined (" << s.quarantined.size() << "):\n";
    ListRecords(out, s.quarantined, max_items);
  }
  return out.str();
}

}  // namespace sohoa
