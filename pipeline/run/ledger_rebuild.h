// Rebuilding a lost ledger from the archive's bags (issue 26).
//
// The ledger is the archive's memory of what was done; the bags hold the
// evidence. RebuildLedger replays that evidence into an empty ledger, in the
// order it happened (by time):
//
//   - each run's bag: its run, and every outcome its run recorded, from the
//     bag's ledger account (pipeline/archive/bag_ledger.h: archived, review and
//     quarantined inputs, with reasons, pages, sources, page facts), the
//     field values, holder ID and result code read back from each document's
//     fields sidecar in the payload;
//     a bag completed before sohoa wrote that account (no sohoa-ledger.jsonl)
//     is read from its payload alone: hash and outputs from the manifest,
//     type, fields and code from the fields sidecar, pages from the text
//     sidecar's page breaks, the run from bag-info.txt; a document whose
//     outcome this cannot settle (the bag says some of its documents needed
//     review and the sidecar does not say which) is put in review, with a
//     reason saying so;
//   - each review bag (bags/review-…, pipeline/review/review.h): a person's
//     confirmation, applied as the review station applied it (the new PDF
//     version, the old one kept as pdf_vN, the corrected fields, the history
//     entry: who, when, what changed from what to what);
//   - each register kept in the archive (pipeline/archive/register_store.h),
//     re-imported, then documents without a register record are matched to it
//     as `sohoa inventory import` does.
//
// Not recoverable (documented in the README): each input's `updated_at` (the
// time of the rebuild instead), paths an input was seen under after its run's
// bag was closed, the runs' host/pid/input of bags without an account, the
// fleet's work queue (inputs enqueued but never processed), and, for bags
// without an account, per-page facts, timings, quarantines and exact
// confidences.
//
// Incomplete bags (no tag manifest) are skipped with a note: `sohoa verify`
// reports them, and the next run completes them only with a ledger.
#pragma once

#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct RebuildSummary {
  int run_bags = 0;                               // bags of runs and workers replayed
  int bags_without_account = 0;                   // of those, read from their payload alone
  int review_bags = 0;                            // confirmations replayed
  int registers = 0;                              // register files re-imported
  int archived = 0, review = 0, quarantined = 0;  // outcomes in the rebuilt ledger
  int unsettled = 0;                              // put in review because the bags could not settle them
  std::vector<std::string> notes;                 // what a person should know (skipped bags, ...)
};

// Replays the bags and registers of `store` into `into`, which must be empty
// (kConfiguration otherwise). `catalog` checks re-imported registers.
StatusOr<RebuildSummary> RebuildLedger(ArchiveStore& store, const DocTypeCatalog& catalog, Ledger& into);

// `sohoa ledger rebuild`: rebuilds the ledger of the archive `archive_dir`
// into `location` (ledger_factory.h: "" for the archive's ledger.sqlite, a
// file, or postgresql://…). An SQLite ledger is built in a new file beside
// the target and renamed into place only when complete; an SQLite file
// already there that passes the integrity check and holds anything is kept
// (kConfiguration) unless `replace`, and whatever is replaced is kept aside
// (InstallSqliteLedger). A PostgreSQL database must be empty (drop and
// create it first). Holds the archive's run lock meanwhile (kBusy if a run
// is going on).
struct RebuildRequest {
  std::string archive_dir;
  std::string location;
  bool replace = false;
  const DocTypeCatalog* catalog = nullptr;
};
struct RebuildResult {
  RebuildSummary summary;
  std::string kept_aside;  // where the replaced SQLite file went, "" if none
};
StatusOr<RebuildResult> RebuildArchiveLedger(const RebuildRequest& request);

}  // namespace sohoa
