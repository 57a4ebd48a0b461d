#include "pipeline/export.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace sohoa {

StatusOr<std::unique_ptr<Ledger>> OpenArchiveLedger(const std::string& archive_dir) {
  const std::string path = archive_dir + "/ledger.sqlite";
  if (!std::filesystem::exists(path)) {
    return Status::NotFound("no sohoa archive at " + archive_dir + " (no ledger.sqlite there)");
  }
  return OpenSqliteLedger(path);
}

Status ExportJsonLines(Ledger& ledger, std::ostream& out) {
  // Collect first: the ledger's callback must not call back into it.
  std::vector<LedgerRecord> records;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) { records.push_back(r); }));
  for (const LedgerRecord& r : records) {
    nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
    if (details.is_discarded()) details = nlohmann::json::object();
    StatusOr<std::vector<std::string>> sources = ledger.SourcesOf(r.sha256);
    if (!sources.ok()) return sources.status();
    nlohmann::json line = {
        {"source", r.source},
        {"sha256", r.sha256},
        {"status", r.status},
        {"reason", r.reason},
        {"pages", r.pages},
        {"pdf", r.pdf.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.pdf)},
        {"text", r.text.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.text)},
        {"run_id", r.run_id},
        {"updated_at", r.updated_at},
        {"seconds", r.seconds},
        {"also_seen_as", nlohmann::json::array()},
        {"review_reasons", details.value("review_reasons", nlohmann::json::array())},
    };
    for (const std::string& s : *sources)
      if (s != r.source) line["also_seen_as"].push_back(s);
    if (details.contains("outputs")) line["outputs"] = details["outputs"];
    if (details.contains("pages")) line["page_details"] = details["pages"];
    out << line.dump() << '\n';
  }
  return Status::Ok();
}

}  // namespace sohoa
