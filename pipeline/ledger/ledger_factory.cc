#include "pipeline/ledger/ledger_factory.h"

#include <cstdlib>
#include <filesystem>

#include "pipeline/core/error_text.h"
#include "pipeline/ledger/postgres_ledger.h"

namespace sohoa {

std::string SqliteLedgerPath(const std::string& location, const std::string& archive_dir) {
  if (location.empty()) return archive_dir + "/ledger.sqlite";
  if (location.rfind("sqlite://", 0) == 0) return location.substr(9);
  if (location.rfind("sqlite:", 0) == 0) return location.substr(7);
  return location;
}

std::string ResolveLedgerLocation(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("SOHOA_LEDGER");
  return env ? env : "";
}

bool IsSharedLedger(const std::string& location) { return IsPostgresUrl(location); }

std::string DescribeLedger(const std::string& location, const std::string& archive_dir) {
  if (IsPostgresUrl(location)) return RedactPostgresUrl(location);
  return SqliteLedgerPath(location, archive_dir);
}

StatusOr<std::unique_ptr<Ledger>> OpenLedger(const std::string& location, const std::string& archive_dir,
                                             LedgerAccess access) {
  if (IsPostgresUrl(location)) {
    StatusOr<std::unique_ptr<WorkLedger>> pg = OpenPostgresLedger(location);
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<Ledger>(std::move(pg).value());
  }
  if (location.find("://") != std::string::npos && location.rfind("sqlite://", 0) != 0) {
    return Status::Configuration(
        ErrorText("ledger.unknown_location", {{"location", RedactPostgresUrl(location)}}));
  }
  if (location.empty() && archive_dir.empty()) {
    return Status::Configuration(ErrorText("ledger.none", {}));
  }
  const std::string path = SqliteLedgerPath(location, archive_dir);
  if (access != LedgerAccess::kCreate && !std::filesystem::exists(path)) {
    if (location.empty()) {
      return Status::NotFound(ErrorText("ledger.no_archive", {{"archive", archive_dir}}));
    }
    return Status::NotFound(ErrorText("ledger.no_sqlite", {{"path", path}}));
  }
  return OpenSqliteLedger(path, access == LedgerAccess::kRead ? SqliteLogOnClose::kLeave
                                                              : SqliteLogOnClose::kCheckpoint);
}

WorkLedger* AsWorkLedger(Ledger* ledger) { return ledger ? ledger->work_queue() : nullptr; }

StatusOr<std::unique_ptr<Ledger>> OpenArchiveLedger(const std::string& archive_dir) {
  const std::string path = archive_dir + "/ledger.sqlite";
  if (!std::filesystem::exists(path)) {
    return Status::NotFound(ErrorText("ledger.no_archive", {{"archive", archive_dir}}));
  }
  return OpenSqliteLedger(path);
}

}  // namespace sohoa
