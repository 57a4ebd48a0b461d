// The ledger: the durable record of every input the archive has seen.
//
// This is the narrow interface between the pipeline and its database. The
// embedded default is SQLite inside the archive folder (OpenSqliteLedger);
// a PostgreSQL implementation shared by many workers is planned, so nothing
// here assumes a single process: work is *claimed* with a lease before it is
// processed, a claim that is not renewed expires, and recording an outcome is
// one transaction that is idempotent for the same content hash.
//
// Inputs are identified by the SHA-256 of their bytes: a renamed or copied
// file is the same input. Every path it was seen under is kept as a source.
//
// Thread-safety: all methods may be called from several threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/status.h"

namespace sohoa {

// One input as the ledger knows it. Status strings are the stable values of
// the export format: "processing", "archived", "review", "quarantined".
struct LedgerRecord {
  std::string sha256;
  std::string source;        // first path seen, relative to its input folder
  std::string status;
  std::string reason;        // why quarantined / needs review; empty if archived
  int pages = 0;
  std::string pdf;           // archive-relative path, empty if none
  std::string text;          // archive-relative path of the text sidecar
  std::string run_id;        // run that produced the current outcome
  std::string updated_at;    // ISO 8601 UTC
  double seconds = 0;        // processing time of the document (sum of stages)
  std::string details_json = "{}";  // stage-specific facts (timings, fields...)
};

struct RunRecord {
  std::string run_id;
  std::string started_at;    // ISO 8601 UTC
  std::string finished_at;   // empty while running
  std::string host;
  int64_t pid = 0;
  std::string input;         // input folder
  std::string state = "running";  // running | finished | failed
  std::string counts_json = "{}";
};

enum class ClaimOutcome {
  kClaimed,        // the caller now owns this input until Record() or expiry
  kAlreadyDone,    // archived or in review: nothing to do
  kHeldByThisRun,  // the same content appeared twice in this run
  kHeldElsewhere,  // another live run holds an unexpired lease
};

struct Claim {
  ClaimOutcome outcome = ClaimOutcome::kClaimed;
  std::string existing_source;  // for kAlreadyDone / kHeld*: the first path seen
  std::string existing_status;
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  // Claims `sha256` for `run_id` with a lease of `lease_seconds`. Records
  // `source` as a path this content was seen under. Quarantined inputs are
  // claimed again (a newer sohoa may read them); archived and review ones not.
  virtual StatusOr<Claim> ClaimInput(const std::string& sha256, const std::string& source,
                                     const std::string& run_id, int lease_seconds) = 0;

  // Records the outcome of a claimed input in one transaction and releases
  // the claim. Fails with kBusy if the claim was lost (expired and retaken).
  virtual Status RecordOutcome(const LedgerRecord& record) = 0;

  // Marks a run that is known dead (its process crashed: the caller holds
  // the archive's run lock, or a worker's heartbeat stopped) as interrupted
  // and releases its claims so the inputs are processed again. Returns how
  // many claims were released. Claims also expire on their own at lease end.
  virtual StatusOr<int> AbandonRun(const std::string& run_id) = 0;

  virtual Status StartRun(const RunRecord& run) = 0;
  virtual Status FinishRun(const RunRecord& run) = 0;

  virtual StatusOr<std::optional<LedgerRecord>> Find(const std::string& sha256) = 0;
  // Every input except those still "processing", ordered by first sighting.
  // `fn` must not call back into the ledger (it runs under its lock).
  virtual Status ForEachRecord(const std::function<void(const LedgerRecord&)>& fn) = 0;
  virtual StatusOr<std::vector<std::string>> SourcesOf(const std::string& sha256) = 0;
  virtual StatusOr<std::vector<RunRecord>> Runs() = 0;
};

// Opens (creating and migrating if needed) the SQLite ledger at `path`.
// WAL mode, synchronous=FULL: a recorded outcome survives power loss.
StatusOr<std::unique_ptr<Ledger>> OpenSqliteLedger(const std::string& path);

}  // namespace sohoa
