#include "pipeline/review/drafts.h"

#include <sqlite3.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/json_output.h"
#include "pipeline/ledger/sqlite_db.h"

namespace sohoa {
namespace {

using sqlite::Statement;

const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE drafts (
      user      TEXT NOT NULL,
      sha256    TEXT NOT NULL,
      doc_type  TEXT NOT NULL,
      fields    TEXT NOT NULL,   -- JSON object key -> value
      saved_at  TEXT NOT NULL,
      PRIMARY KEY (user, sha256)
    );
    CREATE INDEX drafts_by_input ON drafts(sha256);
    )sql",
    // Issue 18: double keying's blind keyings, until the entry is settled.
    R"sql(
    CREATE TABLE keyings (
      sha256    TEXT NOT NULL,
      seq       INTEGER NOT NULL CHECK (seq IN (1, 2)),
      user      TEXT NOT NULL,
      version   TEXT NOT NULL,
      doc_type  TEXT NOT NULL,
      fields    TEXT NOT NULL,   -- JSON object key -> canonical value
      record_id TEXT NOT NULL,
      keyed_at  TEXT NOT NULL,
      stats     TEXT NOT NULL,   -- JSON: keystrokes, seconds, field_seconds
      PRIMARY KEY (sha256, seq),
      UNIQUE (sha256, user)
    );
    )sql",
};

// A stored JSON object of field key -> value (a draft's or a keying's);
// anything else in it is skipped.
std::map<std::string, std::string> StoredFields(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [key, value] : j.items())
    if (value.is_string()) out[key] = value.get<std::string>();
  return out;
}

Status Check(sqlite3* db, int rc, const std::string& what) {
  return sqlite::Check(db, rc, "draft store", what);
}

class SqliteDraftStore final : public DraftStore {
 public:
  explicit SqliteDraftStore(sqlite3* db) : db_(db) {}
  ~SqliteDraftStore() override { sqlite3_close_v2(db_); }

  Status Initialise() { return sqlite::Migrate(db_, "draft store", kMigrations, std::size(kMigrations)); }

  StatusOr<bool> Save(const std::string& user, const std::string& sha256, const Draft& draft) override {
    if (draft.fields.size() > kMaxDraftFields) {
      return Status::InvalidInput(
          ErrorText("drafts.too_many_fields", {{"max", std::to_string(kMaxDraftFields)}}));
    }
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : draft.fields) {
      if (key.size() > 64 || value.size() > kMaxDraftValueBytes) {
        return Status::InvalidInput(
            ErrorText("drafts.value_too_long",
                      {{"field", key.substr(0, 64)}, {"max", std::to_string(kMaxDraftValueBytes)}}));
      }
      fields[key] = value;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(sqlite::Exec(db_, "draft store", "BEGIN IMMEDIATE"));
    StatusOr<bool> saved = SaveLocked(user, sha256, draft.doc_type, DumpJson(fields));
    const Status ended = sqlite::Exec(db_, "draft store", saved.ok() ? "COMMIT" : "ROLLBACK");
    if (!saved.ok()) return saved.status();
    if (!ended.ok()) return ended;
    return saved;
  }

  StatusOr<std::optional<Draft>> Load(const std::string& user, const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT doc_type, fields, saved_at FROM drafts WHERE user=?1 AND sha256=?2");
    q.Bind(1, user).Bind(2, sha256);
    const int rc = q.Step();
    if (rc != SQLITE_ROW) {
      SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading a draft"));
      return std::optional<Draft>();
    }
    Draft draft;
    draft.doc_type = q.Text(0);
    draft.saved_at = q.Text(2);
    draft.fields = StoredFields(q.Text(1));
    return std::optional<Draft>(std::move(draft));
  }

