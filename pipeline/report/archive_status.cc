#include "pipeline/report/archive_status.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/archive/run_lock.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/messages.h"
#include "pipeline/core/reason.h"
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

std::string N(int64_t n) { return std::to_string(n); }

// A run's state as the ledger keeps it ("finished"), said in `lang`.
std::string RunStateLabel(const std::string& state, UiLang lang) {
  if (state == "running") return Tr(lang, N_("running"));
  if (state == "finished") return Tr(lang, N_("finished"));
  if (state == "failed") return Tr(lang, N_("failed"));
  if (state == "interrupted") return Tr(lang, N_("interrupted"));
  return state;
}

void ListRecords(std::ostringstream& out, const std::vector<LedgerRecord>& records, int64_t total,
                 size_t max_items, UiLang lang) {
  for (size_t i = 0; i < records.size() && i < max_items; ++i) {
    out << "  " << EscapeForLog(records[i].source) << ": "
        << EscapeForLog(ReasonsForPeople(records[i].reason, lang)) << "\n";
  }
  const int64_t listed = static_cast<int64_t>(std::min(records.size(), max_items));
  if (total > listed) {
    out << "  "
        << Fill(Tr(lang, N_("… and {n} more (sohoa export --archive … lists all)")),
                {{"n", N(total - listed)}})
        << "\n";
  }
}

}  // namespace

std::string FormatArchiveStatus(const ArchiveStatus& s, size_t max_items, UiLang lang) {
  std::ostringstream out;
  out << (s.running ? Fill(Tr(lang, N_("A run is going now ({holder}).")), {{"holder", s.running_holder}})
                    : Tr(lang, N_("No run is going now.")))
      << "\n";
  auto count = [&](const char* key) {
    auto it = s.by_status.find(key);
    return it == s.by_status.end() ? int64_t{0} : it->second;
  };
  out << Fill(
             Tr(lang, N_("Archive: {archived} archived, {review} awaiting review, {quarantined} quarantined; "
                         "{pages} pages.")),
             {{"archived", N(count("archived"))},
              {"review", N(count("review"))},
              {"quarantined", N(count("quarantined"))},
              {"pages", N(s.pages_archived)}})
      << "\n";
  if (!s.recent_runs.empty()) out << "\n" << Tr(lang, N_("Last runs:")) << "\n";
  for (const RunRecord& run : s.recent_runs) {
    nlohmann::json c = nlohmann::json::parse(run.counts_json, nullptr, false);
    out << "  " << run.run_id << "  " << RunStateLabel(run.state, lang) << "  "
        << Fill(Tr(lang, N_("started {time}")), {{"time", run.started_at}});
    if (!run.finished_at.empty()) out << Fill(Tr(lang, N_(", finished {time}")), {{"time", run.finished_at}});
    if (c.is_object() && c.contains("enumerated")) {
      const int64_t files = c.value("enumerated", int64_t{0}), deferred = c.value("deferred", int64_t{0});
      out << "\n      "
          << Fill(TrN(lang, "{n} file: {counts}", "{n} files: {counts}", static_cast<long>(files)),
                  {{"n", N(files)},
                   {"counts", OutcomeCountsText(c.value("archived", size_t{0}), c.value("review", size_t{0}),
                                                c.value("quarantined", size_t{0}),
                                                c.value("skipped", size_t{0}), lang)}});
      if (deferred > 0) out << Fill(Tr(lang, N_(", {n} left for the next run")), {{"n", N(deferred)}});
      out << Fill(Tr(lang, N_("; {pages} pages in {seconds} s")),
                  {{"pages", N(c.value("pages", int64_t{0}))},
                   {"seconds", N(static_cast<int64_t>(c.value("wall_seconds", 0.0)))}});
    }
    out << "\n";
  }
  if (count("review") > 0) {
    out << "\n" << Fill(Tr(lang, N_("Awaiting review ({n}):")), {{"n", N(count("review"))}}) << "\n";
    ListRecords(out, s.review, count("review"), max_items, lang);
  }
  if (count("quarantined") > 0) {
    out << "\n" << Fill(Tr(lang, N_("Quarantined ({n}):")), {{"n", N(count("quarantined"))}}) << "\n";
    ListRecords(out, s.quarantined, count("quarantined"), max_items, lang);
  }
  return out.str();
}

}  // namespace sohoa
