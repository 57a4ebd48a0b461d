// SQLite implementation of the Ledger (the embedded default).
//
// One connection per Ledger object, serialised by a mutex: SQLite allows one
// writer at a time anyway and our writes are small. Other processes (sohoa
// export, status) may read concurrently thanks to WAL mode.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>

#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/ledger/ledger.h"
#include "pipeline/ledger/ledger_details.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/ledger/record_index.h"
#include "pipeline/ledger/sqlite_db.h"

namespace sohoa {
namespace {

// Schema migrations, applied in order; PRAGMA user_version is the number of
// migrations applied. Never edit a shipped migration: append a new one.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE inputs (
      sha256        TEXT PRIMARY KEY,
      source        TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('processing','archived','review','quarantined')),
      reason        TEXT NOT NULL DEFAULT '',
      pages         INTEGER NOT NULL DEFAULT 0,
      pdf           TEXT NOT NULL DEFAULT '',
      text          TEXT NOT NULL DEFAULT '',
      run_id        TEXT NOT NULL,
      lease_until   INTEGER NOT NULL DEFAULT 0,
      first_seen    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      seconds       REAL NOT NULL DEFAULT 0,
      details_json  TEXT NOT NULL DEFAULT '{}',
      seq           INTEGER NOT NULL
    );
    CREATE INDEX inputs_status ON inputs(status);
    CREATE TABLE sources (
      sha256     TEXT NOT NULL REFERENCES inputs(sha256),
      path       TEXT NOT NULL,
      first_seen TEXT NOT NULL,
      PRIMARY KEY (sha256, path)
    );
    CREATE TABLE runs (
      run_id       TEXT PRIMARY KEY,
      started_at   TEXT NOT NULL,
      finished_at  TEXT NOT NULL DEFAULT '',
      host         TEXT NOT NULL DEFAULT '',
      pid          INTEGER NOT NULL DEFAULT 0,
      input        TEXT NOT NULL DEFAULT '',
      state        TEXT NOT NULL,
      counts_json  TEXT NOT NULL DEFAULT '{}'
    );
    )sql",
    // 2 (issue 3): the backlog inventory, and the extracted facts of each
    // input as columns generated from details_json.metadata, so citizens'
    // records are found by holder ID and matches by record_id without a
    // second copy that could disagree with the details.
    R"sql(
    CREATE TABLE inventory (
      record_id    TEXT PRIMARY KEY,
      doc_type     TEXT NOT NULL,
      number       TEXT NOT NULL,
      book         TEXT NOT NULL DEFAULT '',
      issue_date   TEXT NOT NULL,
      holder_id    TEXT NOT NULL DEFAULT '',
      valid        INTEGER NOT NULL CHECK (valid IN (0, 1)),
      source       TEXT NOT NULL DEFAULT '',
      imported_at  TEXT NOT NULL,
      updated_at   TEXT NOT NULL
    );
    CREATE INDEX inventory_key ON inventory(doc_type, number, book);
    CREATE INDEX inventory_holder ON inventory(holder_id);
    ALTER TABLE inputs ADD COLUMN doc_type TEXT GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.metadata.doc_type') END) VIRTUAL;
    ALTER TABLE inputs ADD COLUMN holder_id TEXT GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.metadata.holder_id') END) VIRTUAL;
    ALTER TABLE inputs ADD COLUMN result_code TEXT GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.metadata.result_code') END) VIRTUAL;
    ALTER TABLE inputs ADD COLUMN record_id TEXT GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.metadata.record_id') END) VIRTUAL;
    CREATE INDEX inputs_holder ON inputs(holder_id, doc_type);
    CREATE INDEX inputs_record ON inputs(record_id);
    )sql",
    // 3 (issue 9): who reviewed what and when; rows are never changed.
    R"sql(
    CREATE TABLE reviews (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      sha256        TEXT NOT NULL REFERENCES inputs(sha256),
      reviewer      TEXT NOT NULL,
      reviewed_at   TEXT NOT NULL,
      changes_json  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX reviews_input ON reviews(sha256);
    CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
      BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
    CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
      BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
    )sql",
    // 4 (issue 22): the ledger at national scale and `sohoa find`. Every
    // reader's query is bounded by an index: first-seen order (seq; also the
    // MAX(seq) of every claim), counts and pages by status from the index
    // alone, the bags of each record, the persons each record is about
    // (folded names: pipeline/ledger/record_index.h, filled from details_json by
    // the code for existing rows), and the append-only access log.
    R"sql(
    CREATE UNIQUE INDEX inputs_seq ON inputs(seq);
    DROP INDEX inputs_status;
    CREATE INDEX inputs_status_seq ON inputs(status, seq, pages);
    CREATE INDEX runs_started ON runs(started_at, run_id);
    CREATE TABLE input_bags (
      bag     TEXT NOT NULL,
      sha256  TEXT NOT NULL REFERENCES inputs(sha256),
      PRIMARY KEY (bag, sha256)
    ) WITHOUT ROWID;
    CREATE TABLE record_persons (
      sha256      TEXT NOT NULL REFERENCES inputs(sha256),
      name_key    TEXT NOT NULL,
      birth_date  TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX record_persons_name ON record_persons(name_key, birth_date);
    CREATE INDEX record_persons_input ON record_persons(sha256);
    CREATE TABLE access_log (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      at            TEXT NOT NULL,
      who           TEXT NOT NULL,
      via           TEXT NOT NULL,
      purpose       TEXT NOT NULL,
      query_kind    TEXT NOT NULL,
      returned      INTEGER NOT NULL,
      records_json  TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
      BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
      BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    )sql",
    // 5 (issue 14): the register's number as printed ("315/UBND-XNTTHN");
    // `number` stays the matching key (the leading number).
    R"sql(
    ALTER TABLE inventory ADD COLUMN number_printed TEXT NOT NULL DEFAULT '';
    )sql",
    // 6 (issue 18): which operator keys which input in review, until when
    // (unix seconds), as PostgreSQL's migration 8.
    R"sql(
    CREATE TABLE review_leases (
      sha256       TEXT NOT NULL REFERENCES inputs(sha256),
      holder       TEXT NOT NULL,
      lease_until  INTEGER NOT NULL,
      PRIMARY KEY (sha256, holder)
    );
    )sql",
    // 7 (issue 22): the records `report` counts beyond the register — register
    // books and entries, keyed records — each from a partial index (a few
    // entries), not from a pass over every record's details.
    R"sql(
    ALTER TABLE inputs ADD COLUMN record_kind TEXT GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.metadata.record_kind') END) VIRTUAL;
    ALTER TABLE inputs ADD COLUMN keyed INTEGER GENERATED ALWAYS AS
      (CASE WHEN json_valid(details_json) THEN json_type(details_json, '$.keying') = 'object' END) VIRTUAL;
    CREATE INDEX inputs_register_book ON inputs(seq) WHERE record_kind IS NOT NULL;
    CREATE INDEX inputs_keyed ON inputs(seq) WHERE keyed;
    )sql",
    // 8 (issue 22): `status` at any size — documents and pages per status
    // kept by triggers in the transaction of every write that changes them
    // (SQLite has one writer at a time, so one row per status is no hot
    // spot), filled here from the rows that exist.
    R"sql(
    CREATE TABLE status_counts (
      status     TEXT PRIMARY KEY,
      documents  INTEGER NOT NULL,
      pages      INTEGER NOT NULL
    );
    INSERT INTO status_counts(status, documents, pages)
      SELECT s.status, COUNT(i.status), COALESCE(SUM(i.pages), 0)
      FROM (SELECT 'processing' AS status UNION ALL SELECT 'archived' UNION ALL SELECT 'review'
            UNION ALL SELECT 'quarantined') s LEFT JOIN inputs i ON i.status = s.status
      GROUP BY s.status;
    CREATE TRIGGER status_counts_insert AFTER INSERT ON inputs BEGIN
      UPDATE status_counts SET documents = documents + 1, pages = pages + NEW.pages WHERE status = NEW.status;
    END;
    CREATE TRIGGER status_counts_delete AFTER DELETE ON inputs BEGIN
      UPDATE status_counts SET documents = documents - 1, pages = pages - OLD.pages WHERE status = OLD.status;
    END;
    CREATE TRIGGER status_counts_update AFTER UPDATE OF status, pages ON inputs
      WHEN OLD.status IS NOT NEW.status OR OLD.pages IS NOT NEW.pages BEGIN
      UPDATE status_counts SET documents = documents - 1, pages = pages - OLD.pages WHERE status = OLD.status;
      UPDATE status_counts SET documents = documents + 1, pages = pages + NEW.pages WHERE status = NEW.status;
    END;
    )sql",
    // 9 (issue 22): `report` folds each register record's matches from this
    // index alone — record, status and date — without reading the inputs'
    // rows; it replaces inputs_record (record_id), its prefix.
    R"sql(
    CREATE INDEX IF NOT EXISTS inputs_record_match ON inputs(record_id, status, updated_at);
    DROP INDEX IF EXISTS inputs_record;
    )sql",
};
// The migration after which input_bags and record_persons are filled for the
// rows that existed before it.
constexpr int64_t kRecordIndexMigration = 4;

