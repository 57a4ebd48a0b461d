#include "pipeline/run/inventory_rematch.h"

#include <nlohmann/json.hpp>

#include "pipeline/core/document_facts.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/inventory/inventory_match.h"
#include "pipeline/run/archive_sink.h"

namespace sohoa {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const std::string& key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// A field's value as matching may use it: present and without a problem.
std::string FieldValueIn(const json& details, const std::string& key) {
  const json& fields = details.value("fields", json::object());
  auto it = fields.find(key);
  if (it == fields.end() || !it->is_object() || it->contains("problem")) return "";
  return StringAt(*it, "value");
}

bool IsInventoryReason(const std::string& reason) { return reason.rfind(kInventoryReasonPrefix, 0) == 0; }

}  // namespace

StatusOr<RematchCounts> RematchUnlinkedInputs(Ledger& ledger) {
  RematchCounts counts;
  StatusOr<int64_t> size = ledger.CountInventory();
  if (!size.ok()) return size.status();
  if (*size == 0) return counts;
  // Collected first: the callback may not call back into the ledger.
  std::vector<LedgerRecord> unlinked;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) {
    if (r.status != "archived" && r.status != "review") return;
    json details = json::parse(r.details_json, nullptr, /*allow_exceptions=*/false);
    if (!details.is_object()) return;
    if (!StringAt(details.value("metadata", json::object()), "record_id").empty()) return;
    unlinked.push_back(r);
  }));
  for (LedgerRecord& record : unlinked) {
    ++counts.examined;
    json details = json::parse(record.details_json);
    json& metadata = details["metadata"];
    if (!metadata.is_object()) metadata = json::object();
    MatchKeys keys{record.sha256,
                   StringAt(metadata, "doc_type"),
                   FieldValueIn(details, "so"),
                   FieldValueIn(details, "quyen_so"),
                   FieldValueIn(details, "ngay_dang_ky"),
                   StringAt(metadata, "holder_id")};
    StatusOr<MatchDecision> decision = DecideMatch(ledger, keys);
    if (!decision.ok()) return decision.status().WithContext("re-matching " + record.source);

    std::vector<std::string> reasons;
    for (const json& r : details.value("review_reasons", json::array())) {
      if (r.is_string() && !IsInventoryReason(r.get<std::string>())) reasons.push_back(r);
    }
    if (!decision->reason.empty()) reasons.push_back(decision->reason);
    if (!decision->record_id.empty()) {
      metadata[facts::kRecordId] = decision->record_id;
      metadata[facts::kRecordValid] = decision->record_valid ? "1" : "0";
      ++counts.matched;
    }
    const std::string status = reasons.empty() ? "archived" : "review";
    if (status == "archived" && record.status == "review") ++counts.released;
    if (status == "review" && record.status == "archived") ++counts.to_review;
    const std::string reason = JoinReviewReasons(reasons);
    SetReviewReasons(reasons, &details);
    const std::string new_details = DumpJson(details);
    if (status == record.status && reason == record.reason && new_details == record.details_json) {
      continue;  // e.g. still no row for it: nothing to write
    }
    record.status = status;
    record.reason = reason;
    record.details_json = new_details;
    SOHOA_RETURN_IF_ERROR(ledger.RecordOutcome(record));
  }
  return counts;
}

}  // namespace sohoa
