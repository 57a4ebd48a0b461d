// `sohoa status`: what the last runs did, what is running now, what awaits a
// person. Read-only; safe to call while a run is going (SQLite WAL readers).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/core/catalog.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct ArchiveStatus {
  bool running = false;
  std::string running_holder;          // "pid 123, run 2026..." when running
  std::vector<RunRecord> recent_runs;  // newest last
  // Counted by the database (issue 22: memory independent of the ledger).
  std::map<std::string, int64_t> by_status;  // archived / review / quarantined
  int64_t pages_archived = 0;
  // The first `max_items` of each, oldest first; the totals are in by_status.
  std::vector<LedgerRecord> review;  // awaiting a person
  std::vector<LedgerRecord> quarantined;
};

StatusOr<ArchiveStatus> ReadArchiveStatus(const std::string& archive_dir, size_t recent_runs = 5,
                                          size_t max_items = 20);
// The same from an open ledger (a fleet's shared PostgreSQL ledger, issue 8);
// `archive_dir` (may be empty) is only asked whether a `sohoa run` holds it.
StatusOr<ArchiveStatus> ReadArchiveStatus(Ledger& ledger, const std::string& archive_dir,
                                          size_t recent_runs = 5, size_t max_items = 20);
// Human-readable, in `lang` (pipeline/core/catalog.h); lists at most
// `max_items` review and quarantine items, their reasons without the values
// they quote (pipeline/core/reason.h).
std::string FormatArchiveStatus(const ArchiveStatus& status, size_t max_items = 20,
                                UiLang lang = UiLang::kEn);

}  // namespace sohoa