  Status RemoveAll(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const char* sql : {"DELETE FROM drafts WHERE sha256=?1", "DELETE FROM keyings WHERE sha256=?1"}) {
      Statement q(db_, sql);
      q.Bind(1, sha256);
      SOHOA_RETURN_IF_ERROR(Check(db_, q.Step(), "removing the drafts of a confirmed input"));
    }
    return Status::Ok();
  }

  Status RemoveKeyings(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "DELETE FROM keyings WHERE sha256=?1");
    q.Bind(1, sha256);
    return Check(db_, q.Step(), "removing the keyings of a settled input");
  }

  StatusOr<int> AddKeying(const std::string& sha256, const Keying& keying) override {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : keying.fields) fields[key] = value;
    std::lock_guard<std::mutex> lock(mutex_);
    SOHOA_RETURN_IF_ERROR(sqlite::Exec(db_, "draft store", "BEGIN IMMEDIATE"));
    StatusOr<int> added = AddKeyingLocked(sha256, keying, DumpJson(fields));
    const Status ended = sqlite::Exec(db_, "draft store", added.ok() ? "COMMIT" : "ROLLBACK");
    if (!added.ok()) return added.status();
    if (!ended.ok()) return ended;
    return added;
  }

  StatusOr<std::vector<Keying>> Keyings(const std::string& sha256) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT seq, user, version, doc_type, fields, record_id, keyed_at, stats FROM keyings "
                "WHERE sha256=?1 ORDER BY seq");
    q.Bind(1, sha256);
    std::vector<Keying> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Keying k;
      k.seq = static_cast<int>(q.Int(0));
      k.user = q.Text(1);
      k.version = q.Text(2);
      k.doc_type = q.Text(3);
      k.fields = StoredFields(q.Text(4));
      k.record_id = q.Text(5);
      k.keyed_at = q.Text(6);
      k.stats_json = q.Text(7);
      out.push_back(std::move(k));
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading the keyings of an input"));
    return out;
  }

  StatusOr<std::map<std::string, std::vector<std::string>>> KeyersByInput() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT sha256, user FROM keyings ORDER BY sha256, seq");
    std::map<std::string, std::vector<std::string>> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out[q.Text(0)].push_back(q.Text(1));
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing the keyings"));
    return out;
  }

 private:
  StatusOr<bool> SaveLocked(const std::string& user, const std::string& sha256, const std::string& doc_type,
                            const std::string& fields) {
    Statement exists(db_, "SELECT 1 FROM drafts WHERE user=?1 AND sha256=?2");
    exists.Bind(1, user).Bind(2, sha256);
    const int rc = exists.Step();
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up a draft"));
    const bool is_new = rc != SQLITE_ROW;
    Statement upsert(
        db_,
        "INSERT INTO drafts(user, sha256, doc_type, fields, saved_at) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(user, sha256) DO UPDATE SET doc_type=?3, fields=?4, saved_at=?5");
    upsert.Bind(1, user).Bind(2, sha256).Bind(3, doc_type).Bind(4, fields).Bind(5, NowUtcIso8601());
    SOHOA_RETURN_IF_ERROR(Check(db_, upsert.Step(), "saving a draft"));
    if (is_new) {  // the operator's oldest drafts beyond the bound go
      Statement trim(db_,
                     "DELETE FROM drafts WHERE user=?1 AND sha256 NOT IN (SELECT sha256 FROM drafts "
                     "WHERE user=?1 ORDER BY saved_at DESC, rowid DESC LIMIT ?2)");
      trim.Bind(1, user).Bind(2, static_cast<int64_t>(kMaxDraftsPerUser));
      SOHOA_RETURN_IF_ERROR(Check(db_, trim.Step(), "dropping old drafts"));
    }
    return is_new;
  }

  StatusOr<int> AddKeyingLocked(const std::string& sha256, const Keying& keying, const std::string& fields) {
    Statement seen(db_, "SELECT user FROM keyings WHERE sha256=?1");
    seen.Bind(1, sha256);
    int count = 0, rc;
    while ((rc = seen.Step()) == SQLITE_ROW) {
      if (seen.Text(0) == keying.user) {
        return Status::InvalidInput(ErrorText("keying.keyed_already", {}));
      }
      ++count;
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up the keyings of an input"));
    if (count >= 2) return Status::Busy(ErrorText("keying.both_keyed_already", {}));
    Statement insert(db_,
                     "INSERT INTO keyings(sha256, seq, user, version, doc_type, fields, record_id, keyed_at, stats) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    insert.Bind(1, sha256)
        .Bind(2, static_cast<int64_t>(count + 1))
        .Bind(3, keying.user)
        .Bind(4, keying.version)
        .Bind(5, keying.doc_type)
        .Bind(6, fields)
        .Bind(7, keying.record_id)
        .Bind(8, NowUtcIso8601())
        .Bind(9, keying.stats_json);
    SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "keeping a keying"));
    return count + 1;
  }

  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace

std::string DraftStorePath(const std::string& archive_dir) { return archive_dir + "/drafts.sqlite"; }

StatusOr<std::unique_ptr<DraftStore>> OpenDraftStore(const std::string& path) {
  Status made = MakePrivateFile(path, /*narrow_existing=*/true);
  if (!made.ok())
    return Status::Unavailable(ErrorText("drafts.store_unavailable", {{"cause", made.message()}}));
  StatusOr<sqlite3*> db = sqlite::Open(path, "draft store");
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteDraftStore>(*db);
  Status s = store->Initialise();
  if (!s.ok()) return s.WithContext("draft store " + path);
  return std::unique_ptr<DraftStore>(std::move(store));
}

}  // namespace sohoa