using sqlite::Statement;

Status Check(sqlite3* db, int rc, const std::string& what) { return sqlite::Check(db, rc, "ledger", what); }

// The parameters of the inventory UPDATE and INSERT, which number the row's
// columns alike (?9: the time of this import).
void BindInventoryRow(const InventoryRecord& r, const std::string& now, Statement* statement) {
  statement->Bind(1, r.record_id)
      .Bind(2, r.doc_type)
      .Bind(3, r.number)
      .Bind(4, r.book)
      .Bind(5, r.issue_date)
      .Bind(6, r.holder_id)
      .Bind(7, int64_t{r.valid ? 1 : 0})
      .Bind(8, r.source)
      .Bind(9, now)
      .Bind(10, r.number_printed);
}

class SqliteLedger final : public Ledger {
 public:
  explicit SqliteLedger(sqlite3* db) : db_(db) {}
  ~SqliteLedger() override { sqlite3_close_v2(db_); }

  Status Initialise(SqliteLogOnClose on_close) {
    bool migrated = false;
    SOHOA_RETURN_IF_ERROR(
        sqlite::Migrate(db_, "ledger", kMigrations, std::size(kMigrations), [&](int64_t version) {
          migrated = true;
          return version == kRecordIndexMigration ? BackfillRecordIndex() : Status::Ok();
        }));
    if (on_close == SqliteLogOnClose::kCheckpoint) return Status::Ok();
    // A migration's log may be large: not left for the next writer.
    if (migrated) SOHOA_RETURN_IF_ERROR(Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    return Check(db_, sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr),
                 "keeping the write-ahead log on close");
  }

