// The keying station's figures of `sohoa report` (issue 18; definitions in
// report.h, OperatorKeyingRow). Only counts, times and field keys are read
// out of the "keying" JSON; the values typed are never looked at.
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/report/report.h"

namespace sohoa {
namespace {

using nlohmann::json;

double Number(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : -1;
}

std::set<std::string> Keys(const json& j, const char* key) {
  std::set<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const json& k : *it)
    if (k.is_string()) out.insert(k.get<std::string>());
  return out;
}

void AddKeying(const json& keying, Report* report) {
  const bool is_double = keying.value("mode", "") == "double";
  const std::set<std::string> agreed = Keys(keying, "agreed");
  const std::set<std::string> disagreed = Keys(keying, "disagreed");
  if (keying.contains("keyings") && keying["keyings"].is_array()) {
    for (const json& k : keying["keyings"]) {
      if (!k.is_object() || !k.value("by", json()).is_string()) continue;
      OperatorKeyingRow& op = report->keying_operators[k["by"].get<std::string>()];
      ++op.entries;
      const double keystrokes = Number(k, "keystrokes");
      const double seconds = Number(k, "seconds");
      if (keystrokes >= 0) op.keystrokes += static_cast<int64_t>(keystrokes), ++op.counted_entries;
      if (seconds > 0) op.seconds += seconds, ++op.timed_entries;
      if (k.contains("field_seconds") && k["field_seconds"].is_object()) {
        for (const auto& [key, s] : k["field_seconds"].items()) {
          if (!s.is_number() || s.get<double>() < 0) continue;
          FieldKeyingRow& f = report->keying_fields[key];
          ++f.timed;
          f.seconds += s.get<double>();
        }
      }
      if (!is_double) continue;
      const std::set<std::string> corrected = Keys(k, "corrected");
      op.double_fields += static_cast<int64_t>(agreed.size() + disagreed.size());
      op.agreed_fields += static_cast<int64_t>(agreed.size());
      op.corrected_fields += static_cast<int64_t>(corrected.size());
      for (const std::set<std::string>* group : {&agreed, &disagreed}) {
        for (const std::string& key : *group) {
          FieldKeyingRow& f = report->keying_fields[key];
          ++f.double_keyed;
          f.agreed += group == &agreed;
          f.corrected += corrected.count(key) > 0;
        }
      }
    }
  }
  if (keying.contains("arbiter") && keying["arbiter"].is_object() &&
      keying["arbiter"].value("by", json()).is_string()) {
    ++report->keying_operators[keying["arbiter"]["by"].get<std::string>()].arbitrations;
  }
}

}  // namespace

Status CountKeying(Ledger& ledger, Report* report) {
  report->keying_operators.clear();
  report->keying_fields.clear();
  return ledger.ForEachRecordIn(Ledger::RecordSet::kKeyed, [&](const LedgerRecord& r) {
    const json details = json::parse(r.details_json, nullptr, false);
    if (details.is_object() && details.contains("keying") && details["keying"].is_object())
      AddKeying(details["keying"], report);
  });
}

}  // namespace sohoa
