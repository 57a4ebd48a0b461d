// The ledger: the durable record of every input the archive has seen.
//
// This is the narrow interface between the pipeline and its database. The
// embedded default is SQLite inside the archive folder (OpenSqliteLedger);
// PostgreSQL (pipeline/ledger/postgres_ledger.h) is shared by many workers
// and adds a work queue (pipeline/ledger/work_ledger.h). Nothing here
// assumes a single process: work is *claimed* with a lease before it is
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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// One input as the ledger knows it. Status strings are the stable values of
// the export format: "processing", "archived", "review", "quarantined".
struct LedgerRecord {
  std::string sha256;
  std::string source;  // first path seen, relative to its input folder
  std::string status;
  std::string reason;  // why quarantined / needs review; empty if archived
  int pages = 0;
  std::string pdf;                  // archive-relative path, empty if none
  std::string text;                 // archive-relative path of the text sidecar
  std::string run_id;               // run that produced the current outcome
  std::string updated_at;           // ISO 8601 UTC
  double seconds = 0;               // processing time of the document (sum of stages)
  std::string details_json = "{}";  // stage-specific facts (timings, fields...)
};

struct RunRecord {
  std::string run_id;
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;  // empty while running
  std::string host;
  int64_t pid = 0;
  std::string input;              // input folder
  std::string state = "running";  // running | finished | failed
  std::string counts_json = "{}";
};

// One row of the commune's register of issued results (the backlog
// inventory, `sohoa inventory import`; schemas/inventory.schema.json).
struct InventoryRecord {
  std::string record_id;       // the register's own identifier; unique
  std::string doc_type;        // document-type key ("khai_sinh")
  std::string number;          // số's matching key: its leading number without
                               // leading zeros ("315/UBND-XNTTHN" -> "315")
  std::string book;            // quyển số "NN/YYYY"; "" when the type has none
  std::string issue_date;      // YYYY-MM-DD
  std::string holder_id;       // personal ID or organisation code; may be ""
  bool valid = true;           // still valid (còn hiệu lực)
  std::string source;          // "<file>:<line>" it was last imported from
  std::string number_printed;  // số as the register prints it ("315/UBND-XNTTHN")
};

// One register record with what its coverage depends on, its matched inputs
// folded in the database (issue 22): the unit `sohoa report` streams. The
// views point into the ledger's cursor and are valid during the callback only.
struct RegisterCoverageRow {
  std::string_view record_id;
  std::string_view doc_type;
  std::string_view number;
  std::string_view number_printed;
  std::string_view book;
  std::string_view issue_date;
  bool valid = true;
  std::string_view first_archived_at;  // updated_at of the earliest archived match; "" = none
  bool in_review = false;              // an input matched to it awaits review
};

// One person's review of an input (issue 9, the review station): who, when,
// and what changed, as JSON {"fields": {key: {"from", "to"}}, "doc_type":
// {"from", "to"}, "pdf": {"from", "to"}, ...}. Append-only history.
struct ReviewRecord {
  std::string sha256;
  std::string reviewer;     // account name
  std::string reviewed_at;  // ISO 8601 UTC
  std::string changes_json = "{}";
};

// A search for a citizen's records (issue 22, `sohoa find`): by holder ID,
// or by the search key of a name (NameSearchKey, pipeline/core/text_fold.h) with
// an optional birth date; optionally of one document type.
struct RecordQuery {
  std::string holder_id;   // exact; used when not empty
  std::string name_key;    // else this, matched exactly against the persons of each record
  std::string birth_date;  // YYYY-MM-DD, "" = any (name searches only)
  std::string doc_type;    // "" = any
  int limit = 100;         // at most this many records
};

// One search of personal data, as the audit log keeps it (Decree 13/2023:
// a stated purpose and a record of every access). The query's values are
// not kept: only its kind ("holder", "name", "name+birth_date", with
// "+type" when a type was given) and what was disclosed.
struct AccessRecord {
  std::string at;   // ISO 8601 UTC
  std::string who;  // OS user, or the review station's account
  std::string via;  // "cli", "review"
  std::string purpose;
  std::string query_kind;
  int64_t returned = 0;             // records in the answer
  std::string records_json = "[]";  // their sha256, as a JSON array
};

