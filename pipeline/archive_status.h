// `sohoa status`: what the last runs did, what is running now, what awaits a
// person. Read-only; safe to call while a run is going (SQLite WAL readers).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/ledger.h"

namespace sohoa {

struct ArchiveStatus {
  bool running = false;
  std::string running_holder;          // "pid 123, run 2026..." when running
  std::vector<RunRecord> recent_runs;  // newest last
  std::map<std::string, int> by_status;  // archived / review / quarantined
  int pages_archived = 0;
  std::vector<LedgerRecord> review;       // awaiting a person, oldest first
  std::vector<LedgerRecord> quarantined;
};

StatusOr<ArchiveStatus> ReadArchiveStatus(const std::string& archive_dir, size_t recent_runs = 5);
// The same from an open ledger (a fleet's shared PostgreSQL ledger, issue 8);
// `archive_dir` (may be empty) is only asked whether a `sohoa run` holds it.
StatusOr<ArchiveStatus> ReadArchiveStatus(Ledger& ledger, const std::string& archive_dir,
                                          size_t recent_runs = 5);
// Human-readable; `max_items` bounds the review and quarantine lists.
std::string FormatArchiveStatus(const ArchiveStatus& status, size_t max_items = 20);

}  // namespace sohoa
