#include "pipeline/ledger/ledger_backup.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {

using nlohmann::json;

// An sqlite3 handle closed on every path.
struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close_v2(db); }
  std::string Error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

Status Open(const std::string& path, int flags, Db* out) {
  if (sqlite3_open_v2(path.c_str(), &out->db, flags, nullptr) != SQLITE_OK) {
    return Status::Unavailable("cannot open " + path + ": " + out->Error());
  }
  sqlite3_busy_timeout(out->db, 10000);
  return Status::Ok();
}

// Every row's first column of `sql`, or the error as the only line.
std::vector<std::string> Rows(sqlite3* db, const char* sql, bool* failed) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) break;
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    rows.push_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  if (rc != SQLITE_DONE) {
    *failed = true;
    rows.push_back(std::string(sql).substr(0, 40) + ": " + sqlite3_errmsg(db));
  }
  sqlite3_finalize(stmt);
  return rows;
}

void RemoveWithCompanions(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Status BackupSqliteLedger(const std::string& source, const std::string& destination) {
  std::error_code ec;
  if (!fs::exists(source, ec)) return Status::NotFound("no ledger at " + source);
  Db from;
  SOHOA_RETURN_IF_ERROR(Open(source, SQLITE_OPEN_READONLY, &from));
  const std::string partial = destination + ".partial-" + std::to_string(::getpid());
  RemoveWithCompanions(partial);
  Status result = [&]() -> Status {
    Db to;
    SOHOA_RETURN_IF_ERROR(Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &to));
    sqlite3_backup* backup = sqlite3_backup_init(to.db, "main", from.db, "main");
    if (backup == nullptr) return Status::Unavailable("cannot start the backup: " + to.Error());
    // -1: every page in one step, i.e. one read transaction on the source,
    // so the copy is one consistent moment of it. A writer holding the
    // database only briefly blocks it (BUSY/LOCKED): wait and try again.
    int rc;
    int waits = 0;
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (++waits > 600) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return Status::Unavailable("backup of " + source + " failed: " + sqlite3_errstr(rc));
    }
    bool failed = false;
    const std::vector<std::string> mode = Rows(to.db, "PRAGMA journal_mode=DELETE", &failed);
    if (failed) return Status::Unavailable("backup copy: " + mode.back());
    return Status::Ok();
  }();
  if (result.ok()) result = SyncPath(partial);
  if (result.ok()) result = DurableRename(partial, destination);
  if (!result.ok()) RemoveWithCompanions(partial);
  return result;
}

StatusOr<std::vector<std::string>> CheckSqliteLedgerFile(const std::string& path, bool quick) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound("no ledger at " + path);
  Db db;
  SOHOA_RETURN_IF_ERROR(Open(path, SQLITE_OPEN_READONLY, &db));
  std::vector<std::string> problems;
  bool failed = false;
  for (const std::string& row : Rows(db.db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", &failed))
    if (row != "ok") problems.push_back(ErrorText("ledger.integrity", {{"row", row}}));
  if (failed) return problems;  // not a database at all, or unreadable: nothing more to ask it
  for (const std::string& row : Rows(db.db, "PRAGMA foreign_key_check", &failed))
    problems.push_back(ErrorText("ledger.foreign_key", {{"row", row}}));
  const std::vector<std::string> version = Rows(db.db, "PRAGMA user_version", &failed);
  if (!version.empty() && !failed) {
    const int64_t v = std::stoll(version.front());
    if (v == 0) problems.push_back(ErrorText("ledger.no_schema", {}));
    if (v > SqliteLedgerSchemaVersion()) {
      problems.push_back(ErrorText("ledger.newer_schema", {{"version", version.front()}}));
    }
  }
  return problems;
}

StatusOr<std::vector<std::string>> CheckLedgerInvariants(Ledger& ledger) {
  static const std::set<std::string> kStatuses = {"archived", "review", "quarantined"};
  std::vector<std::string> problems;
  std::set<std::string> record_links;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) {
    // Each problem is an error of the table (pipeline/core/error_text.cc),
    // so that `sohoa ledger check` says it in the reader's language.
    const std::string input = r.sha256.substr(0, 12);
    auto problem = [&](const char* id, MessageParams params = {}) {
      params.insert(params.begin(), {"input", input});
      problems.push_back(ErrorText(id, params));
    };
    const bool archived = r.status == "archived";
    if (!IsHex64(r.sha256)) problem("ledger.key_not_sha256");
    if (!kStatuses.count(r.status)) problem("ledger.unknown_status", {{"status", r.status}});
    const json details = json::parse(r.details_json, nullptr, false);
    if (!details.is_object()) {
      problem("ledger.details_not_object");
      return;
    }
    if (r.status == "quarantined" && r.reason.empty()) problem("ledger.quarantined_no_reason");
    if (r.status != "archived" && r.status != "review") return;
    if (r.pdf.empty()) problem(archived ? "ledger.archived_no_pdf" : "ledger.review_no_pdf");
    const json outputs = details.value("outputs", json::object());
    if (!outputs.is_object() || !outputs.contains("pdf")) {
      problem(archived ? "ledger.archived_no_outputs" : "ledger.review_no_outputs");
      return;
    }
    for (const auto& [role, out] : outputs.items()) {
      const std::string path = out.is_object() ? out.value("path", "") : "";
      if (path.rfind("bags/", 0) != 0 || path.find("..") != std::string::npos)
        problem("ledger.output_outside_bags", {{"role", role}, {"path", path}});
      if (!out.is_object() || !IsHex64(out.value("sha256", "")))
        problem("ledger.output_no_sha256", {{"role", role}});
    }
    if (outputs["pdf"].is_object() && outputs["pdf"].value("path", "") != r.pdf)
      problem("ledger.pdf_not_current");
    const json metadata = details.value("metadata", json::object());
    if (metadata.is_object() && metadata.contains("record_id") && metadata["record_id"].is_string() &&
        !metadata["record_id"].get<std::string>().empty()) {
      record_links.insert(metadata["record_id"].get<std::string>());
    }
  }));
  if (!record_links.empty()) {
    StatusOr<std::vector<InventoryRecord>> inventory = ledger.InventoryRecords();
    if (!inventory.ok()) return inventory.status();
    std::set<std::string> known;
    for (const InventoryRecord& r : *inventory) known.insert(r.record_id);
    for (const std::string& id : record_links)
      if (!known.count(id)) problems.push_back(ErrorText("ledger.unknown_register_record", {{"record", id}}));
  }
  StatusOr<std::vector<RunRecord>> runs = ledger.Runs();
  if (!runs.ok()) return runs.status();
  static const std::set<std::string> kRunStates = {"running", "finished", "failed", "interrupted"};
  for (const RunRecord& run : *runs)
    if (!kRunStates.count(run.state))
      problems.push_back(ErrorText("ledger.unknown_run_state", {{"run", run.run_id}, {"state", run.state}}));
  return problems;
}

Status InstallSqliteLedger(const std::string& built, const std::string& target, std::string* kept_aside) {
  kept_aside->clear();
  std::error_code ec;
  if (fs::exists(target, ec)) {
    std::string stamp = NowUtcIso8601();
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
                stamp.end());
    const std::string aside = target + ".replaced-" + stamp;
    for (const char* suffix : {"-wal", "-shm"}) {
      if (fs::exists(target + suffix, ec))
        SOHOA_RETURN_IF_ERROR(DurableRename(target + suffix, aside + suffix));
    }
    SOHOA_RETURN_IF_ERROR(DurableRename(target, aside));
    *kept_aside = aside;
  }
  return DurableRename(built, target);
}

}  // namespace sohoa