// Counts of the ledger by status, aggregated by the database.
struct LedgerSummary {
  std::map<std::string, int64_t> documents;  // status -> inputs ("processing" included)
  int64_t pages = 0;                         // pages of archived and review inputs
};

struct InventoryImportCounts {
  int inserted = 0;
  int updated = 0;    // existing record_id with different values
  int unchanged = 0;  // existing record_id, same values
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

class WorkLedger;
class KeyingStore;

class Ledger {
 public:
  virtual ~Ledger() = default;

  // The work queue of a ledger many workers share, or null (SQLite).
  virtual WorkLedger* work_queue() { return nullptr; }

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

  // --- At national scale (issue 22): memory independent of the ledger's
  // size. Every query below is bounded by an index; the ForEach methods
  // stream rows from a cursor (their callbacks must not call the ledger).

  // The few records a report counts beyond the register, each set from an
  // index of its own, in first-seen order (not "processing"): `report` reads
  // these, not every record.
  enum class RecordSet {
    kRegisterBook,  // register books and their entries (details.metadata.record_kind)
    kKeyed,         // records keyed in the review station (details.keying)
  };
  virtual Status ForEachRecordIn(RecordSet set, const std::function<void(const LedgerRecord&)>& fn) = 0;

  // ForEachRecord with every path each input was seen under (SourcesOf),
  // oldest first, from the same cursor: what `sohoa export` prints.
  virtual Status ForEachRecordWithSources(
      const std::function<void(const LedgerRecord&, const std::vector<std::string>&)>& fn) = 0;
  // Archived and review inputs with an output in bags/<bag>/, in first-seen order.
  virtual Status ForEachRecordInBag(const std::string& bag,
                                    const std::function<void(const LedgerRecord&)>& fn) = 0;
  virtual StatusOr<LedgerSummary> Summarize() = 0;
  // The first `limit` inputs with `status`, oldest first.
  virtual StatusOr<std::vector<LedgerRecord>> RecordsWithStatus(const std::string& status, int64_t limit) = 0;
  // The last `limit` runs by start, oldest first (Runs() is every run).
  virtual StatusOr<std::vector<RunRecord>> RecentRuns(int64_t limit) = 0;
  virtual StatusOr<std::optional<RunRecord>> FindRun(const std::string& run_id) = 0;

  // --- Finding a citizen's records (issue 22) ---
  // Archived and review records matching `query`, first seen first.
  virtual StatusOr<std::vector<LedgerRecord>> FindRecords(const RecordQuery& query) = 0;
  // Appends to the access log (append-only: the ledger refuses changes).
  virtual Status RecordAccess(const AccessRecord& access) = 0;
  // The last `limit` accesses, oldest first.
  virtual StatusOr<std::vector<AccessRecord>> AccessLog(int64_t limit) = 0;

  // --- Backlog inventory and extracted fields (issue 3) ---
  // The document type, holder ID, result code and matched inventory record
  // of an input are the "doc_type", "holder_id", "result_code" and
  // "record_id" entries of details_json's "metadata" object (what the
  // pipeline's stages put in Document::metadata); implementations index
  // them (SQLite: generated columns) so the lookups below are cheap.

