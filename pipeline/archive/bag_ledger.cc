#include "pipeline/archive/bag_ledger.h"

#include <limits>
#include <optional>
#include <vector>

#include "pipeline/core/document_facts.h"
#include "pipeline/core/json_output.h"

namespace sohoa {
namespace {

using nlohmann::json;

// Metadata entries that carry the holder's identity or a field's value.
bool IsPersonalMetadata(const std::string& key) {
  return key == "holder_id" || key == "result_code" || key == "xmp:sohoa:HolderId" ||
         key == "xmp:sohoa:ResultCode" || key.rfind("xmp:sohoaf:", 0) == 0;
}

std::string StringOr(const json& object, const char* key, const std::string& fallback = "") {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

json DetailsWithoutPersonalData(const json& details) {
  if (!details.is_object()) return json::object();
  json out = details;
  if (out.contains("metadata") && out["metadata"].is_object()) {
    json kept = json::object();
    for (const auto& [key, value] : out["metadata"].items())
      if (!IsPersonalMetadata(key)) kept[key] = value;
    out["metadata"] = kept;
  }
  if (out.contains("fields") && out["fields"].is_object()) {
    json confidences = json::object();
    for (const auto& [key, f] : out["fields"].items())
      if (f.is_object() && f.contains("confidence")) confidences[key] = {{"confidence", f["confidence"]}};
    out["fields"] = confidences;
  }
  return out;
}

void RestorePersonalData(const json& fields_json, json* details) {
  if (!fields_json.is_object() || !details->is_object()) return;
  json& d = *details;
  const json kept = d.value("fields", json::object());
  json fields = json::object();
  const json sidecar_fields = fields_json.value("fields", json::object());  // outlives the loop
  for (const auto& [key, f] : sidecar_fields.items()) {
    if (!f.is_object()) continue;
    json field = f;
    // fields.json rounds confidences to 3 decimals; the account keeps them.
    if (kept.contains(key) && kept[key].is_object() && kept[key].contains("confidence"))
      field["confidence"] = kept[key]["confidence"];
    fields[key] = field;
  }
  if (!fields.empty() || d.contains("fields")) d["fields"] = fields;
  json& metadata = d["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  const std::string holder = StringOr(fields_json, "holder_id");
  const std::string code = StringOr(fields_json, "code");
  metadata[facts::kHolderId] = holder;
  metadata[facts::kResultCode] = code;
  if (metadata.contains(facts::kXmpDocumentType)) {
    metadata["xmp:sohoa:HolderId"] = holder;
    metadata["xmp:sohoa:ResultCode"] = code;
  }
  if (metadata.contains("xmp:ns:sohoaf")) {
    for (const auto& [key, f] : fields.items()) metadata[facts::kXmpFieldPrefix + key] = StringOr(f, "value");
  }
}

StatusOr<std::string> BagLedgerText(Ledger& ledger, const std::string& run_id) {
  StatusOr<std::optional<RunRecord>> run = ledger.FindRun(run_id);
  if (!run.ok()) return run.status();
  std::string text;
  if (*run) {
    const RunRecord& r = **run;
    json counts = json::parse(r.counts_json, nullptr, false);
    text += DumpJson(json{{"run",
                           {{"run_id", r.run_id},
                            {"started_at", r.started_at},
                            {"finished_at", r.finished_at},
                            {"host", r.host},
                            {"pid", r.pid},
                            {"input", r.input},
                            {"state", r.state},
                            {"counts", counts.is_discarded() ? json::object() : counts}}}}) +
            "\n";
  }
  // Bounded by the bag, not the ledger (issue 22): the run's archived and
  // review records from the per-bag index, its quarantines from the status
  // index (quarantines are few). Collected first: the callbacks must not
  // call back into the ledger.
  std::vector<LedgerRecord> records;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecordInBag(run_id, [&](const LedgerRecord& r) {
    if (r.run_id == run_id) records.push_back(r);
  }));
  StatusOr<std::vector<LedgerRecord>> quarantined =
      ledger.RecordsWithStatus("quarantined", std::numeric_limits<int64_t>::max());
  if (!quarantined.ok()) return quarantined.status();
  for (LedgerRecord& r : *quarantined)
    if (r.run_id == run_id) records.push_back(std::move(r));
  for (const LedgerRecord& r : records) {
    StatusOr<std::vector<std::string>> sources = ledger.SourcesOf(r.sha256);
    if (!sources.ok()) return sources.status();
    json also = json::array();
    for (const std::string& s : *sources)
      if (s != r.source) also.push_back(s);
    json details = json::parse(r.details_json, nullptr, false);
    text += DumpJson(json{{"input",
                           {{"sha256", r.sha256},
                            {"source", r.source},
                            {"also_seen_as", also},
                            {"status", r.status},
                            {"reason", r.reason},
                            {"pages", r.pages},
                            {"pdf", r.pdf},
                            {"text", r.text},
                            {"run_id", r.run_id},
                            {"updated_at", r.updated_at},
                            {"seconds", r.seconds},
                            {"details", DetailsWithoutPersonalData(details)}}}}) +
            "\n";
  }
  return text;
}

}  // namespace sohoa
