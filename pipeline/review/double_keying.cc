#include "pipeline/review/double_keying.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pipeline/core/error_text.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/json_output.h"

namespace sohoa {
namespace {

using nlohmann::json;

constexpr double kMaxSeconds = 24 * 3600;
constexpr int64_t kMaxKeystrokes = 1000000;
constexpr size_t kMaxStatFields = 200;

std::string Metadata(const LedgerRecord& r, const char* key) {
  const json details = json::parse(r.details_json, nullptr, false);
  if (!details.is_object() || !details.contains("metadata") || !details["metadata"].is_object()) return "";
  const json& m = details["metadata"];
  return m.contains(key) && m[key].is_string() ? m[key].get<std::string>() : "";
}

json StatsJson(const KeyingStats& stats) {
  json field_seconds = json::object();
  for (const auto& [key, s] : stats.field_seconds) field_seconds[key] = s;
  return {{"keystrokes", stats.keystrokes}, {"seconds", stats.seconds}, {"field_seconds", field_seconds}};
}

std::string Value(const std::map<std::string, std::string>& fields, const std::string& key) {
  auto it = fields.find(key);
  return it == fields.end() ? "" : it->second;
}

// Which fields the two keyings typed alike, and which not (all of them when
// they chose different document types).
void Compare(const Keying& a, const Keying& b, std::vector<std::string>* agreed,
             std::vector<std::string>* disagreed) {
  std::set<std::string> keys;
  for (const auto& [key, value] : a.fields) keys.insert(key);
  for (const auto& [key, value] : b.fields) keys.insert(key);
  for (const std::string& key : keys) {
    const bool same = a.doc_type == b.doc_type && Value(a.fields, key) == Value(b.fields, key);
    (same ? agreed : disagreed)->push_back(key);
  }
}

// The ledger's "keying" of a settled double keying (double_keying.h).
json DoubleKeyingJson(const std::vector<Keying>& keyings, const std::map<std::string, std::string>& final_fields,
                      const std::vector<std::string>& agreed, const std::vector<std::string>& disagreed,
                      const json& arbiter) {
  json out = {{"mode", "double"}, {"keyings", json::array()}, {"agreed", agreed}, {"disagreed", disagreed}};
  for (const Keying& k : keyings) {
    json entry = json::parse(k.stats_json, nullptr, false);
    if (!entry.is_object()) entry = json::object();
    entry["by"] = k.user;
    entry["role"] = k.seq == 1 ? "first" : "second";
    entry["at"] = k.keyed_at;
    entry["fields"] = k.fields;
    json corrected = json::array();
    for (const auto& [key, value] : final_fields)
      if (Value(k.fields, key) != value) corrected.push_back(key);
    entry["corrected"] = corrected;
    out["keyings"].push_back(entry);
  }
  if (!arbiter.is_null()) out["arbiter"] = arbiter;
  return out;
}

Status Forbidden(const std::string& message) { return Status::Unsupported(message); }

}  // namespace

Status AddDoubleKeyingScope(const std::string& text, DoubleKeyingScope* scope) {
  if (text == "all") {
    scope->all = true;
  } else if (text == "handwritten") {
    scope->handwritten = true;
  } else if (text.rfind("batch=", 0) == 0 && text.size() > 6) {
    scope->batches.insert(text.substr(6));
  } else if (text.rfind("book=", 0) == 0 && text.size() > 5) {
    scope->books.insert(text.substr(5));
  } else {
    return Status::Configuration(ErrorText("keying.scope", {{"value", text}}));
  }
  return Status::Ok();
}

KeyingStats ParseKeyingStats(const std::string& json_text) {
  KeyingStats stats;
  const json j = json::parse(json_text, nullptr, false);
  if (!j.is_object()) return stats;
  if (j.contains("keystrokes") && j["keystrokes"].is_number_integer()) {
    const int64_t k = j["keystrokes"].get<int64_t>();
    if (k >= 0 && k <= kMaxKeystrokes) stats.keystrokes = k;
  }
  auto seconds = [](const json& v) { return v.is_number() ? v.get<double>() : -1.0; };
  if (j.contains("seconds")) {
    const double s = seconds(j["seconds"]);
    if (s >= 0 && s <= kMaxSeconds) stats.seconds = s;
  }
  if (j.contains("field_seconds") && j["field_seconds"].is_object() &&
      j["field_seconds"].size() <= kMaxStatFields) {
    for (const auto& [key, v] : j["field_seconds"].items()) {
      const double s = seconds(v);
      if (key.size() <= 64 && s >= 0 && s <= kMaxSeconds) stats.field_seconds[key] = s;
    }
  }
  return stats;
}

DoubleKeying::DoubleKeying(Ledger* ledger, ReviewService* service, KeyingStore* keyings, DoubleKeyingScope scope)
    : ledger_(ledger), service_(service), keyings_(keyings), scope_(std::move(scope)) {}

bool DoubleKeying::InScope(const LedgerRecord& r) const {
  if (scope_.empty()) return false;
  if (scope_.all || scope_.batches.count(r.run_id) > 0) return true;
  if (Metadata(r, "record_kind") != "register_entry") return false;
  if (scope_.handwritten && Metadata(r, "handwritten") == "1") return true;
  const std::string book = Metadata(r, "book_no");
  return !book.empty() &&
         (scope_.books.count(book) > 0 || scope_.books.count(Metadata(r, "register_kind") + ":" + book) > 0);
}

std::string DoubleKeying::StepOf(const LedgerRecord& record, const std::vector<std::string>& keyers,
                                 const std::string& user, Role role) const {
  const bool you = std::find(keyers.begin(), keyers.end(), user) != keyers.end();
  if (keyers.size() >= 2) return !you && CanArbitrate(role) ? "arbitrate" : "awaits_arbiter";
  if (keyers.size() == 1 && you) return "wait";
  (void)record;
  return "key";
}

StatusOr<KeyingState> DoubleKeying::State(const std::string& sha256, const std::string& user, Role role) {
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound(ErrorText("review.no_input", {{"input", sha256}}));
  StatusOr<std::vector<Keying>> keyings = keyings_->Keyings(sha256);
  if (!keyings.ok()) return keyings.status();
  KeyingState state;
  state.double_keyed = !keyings->empty() || InScope(**found);
  state.keyings = static_cast<int>(keyings->size());
  std::vector<std::string> keyers;
  for (const Keying& k : *keyings) keyers.push_back(k.user);
  state.you_keyed = std::find(keyers.begin(), keyers.end(), user) != keyers.end();
  state.step = StepOf(**found, keyers, user, role);
  return state;
}

StatusOr<KeyingOutcome> DoubleKeying::Submit(const ReviewSubmission& submission, const KeyingStats& stats) {
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(submission.sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound(ErrorText("review.no_input", {{"input", submission.sha256}}));
  const LedgerRecord& record = **found;
  StatusOr<std::vector<Keying>> keyings = keyings_->Keyings(submission.sha256);
  if (!keyings.ok()) return keyings.status();
  KeyingOutcome outcome;
  if (keyings->empty() && !InScope(record)) {  // keyed once
    ReviewSubmission single = submission;
    json keying = StatsJson(stats);
    keying["by"] = submission.reviewer;
    keying["role"] = "single";
    keying["at"] = NowUtcIso8601();
    single.keying_json = DumpJson(json{{"mode", "single"}, {"keyings", json::array({keying})}});
    StatusOr<ReviewOutcome> confirmed = service_->Confirm(single);
    if (!confirmed.ok()) return confirmed.status();
    outcome.step = "confirmed";
    outcome.confirmed = *confirmed;
    return outcome;
  }
  if (record.status != "review" || record.updated_at != submission.version) {
    return Status::Busy(ErrorText("review.entry_changed", {{"status", record.status}}));
  }
  for (const Keying& k : *keyings) {
    if (k.user == submission.reviewer) return Forbidden(ErrorText("keying.keyed_already", {}));
  }
  if (keyings->size() >= 2) return Status::Busy(ErrorText("keying.both_keyed", {}));
  StatusOr<std::map<std::string, std::string>> values =
      service_->CheckedValues(submission.doc_type, submission.fields);
  if (!values.ok()) return values.status();
  Keying mine;
  mine.user = submission.reviewer;
  mine.version = submission.version;
  mine.doc_type = submission.doc_type;
  mine.fields = *values;
  mine.record_id = submission.record_id;
  mine.stats_json = DumpJson(StatsJson(stats));
  StatusOr<int> seq = keyings_->AddKeying(submission.sha256, mine);
  if (!seq.ok()) {  // another request of the same person, or a third keyer, won the race
    return seq.status().code() == StatusCode::kInvalidInput ? Forbidden(seq.status().message()) : seq.status();
  }
  if (*seq == 1) {
    outcome.step = "first";
    return outcome;
  }
  StatusOr<std::vector<Keying>> both = keyings_->Keyings(submission.sha256);
  if (!both.ok()) return both.status();
  if (both->size() != 2) return Status::Internal(ErrorText("keying.expected_two", {}));
  std::vector<std::string> agreed, disagreed;
  Compare((*both)[0], (*both)[1], &agreed, &disagreed);
  const bool same_record = (*both)[0].record_id == (*both)[1].record_id;
  if (!disagreed.empty() || !same_record) {
    outcome.step = "arbitration";
    outcome.disagreements = static_cast<int>(disagreed.size()) + (same_record ? 0 : 1);
    return outcome;
  }
  ReviewSubmission settled = submission;
  settled.fields = *values;
  settled.keying_json = DumpJson(DoubleKeyingJson(*both, *values, agreed, disagreed, json()));
  StatusOr<ReviewOutcome> confirmed = ConfirmSettled(settled);
  if (!confirmed.ok()) return confirmed.status();
  outcome.step = "confirmed";
  outcome.confirmed = *confirmed;
  return outcome;
}

StatusOr<ReviewOutcome> DoubleKeying::ConfirmSettled(const ReviewSubmission& settled) {
  StatusOr<ReviewOutcome> confirmed = service_->Confirm(settled);
  if (!confirmed.ok()) return confirmed;
  // The ledger now holds both keyings (the details' "keying"). A failure
  // here leaves keyings of an archived input, which nothing reads again.
  (void)keyings_->RemoveKeyings(settled.sha256);
  return confirmed;
}

StatusOr<std::vector<Keying>> DoubleKeying::BothKeyings(const std::string& sha256, const std::string& user,
                                                         Role role) {
  if (!CanArbitrate(role)) return Forbidden(ErrorText("keying.needs_arbiter", {}));
  StatusOr<std::vector<Keying>> keyings = keyings_->Keyings(sha256);
  if (!keyings.ok()) return keyings.status();
  for (const Keying& k : *keyings) {
    if (k.user == user) return Forbidden(ErrorText("keying.own_entry", {}));
  }
  if (keyings->size() != 2) {
    return Status::Busy(ErrorText("keying.blind", {}));
  }
  return keyings;
}

StatusOr<std::string> DoubleKeying::ArbitrationJson(const std::string& sha256, const std::string& user,
                                                    Role role) {
  StatusOr<std::vector<Keying>> both = BothKeyings(sha256, user, role);
  if (!both.ok()) return both.status();
  std::vector<std::string> agreed, disagreed;
  Compare((*both)[0], (*both)[1], &agreed, &disagreed);
  json keyings = json::array();
  for (const Keying& k : *both) {
    keyings.push_back({{"by", k.user},
                       {"at", k.keyed_at},
                       {"doc_type", k.doc_type},
                       {"fields", k.fields},
                       {"record_id", k.record_id}});
  }
  return DumpJson(json{{"version", (*both)[0].version},
                       {"keyings", keyings},
                       {"agreed", agreed},
                       {"disagreed", disagreed}});
}

StatusOr<ReviewOutcome> DoubleKeying::Arbitrate(const ReviewSubmission& submission, Role role,
                                                const KeyingStats& stats) {
  StatusOr<std::vector<Keying>> both = BothKeyings(submission.sha256, submission.reviewer, role);
  if (!both.ok()) return both.status();
  const Keying& first = (*both)[0];
  const Keying& second = (*both)[1];
  std::vector<std::string> agreed, disagreed;
  Compare(first, second, &agreed, &disagreed);
  // The agreed fields are the keyers'; the arbiter settles the others.
  std::map<std::string, std::string> chosen;
  for (const std::string& key : agreed) chosen[key] = Value(first.fields, key);
  for (const std::string& key : disagreed) {
    auto it = submission.fields.find(key);
    if (it == submission.fields.end())
      return Status::InvalidInput(ErrorText("keying.choose_final", {{"field", key}}));
    chosen[key] = it->second;
  }
  const std::string doc_type = first.doc_type == second.doc_type ? first.doc_type : submission.doc_type;
  StatusOr<std::map<std::string, std::string>> final_fields = service_->CheckedValues(doc_type, chosen);
  if (!final_fields.ok()) return final_fields.status();
  ReviewSubmission settled = submission;
  settled.doc_type = doc_type;
  settled.fields = *final_fields;
  settled.record_id = first.record_id == second.record_id ? first.record_id : submission.record_id;
  json arbiter = StatsJson(stats);
  arbiter["by"] = submission.reviewer;
  arbiter["at"] = NowUtcIso8601();
  json decided = json::object();
  for (const std::string& key : disagreed) decided[key] = Value(*final_fields, key);
  arbiter["fields"] = decided;
  settled.keying_json = DumpJson(DoubleKeyingJson(*both, *final_fields, agreed, disagreed, arbiter));
  return ConfirmSettled(settled);
}

}  // namespace sohoa