  // Inserts or updates (by record_id) the rows in one transaction: all or
  // nothing. Re-importing the same register changes nothing.
  virtual StatusOr<InventoryImportCounts> UpsertInventory(const std::vector<InventoryRecord>& records) = 0;
  // Register rows with this type, number and book (book "" matches "").
  virtual StatusOr<std::vector<InventoryRecord>> FindInventory(const std::string& doc_type,
                                                               const std::string& number,
                                                               const std::string& book) = 0;
  // Register rows with this type whose holder is this personal ID, ordered
  // by record_id (the register settling a document's unsure readings:
  // pipeline/inventory/inventory_match.h).
  virtual StatusOr<std::vector<InventoryRecord>> FindInventoryByHolder(const std::string& doc_type,
                                                                       const std::string& holder_id) = 0;
  virtual StatusOr<int64_t> CountInventory() = 0;
  // The whole register, ordered by record_id.
  virtual StatusOr<std::vector<InventoryRecord>> InventoryRecords() = 0;
  // Every register record, ordered by record_id, with its archived and
  // in-review matches folded (RegisterCoverageRow), streamed from a cursor:
  // one index probe per record, no pass over the inputs' rows.
  virtual Status ForEachRegisterCoverage(const std::function<void(const RegisterCoverageRow&)>& fn) = 0;
  // Archived or in-review inputs whose extracted holder ID is `holder_id`
  // (a citizen's digitized results), optionally of one type ("" = any).
  virtual StatusOr<std::vector<LedgerRecord>> FindByHolder(const std::string& holder_id,
                                                           const std::string& doc_type) = 0;
  // sha256 of the archived or in-review inputs matched to `record_id`.
  virtual StatusOr<std::vector<std::string>> InputsMatchedTo(const std::string& record_id) = 0;

  // --- Review station (issue 9) ---
  // Applies a person's review in one transaction: the record's status,
  // reason, pdf, text and details_json become `updated`'s (updated_at: now)
  // and `review` is appended to its history — only if the record is still
  // "review" with updated_at == `expected_updated_at` (what the reviewer was
  // shown). Otherwise nothing is written: kBusy (another reviewer confirmed
  // it first, or it changed meanwhile); kNotFound for an unknown input.
  // When `updated` names a register record (details_json metadata.record_id),
  // that record must not be matched by another archived or in-review input,
  // checked inside the same transaction (two documents confirmed at once
  // against one record: the second is refused) — else kInvalidInput.
  virtual Status RecordReview(const LedgerRecord& updated, const std::string& expected_updated_at,
                              const ReviewRecord& review) = 0;
  // The reviews of one input, oldest first.
  virtual StatusOr<std::vector<ReviewRecord>> ReviewsOf(const std::string& sha256) = 0;

  // --- Many operators on one ledger (issue 18): who is keying what ---
  // A review lease gives an input in "review" to an operator (`holder`, the
  // account name) until now + lease_seconds, the way ClaimWork gives work to
  // a worker: a lease not renewed expires and the input goes to the next
  // operator who asks. Several stations may share the ledger; the check and
  // the take are one transaction that locks the input, so two operators
  // never both get an input meant for one.
  //
  // Takes or renews `holder`'s lease on `sha256` when it would then have at
  // most `max_holders` live holders, `holder` counted (1; 2 for an input
  // double keying gives to two keyers at once). Returns whether `holder`
  // holds it now.
  // kBusy when the input no longer awaits review; kNotFound when unknown.
  virtual StatusOr<bool> TakeReviewLease(const std::string& sha256, const std::string& holder, int lease_seconds,
                                         int max_holders) = 0;
  // Ends `holder`'s lease on `sha256` (keyed, or given back); none: no-op.
  virtual Status ReleaseReviewLease(const std::string& sha256, const std::string& holder) = 0;
  // The holders of every live lease, by input (one read, for the queue).
  virtual StatusOr<std::map<std::string, std::vector<std::string>>> ReviewLeaseHolders() = 0;
  // Where double keying keeps its blind keyings when the ledger is shared by
  // several stations (the PostgreSQL ledger), or null: the archive's draft
  // file keeps them (pipeline/ledger/keying_store.h).
  virtual KeyingStore* shared_keyings() { return nullptr; }
};

// RecordReview's refusal when the register record is matched by `other_sha256`
// (also the review station's own early check, so both say the same).
inline Status RecordAlreadyMatched(const std::string& other_sha256) {
  return Status::InvalidInput("the register record is already matched by input " +
                              other_sha256.substr(0, 12) + "; choose another record or none");
}

// Opens (creating and migrating if needed) the SQLite ledger at `path`.
// WAL mode, synchronous=FULL: a recorded outcome survives power loss.
StatusOr<std::unique_ptr<Ledger>> OpenSqliteLedger(const std::string& path);

// The schema version (PRAGMA user_version) this sohoa's SQLite ledger has.
int64_t SqliteLedgerSchemaVersion();

}  // namespace sohoa
