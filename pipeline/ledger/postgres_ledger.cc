// PostgreSQL implementation of the Ledger and of the work queue (issue 8).
//
// One connection per object, serialised by a mutex (see the header). Every
// multi-statement change runs in one transaction; claims lock the input's row
// (INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE) so two workers
// claiming the same content at once get exactly one winner, and the work
// queue is drained with FOR UPDATE SKIP LOCKED so workers never wait on each
// other's rows.
#include "pipeline/ledger/postgres_ledger.h"

#include <libpq-fe.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "pipeline/core/clock.h"
#include "pipeline/core/credentials.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/keying_store.h"
#include "pipeline/ledger/ledger_details.h"
#include "pipeline/ledger/record_index.h"

namespace sohoa {
namespace {

// Any constant shared by all sohoa processes ("sohoa" in ASCII).
constexpr int64_t kMigrationLockKey = 0x736f686f61;
// First half of the (int, int) advisory keys of WithLock.
constexpr int kNamedLockClass = 0x736f68;

// Versioned schema migrations: schema_migrations holds the versions applied.
// Never edit a shipped migration: append a new one.
const char* const kMigrations[] = {
    // 1: inputs, the paths they were seen under, runs (as in SQLite).
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
      lease_until   TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
      first_seen    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      seconds       DOUBLE PRECISION NOT NULL DEFAULT 0,
      details_json  TEXT NOT NULL DEFAULT '{}',
      seq           BIGINT GENERATED ALWAYS AS IDENTITY
    );
    CREATE INDEX inputs_status ON inputs(status);
    CREATE INDEX inputs_seq ON inputs(seq);
    CREATE INDEX inputs_processing ON inputs(run_id) WHERE status = 'processing';
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
      pid          BIGINT NOT NULL DEFAULT 0,
      input        TEXT NOT NULL DEFAULT '',
      state        TEXT NOT NULL,
      counts_json  TEXT NOT NULL DEFAULT '{}'
    );
    )sql",
    // 2: the backlog inventory and the extracted facts of each input as
    // generated columns of details_json.metadata (invalid JSON gives NULL,
    // as SQLite's json_valid guard does).
    R"sql(
    CREATE FUNCTION sohoa_metadata(details TEXT, key TEXT) RETURNS TEXT
      LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
      RETURN details::jsonb -> 'metadata' ->> key;
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END $$;
    CREATE TABLE inventory (
      record_id    TEXT PRIMARY KEY,
      doc_type     TEXT NOT NULL,
      number       TEXT NOT NULL,
      book         TEXT NOT NULL DEFAULT '',
      issue_date   TEXT NOT NULL,
      holder_id    TEXT NOT NULL DEFAULT '',
      valid        BOOLEAN NOT NULL,
      source       TEXT NOT NULL DEFAULT '',
      imported_at  TEXT NOT NULL,
      updated_at   TEXT NOT NULL
    );
    CREATE INDEX inventory_key ON inventory(doc_type, number, book);
    CREATE INDEX inventory_holder ON inventory(holder_id);
    ALTER TABLE inputs
      ADD COLUMN doc_type TEXT GENERATED ALWAYS AS (sohoa_metadata(details_json, 'doc_type')) STORED,
      ADD COLUMN holder_id TEXT GENERATED ALWAYS AS (sohoa_metadata(details_json, 'holder_id')) STORED,
      ADD COLUMN result_code TEXT GENERATED ALWAYS AS (sohoa_metadata(details_json, 'result_code')) STORED,
      ADD COLUMN record_id TEXT GENERATED ALWAYS AS (sohoa_metadata(details_json, 'record_id')) STORED;
    CREATE INDEX inputs_holder ON inputs(holder_id, doc_type);
    CREATE INDEX inputs_record ON inputs(record_id);
    )sql",
    // 3 (issue 8): the work queue of `sohoa enqueue` / `sohoa worker`.
    R"sql(
    CREATE TABLE work (
      sha256       TEXT PRIMARY KEY,
      path         TEXT NOT NULL,
      source       TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('queued','claimed','done')),
      worker_id    TEXT NOT NULL DEFAULT '',
      lease_until  TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
      attempts     INTEGER NOT NULL DEFAULT 0,
      enqueued_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
      finished_at  TIMESTAMPTZ,
      seq          BIGINT GENERATED ALWAYS AS IDENTITY
    );
    CREATE INDEX work_pending ON work(seq) WHERE status <> 'done';
    CREATE INDEX work_worker ON work(worker_id) WHERE status = 'claimed';
    )sql",
    // 4 (issue 8): workers' liveness, renewed by their heartbeat (NULL for
    // runs without one, e.g. `sohoa run`), for `sohoa status`.
    R"sql(
    ALTER TABLE runs ADD COLUMN alive_until TIMESTAMPTZ;
    CREATE INDEX inputs_run ON inputs(run_id);
    )sql",
    // 5 (issue 9): who reviewed what and when; rows are never changed.
    R"sql(
    CREATE TABLE reviews (
      id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sha256        TEXT NOT NULL REFERENCES inputs(sha256),
      reviewer      TEXT NOT NULL,
      reviewed_at   TEXT NOT NULL,
      changes_json  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX reviews_input ON reviews(sha256);
    CREATE FUNCTION sohoa_reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'reviews are append-only'; END $$;
    CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews
      FOR EACH ROW EXECUTE FUNCTION sohoa_reviews_append_only();
    )sql",
    // 6 (issue 22): as SQLite's migration 4 — index-bounded readers (counts
    // and pages by status from the index, recent runs), the bags and the
    // persons of each record (filled by the code for existing rows), and
    // the append-only access log of `sohoa find`.
    R"sql(
    DROP INDEX inputs_status;
    CREATE INDEX inputs_status_seq ON inputs(status, seq) INCLUDE (pages);
    CREATE INDEX runs_started ON runs(started_at, run_id);
    CREATE TABLE input_bags (
      bag     TEXT NOT NULL,
      sha256  TEXT NOT NULL REFERENCES inputs(sha256),
      PRIMARY KEY (bag, sha256)
    );
    CREATE TABLE record_persons (
      sha256      TEXT NOT NULL REFERENCES inputs(sha256),
      name_key    TEXT NOT NULL,
      birth_date  TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX record_persons_name ON record_persons(name_key, birth_date);
    CREATE INDEX record_persons_input ON record_persons(sha256);
    CREATE TABLE access_log (
      id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at            TEXT NOT NULL,
      who           TEXT NOT NULL,
      via           TEXT NOT NULL,
      purpose       TEXT NOT NULL,
      query_kind    TEXT NOT NULL,
      returned      BIGINT NOT NULL,
      records_json  TEXT NOT NULL DEFAULT '[]'
    );
    CREATE FUNCTION sohoa_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$;
    CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
      FOR EACH ROW EXECUTE FUNCTION sohoa_access_log_append_only();
    )sql",
    // 7 (issue 14): the register's number as printed ("315/UBND-XNTTHN");
    // `number` stays the matching key (the leading number).
    R"sql(
    ALTER TABLE inventory ADD COLUMN number_printed TEXT NOT NULL DEFAULT '';
    )sql",
    // 8 (issue 18): many operators at stations sharing this ledger — which
    // operator keys which input in review until when, and double keying's
    // blind keyings until the entry is settled (the archive's drafts.sqlite
    // keeps them when the ledger is SQLite).
    R"sql(
    CREATE TABLE review_leases (
      sha256       TEXT NOT NULL REFERENCES inputs(sha256),
      holder       TEXT NOT NULL,
      lease_until  TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (sha256, holder)
    );
    CREATE TABLE keyings (
      sha256     TEXT NOT NULL REFERENCES inputs(sha256),
      seq        INTEGER NOT NULL CHECK (seq IN (1, 2)),
      keyer      TEXT NOT NULL,
      version    TEXT NOT NULL,
      doc_type   TEXT NOT NULL,
      fields     TEXT NOT NULL,
      record_id  TEXT NOT NULL,
      keyed_at   TEXT NOT NULL,
      stats      TEXT NOT NULL,
      PRIMARY KEY (sha256, seq),
      UNIQUE (sha256, keyer)
    );
    )sql",
    // 9 (issue 22): as SQLite's migration 7 — the records `report` counts
    // beyond the register from partial indexes on expressions (no column
    // added: that would rewrite every row).
    R"sql(
    CREATE FUNCTION sohoa_details_has(details TEXT, key TEXT) RETURNS BOOLEAN
      LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
      RETURN jsonb_typeof(details::jsonb -> key) = 'object';
    EXCEPTION WHEN others THEN
      RETURN FALSE;
    END $$;
    CREATE INDEX inputs_register_book ON inputs(seq) WHERE sohoa_metadata(details_json, 'record_kind') IS NOT NULL;
    CREATE INDEX inputs_keyed ON inputs(seq) WHERE sohoa_details_has(details_json, 'keying');
    )sql",
    // 10 (issue 22): `status` at any size — documents and pages per status
    // kept by the ledger's writes. One counter row per status would be
    // locked by every worker's outcome until its commit and serialise the
    // fleet; instead each statement that changes inputs appends its net
    // change (statement triggers over the changed rows: no lock on any
    // shared row, so no wait and no deadlock), readers add the changes to
    // status_counts, and a worker now and then folds them in
    // (sohoa_fold_status_counts: one folder at a time, others skip).
    R"sql(
    CREATE TABLE status_counts (
      status     TEXT PRIMARY KEY,
      documents  BIGINT NOT NULL,
      pages      BIGINT NOT NULL
    );
    INSERT INTO status_counts(status, documents, pages)
      SELECT s.status, COUNT(i.status), COALESCE(SUM(i.pages), 0)
      FROM (VALUES ('processing'), ('archived'), ('review'), ('quarantined')) s(status)
      LEFT JOIN inputs i ON i.status = s.status GROUP BY s.status;
    CREATE TABLE status_count_changes (
      status     TEXT NOT NULL,
      documents  BIGINT NOT NULL,
      pages      BIGINT NOT NULL
    );
    CREATE FUNCTION sohoa_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO status_count_changes SELECT status, COUNT(*), SUM(pages) FROM new_rows GROUP BY status;
      RETURN NULL;
    END $$;
    CREATE FUNCTION sohoa_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO status_count_changes SELECT status, -COUNT(*), -SUM(pages) FROM old_rows GROUP BY status;
      RETURN NULL;
    END $$;
    CREATE FUNCTION sohoa_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO status_count_changes
        SELECT status, SUM(documents), SUM(pages) FROM (
          SELECT status, 1 AS documents, pages FROM new_rows
          UNION ALL SELECT status, -1, -pages FROM old_rows) c
        GROUP BY status HAVING SUM(documents) <> 0 OR SUM(pages) <> 0;
      RETURN NULL;
    END $$;
    CREATE TRIGGER status_counts_insert AFTER INSERT ON inputs REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sohoa_count_inserted();
    CREATE TRIGGER status_counts_delete AFTER DELETE ON inputs REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sohoa_count_deleted();
    CREATE TRIGGER status_counts_update AFTER UPDATE ON inputs
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sohoa_count_updated();
    CREATE FUNCTION sohoa_fold_status_counts() RETURNS void LANGUAGE plpgsql AS $$ BEGIN
      IF NOT pg_try_advisory_xact_lock(495790354274) THEN RETURN; END IF;  -- the migration lock's key + 1
      WITH moved AS (DELETE FROM status_count_changes RETURNING status, documents, pages),
           sums AS (SELECT status, SUM(documents) AS documents, SUM(pages) AS pages FROM moved GROUP BY status)
      UPDATE status_counts c SET documents = c.documents + sums.documents, pages = c.pages + sums.pages
        FROM sums WHERE c.status = sums.status;
    END $$;
    )sql",
    // 11 (issue 22): `report` folds each register record's matches from this
    // index alone (an index-only scan), as SQLite's migration 9; it replaces
    // inputs_record (record_id), its prefix.
    R"sql(
    CREATE INDEX IF NOT EXISTS inputs_record_match ON inputs(record_id, status, updated_at);
    DROP INDEX IF EXISTS inputs_record;
    )sql",
};
// The migration after which input_bags and record_persons are filled for the
// rows that existed before it.
constexpr int kRecordIndexMigration = 6;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Field(const PGresult* r, int row, int col) {
  return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

// "host H, port P, database D, user U": what a connection is, never its password.
std::string Describe(PGconn* conn) {
  auto or_dash = [](const char* s) { return std::string(s && *s ? s : "-"); };
  return "host " + or_dash(PQhost(conn)) + ", port " + or_dash(PQport(conn)) + ", database " +
         or_dash(PQdb(conn)) + ", user " + or_dash(PQuser(conn));
}

class PostgresLedger final : public WorkLedger, public KeyingStore {
 public:
  explicit PostgresLedger(PGconn* conn) : conn_(conn) {}
  ~PostgresLedger() override { PQfinish(conn_); }

  Status Initialise() {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    SOHOA_RETURN_IF_ERROR(Exec(kSessionSettings).status());
    // Most opens find the schema current: one read, without the migration
    // lock's transaction (five round trips fewer for a short command such as
    // `find`). Anything else — no table yet, older, newer — takes the lock.
    if (SchemaIsCurrent()) return Status::Ok();
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN").status());
    Status s = MigrateLocked();
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT").status();
  }

  StatusOr<Claim> ClaimInput(const std::string& sha256, const std::string& source, const std::string& run_id,
                             int lease_seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Claim> claim =
        InTransaction<Claim>([&] { return ClaimLocked(sha256, source, run_id, lease_seconds); });
    if (claim.ok() && claim->outcome == ClaimOutcome::kClaimed) MaybeFoldStatusCountsLocked();
    return claim;
  }

  Status RecordOutcome(const LedgerRecord& r) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Status s = InTransaction<bool>([&]() -> StatusOr<bool> {
             // Only the run holding the claim may record; the same run
             // recording again (a retried commit) is idempotent. A run
             // marked interrupted (presumed dead: its heartbeat stopped) has
             // lost its claims even if it is in fact alive: its bag may be
             // closed already.
             StatusOr<Result> update = Exec(
                 "UPDATE inputs SET status=$1, reason=$2, pages=$3, pdf=$4, text=$5, "
                 "updated_at=$6, seconds=$7, details_json=$8, lease_until='-infinity' "
                 "WHERE sha256=$9 AND run_id=$10 AND NOT EXISTS (SELECT 1 FROM runs "
                 "WHERE runs.run_id=$10 AND runs.state='interrupted')",
                 {r.status, r.reason, std::to_string(r.pages), r.pdf, r.text, NowUtcIso8601(),
                  std::to_string(r.seconds), LedgerDetails(r.details_json), r.sha256, r.run_id});
             if (!update.ok()) return update.status().WithContext("recording outcome of " + r.source);
             if (Changed(*update) != 1) {
               return Status::Busy("ledger: the claim on " + r.source + " (" + r.sha256.substr(0, 12) +
                                   ") was lost to another run");
             }
             SOHOA_RETURN_IF_ERROR(WriteRecordIndexLocked(r.sha256, r.details_json));
             // The work item (if a worker holds it as this run) is done in
             // the same transaction as the outcome.
             StatusOr<Result> done = Exec(
                 "UPDATE work SET status='done', finished_at=now(), lease_until='-infinity' "
                 "WHERE sha256=$1 AND worker_id=$2",
                 {r.sha256, r.run_id});
             if (!done.ok()) return done.status();
             return true;
           })
        .status();
    if (s.ok()) MaybeFoldStatusCountsLocked();
    return s;
  }

  StatusOr<int> AbandonRun(const std::string& run_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<int>([&]() -> StatusOr<int> {
      StatusOr<Result> run =
          Exec("UPDATE runs SET state='interrupted' WHERE run_id=$1 AND state='running'", {run_id});
      if (!run.ok()) return run.status().WithContext("marking run interrupted");
      StatusOr<Result> release =
          Exec("UPDATE inputs SET lease_until='-infinity' WHERE run_id=$1 AND status='processing'", {run_id});
      if (!release.ok()) return release.status().WithContext("releasing claims of interrupted run");
      StatusOr<Result> work = Exec(
          "UPDATE work SET status='queued', lease_until='-infinity' "
          "WHERE worker_id=$1 AND status='claimed'",
          {run_id});
      if (!work.ok()) return work.status();
      return Changed(*release);
    });
  }

  Status StartRun(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec(
               "INSERT INTO runs(run_id, started_at, host, pid, input, state, counts_json) "
               "VALUES($1, $2, $3, $4, $5, $6, $7)",
               {run.run_id, run.started_at, run.host, std::to_string(run.pid), run.input, run.state,
                run.counts_json})
        .status()
        .WithContext("starting run " + run.run_id);
  }

  Status FinishRun(const RunRecord& run) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec("UPDATE runs SET finished_at=$1, state=$2, counts_json=$3 WHERE run_id=$4",
                {run.finished_at, run.state, run.counts_json, run.run_id})
        .status()
        .WithContext("finishing run " + run.run_id);
  }

  StatusOr<std::optional<LedgerRecord>> Find(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(std::string(kSelectRecord) + " FROM inputs WHERE sha256=$1", {sha256});
    if (!q.ok()) return q.status().WithContext("looking up " + sha256);
    if (PQntuples(q->get()) == 0) return std::optional<LedgerRecord>();
    return std::optional<LedgerRecord>(ReadRecord(q->get(), 0));
  }

  Status ForEachRecord(const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Stream(std::string(kSelectRecord) + " FROM inputs WHERE status <> 'processing' ORDER BY seq", {},
                  [&](const PGresult* r) { fn(ReadRecord(r, 0)); })
        .WithContext("listing inputs");
  }

  Status ForEachRecordIn(RecordSet set, const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // The WHERE repeats each partial index's own (migration 9), so the index is used.
    const char* where = set == RecordSet::kRegisterBook
                            ? "sohoa_metadata(details_json, 'record_kind') IS NOT NULL"
                            : "sohoa_details_has(details_json, 'keying')";
    return Stream(std::string(kSelectRecord) + " FROM inputs WHERE " + where +
                      " AND status <> 'processing' ORDER BY seq",
                  {}, [&](const PGresult* r) { fn(ReadRecord(r, 0)); })
        .WithContext("listing inputs");
  }

  Status ForEachRecordWithSources(
      const std::function<void(const LedgerRecord&, const std::vector<std::string>&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Stream(std::string(kSelectRecord) +
                      ", (SELECT json_agg(json_build_array(s.first_seen, s.path)) FROM sources s "
                      "WHERE s.sha256 = inputs.sha256) FROM inputs WHERE status <> 'processing' "
                      "ORDER BY seq",
                  {}, [&](const PGresult* r) { fn(ReadRecord(r, 0), SourcesFromPairs(Field(r, 0, 11))); })
        .WithContext("listing inputs");
  }

  Status ForEachRecordInBag(const std::string& bag,
                            const std::function<void(const LedgerRecord&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Stream(std::string(kSelectRecord) +
                      " FROM inputs WHERE sha256 IN (SELECT sha256 FROM input_bags WHERE bag=$1) "
                      "AND status IN ('archived','review') ORDER BY seq",
                  {bag}, [&](const PGresult* r) { fn(ReadRecord(r, 0)); })
        .WithContext("listing the records of bag " + bag);
  }

  StatusOr<LedgerSummary> Summarize() override {
    std::lock_guard<std::mutex> lock(mutex_);
    // The kept counts and the changes not yet folded into them (migration
    // 10), read in one snapshot: a fold moves changes atomically.
    StatusOr<Result> q = Exec(
        "SELECT status, SUM(documents), SUM(pages) FROM (SELECT status, documents, pages FROM status_counts "
        "UNION ALL SELECT status, documents, pages FROM status_count_changes) c "
        "GROUP BY status HAVING SUM(documents) <> 0");
    if (!q.ok()) return q.status().WithContext("counting inputs");
    LedgerSummary summary;
    for (int i = 0; i < PQntuples(q->get()); ++i) {
      const std::string status = Field(q->get(), i, 0);
      summary.documents[status] = std::stoll(Field(q->get(), i, 1));
      if (status == "archived" || status == "review") summary.pages += std::stoll(Field(q->get(), i, 2));
    }
    return summary;
  }

  StatusOr<std::vector<LedgerRecord>> RecordsWithStatus(const std::string& status, int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRecords(std::string(kSelectRecord) + " FROM inputs WHERE status=$1 ORDER BY seq LIMIT $2",
                       {status, std::to_string(limit)}, "listing " + status + " inputs");
  }

  StatusOr<std::vector<RunRecord>> RecentRuns(int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRuns("SELECT * FROM (" + std::string(kSelectRun) +
                        " ORDER BY started_at DESC, run_id DESC LIMIT $1) recent ORDER BY started_at, run_id",
                    {std::to_string(limit)});
  }

  StatusOr<std::optional<RunRecord>> FindRun(const std::string& run_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<std::vector<RunRecord>> runs = ReadRuns(std::string(kSelectRun) + " WHERE run_id=$1", {run_id});
    if (!runs.ok()) return runs.status();
    if (runs->empty()) return std::optional<RunRecord>();
    return std::optional<RunRecord>(std::move(runs->front()));
  }

  StatusOr<std::vector<LedgerRecord>> FindRecords(const RecordQuery& query) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const bool by_holder = !query.holder_id.empty();
    const std::string where = by_holder
                                  ? " WHERE holder_id=$1 AND $2::text IS NOT NULL"
                                  : " WHERE sha256 IN (SELECT sha256 FROM record_persons WHERE name_key=$1 "
                                    "AND ($2='' OR birth_date=$2))";
    return ReadRecords(std::string(kSelectRecord) + " FROM inputs" + where +
                           " AND ($3='' OR doc_type=$3) AND status IN ('archived','review') "
                           "ORDER BY seq LIMIT $4",
                       {by_holder ? query.holder_id : query.name_key, query.birth_date, query.doc_type,
                        std::to_string(query.limit)},
                       "finding records");
  }

  Status RecordAccess(const AccessRecord& a) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec(
               "INSERT INTO access_log(at, who, via, purpose, query_kind, returned, records_json) "
               "VALUES($1, $2, $3, $4, $5, $6, $7)",
               {a.at, a.who, a.via, a.purpose, a.query_kind, std::to_string(a.returned), a.records_json})
        .status()
        .WithContext("writing the access log");
  }

  StatusOr<std::vector<AccessRecord>> AccessLog(int64_t limit) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT * FROM (SELECT id, at, who, via, purpose, query_kind, returned, records_json "
        "FROM access_log ORDER BY id DESC LIMIT $1) recent ORDER BY id",
        {std::to_string(limit)});
    if (!q.ok()) return q.status().WithContext("reading the access log");
    std::vector<AccessRecord> out;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      out.push_back(AccessRecord{Field(r, i, 1), Field(r, i, 2), Field(r, i, 3), Field(r, i, 4),
                                 Field(r, i, 5), std::stoll(Field(r, i, 6)), Field(r, i, 7)});
    }
    return out;
  }

  StatusOr<std::vector<std::string>> SourcesOf(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec("SELECT path FROM sources WHERE sha256=$1 ORDER BY first_seen, path", {sha256});
    if (!q.ok()) return q.status().WithContext("listing sources");
    return Column(q->get(), 0);
  }

  StatusOr<std::vector<RunRecord>> Runs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadRuns(std::string(kSelectRun) + " ORDER BY started_at, run_id", {});
  }

  StatusOr<InventoryImportCounts> UpsertInventory(const std::vector<InventoryRecord>& records) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<InventoryImportCounts>([&]() -> StatusOr<InventoryImportCounts> {
      InventoryImportCounts counts;
      const std::string now = NowUtcIso8601();
      for (const InventoryRecord& r : records) {
        // No row back: the same values were there already. xmax = 0 tells
        // an inserted row from an updated one.
        StatusOr<Result> q = Exec(
            "INSERT INTO inventory(record_id, doc_type, number, book, issue_date, holder_id, "
            "valid, source, imported_at, updated_at, number_printed) "
            "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10) "
            "ON CONFLICT (record_id) DO UPDATE SET doc_type=EXCLUDED.doc_type, "
            "number=EXCLUDED.number, book=EXCLUDED.book, issue_date=EXCLUDED.issue_date, "
            "holder_id=EXCLUDED.holder_id, valid=EXCLUDED.valid, source=EXCLUDED.source, "
            "updated_at=EXCLUDED.updated_at, number_printed=EXCLUDED.number_printed "
            "WHERE (inventory.doc_type, inventory.number, inventory.book, inventory.issue_date, "
            "inventory.holder_id, inventory.valid, inventory.number_printed) IS DISTINCT FROM "
            "(EXCLUDED.doc_type, EXCLUDED.number, EXCLUDED.book, EXCLUDED.issue_date, "
            "EXCLUDED.holder_id, EXCLUDED.valid, EXCLUDED.number_printed) "
            "RETURNING (xmax = 0)",
            {r.record_id, r.doc_type, r.number, r.book, r.issue_date, r.holder_id, r.valid ? "true" : "false",
             r.source, now, r.number_printed});
        if (!q.ok()) return q.status().WithContext("adding inventory " + r.record_id);
        if (PQntuples(q->get()) == 0) {
          ++counts.unchanged;
        } else if (Field(q->get(), 0, 0) == "t") {
          ++counts.inserted;
        } else {
          ++counts.updated;
        }
      }
      return counts;
    });
  }

  StatusOr<std::vector<InventoryRecord>> FindInventory(const std::string& doc_type, const std::string& number,
                                                       const std::string& book) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadInventory(
        std::string(kSelectInventory) + " WHERE doc_type=$1 AND number=$2 AND book=$3 ORDER BY record_id",
        {doc_type, number, book});
  }

  StatusOr<std::vector<InventoryRecord>> FindInventoryByHolder(const std::string& doc_type,
                                                               const std::string& holder_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadInventory(
        std::string(kSelectInventory) + " WHERE holder_id=$1 AND doc_type=$2 ORDER BY record_id",
        {holder_id, doc_type});
  }

  StatusOr<int64_t> CountInventory() override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec("SELECT COUNT(*) FROM inventory");
    if (!q.ok()) return q.status().WithContext("counting inventory");
    return std::stoll(Field(q->get(), 0, 0));
  }

  StatusOr<std::vector<InventoryRecord>> InventoryRecords() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadInventory(std::string(kSelectInventory) + " ORDER BY record_id", {});
  }

  Status ForEachRegisterCoverage(const std::function<void(const RegisterCoverageRow&)>& fn) override {
    std::lock_guard<std::mutex> lock(mutex_);
    RegisterCoverageRow row;
    auto view = [](const PGresult* r, int col) {
      return std::string_view(PQgetvalue(r, 0, col), PQgetlength(r, 0, col));  // "" when NULL
    };
    return Stream(
               // The matches grouped from inputs_record_match alone (index-only
               // scan), then joined as the planner sees fit (merge or hash).
               "SELECT i.record_id, i.doc_type, i.number, i.number_printed, i.book, i.issue_date, i.valid, "
               "m.first_archived_at, COALESCE(m.in_review, false) FROM inventory i LEFT JOIN ("
               "SELECT record_id, MIN(updated_at) FILTER (WHERE status = 'archived') AS first_archived_at, "
               "bool_or(status = 'review') AS in_review FROM inputs "
               "WHERE record_id IS NOT NULL AND status IN ('archived','review') GROUP BY record_id) m "
               "ON m.record_id = i.record_id ORDER BY i.record_id",
               {},
               [&](const PGresult* r) {
                 row.record_id = view(r, 0);
                 row.doc_type = view(r, 1);
                 row.number = view(r, 2);
                 row.number_printed = view(r, 3);
                 row.book = view(r, 4);
                 row.issue_date = view(r, 5);
                 row.valid = view(r, 6) == "t";
                 row.first_archived_at = view(r, 7);
                 row.in_review = view(r, 8) == "t";
                 fn(row);
               })
        .WithContext("listing the register with its matches");
  }

  StatusOr<std::vector<LedgerRecord>> FindByHolder(const std::string& holder_id,
                                                   const std::string& doc_type) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(std::string(kSelectRecord) +
                                  " FROM inputs WHERE holder_id=$1 AND ($2='' OR doc_type=$2) AND status IN "
                                  "('archived','review') ORDER BY seq",
                              {holder_id, doc_type});
    if (!q.ok()) return q.status().WithContext("looking up holder " + holder_id);
    std::vector<LedgerRecord> out;
    for (int i = 0; i < PQntuples(q->get()); ++i) out.push_back(ReadRecord(q->get(), i));
    return out;
  }

  StatusOr<std::vector<std::string>> InputsMatchedTo(const std::string& record_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT sha256 FROM inputs WHERE record_id=$1 AND status IN "
        "('archived','review') ORDER BY seq",
        {record_id});
    if (!q.ok()) return q.status().WithContext("looking up inputs matched to " + record_id);
    return Column(q->get(), 0);
  }

  Status RecordReview(const LedgerRecord& r, const std::string& expected_updated_at,
                      const ReviewRecord& review) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Status s = InTransaction<bool>([&]() -> StatusOr<bool> {
             StatusOr<Result> update = Exec(
                 "UPDATE inputs SET status=$1, reason=$2, pdf=$3, text=$4, updated_at=$5, "
                 "details_json=$6 WHERE sha256=$7 AND status='review' AND updated_at=$8",
                 {r.status, r.reason, r.pdf, r.text, NowUtcIso8601(), LedgerDetails(r.details_json), r.sha256,
                  expected_updated_at});
             if (!update.ok()) return update.status().WithContext("recording review of " + r.sha256);
             if (Changed(*update) != 1) {
               StatusOr<Result> find = Exec("SELECT status FROM inputs WHERE sha256=$1", {r.sha256});
               if (!find.ok()) return find.status();
               if (PQntuples(find->get()) == 0) return Status::NotFound("ledger: no input " + r.sha256);
               return Status::Busy("ledger: " + r.sha256.substr(0, 12) +
                                   " changed since it was opened for review (now " +
                                   Field(find->get(), 0, 0) + "); review not recorded");
             }
             // The register record's row is locked first, so two confirmations
             // against one record run this check one after the other.
             StatusOr<Result> lock_record = Exec(
                 "SELECT i.record_id FROM inventory i JOIN inputs me ON me.record_id=i.record_id "
                 "WHERE me.sha256=$1 FOR UPDATE OF i",
                 {r.sha256});
             if (!lock_record.ok()) return lock_record.status();
             StatusOr<Result> matched = Exec(
                 "SELECT o.sha256 FROM inputs o JOIN inputs me ON me.sha256=$1 "
                 "WHERE o.record_id=me.record_id AND o.sha256<>$1 AND "
                 "o.status IN ('archived','review') LIMIT 1",
                 {r.sha256});
             if (!matched.ok()) return matched.status();
             if (PQntuples(matched->get()) > 0) return RecordAlreadyMatched(Field(matched->get(), 0, 0));
             StatusOr<Result> insert = Exec(
                 "INSERT INTO reviews(sha256, reviewer, reviewed_at, changes_json) "
                 "VALUES($1, $2, $3, $4)",
                 {r.sha256, review.reviewer, review.reviewed_at, review.changes_json});
             if (!insert.ok()) return insert.status();
             SOHOA_RETURN_IF_ERROR(WriteRecordIndexLocked(r.sha256, r.details_json));
             return true;
           })
                   .status();
    if (s.ok()) MaybeFoldStatusCountsLocked();
    return s;
  }

  StatusOr<std::vector<ReviewRecord>> ReviewsOf(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT sha256, reviewer, reviewed_at, changes_json FROM reviews "
        "WHERE sha256=$1 ORDER BY id",
        {sha256});
    if (!q.ok()) return q.status().WithContext("listing reviews of " + sha256);
    std::vector<ReviewRecord> out;
    for (int i = 0; i < PQntuples(q->get()); ++i) {
      out.push_back(ReviewRecord{Field(q->get(), i, 0), Field(q->get(), i, 1), Field(q->get(), i, 2),
                                 Field(q->get(), i, 3)});
    }
    return out;
  }

  // --- many operators (issue 18) ---

  StatusOr<bool> TakeReviewLease(const std::string& sha256, const std::string& holder, int lease_seconds,
                                 int max_holders) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<bool>([&]() -> StatusOr<bool> {
      // The input's row lock serialises every station's takers of it.
      StatusOr<std::string> status = LockInputStatus(sha256);
      if (!status.ok()) return status.status();
      if (*status != "review") return Status::Busy("this input no longer awaits review");
      StatusOr<Result> others = Exec(
          "SELECT COUNT(*) FROM review_leases WHERE sha256=$1 AND holder <> $2 AND lease_until >= now()",
          {sha256, holder});
      if (!others.ok()) return others.status().WithContext("counting review leases");
      if (std::stoll(Field(others->get(), 0, 0)) >= max_holders) return false;
      StatusOr<Result> take = Exec(
          "INSERT INTO review_leases(sha256, holder, lease_until) "
          "VALUES($1, $2, now() + $3 * interval '1 second') "
          "ON CONFLICT (sha256, holder) DO UPDATE SET lease_until = EXCLUDED.lease_until",
          {sha256, holder, std::to_string(lease_seconds)});
      if (!take.ok()) return take.status().WithContext("taking a review lease");
      // Expired leases of others are gone once someone else holds the input.
      StatusOr<Result> expired =
          Exec("DELETE FROM review_leases WHERE sha256=$1 AND lease_until < now()", {sha256});
      if (!expired.ok()) return expired.status().WithContext("ending expired review leases");
      return true;
    });
  }

  Status ReleaseReviewLease(const std::string& sha256, const std::string& holder) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec("DELETE FROM review_leases WHERE sha256=$1 AND holder=$2", {sha256, holder})
        .status()
        .WithContext("ending a review lease");
  }

  StatusOr<std::map<std::string, std::vector<std::string>>> ReviewLeaseHolders() override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q =
        Exec("SELECT sha256, holder FROM review_leases WHERE lease_until >= now() ORDER BY sha256, holder");
    if (!q.ok()) return q.status().WithContext("listing review leases");
    std::map<std::string, std::vector<std::string>> out;
    for (int i = 0; i < PQntuples(q->get()); ++i) out[Field(q->get(), i, 0)].push_back(Field(q->get(), i, 1));
    return out;
  }

  KeyingStore* shared_keyings() override { return this; }

  StatusOr<int> AddKeying(const std::string& sha256, const Keying& keying) override {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : keying.fields) fields[key] = value;
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<int>([&]() -> StatusOr<int> {
      SOHOA_RETURN_IF_ERROR(LockInputStatus(sha256).status());  // one keyer at a time per input
      StatusOr<Result> seen = Exec("SELECT keyer FROM keyings WHERE sha256=$1", {sha256});
      if (!seen.ok()) return seen.status().WithContext("looking up the keyings of an input");
      const int count = PQntuples(seen->get());
      for (int i = 0; i < count; ++i) {
        if (Field(seen->get(), i, 0) == keying.user)
          return Status::InvalidInput("you keyed this entry already: double keying needs a second person");
      }
      if (count >= 2) return Status::Busy("this entry has both its keyings already; it awaits an arbiter");
      StatusOr<Result> insert = Exec(
          "INSERT INTO keyings(sha256, seq, keyer, version, doc_type, fields, record_id, keyed_at, stats) "
          "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          {sha256, std::to_string(count + 1), keying.user, keying.version, keying.doc_type, fields.dump(),
           keying.record_id, NowUtcIso8601(), keying.stats_json});
      if (!insert.ok()) return insert.status().WithContext("keeping a keying");
      return count + 1;
    });
  }

  StatusOr<std::vector<Keying>> Keyings(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT seq, keyer, version, doc_type, fields, record_id, keyed_at, stats FROM keyings "
        "WHERE sha256=$1 ORDER BY seq",
        {sha256});
    if (!q.ok()) return q.status().WithContext("reading the keyings of an input");
    std::vector<Keying> out;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      Keying k;
      k.seq = std::stoi(Field(r, i, 0));
      k.user = Field(r, i, 1);
      k.version = Field(r, i, 2);
      k.doc_type = Field(r, i, 3);
      const nlohmann::json fields = nlohmann::json::parse(Field(r, i, 4), nullptr, /*allow_exceptions=*/false);
      if (fields.is_object()) {
        for (const auto& [key, value] : fields.items())
          if (value.is_string()) k.fields[key] = value.get<std::string>();
      }
      k.record_id = Field(r, i, 5);
      k.keyed_at = Field(r, i, 6);
      k.stats_json = Field(r, i, 7);
      out.push_back(std::move(k));
    }
    return out;
  }

  StatusOr<std::map<std::string, std::vector<std::string>>> KeyersByInput() override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec("SELECT sha256, keyer FROM keyings ORDER BY sha256, seq");
    if (!q.ok()) return q.status().WithContext("listing the keyings");
    std::map<std::string, std::vector<std::string>> out;
    for (int i = 0; i < PQntuples(q->get()); ++i) out[Field(q->get(), i, 0)].push_back(Field(q->get(), i, 1));
    return out;
  }

  Status RemoveKeyings(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec("DELETE FROM keyings WHERE sha256=$1", {sha256})
        .status()
        .WithContext("removing the keyings of a settled input");
  }

  // --- work queue ---

  StatusOr<int> Enqueue(const std::vector<WorkItem>& items) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<int>([&]() -> StatusOr<int> {
      int added = 0;
      for (const WorkItem& item : items) {
        StatusOr<Result> q = Exec(
            "INSERT INTO work(sha256, path, source, status) VALUES($1, $2, $3, 'queued') "
            "ON CONFLICT (sha256) DO NOTHING",
            {item.sha256, item.path, item.source});
        if (!q.ok()) return q.status().WithContext("enqueuing " + item.source);
        added += Changed(*q);
      }
      return added;
    });
  }

  StatusOr<std::vector<WorkItem>> ClaimWork(const std::string& worker_id, int max_items, int lease_seconds,
                                            int* reclaimed) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "WITH picked AS (SELECT sha256, status AS was, worker_id AS holder FROM work "
        "  WHERE status = 'queued' OR (status = 'claimed' AND lease_until < now()) "
        "  ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED) "
        "UPDATE work w SET status='claimed', worker_id=$1, attempts=attempts+1, "
        "  lease_until=now() + $3 * interval '1 second' "
        "FROM picked WHERE w.sha256 = picked.sha256 "
        "RETURNING w.sha256, w.path, w.source, picked.was, w.seq, picked.holder",
        {worker_id, std::to_string(max_items), std::to_string(lease_seconds)});
    if (!q.ok()) return q.status().WithContext("claiming work for " + worker_id);
    std::vector<std::pair<int64_t, WorkItem>> rows;
    int taken_over = 0;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      WorkItem item{Field(r, i, 0), Field(r, i, 1), Field(r, i, 2), ""};
      if (Field(r, i, 3) == "claimed") {
        ++taken_over;
        item.previous_worker = Field(r, i, 5);
      }
      rows.push_back({std::stoll(Field(r, i, 4)), std::move(item)});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<WorkItem> items;
    for (auto& row : rows) items.push_back(std::move(row.second));
    if (reclaimed) *reclaimed = taken_over;
    return items;
  }

  StatusOr<int> RenewLeases(const std::string& worker_id, int lease_seconds) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return InTransaction<int>([&]() -> StatusOr<int> {
      const std::string secs = std::to_string(lease_seconds);
      // Inputs before work items, the order RecordOutcome locks them in:
      // the worker's heartbeat renews on its own connection while its
      // pipeline records outcomes, and the opposite order deadlocked the two
      // (PostgreSQL "deadlock detected" in the CI rehearsal's workers_test).
      StatusOr<Result> inputs = Exec(
          "UPDATE inputs SET lease_until = now() + $2 * interval '1 second' "
          "WHERE run_id=$1 AND status='processing'",
          {worker_id, secs});
      if (!inputs.ok()) return inputs.status().WithContext("renewing leases of " + worker_id);
      StatusOr<Result> work = Exec(
          "UPDATE work SET lease_until = now() + $2 * interval '1 second' "
          "WHERE worker_id=$1 AND status='claimed'",
          {worker_id, secs});
      if (!work.ok()) return work.status().WithContext("renewing leases of " + worker_id);
      StatusOr<Result> alive = Exec(
          "UPDATE runs SET alive_until = now() + $2 * interval '1 second' "
          "WHERE run_id=$1 AND state='running'",
          {worker_id, secs});
      if (!alive.ok()) return alive.status().WithContext("renewing heartbeat of " + worker_id);
      return Changed(*work);
    });
  }

  Status FinishWork(const std::string& sha256, const std::string& worker_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "UPDATE work SET status='done', finished_at=COALESCE(finished_at, now()), "
        "lease_until='-infinity' WHERE sha256=$1 AND worker_id=$2 AND status <> 'queued'",
        {sha256, worker_id});
    if (!q.ok()) return q.status().WithContext("finishing work " + sha256.substr(0, 12));
    if (Changed(*q) != 1) {
      return Status::Busy("work item " + sha256.substr(0, 12) + " is no longer held by " + worker_id);
    }
    return Status::Ok();
  }

  Status ReleaseWork(const std::string& sha256, const std::string& worker_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Exec(
               "UPDATE work SET status='queued', lease_until='-infinity' "
               "WHERE sha256=$1 AND worker_id=$2 AND status='claimed'",
               {sha256, worker_id})
        .status()
        .WithContext("releasing work " + sha256.substr(0, 12));
  }

  StatusOr<WorkCounts> CountWork() override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT COUNT(*) FILTER (WHERE status='queued' OR (status='claimed' AND lease_until < now())), "
        "COUNT(*) FILTER (WHERE status='claimed' AND lease_until >= now()), "
        "COUNT(*) FILTER (WHERE status='done') FROM work");
    if (!q.ok()) return q.status().WithContext("counting work");
    WorkCounts c;
    c.queued = std::stoll(Field(q->get(), 0, 0));
    c.claimed = std::stoll(Field(q->get(), 0, 1));
    c.done = std::stoll(Field(q->get(), 0, 2));
    return c;
  }

  StatusOr<std::vector<WorkerInfo>> Workers() override {
    std::lock_guard<std::mutex> lock(mutex_);
    StatusOr<Result> q = Exec(
        "SELECT r.run_id, r.host, r.pid, r.state, "
        "  COALESCE(r.state = 'running' AND r.alive_until > now(), false), r.started_at, "
        "  r.finished_at, "
        "  (SELECT COUNT(*) FROM work w WHERE w.worker_id = r.run_id AND w.status = 'claimed' "
        "     AND w.lease_until >= now()), "
        "  (SELECT COUNT(*) FROM inputs i WHERE i.run_id = r.run_id AND i.status <> 'processing'), "
        "  (SELECT COALESCE(SUM(pages), 0) FROM inputs i WHERE i.run_id = r.run_id "
        "     AND i.status IN ('archived','review')), "
        "  EXTRACT(EPOCH FROM (COALESCE(NULLIF(r.finished_at, '')::timestamptz, now()) "
        "     - r.started_at::timestamptz)), "
        "  COALESCE(r.state = 'running' AND r.alive_until < now(), false), r.input = 'worker' "
        "FROM runs r WHERE r.input = 'worker' OR r.alive_until IS NOT NULL "
        "ORDER BY r.started_at, r.run_id");
    if (!q.ok()) return q.status().WithContext("listing workers");
    std::vector<WorkerInfo> workers;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      WorkerInfo w;
      w.worker_id = Field(r, i, 0);
      w.host = Field(r, i, 1);
      w.pid = std::stoll(Field(r, i, 2));
      w.state = Field(r, i, 3);
      w.alive = Field(r, i, 4) == "t";
      w.started_at = Field(r, i, 5);
      w.finished_at = Field(r, i, 6);
      w.leases_held = std::stoll(Field(r, i, 7));
      w.documents = std::stoll(Field(r, i, 8));
      w.pages = std::stoll(Field(r, i, 9));
      w.seconds = std::stod(Field(r, i, 10));
      w.expired = Field(r, i, 11) == "t";
      w.worker = Field(r, i, 12) == "t";
      workers.push_back(std::move(w));
    }
    return workers;
  }

  Status WithLock(const std::string& name, const std::function<Status()>& fn) override {
    // Two-int advisory keys never collide with the bigint migration key.
    const std::string key = std::to_string(kNamedLockClass) + ", hashtext($1)";
    {
      std::lock_guard<std::mutex> lock(mutex_);
      SOHOA_RETURN_IF_ERROR(
          Exec("SELECT pg_advisory_lock(" + key + ")", {name}).status().WithContext("lock " + name));
    }
    Status result = fn();
    std::lock_guard<std::mutex> lock(mutex_);
    Status unlocked = Exec("SELECT pg_advisory_unlock(" + key + ")", {name}).status();
    if (!result.ok()) return result;
    return unlocked.WithContext("unlock " + name);
  }

 private:
  // The columns ReadRecord reads; callers add " FROM inputs ..." (or more
  // columns first).
  static constexpr const char* kSelectRecord =
      "SELECT sha256, source, status, reason, pages, pdf, text, run_id, updated_at, seconds, "
      "details_json";
  static constexpr const char* kSelectRun =
      "SELECT run_id, started_at, finished_at, host, pid, input, state, counts_json FROM runs";

  StatusOr<std::vector<LedgerRecord>> ReadRecords(const std::string& sql,
                                                  const std::vector<std::string>& params,
                                                  const std::string& what) {
    StatusOr<Result> q = Exec(sql, params);
    if (!q.ok()) return q.status().WithContext(what);
    std::vector<LedgerRecord> out;
    for (int i = 0; i < PQntuples(q->get()); ++i) out.push_back(ReadRecord(q->get(), i));
    return out;
  }

  StatusOr<std::vector<RunRecord>> ReadRuns(const std::string& sql, const std::vector<std::string>& params) {
    StatusOr<Result> q = Exec(sql, params);
    if (!q.ok()) return q.status().WithContext("listing runs");
    std::vector<RunRecord> runs;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      RunRecord run;
      run.run_id = Field(r, i, 0);
      run.started_at = Field(r, i, 1);
      run.finished_at = Field(r, i, 2);
      run.host = Field(r, i, 3);
      run.pid = std::stoll(Field(r, i, 4));
      run.input = Field(r, i, 5);
      run.state = Field(r, i, 6);
      run.counts_json = Field(r, i, 7);
      runs.push_back(std::move(run));
    }
    return runs;
  }

  // Streams the rows of `sql` one at a time (libpq single-row mode), so a
  // reader of the whole ledger holds one row, never the result set. The
  // caller holds mutex_; `row` gets a one-row result.
  Status Stream(const std::string& sql, const std::vector<std::string>& params,
                const std::function<void(const PGresult*)>& row) {
    if (PQstatus(conn_) == CONNECTION_BAD) SOHOA_RETURN_IF_ERROR(Exec("SELECT 1").status());  // reconnects
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    if (!PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                           nullptr, nullptr, 0) ||
        !PQsetSingleRowMode(conn_)) {
      return Status::Unavailable("ledger: " + Trimmed(PQerrorMessage(conn_)));
    }
    Status status = Status::Ok();
    while (PGresult* raw = PQgetResult(conn_)) {
      Result r(raw);
      const ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_SINGLE_TUPLE) {
        if (status.ok()) row(raw);
      } else if (st != PGRES_TUPLES_OK && status.ok()) {
        // Drain the rest (PQgetResult until null) before the connection is used again.
        status = Status::Internal("ledger: " + Trimmed(PQresultErrorMessage(raw)));
      }
    }
    return status;
  }

  // input_bags and record_persons of one record (see the SQLite ledger).
  // The caller holds mutex_ inside a transaction.
  Status WriteRecordIndexLocked(const std::string& sha256, const std::string& details_json) {
    const RecordIndexEntries entries = IndexEntriesOf(details_json);
    for (const std::string& bag : entries.bags) {
      SOHOA_RETURN_IF_ERROR(
          Exec("INSERT INTO input_bags(bag, sha256) VALUES($1, $2) ON CONFLICT DO NOTHING", {bag, sha256})
              .status()
              .WithContext("indexing the bags of " + sha256));
    }
    SOHOA_RETURN_IF_ERROR(Exec("DELETE FROM record_persons WHERE sha256=$1", {sha256})
                              .status()
                              .WithContext("indexing the persons of " + sha256));
    for (const RecordPerson& person : entries.persons) {
      SOHOA_RETURN_IF_ERROR(
          Exec("INSERT INTO record_persons(sha256, name_key, birth_date) VALUES($1, $2, $3)",
               {sha256, person.name_key, person.birth_date})
              .status()
              .WithContext("indexing the persons of " + sha256));
    }
    return Status::Ok();
  }

  // Fills the record index of the rows recorded before migration 6, a batch
  // at a time, inside the migration's transaction.
  Status BackfillRecordIndex() {
    std::string after = "-1";
    while (true) {
      StatusOr<Result> batch = Exec(
          "SELECT seq, sha256, details_json FROM inputs WHERE seq > $1 ORDER BY seq LIMIT 1000", {after});
      if (!batch.ok()) return batch.status().WithContext("reading records to index");
      const PGresult* r = batch->get();
      if (PQntuples(r) == 0) return Status::Ok();
      for (int i = 0; i < PQntuples(r); ++i) {
        SOHOA_RETURN_IF_ERROR(WriteRecordIndexLocked(Field(r, i, 1), Field(r, i, 2)));
      }
      after = Field(r, PQntuples(r) - 1, 0);
    }
  }
  static constexpr const char* kSelectInventory =
      "SELECT record_id, doc_type, number, book, issue_date, holder_id, valid, source, "
      "number_printed FROM inventory";

  static LedgerRecord ReadRecord(const PGresult* r, int i) {
    LedgerRecord rec;
    rec.sha256 = Field(r, i, 0);
    rec.source = Field(r, i, 1);
    rec.status = Field(r, i, 2);
    rec.reason = Field(r, i, 3);
    rec.pages = std::stoi(Field(r, i, 4));
    rec.pdf = Field(r, i, 5);
    rec.text = Field(r, i, 6);
    rec.run_id = Field(r, i, 7);
    rec.updated_at = Field(r, i, 8);
    rec.seconds = std::stod(Field(r, i, 9));
    rec.details_json = Field(r, i, 10);
    return rec;
  }

  static std::vector<std::string> Column(const PGresult* r, int col) {
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) out.push_back(Field(r, i, col));
    return out;
  }

  // The status of input `sha256`, its row locked until the transaction
  // ends; kNotFound when unknown. The caller holds mutex_, in a transaction.
  StatusOr<std::string> LockInputStatus(const std::string& sha256) {
    StatusOr<Result> q = Exec("SELECT status FROM inputs WHERE sha256=$1 FOR UPDATE", {sha256});
    if (!q.ok()) return q.status().WithContext("locking input " + sha256.substr(0, 12));
    if (PQntuples(q->get()) != 1) return Status::NotFound("no input " + sha256 + " in this ledger");
    return Field(q->get(), 0, 0);
  }

  static int Changed(const Result& r) {
    const char* n = PQcmdTuples(r.get());
    return n && *n ? std::stoi(n) : 0;
  }

  StatusOr<std::vector<InventoryRecord>> ReadInventory(const std::string& sql,
                                                       const std::vector<std::string>& params) {
    StatusOr<Result> q = Exec(sql, params);
    if (!q.ok()) return q.status().WithContext("reading inventory");
    std::vector<InventoryRecord> out;
    const PGresult* r = q->get();
    for (int i = 0; i < PQntuples(r); ++i) {
      InventoryRecord rec;
      rec.record_id = Field(r, i, 0);
      rec.doc_type = Field(r, i, 1);
      rec.number = Field(r, i, 2);
      rec.book = Field(r, i, 3);
      rec.issue_date = Field(r, i, 4);
      rec.holder_id = Field(r, i, 5);
      rec.valid = Field(r, i, 6) == "t";
      rec.source = Field(r, i, 7);
      rec.number_printed = Field(r, i, 8);
      out.push_back(std::move(rec));
    }
    return out;
  }

  // One simple-protocol round trip; run again after a reconnect.
  static constexpr const char* kSessionSettings = "SET client_min_messages = warning; SET TIME ZONE 'UTC'";

  static constexpr int kKnownSchemaVersion = static_cast<int>(std::size(kMigrations));

  // The last migration applied (0 for none); an error when schema_migrations
  // does not exist yet.
  StatusOr<int> AppliedSchemaVersion() {
    StatusOr<Result> version = Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!version.ok()) return version.status().WithContext("reading schema version");
    return std::stoi(Field(version->get(), 0, 0));
  }

  bool SchemaIsCurrent() {
    StatusOr<int> applied = AppliedSchemaVersion();
    return applied.ok() && *applied == kKnownSchemaVersion;
  }

  Status MigrateLocked() {
    SOHOA_RETURN_IF_ERROR(
        Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")").status());
    SOHOA_RETURN_IF_ERROR(Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, "
                               "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                              .status());
    StatusOr<int> version = AppliedSchemaVersion();
    if (!version.ok()) return version.status();
    const int applied = *version;
    const int known = kKnownSchemaVersion;
    if (applied > known) {
      return Status::Configuration("ledger schema version " + std::to_string(applied) +
                                   " is newer than this sohoa understands (" + std::to_string(known) +
                                   "); upgrade sohoa");
    }
    for (int i = applied; i < known; ++i) {
      Status s = Exec(kMigrations[i]).status();
      if (s.ok() && i + 1 == kRecordIndexMigration) s = BackfillRecordIndex();
      if (s.ok()) {
        s = Exec("INSERT INTO schema_migrations(version) VALUES($1)", {std::to_string(i + 1)}).status();
      }
      if (!s.ok()) return s.WithContext("applying ledger migration " + std::to_string(i + 1));
    }
    return Status::Ok();
  }

  // Runs `body` between BEGIN and COMMIT (ROLLBACK if it fails). The caller
  // holds mutex_.
  template <typename T>
  StatusOr<T> InTransaction(const std::function<StatusOr<T>()>& body) {
    SOHOA_RETURN_IF_ERROR(Exec("BEGIN").status());
    StatusOr<T> result = body();
    if (!result.ok()) {
      (void)Exec("ROLLBACK");
      return result;
    }
    SOHOA_RETURN_IF_ERROR(Exec("COMMIT").status());
    return result;
  }

  StatusOr<Claim> ClaimLocked(const std::string& sha256, const std::string& source, const std::string& run_id,
                              int lease_seconds) {
    const std::string now = NowUtcIso8601();
    const std::string secs = std::to_string(lease_seconds);
    Claim claim;
    StatusOr<Result> insert = Exec(
        "INSERT INTO inputs(sha256, source, status, run_id, lease_until, first_seen, updated_at) "
        "VALUES($1, $2, 'processing', $3, now() + $4 * interval '1 second', $5, $5) "
        "ON CONFLICT (sha256) DO NOTHING",
        {sha256, source, run_id, secs, now});
    if (!insert.ok()) return insert.status().WithContext("claiming " + source);
    if (Changed(*insert) == 1) {
      claim.outcome = ClaimOutcome::kClaimed;
    } else {
      // Someone saw this content before: lock its row and decide.
      StatusOr<Result> find = Exec(
          "SELECT status, run_id, lease_until > now(), source FROM inputs WHERE sha256=$1 "
          "FOR UPDATE",
          {sha256});
      if (!find.ok()) return find.status().WithContext("looking up " + source);
      if (PQntuples(find->get()) != 1)
        return Status::Internal("ledger: input row of " + source + " vanished");
      const std::string status = Field(find->get(), 0, 0), holder = Field(find->get(), 0, 1);
      const bool live = Field(find->get(), 0, 2) == "t";
      claim.existing_source = Field(find->get(), 0, 3);
      claim.existing_status = status;
      if (status == "archived" || status == "review") {
        claim.outcome = ClaimOutcome::kAlreadyDone;
      } else if (status == "processing" && holder == run_id) {
        claim.outcome = ClaimOutcome::kHeldByThisRun;
      } else if (status == "processing" && live) {
        claim.outcome = ClaimOutcome::kHeldElsewhere;
      } else {
        // Quarantined before, or a lease that expired: take it.
        StatusOr<Result> take = Exec(
            "UPDATE inputs SET status='processing', run_id=$1, "
            "lease_until=now() + $2 * interval '1 second', updated_at=$3 WHERE sha256=$4",
            {run_id, secs, now, sha256});
        if (!take.ok()) return take.status().WithContext("claiming " + source);
        claim.outcome = ClaimOutcome::kClaimed;
      }
    }
    StatusOr<Result> alias =
        Exec("INSERT INTO sources(sha256, path, first_seen) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
             {sha256, source, now});
    if (!alias.ok()) return alias.status().WithContext("recording source " + source);
    return claim;
  }

  // Executes `sql` with text parameters $1..$n. A dropped connection is
  // re-established once (outside a transaction only; inside one the
  // transaction is lost anyway and the error is returned).
  StatusOr<Result> Exec(const std::string& sql, const std::vector<std::string>& params = {}) {
    if (PQstatus(conn_) == CONNECTION_BAD) {
      PQreset(conn_);
      if (PQstatus(conn_) == CONNECTION_BAD) {
        return Status::Unavailable("ledger: lost the connection to PostgreSQL (" + Describe(conn_) +
                                   "): " + Trimmed(PQerrorMessage(conn_)));
      }
      PQclear(PQexec(conn_, kSessionSettings));
    }
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    Result r(params.empty() ? PQexec(conn_, sql.c_str())
                            : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                           values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    const std::string message =
        "ledger: " + Trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_));
    if (code == "40001" || code == "40P01" || code == "55P03") return Status::Busy(message);
    if (code.rfind("08", 0) == 0 || PQstatus(conn_) == CONNECTION_BAD) return Status::Unavailable(message);
    // Class 53: disk full, out of memory, too many connections.
    if (code.rfind("53", 0) == 0) return Status::Unavailable(message);
    return Status::Internal(message);
  }

  // After every kWritesPerFold claims, outcomes and reviews it committed,
  // this connection folds the status count changes (migration 10) into the
  // counts, so readers add up a few hundred rows per writer at most. The
  // write is committed: a fold that fails (or that another connection is
  // doing) leaves the changes where readers add them up, for the next fold.
  void MaybeFoldStatusCountsLocked() {
    if (++writes_since_fold_ < kWritesPerFold) return;
    writes_since_fold_ = 0;
    (void)Exec("SELECT sohoa_fold_status_counts()");
  }
  static constexpr int kWritesPerFold = 200;
  int writes_since_fold_ = 0;
  std::mutex mutex_;
  PGconn* conn_;
};

}  // namespace

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string RedactPostgresUrl(const std::string& url) {
  // postgresql://user:password@host/... -> postgresql://user:***@host/...
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

namespace {

// The password is the URL's own, else the `ledger-password` credential
// (systemd LoadCredential=, pipeline/core/credentials.h), else whatever libpq
// finds itself (PGPASSWORD, ~/.pgpass). libpq expands the URL given as
// "dbname" and lets the later "password" keyword override it.
StatusOr<PGconn*> Connect(const std::string& url) {
  StatusOr<std::optional<std::string>> credential = ReadCredential(kLedgerPasswordCredential);
  if (!credential.ok()) return credential.status();
  const bool url_has_password = RedactPostgresUrl(url) != url;
  if (!credential->has_value() || url_has_password) return PQconnectdb(url.c_str());
  const char* keywords[] = {"dbname", "password", nullptr};
  const char* values[] = {url.c_str(), (*credential)->c_str(), nullptr};
  return PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
}

}  // namespace

StatusOr<std::unique_ptr<WorkLedger>> OpenPostgresLedger(const std::string& url) {
  StatusOr<PGconn*> connected = Connect(url);
  if (!connected.ok()) return connected.status();
  PGconn* conn = *connected;
  if (conn == nullptr) return Status::Unavailable("cannot connect to the PostgreSQL ledger: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string error = Trimmed(PQerrorMessage(conn));
    const std::string who = Describe(conn);
    const std::string user = PQuser(conn) ? PQuser(conn) : "?";
    PQfinish(conn);
    if (error.find("password authentication failed") != std::string::npos ||
        error.find("no password supplied") != std::string::npos) {
      return Status::Configuration(ErrorText("postgres.password_refused", {{"user", user}, {"server", who}}));
    }
    return Status::Configuration(ErrorText("postgres.cannot_connect", {{"server", who}, {"cause", error}}));
  }
  auto ledger = std::make_unique<PostgresLedger>(conn);
  Status s = ledger->Initialise();
  if (!s.ok()) return s.WithContext("PostgreSQL ledger " + RedactPostgresUrl(url));
  return std::unique_ptr<WorkLedger>(std::move(ledger));
}

}  // namespace sohoa
