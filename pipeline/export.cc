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
    // Issue 3: what field extraction and the inventory match found.
    const nlohmann::json metadata = details.value("metadata", nlohmann::json::object());
    auto text_or_null = [&](const char* key) {
      const std::string v = metadata.contains(key) && metadata[key].is_string()
                                ? metadata[key].get<std::string>() : "";
      return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
    };
    line["doc_type"] = text_or_null("doc_type");
    line["code"] = text_or_null("result_code");
    line["holder_id"] = text_or_null("holder_id");
    line["record_id"] = text_or_null("record_id");
    // Issue 4: the signers in signing order (staff, then organisation).
    line["signed"] = nlohmann::json::array();
    if (metadata.contains("signed") && metadata["signed"].is_string()) {
      nlohmann::json signers = nlohmann::json::parse(metadata["signed"].get<std::string>(), nullptr, false);
      if (signers.is_array()) line["signed"] = signers;
    }
    line["fields"] = nlohmann::json::object();
    if (details.contains("fields") && details["fields"].is_object()) {
      for (const auto& [key, f] : details["fields"].items()) {
        line["fields"][key] = {{"value", f.value("value", "")},
                               {"confidence", f.value("confidence", 0.0)}};
        if (f.contains("corrected_from")) line["fields"][key]["corrected_from"] = f["corrected_from"];
      }
    }
    if (details.contains("outputs")) line["outputs"] = details["outputs"];
    if (details.contains("pages")) line["page_details"] = details["pages"];
    out << line.dump() << '\n';
  }
  return Status::Ok();
}

}  // namespace sohoa