  StatusOr<Claim> ClaimInput(const std::string& sha256, const std::string& source, const std::string& run_id,
                             int lease_seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    StatusOr<Claim> claim = ClaimLocked(sha256, source, run_id, lease_seconds);
    if (!claim.ok()) {
      (void)Exec("ROLLBACK");
      return claim;
    }
    SOHOA_RETURN_IF_ERROR(Exec("COMMIT"));
    return claim;
  }

  Status RecordOutcome(const LedgerRecord& r) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = RecordOutcomeLocked(r);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  StatusOr<int> AbandonRun(const std::string& run_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Statement run(db_, "UPDATE runs SET state='interrupted' WHERE run_id=?1 AND state='running'");
    run.Bind(1, run_id);
    Status s = Check(db_, run.Step(), "marking run interrupted");
    // Expiring the lease is enough: ClaimInput takes expired claims, and
    // records still "processing" are invisible to export and reports.
    Statement release(db_, "UPDATE inputs SET lease_until=0 WHERE run_id=?1 AND status='processing'");
    release.Bind(1, run_id);
    if (s.ok()) s = Check(db_, release.Step(), "releasing claims of interrupted run");
    int released = sqlite3_changes(db_);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    SOHOA_RETURN_IF_ERROR(Exec("COMMIT"));
    return released;
  }

  Status StartRun(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement insert(db_,
                     "INSERT INTO runs(run_id, started_at, host, pid, input, state, counts_json) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.Bind(1, run.run_id)
        .Bind(2, run.started_at)
        .Bind(3, run.host)
        .Bind(4, run.pid)
        .Bind(5, run.input)
        .Bind(6, run.state)
        .Bind(7, run.counts_json);
    return Check(db_, insert.Step(), "starting run " + run.run_id);
  }

  Status FinishRun(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement update(db_, "UPDATE runs SET finished_at=?1, state=?2, counts_json=?3 WHERE run_id=?4");
    update.Bind(1, run.finished_at).Bind(2, run.state).Bind(3, run.counts_json).Bind(4, run.run_id);
    return Check(db_, update.Step(), "finishing run " + run.run_id);
  }

  StatusOr<std::optional<LedgerRecord>> Find(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, (std::string(kSelectRecord) + " FROM inputs WHERE sha256=?1").c_str());
    q.Bind(1, sha256);
    int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<LedgerRecord>();
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up " + sha256));
    return std::optional<LedgerRecord>(ReadRecord(q));
  }

