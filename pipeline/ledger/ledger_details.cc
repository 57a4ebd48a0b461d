#include "pipeline/ledger/ledger_details.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "pipeline/core/document_facts.h"
#include "pipeline/core/json_output.h"
#include "pipeline/ledger/record_index.h"

namespace sohoa {
namespace {

using nlohmann::json;

// To `per_unit` steps of one (1000: milliseconds). Divided, not multiplied
// back by the step, so 0.9614 prints as 0.9614, not 0.9614000000000001.
void Round(json* number, double per_unit) {
  if (number->is_number_float()) *number = std::round(number->get<double>() * per_unit) / per_unit;
}

void DropTwins(const json& fields, json* metadata) {
  json& m = *metadata;
  for (const auto& [twin, plain] : facts::kXmpTwins) {
    auto it = m.find(twin);
    if (it != m.end() && it->is_string() && m.contains(plain) && m[plain] == *it) m.erase(it);
  }
  const std::string prefix = facts::kXmpFieldPrefix;
  for (auto it = m.begin(); it != m.end();) {
    const bool twin = it.key().rfind(prefix, 0) == 0 && it->is_string() &&
                      fields.contains(it.key().substr(prefix.size())) &&
                      ExtractedValue(fields, it.key().substr(prefix.size())) == it->get<std::string>();
    it = twin ? m.erase(it) : std::next(it);
  }
}

}  // namespace

std::string LedgerDetails(const std::string& details_json) {
  json details = json::parse(details_json, nullptr, false);
  if (!details.is_object()) return details_json;
  const json no_fields = json::object();
  auto fields = details.find("fields");
  const json& field_values = fields != details.end() && fields->is_object() ? *fields : no_fields;
  if (auto metadata = details.find("metadata"); metadata != details.end() && metadata->is_object())
    DropTwins(field_values, &*metadata);
  if (fields != details.end() && fields->is_object()) {
    for (auto& [key, field] : fields->items())
      if (field.is_object() && field.contains("confidence")) Round(&field["confidence"], 1e4);
  }
  if (auto seconds = details.find("stage_seconds"); seconds != details.end() && seconds->is_object()) {
    for (auto& [stage, value] : seconds->items()) Round(&value, 1e3);
  }
  return DumpJson(details);
}

}  // namespace sohoa