  Status ForEachRecord(const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(
        db_, (std::string(kSelectRecord) + " FROM inputs WHERE status <> 'processing' ORDER BY seq").c_str());
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) fn(ReadRecord(q));
    return Check(db_, rc, "listing inputs");
  }

  Status ForEachRecordIn(RecordSet set, const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // The WHERE repeats each partial index's own (migration 7), so the index is used.
    const char* where = set == RecordSet::kRegisterBook ? "record_kind IS NOT NULL" : "keyed";
    Statement q(db_, (std::string(kSelectRecord) + " FROM inputs WHERE " + where +
                      " AND status <> 'processing' ORDER BY seq")
                         .c_str());
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) fn(ReadRecord(q));
    return Check(db_, rc, "listing inputs");
  }

  StatusOr<std::vector<std::string>> SourcesOf(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT path FROM sources WHERE sha256=?1 ORDER BY first_seen, path");
    q.Bind(1, sha256);
    std::vector<std::string> paths;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) paths.push_back(q.Text(0));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing sources"));
    return paths;
  }

  StatusOr<std::vector<RunRecord>> Runs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT run_id, started_at, finished_at, host, pid, input, state, counts_json "
                "FROM runs ORDER BY started_at, run_id");
    return ReadRuns(q);
  }

  Status ForEachRecordWithSources(
      const std::function<void(const LedgerRecord&, const std::vector<std::string>&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // json_group_array's order is not guaranteed: pairs, sorted by the reader.
    Statement q(db_, (std::string(kSelectRecord) +
                      ", (SELECT json_group_array(json_array(s.first_seen, s.path)) FROM sources s "
                      "WHERE s.sha256 = inputs.sha256) "
                      "FROM inputs WHERE status <> 'processing' ORDER BY seq")
                         .c_str());
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) fn(ReadRecord(q), SourcesFromPairs(q.Text(11)));
    return Check(db_, rc, "listing inputs");
  }

  // "+status" (no index on that term) here and in FindRecords: otherwise
  // SQLite walks the status index over nearly every record instead of
  // looking up the few sha256 the subquery gives.
  Status ForEachRecordInBag(const std::string& bag,
                            const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, (std::string(kSelectRecord) +
                      " FROM inputs WHERE sha256 IN (SELECT sha256 FROM input_bags WHERE bag=?1) "
                      "AND +status IN ('archived','review') ORDER BY seq")
                         .c_str());
    q.Bind(1, bag);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) fn(ReadRecord(q));
    return Check(db_, rc, "listing the records of bag " + bag);
  }

  StatusOr<LedgerSummary> Summarize() override {
    std::lock_guard<std::mutex> lock(mutex_);
    // Four rows the ledger's writes keep (migration 8), whatever its size.
    Statement q(db_, "SELECT status, documents, pages FROM status_counts WHERE documents <> 0");
    LedgerSummary summary;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      summary.documents[q.Text(0)] = q.Int(1);
      if (q.Text(0) == "archived" || q.Text(0) == "review") summary.pages += q.Int(2);
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "counting inputs"));
    return summary;
  }

  StatusOr<std::vector<LedgerRecord>> RecordsWithStatus(const std::string& status, int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                (std::string(kSelectRecord) + " FROM inputs WHERE status=?1 ORDER BY seq LIMIT ?2").c_str());
    q.Bind(1, status).Bind(2, limit);
    return ReadRecords(q, "listing " + status + " inputs");
  }

  StatusOr<std::vector<RunRecord>> RecentRuns(int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT * FROM (SELECT run_id, started_at, finished_at, host, pid, input, state, "
                "counts_json FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?1) "
                "ORDER BY started_at, run_id");
    q.Bind(1, limit);
    return ReadRuns(q);
  }

  StatusOr<std::optional<RunRecord>> FindRun(const std::string& run_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT run_id, started_at, finished_at, host, pid, input, state, counts_json "
                "FROM runs WHERE run_id=?1");
    q.Bind(1, run_id);
    StatusOr<std::vector<RunRecord>> runs = ReadRuns(q);
    if (!runs.ok()) return runs.status();
    if (runs->empty()) return std::optional<RunRecord>();
    return std::optional<RunRecord>(std::move(runs->front()));
  }

  StatusOr<std::vector<LedgerRecord>> FindRecords(const RecordQuery& query) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool by_holder = !query.holder_id.empty();
    const std::string where = by_holder
                                  ? " WHERE holder_id=?1"
                                  : " WHERE sha256 IN (SELECT sha256 FROM record_persons WHERE name_key=?1 "
                                    "AND (?2='' OR birth_date=?2))";
    Statement q(db_, (std::string(kSelectRecord) + " FROM inputs" + where +
                      " AND (?3='' OR doc_type=?3) AND +status IN ('archived','review') "
                      "ORDER BY seq LIMIT ?4")
                         .c_str());
    q.Bind(1, by_holder ? query.holder_id : query.name_key)
        .Bind(2, query.birth_date)
        .Bind(3, query.doc_type)
        .Bind(4, static_cast<int64_t>(query.limit));
    return ReadRecords(q, "finding records");
  }

  Status RecordAccess(const AccessRecord& a) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement insert(db_,
                     "INSERT INTO access_log(at, who, via, purpose, query_kind, returned, "
                     "records_json) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.Bind(1, a.at)
        .Bind(2, a.who)
        .Bind(3, a.via)
        .Bind(4, a.purpose)
        .Bind(5, a.query_kind)
        .Bind(6, a.returned)
        .Bind(7, a.records_json);
    return Check(db_, insert.Step(), "writing the access log");
  }

  StatusOr<std::vector<AccessRecord>> AccessLog(int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT * FROM (SELECT id, at, who, via, purpose, query_kind, returned, records_json "
                "FROM access_log ORDER BY id DESC LIMIT ?1) ORDER BY id");
    q.Bind(1, limit);
    std::vector<AccessRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back(AccessRecord{q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6), q.Text(7)});
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading the access log"));
    return out;
  }

  StatusOr<InventoryImportCounts> UpsertInventory(const std::vector<InventoryRecord>& records) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    StatusOr<InventoryImportCounts> counts = UpsertLocked(records);
    if (!counts.ok()) {
      (void)Exec("ROLLBACK");
      return counts;
    }
    SOHOA_RETURN_IF_ERROR(Exec("COMMIT"));
    return counts;
  }

  StatusOr<std::vector<InventoryRecord>> FindInventory(const std::string& doc_type, const std::string& number,
                                                       const std::string& book) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, (std::string(kSelectInventory) +
                      " WHERE doc_type=?1 AND number=?2 AND book=?3 ORDER BY record_id")
                         .c_str());
    q.Bind(1, doc_type).Bind(2, number).Bind(3, book);
    return ReadInventory(q, "looking up inventory");
  }

  StatusOr<std::vector<InventoryRecord>> FindInventoryByHolder(const std::string& doc_type,
                                                               const std::string& holder_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(
        db_,
        (std::string(kSelectInventory) + " WHERE holder_id=?1 AND doc_type=?2 ORDER BY record_id").c_str());
    q.Bind(1, holder_id).Bind(2, doc_type);
    return ReadInventory(q, "looking up inventory by holder");
  }

  StatusOr<int64_t> CountInventory() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT COUNT(*) FROM inventory");
    int rc = q.Step();
    if (rc != SQLITE_ROW) return Check(db_, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "counting inventory");
    return q.Int(0);
  }

  StatusOr<std::vector<InventoryRecord>> InventoryRecords() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, (std::string(kSelectInventory) + " ORDER BY record_id").c_str());
    return ReadInventory(q, "listing inventory");
  }

  Status ForEachRegisterCoverage(const std::function<void(const RegisterCoverageRow&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN"));  // both cursors read one snapshot
    const Status status = MergeRegisterWithMatchesLocked(fn);
    (void)Exec("COMMIT");  // a read: ending it cannot lose anything
    return status;
  }

  StatusOr<std::vector<LedgerRecord>> FindByHolder(const std::string& holder_id,
                                                   const std::string& doc_type) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, (std::string(kSelectRecord) +
                      " FROM inputs WHERE holder_id=?1 AND (?2='' OR doc_type=?2) AND status IN "
                      "('archived','review') ORDER BY seq")
                         .c_str());
    q.Bind(1, holder_id).Bind(2, doc_type);
    std::vector<LedgerRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadRecord(q));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up holder " + holder_id));
    return out;
  }

  StatusOr<std::vector<std::string>> InputsMatchedTo(const std::string& record_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT sha256 FROM inputs WHERE record_id=?1 AND status IN "
                "('archived','review') ORDER BY seq");
    q.Bind(1, record_id);
    std::vector<std::string> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(q.Text(0));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up inputs matched to " + record_id));
    return out;
  }

  Status RecordReview(const LedgerRecord& r, const std::string& expected_updated_at,
                      const ReviewRecord& review) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = RecordReviewLocked(r, expected_updated_at, review);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  StatusOr<std::vector<ReviewRecord>> ReviewsOf(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT sha256, reviewer, reviewed_at, changes_json FROM reviews "
                "WHERE sha256=?1 ORDER BY id");
    q.Bind(1, sha256);
    std::vector<ReviewRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back(ReviewRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing reviews of " + sha256));
    return out;
  }

  StatusOr<bool> TakeReviewLease(const std::string& sha256, const std::string& holder, int lease_seconds,
                                 int max_holders) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));  // the write lock: checked and taken as one
    StatusOr<bool> taken = TakeReviewLeaseLocked(sha256, holder, lease_seconds, max_holders);
    const Status ended = Exec(taken.ok() ? "COMMIT" : "ROLLBACK");
    if (!taken.ok()) return taken;
    if (!ended.ok()) return ended;
    return taken;
  }

  Status ReleaseReviewLease(const std::string& sha256, const std::string& holder) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "DELETE FROM review_leases WHERE sha256=?1 AND holder=?2");
    q.Bind(1, sha256).Bind(2, holder);
    return Check(db_, q.Step(), "ending a review lease");
  }

  StatusOr<std::map<std::string, std::vector<std::string>>> ReviewLeaseHolders() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT sha256, holder FROM review_leases WHERE lease_until >= ?1 ORDER BY sha256, holder");
    q.Bind(1, NowUnixSeconds());
    std::map<std::string, std::vector<std::string>> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out[q.Text(0)].push_back(q.Text(1));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing review leases"));
    return out;
  }

 private:
  // SQLite joins by nested loops: probing the matches once per register
  // record cost 1.6 s of CPU per million records. Both sides are already in
  // record_id order — the register by its key, the matches by
  // inputs_record_match, which holds every column read (the inputs' rows,
  // 29 GB at 10 million documents, are never read) — so they are merged here,
  // two cursors stepping side by side (0.6 and 0.25 s per million). Byte
  // order on both sides: SQLite's BINARY collation and string_view compare
  // alike.
  Status MergeRegisterWithMatchesLocked(const std::function<void(const RegisterCoverageRow&)>& fn) {
    Statement records(db_,
                      "SELECT record_id, doc_type, number, number_printed, book, issue_date, valid "
                      "FROM inventory ORDER BY record_id");
    Statement matches(db_,
                      "SELECT record_id, status, updated_at FROM inputs INDEXED BY inputs_record_match "
                      "WHERE record_id IS NOT NULL AND status IN ('archived','review') ORDER BY record_id");
    int match_rc = matches.Step();
    RegisterCoverageRow row;
    std::string first_archived_at;
    int rc;
    while ((rc = records.Step()) == SQLITE_ROW) {
      row.record_id = records.View(0);
      row.doc_type = records.View(1);
      row.number = records.View(2);
      row.number_printed = records.View(3);
      row.book = records.View(4);
      row.issue_date = records.View(5);
      row.valid = records.Int(6) != 0;
      row.in_review = false;
      first_archived_at.clear();
      while (match_rc == SQLITE_ROW && matches.View(0) < row.record_id) match_rc = matches.Step();  // no record
      for (; match_rc == SQLITE_ROW && matches.View(0) == row.record_id; match_rc = matches.Step()) {
        if (matches.View(1) == "review") {
          row.in_review = true;
        } else if (first_archived_at.empty() || matches.View(2) < first_archived_at) {
          first_archived_at.assign(matches.View(2));
        }
      }
      row.first_archived_at = first_archived_at;
      fn(row);
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing the register"));
    return Check(db_, match_rc, "listing the register's matches");
  }

  StatusOr<bool> TakeReviewLeaseLocked(const std::string& sha256, const std::string& holder, int lease_seconds,
                                       int max_holders) {
    const int64_t now_s = NowUnixSeconds();
    Statement find(db_, "SELECT status FROM inputs WHERE sha256=?1");
    find.Bind(1, sha256);
    const int rc = find.Step();
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up " + sha256.substr(0, 12)));
    if (rc != SQLITE_ROW) return Status::NotFound("no input " + sha256 + " in this archive");
    if (find.Text(0) != "review") return Status::Busy("this input no longer awaits review");
    Statement expired(db_, "DELETE FROM review_leases WHERE sha256=?1 AND lease_until < ?2 AND holder <> ?3");
    expired.Bind(1, sha256).Bind(2, now_s).Bind(3, holder);
    SOHOA_RETURN_IF_ERROR(Check(db_, expired.Step(), "ending expired review leases"));
    Statement others(db_, "SELECT COUNT(*) FROM review_leases WHERE sha256=?1 AND holder <> ?2");
    others.Bind(1, sha256).Bind(2, holder);
    SOHOA_RETURN_IF_ERROR(Check(db_, others.Step(), "counting review leases"));
    if (others.Int(0) >= max_holders) return false;
    Statement take(db_,
                   "INSERT INTO review_leases(sha256, holder, lease_until) VALUES(?1, ?2, ?3) "
                   "ON CONFLICT(sha256, holder) DO UPDATE SET lease_until=?3");
    take.Bind(1, sha256).Bind(2, holder).Bind(3, now_s + lease_seconds);
    SOHOA_RETURN_IF_ERROR(Check(db_, take.Step(), "taking a review lease"));
    return true;
  }

  Status RecordOutcomeLocked(const LedgerRecord& r) {
    Statement update(db_,
                     "UPDATE inputs SET status=?1, reason=?2, pages=?3, pdf=?4, text=?5, "
                     "updated_at=?6, seconds=?7, details_json=?8, lease_until=0 "
                     "WHERE sha256=?9 AND (run_id=?10 OR status <> 'processing')");
    update.Bind(1, r.status)
        .Bind(2, r.reason)
        .Bind(3, static_cast<int64_t>(r.pages))
        .Bind(4, r.pdf)
        .Bind(5, r.text)
        .Bind(6, NowUtcIso8601())
        .Bind(7, r.seconds)
        .Bind(8, LedgerDetails(r.details_json))
        .Bind(9, r.sha256)
        .Bind(10, r.run_id);
    SOHOA_RETURN_IF_ERROR(Check(db_, update.Step(), "recording outcome of " + r.source));
    if (sqlite3_changes(db_) != 1) {
      return Status::Busy("ledger: the claim on " + r.source + " (" + r.sha256.substr(0, 12) +
                          ") was lost to another run");
    }
    return WriteRecordIndexLocked(r.sha256, r.details_json);
  }

  // input_bags and record_persons of one record from its details. Bags
  // only accumulate (a reviewed record keeps its first version's bag);
  // persons are replaced (a reviewer may correct a name).
  Status WriteRecordIndexLocked(const std::string& sha256, const std::string& details_json) {
    const RecordIndexEntries entries = IndexEntriesOf(details_json);
    for (const std::string& bag : entries.bags) {
      Statement insert(db_, "INSERT OR IGNORE INTO input_bags(bag, sha256) VALUES(?1, ?2)");
      insert.Bind(1, bag).Bind(2, sha256);
      SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "indexing the bags of " + sha256));
    }
    Statement clear(db_, "DELETE FROM record_persons WHERE sha256=?1");
    clear.Bind(1, sha256);
    SOHOA_RETURN_IF_ERROR(Check(db_, clear.Step(), "indexing the persons of " + sha256));
    for (const RecordPerson& person : entries.persons) {
      Statement insert(db_, "INSERT INTO record_persons(sha256, name_key, birth_date) VALUES(?1, ?2, ?3)");
      insert.Bind(1, sha256).Bind(2, person.name_key).Bind(3, person.birth_date);
      SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "indexing the persons of " + sha256));
    }
    return Status::Ok();
  }

  // Fills the record index of the rows recorded before migration 4, in
  // first-seen order, a batch at a time (inside the migration's transaction).
  Status BackfillRecordIndex() {
    int64_t after = -1;
    while (true) {
      std::vector<std::pair<std::string, std::string>> batch;
      {
        Statement q(db_,
                    "SELECT seq, sha256, details_json FROM inputs WHERE seq > ?1 ORDER BY seq LIMIT 1000");
        q.Bind(1, after);
        int rc;
        while ((rc = q.Step()) == SQLITE_ROW) {
          after = q.Int(0);
          batch.emplace_back(q.Text(1), q.Text(2));
        }
        SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading records to index"));
      }
      if (batch.empty()) return Status::Ok();
      for (const auto& [sha256, details] : batch) {
        SOHOA_RETURN_IF_ERROR(WriteRecordIndexLocked(sha256, details));
      }
    }
  }

  Status RecordReviewLocked(const LedgerRecord& r, const std::string& expected_updated_at,
                            const ReviewRecord& review) {
    Statement update(db_,
                     "UPDATE inputs SET status=?1, reason=?2, pdf=?3, text=?4, updated_at=?5, "
                     "details_json=?6 WHERE sha256=?7 AND status='review' AND updated_at=?8");
    update.Bind(1, r.status)
        .Bind(2, r.reason)
        .Bind(3, r.pdf)
        .Bind(4, r.text)
        .Bind(5, NowUtcIso8601())
        .Bind(6, LedgerDetails(r.details_json))
        .Bind(7, r.sha256)
        .Bind(8, expected_updated_at);
    SOHOA_RETURN_IF_ERROR(Check(db_, update.Step(), "recording review of " + r.sha256));
    if (sqlite3_changes(db_) != 1) {
      Statement find(db_, "SELECT status FROM inputs WHERE sha256=?1");
      find.Bind(1, r.sha256);
      if (find.Step() != SQLITE_ROW) return Status::NotFound("ledger: no input " + r.sha256);
      return Status::Busy("ledger: " + r.sha256.substr(0, 12) +
                          " changed since it was opened for review (now " + find.Text(0) +
                          "); review not recorded");
    }
    // Inside the transaction (BEGIN IMMEDIATE serialises writers): a record
    // matched meanwhile by another confirmation is seen here.
    Statement matched(db_,
                      "SELECT o.sha256 FROM inputs o JOIN inputs me ON me.sha256=?1 "
                      "WHERE o.record_id=me.record_id AND o.sha256<>?1 AND "
                      "o.status IN ('archived','review') LIMIT 1");
    matched.Bind(1, r.sha256);
    const int rc = matched.Step();
    if (rc == SQLITE_ROW) return RecordAlreadyMatched(matched.Text(0));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "checking the register match of " + r.sha256));
    Statement insert(db_,
                     "INSERT INTO reviews(sha256, reviewer, reviewed_at, changes_json) "
                     "VALUES(?1, ?2, ?3, ?4)");
    insert.Bind(1, r.sha256)
        .Bind(2, review.reviewer)
        .Bind(3, review.reviewed_at)
        .Bind(4, review.changes_json);
    SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "recording review of " + r.sha256));
    return WriteRecordIndexLocked(r.sha256, r.details_json);
  }

  static constexpr const char* kSelectInventory =
      "SELECT record_id, doc_type, number, book, issue_date, holder_id, valid, source, "
      "number_printed FROM inventory";

  StatusOr<std::vector<InventoryRecord>> ReadInventory(Statement& q, const std::string& what) {
    std::vector<InventoryRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      InventoryRecord r;
      r.record_id = q.Text(0);
      r.doc_type = q.Text(1);
      r.number = q.Text(2);
      r.book = q.Text(3);
      r.issue_date = q.Text(4);
      r.holder_id = q.Text(5);
      r.valid = q.Int(6) != 0;
      r.source = q.Text(7);
      r.number_printed = q.Text(8);
      out.push_back(std::move(r));
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, what));
    return out;
  }

  StatusOr<InventoryImportCounts> UpsertLocked(const std::vector<InventoryRecord>& records) {
    InventoryImportCounts counts;
    const std::string now = NowUtcIso8601();
    for (const InventoryRecord& r : records) {
      Statement find(db_,
                     "SELECT doc_type, number, book, issue_date, holder_id, valid, "
                     "number_printed FROM inventory WHERE record_id=?1");
      find.Bind(1, r.record_id);
      int rc = find.Step();
      if (rc == SQLITE_ROW) {
        const bool same = find.Text(0) == r.doc_type && find.Text(1) == r.number && find.Text(2) == r.book &&
                          find.Text(3) == r.issue_date && find.Text(4) == r.holder_id &&
                          (find.Int(5) != 0) == r.valid && find.Text(6) == r.number_printed;
        if (same) {
          ++counts.unchanged;
          continue;
        }
        Statement update(db_,
                         "UPDATE inventory SET doc_type=?2, number=?3, book=?4, "
                         "issue_date=?5, holder_id=?6, valid=?7, source=?8, updated_at=?9, "
                         "number_printed=?10 WHERE record_id=?1");
        BindInventoryRow(r, now, &update);
        SOHOA_RETURN_IF_ERROR(Check(db_, update.Step(), "updating inventory " + r.record_id));
        ++counts.updated;
        continue;
      }
      SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up inventory " + r.record_id));
      Statement insert(db_,
                       "INSERT INTO inventory(record_id, doc_type, number, book, issue_date, "
                       "holder_id, valid, source, imported_at, updated_at, number_printed) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)");
      BindInventoryRow(r, now, &insert);
      SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "adding inventory " + r.record_id));
      ++counts.inserted;
    }
    return counts;
  }

  // The columns ReadRecord reads; callers add " FROM inputs ..." (or more
  // columns first).
  static constexpr const char* kSelectRecord =
      "SELECT sha256, source, status, reason, pages, pdf, text, run_id, updated_at, seconds, "
      "details_json";

  StatusOr<std::vector<LedgerRecord>> ReadRecords(Statement& q, const std::string& what) {
    std::vector<LedgerRecord> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(ReadRecord(q));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, what));
    return out;
  }

  StatusOr<std::vector<RunRecord>> ReadRuns(Statement& q) {
    std::vector<RunRecord> runs;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      RunRecord r;
      r.run_id = q.Text(0);
      r.started_at = q.Text(1);
      r.finished_at = q.Text(2);
      r.host = q.Text(3);
      r.pid = q.Int(4);
      r.input = q.Text(5);
      r.state = q.Text(6);
      r.counts_json = q.Text(7);
      runs.push_back(std::move(r));
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing runs"));
    return runs;
  }

  static LedgerRecord ReadRecord(const Statement& q) {
    LedgerRecord r;
    r.sha256 = q.Text(0);
    r.source = q.Text(1);
    r.status = q.Text(2);
    r.reason = q.Text(3);
    r.pages = static_cast<int>(q.Int(4));
    r.pdf = q.Text(5);
    r.text = q.Text(6);
    r.run_id = q.Text(7);
    r.updated_at = q.Text(8);
    r.seconds = q.Real(9);
    r.details_json = q.Text(10);
    return r;
  }

  Status Exec(const std::string& sql) { return sqlite::Exec(db_, "ledger", sql); }

  StatusOr<Claim> ClaimLocked(const std::string& sha256, const std::string& source, const std::string& run_id,
                              int lease_seconds) {
    const std::string now = NowUtcIso8601();
    const int64_t now_s = NowUnixSeconds();
    Statement find(db_, "SELECT status, run_id, lease_until, source FROM inputs WHERE sha256=?1");
    find.Bind(1, sha256);
    int rc = find.Step();
    Claim claim;
    if (rc == SQLITE_ROW) {
      const std::string status = find.Text(0), holder = find.Text(1);
      const int64_t lease_until = find.Int(2);
      claim.existing_source = find.Text(3);
      claim.existing_status = status;
      if (status == "archived" || status == "review") {
        claim.outcome = ClaimOutcome::kAlreadyDone;
      } else if (status == "processing" && holder == run_id) {
        claim.outcome = ClaimOutcome::kHeldByThisRun;
      } else if (status == "processing" && lease_until > now_s) {
        claim.outcome = ClaimOutcome::kHeldElsewhere;
      } else {
        // Quarantined before, or a lease that expired: take it.
        Statement take(db_,
                       "UPDATE inputs SET status='processing', run_id=?1, lease_until=?2, "
                       "updated_at=?3 WHERE sha256=?4");
        take.Bind(1, run_id).Bind(2, now_s + lease_seconds).Bind(3, now).Bind(4, sha256);
        SOHOA_RETURN_IF_ERROR(Check(db_, take.Step(), "claiming " + source));
        claim.outcome = ClaimOutcome::kClaimed;
      }
    } else {
      SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up " + source));
      Statement insert(db_,
                       "INSERT INTO inputs(sha256, source, status, run_id, lease_until, "
                       "first_seen, updated_at, seq) VALUES(?1, ?2, 'processing', ?3, ?4, ?5, ?5, "
                       "(SELECT COALESCE(MAX(seq), 0) + 1 FROM inputs))");
      insert.Bind(1, sha256).Bind(2, source).Bind(3, run_id).Bind(4, now_s + lease_seconds).Bind(5, now);
      SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "claiming " + source));
      claim.outcome = ClaimOutcome::kClaimed;
    }
    Statement alias(db_, "INSERT OR IGNORE INTO sources(sha256, path, first_seen) VALUES(?1, ?2, ?3)");
    alias.Bind(1, sha256).Bind(2, source).Bind(3, now);
    SOHOA_RETURN_IF_ERROR(Check(db_, alias.Step(), "recording source " + source));
    return claim;
  }

  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace

int64_t SqliteLedgerSchemaVersion() { return static_cast<int64_t>(std::size(kMigrations)); }

StatusOr<std::unique_ptr<Ledger>> OpenSqliteLedger(const std::string& path) {
  return OpenSqliteLedger(path, SqliteLogOnClose::kCheckpoint);
}

StatusOr<std::unique_ptr<Ledger>> OpenSqliteLedger(const std::string& path, SqliteLogOnClose on_close) {
  // A new ledger (and its -wal/-shm) names every input: its owner's, and
  // readable by the archive's auditors' group (0640), nobody else's.
  if (path != ":memory:") {
    Status made = MakePrivateFile(path, /*narrow_existing=*/false, 0640);
    if (!made.ok())
      return Status::Unavailable(
          ErrorText("ledger.cannot_open", {{"path", path}, {"cause", made.message()}}));
  }
  StatusOr<sqlite3*> db = sqlite::Open(path, "ledger");
  if (!db.ok()) return db.status();
  auto ledger = std::make_unique<SqliteLedger>(*db);
  Status s = ledger->Initialise(on_close);
  if (!s.ok()) return s.WithContext("ledger " + path);
  return std::unique_ptr<Ledger>(std::move(ledger));
}

}  // namespace sohoa
