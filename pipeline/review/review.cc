#include "pipeline/review/review.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pipeline/core/error_text.h"
#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/bag.h"
#include "pipeline/archive/version_bag.h"
#include "pipeline/core/book.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/document_facts.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/text_safety.h"

namespace sohoa {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json ParseDetails(const std::string& text) {
  json details = json::parse(text, nullptr, false);
  return details.is_object() ? details : json::object();
}

std::vector<std::string> SplitReasons(const std::string& reason) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < reason.size()) {
    size_t end = reason.find("; ", start);
    if (end == std::string::npos) end = reason.size();
    if (end > start) out.push_back(reason.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

std::vector<std::string> ReasonsOf(const LedgerRecord& r, const json& details) {
  std::vector<std::string> reasons;
  if (details.contains("review_reasons") && details["review_reasons"].is_array()) {
    for (const json& reason : details["review_reasons"])
      if (reason.is_string()) reasons.push_back(reason.get<std::string>());
  }
  return reasons.empty() ? SplitReasons(r.reason) : reasons;
}

// Does `reason` speak about field `key` ("fields: key ..." / "fields: key: ...")?
bool ReasonNamesField(const std::string& reason, const std::string& key) {
  const std::string prefix = "fields: ";
  if (reason.rfind(prefix, 0) == 0) {
    const std::string rest = reason.substr(prefix.size());
    if (rest.rfind(key, 0) == 0 && rest.size() > key.size() &&
        (rest[key.size()] == ' ' || rest[key.size()] == ':'))
      return true;
    if (rest.rfind("required field " + key + " ", 0) == 0) return true;
  }
  return false;
}

std::string MetadataString(const json& details, const std::string& key) {
  if (!details.contains("metadata") || !details["metadata"].is_object()) return "";
  const json& m = details["metadata"];
  return m.contains(key) && m[key].is_string() ? m[key].get<std::string>() : "";
}

std::string StoredValue(const json& details, const std::string& key) {
  if (!details.contains("fields") || !details["fields"].is_object()) return "";
  const json& f = details["fields"];
  return f.contains(key) && f[key].is_object() ? f[key].value("value", "") : "";
}

// A register entry's facts for the keying station (issue 18): its book and
// place in it, and where each field is written on its PDF's pages.
json EntryJson(const json& details) {
  json places = json::object();
  for (const auto& [key, p] : ParseFieldPlaces(MetadataString(details, "field_places"))) {
    places[key] = {{"page", p.page + 1}, {"x", p.x}, {"y", p.y}, {"w", p.w}, {"h", p.h}};
  }
  int position = 0;
  try {
    position = std::stoi(MetadataString(details, "entry_position"));
  } catch (const std::exception&) {
  }
  return {{"book_sha256", MetadataString(details, "book_sha256")},
          {"book_no", MetadataString(details, "book_no")},
          {"register_kind", MetadataString(details, "register_kind")},
          {"position", position},
          {"entry_no", MetadataString(details, "entry_no")},
          {"page_no", MetadataString(details, "page_no")},
          {"handwritten", MetadataString(details, "handwritten") == "1"},
          {"field_places", places}};
}

}  // namespace

std::string ReasonCategory(const std::string& reason) {
  auto has = [&](const char* s) { return reason.find(s) != std::string::npos; };
  if (reason.rfind("fields: ", 0) == 0) {
    if (has("read with confidence")) return "low_confidence";
    if (has("required field")) return "missing_field";
    if (has("type") && (has("unknown") || has("not recogni") || has("no document"))) return "unknown_type";
    return "invalid_field";
  }
  if (reason.rfind("inventory:", 0) == 0) return "inventory";
  if (has("blank page") || has("no text recognized")) return "blank_page";
  if (has("dpi")) return "low_resolution";
  if (has("damaged") || has("renderer reported") || has("repaired")) return "damaged";
  if (has("type")) return "unknown_type";
  return "other";
}

ReviewService::ReviewService(std::string archive_dir, Ledger* ledger, const DocTypeCatalog* catalog,
                             FieldChecker checker, PdfReviser reviser)
    : archive_dir_(std::move(archive_dir)),
      ledger_(ledger),
      catalog_(catalog),
      checker_(std::move(checker)),
      reviser_(std::move(reviser)) {}

std::string ReviewService::Today() const {
  if (!today_.empty()) return today_;
  const time_t now = static_cast<time_t>(NowUnixSeconds()) + 7 * 3600;  // Vietnam
  struct tm tm {};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

StatusOr<std::vector<ReviewQueueItem>> ReviewService::Queue() {
  std::vector<LedgerRecord> records;
  SOHOA_RETURN_IF_ERROR(ledger_->ForEachRecord([&](const LedgerRecord& r) {
    if (r.status == "review") records.push_back(r);
  }));
  std::vector<ReviewQueueItem> items;
  for (const LedgerRecord& r : records) {
    const json details = ParseDetails(r.details_json);
    ReviewQueueItem item;
    item.sha256 = r.sha256;
    item.source = r.source;
    item.doc_type = MetadataString(details, "doc_type");
    if (const DocTypeSpec* spec = catalog_->Find(item.doc_type)) item.doc_type_name = spec->name;
    item.batch = r.run_id;
    item.pages = r.pages;
    item.version = r.updated_at;
    item.reasons = ReasonsOf(r, details);
    std::set<std::string> seen;
    for (const std::string& reason : item.reasons) {
      const std::string c = ReasonCategory(reason);
      if (seen.insert(c).second) item.categories.push_back(c);
    }
    items.push_back(std::move(item));
  }
  return items;
}

StatusOr<std::string> ReviewService::DocumentJson(const std::string& sha256) {
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound(ErrorText("review.no_input", {{"input", sha256}}));
  const LedgerRecord& r = **found;
  const json details = ParseDetails(r.details_json);
  const std::vector<std::string> reasons = ReasonsOf(r, details);
  const std::string doc_type = MetadataString(details, "doc_type");

  json out = {{"sha256", r.sha256},
              {"source", r.source},
              {"status", r.status},
              {"version", r.updated_at},
              {"doc_type", doc_type},
              {"batch", r.run_id},
              {"reasons", reasons},
              {"reasons_in", ReasonsInEachLanguage(reasons)},
              {"pages", r.pages},
              {"pdf", r.pdf},
              {"record_id", MetadataString(details, "record_id")},
              {"holder_id", MetadataString(details, "holder_id")},
              {"result_code", MetadataString(details, "result_code")}};
  json types = json::array();
  for (const DocTypeSpec& t : catalog_->types()) {
    json fields = json::array();
    for (const FieldSpec& f : t.fields) {
      fields.push_back({{"key", f.key},
                        {"label", f.labels.empty() ? f.key : f.labels.front()},
                        {"kind", f.kind},
                        {"required", f.required},
                        {"multiline", f.multiline},
                        {"lexicon", f.lexicon}});
    }
    types.push_back({{"key", t.key}, {"name", t.name}, {"fields", fields}});
  }
  out["doc_types"] = types;
  if (MetadataString(details, "record_kind") == "register_entry") out["entry"] = EntryJson(details);

  // Every value the pipeline read, with why it was flagged.
  json fields = json::object();
  if (details.contains("fields") && details["fields"].is_object()) {
    for (const auto& [key, f] : details["fields"].items()) {
      json why = json::array();
      for (const std::string& reason : reasons)
        if (ReasonNamesField(reason, key)) why.push_back(reason);
      fields[key] = {{"value", f.value("value", "")},
                     {"confidence", f.value("confidence", 0.0)},
                     {"problem", f.value("problem", "")},
                     {"flagged", why}};
    }
  }
  const DocTypeSpec* spec = catalog_->Find(doc_type);
  if (spec != nullptr) {  // required fields not found are flagged too
    for (const FieldSpec& f : spec->fields) {
      if (fields.contains(f.key)) continue;
      json why = json::array();
      for (const std::string& reason : reasons)
        if (ReasonNamesField(reason, f.key)) why.push_back(reason);
      fields[f.key] = {{"value", ""}, {"confidence", 0.0}, {"problem", ""}, {"flagged", why}};
    }
  }
  out["fields"] = fields;

  json inventory = json::array();
  const std::string number = StoredValue(details, "so");
  if (!doc_type.empty() && !number.empty()) {
    StatusOr<std::vector<InventoryRecord>> candidates =
        ledger_->FindInventory(doc_type, number, StoredValue(details, "quyen_so"));
    if (!candidates.ok()) return candidates.status();
    for (const InventoryRecord& c : *candidates) {
      const std::string& printed = c.number_printed.empty() ? c.number : c.number_printed;
      inventory.push_back({{"record_id", c.record_id},
                           {"number", printed},
                           {"book", c.book},
                           {"issue_date", c.issue_date},
                           {"holder_id", c.holder_id},
                           {"valid", c.valid}});
    }
  }
  out["inventory"] = inventory;

  StatusOr<std::vector<ReviewRecord>> history = ledger_->ReviewsOf(sha256);
  if (!history.ok()) return history.status();
  json reviews = json::array();
  for (const ReviewRecord& h : *history) {
    reviews.push_back({{"reviewer", h.reviewer},
                       {"reviewed_at", h.reviewed_at},
                       {"changes", ParseDetails(h.changes_json)}});
  }
  out["reviews"] = reviews;
  return DumpJson(out);
}

StatusOr<std::string> ReviewService::CheckJson(const std::string& doc_type,
                                               const std::map<std::string, std::string>& fields) {
  const DocTypeSpec* spec = catalog_->Find(doc_type);
  if (spec == nullptr) return Status::InvalidInput(ErrorText("review.unknown_type", {{"type", doc_type}}));
  // Each problem also in each language of the station (issue 20): the
  // page shows problem_in[its language]; a check's text the error table
  // does not know stays as written.
  auto verdict = [](const std::string& value, const std::string& problem, bool unverified) {
    return json{{"value", value},
                {"problem", problem},
                {"problem_in", {{"vi", ErrorInLang(problem, UiLang::kVi)}, {"en", problem}}},
                {"unverified", unverified}};
  };
  json out = json::object();
  for (const auto& [key, v] : checker_(*spec, fields, Today()))
    out[key] = verdict(v.value, v.problem, v.unverified);
  for (const auto& [key, value] : fields) {  // what Confirm would refuse, said while typing
    const std::string problem = FieldValueProblem(value);
    if (!problem.empty()) out[key] = verdict("", "the value " + problem, false);
  }
  return DumpJson(out);
}

StatusOr<std::map<std::string, FieldVerdict>> ReviewService::Verdicts(
    const DocTypeSpec& spec, const std::map<std::string, std::string>& fields) {
  for (const auto& [key, value] : fields) {
    if (spec.FindField(key) == nullptr) {
      return Status::InvalidInput(ErrorText("review.not_a_field", {{"field", key}, {"type", spec.key}}));
    }
    // Values go into the ledger, the sidecar and the PDF's XMP packet.
    const std::string problem = FieldValueProblem(value);
    // "the value " and each of FieldValueProblem's texts is a kind of the
    // error table (review.value_*), said in the page's language.
    if (!problem.empty()) return Status::InvalidInput(key + ": the value " + problem);
  }
  std::map<std::string, FieldVerdict> verdicts = checker_(spec, fields, Today());
  for (const FieldSpec& f : spec.fields) {
    auto v = verdicts.find(f.key);
    if (v != verdicts.end() && !v->second.problem.empty()) {
      return Status::InvalidInput(f.key + ": " + v->second.problem);
    }
    if (f.required && (v == verdicts.end() || v->second.value.empty())) {
      return Status::InvalidInput(ErrorText("review.required", {{"field", f.key}}));
    }
  }
  return verdicts;
}

StatusOr<std::map<std::string, std::string>> ReviewService::CheckedValues(
    const std::string& doc_type, const std::map<std::string, std::string>& fields) {
  const DocTypeSpec* spec = catalog_->Find(doc_type);
  if (spec == nullptr) return Status::InvalidInput(ErrorText("review.unknown_type", {{"type", doc_type}}));
  StatusOr<std::map<std::string, FieldVerdict>> verdicts = Verdicts(*spec, fields);
  if (!verdicts.ok()) return verdicts.status();
  std::map<std::string, std::string> out;
  for (const FieldSpec& f : spec->fields) {
    auto v = verdicts->find(f.key);
    if (v != verdicts->end()) out[f.key] = v->second.value;
  }
  return out;
}

StatusOr<bool> ReviewService::AwaitsReview(const std::string& sha256) {
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(sha256);
  if (!found.ok()) return found.status();
  return found->has_value() && (*found)->status == "review";
}

StatusOr<std::string> ReviewService::PdfBytes(const std::string& sha256) {
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value() || (*found)->pdf.empty()) {
    return Status::NotFound(ErrorText("review.no_pdf", {{"input", sha256}}));
  }
  StatusOr<std::unique_ptr<ArchiveStore>> store = OpenFilesystemStoreForReading(archive_dir_);
  if (!store.ok()) return store.status();
  return ReadAll(**store, (*found)->pdf);
}

std::string ReviewService::PublicMessage(const Status& status) const {
  std::string message = status.message();
  // The store names itself "file://<canonical folder>" in its messages.
  std::error_code ec;
  std::string canonical = fs::canonical(archive_dir_, ec).string();
  if (canonical.empty()) canonical = archive_dir_;
  for (const std::string& where : {" in file://" + canonical, " in file://" + archive_dir_}) {
    for (size_t at; (at = message.find(where)) != std::string::npos;) message.erase(at, where.size());
  }
  for (const std::string& prefix : {archive_dir_ + "/", canonical + "/"}) {
    if (prefix == "/") continue;
    for (size_t at; (at = message.find(prefix)) != std::string::npos;) message.erase(at, prefix.size());
  }
  return message;
}

StatusOr<ReviewOutcome> ReviewService::Confirm(const ReviewSubmission& s) {
  // 1. Still awaiting review at the version shown?
  StatusOr<std::optional<LedgerRecord>> found = ledger_->Find(s.sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound(ErrorText("review.no_input", {{"input", s.sha256}}));
  const LedgerRecord old = **found;
  if (old.status != "review" || old.updated_at != s.version) {
    return Status::Busy(ErrorText("review.document_changed", {{"status", old.status}}));
  }
  json details = ParseDetails(old.details_json);

  // 2. The pipeline's own checks on every value.
  const DocTypeSpec* spec = catalog_->Find(s.doc_type);
  if (spec == nullptr) return Status::InvalidInput(ErrorText("review.unknown_type", {{"type", s.doc_type}}));
  StatusOr<std::map<std::string, FieldVerdict>> checked = Verdicts(*spec, s.fields);
  if (!checked.ok()) return checked.status();
  const std::map<std::string, FieldVerdict>& verdicts = *checked;
  const std::string holder_field = spec->holder_field;
  auto holder_it = verdicts.find(holder_field);
  const std::string holder_id = holder_it == verdicts.end() ? "" : holder_it->second.value;

  // The inventory record, if chosen, must be this document's and free.
  if (!s.record_id.empty()) {
    auto number = verdicts.find("so");
    auto book = verdicts.find("quyen_so");
    StatusOr<std::vector<InventoryRecord>> candidates =
        ledger_->FindInventory(spec->key, number == verdicts.end() ? "" : number->second.value,
                               book == verdicts.end() ? "" : book->second.value);
    if (!candidates.ok()) return candidates.status();
    bool listed = false;
    for (const InventoryRecord& c : *candidates) listed = listed || c.record_id == s.record_id;
    if (!listed) {
      return Status::InvalidInput(ErrorText("review.record_mismatch", {{"record", s.record_id}}));
    }
    StatusOr<std::vector<std::string>> matched = ledger_->InputsMatchedTo(s.record_id);
    if (!matched.ok()) return matched.status();
    for (const std::string& other : *matched) {
      if (other != s.sha256) return RecordAlreadyMatched(other);
    }
  }

  // The corrected fields, metadata and what changed.
  const std::string old_type = MetadataString(details, "doc_type");
  json changes = {{"fields", json::object()}};
  json new_fields = json::object();
  ReviewOutcome outcome;
  for (const FieldSpec& f : spec->fields) {
    auto v = verdicts.find(f.key);
    if (v == verdicts.end()) continue;
    const std::string before = StoredValue(details, f.key);
    new_fields[f.key] = {{"value", v->second.value}, {"confidence", 1.0}, {"reviewed", true}};
    if (before != v->second.value) {
      changes["fields"][f.key] = {{"from", before}, {"to", v->second.value}};
      outcome.changed_fields.push_back(f.key);
    }
  }
  if (old_type != spec->key) changes["doc_type"] = {{"from", old_type}, {"to", spec->key}};
  const std::string old_record = MetadataString(details, "record_id");
  if (old_record != s.record_id) changes["record_id"] = {{"from", old_record}, {"to", s.record_id}};

  const int64_t now = NowUnixSeconds();
  const std::string now_iso = NowUtcIso8601();
  const std::string code = holder_id + "." + spec->type_code;
  facts::DocumentIdentity identity{spec->key, spec->type_code, holder_id, code, {}};
  for (const auto& [key, f] : new_fields.items()) identity.fields[key] = f["value"].get<std::string>();
  const facts::Metadata metadata =
      facts::Confirmed(details.value("metadata", json::object()), identity, s.record_id, s.reviewer, now_iso);

  // 3. The new version, in a bag of its own (pipeline/archive/version_bag.h).
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(archive_dir_);
  if (!store.ok()) return store.status();
  json sidecar = {{"sha256", s.sha256},
                  {"source", old.source},
                  {"doc_type", spec->key},
                  {"doc_type_name", spec->name},
                  {"type_code", spec->type_code},
                  {"code", code},
                  {"holder_id", holder_id},
                  {"fields", new_fields},
                  {"review_reasons", json::array()},
                  {"reviewed_by", s.reviewer},
                  {"reviewed_at", now_iso},
                  {"record_id", s.record_id}};  // a rebuilt ledger reads the review back (issue 26)
  VersionBagRequest request;
  request.kind = "review";
  request.sha256 = s.sha256;
  request.source_pdf = old.pdf;
  request.write_pdf = [&](const std::string& source, const std::string& target) {
    PdfRevision revision;
    revision.sha256 = s.sha256;
    revision.source_pdf = source;
    revision.target_pdf = target;
    revision.metadata = metadata;
    revision.reviewer = s.reviewer;
    revision.unix_time = now;
    return reviser_(revision);
  };
  request.sidecar_json = DumpJson(sidecar, 2) + "\n";
  request.contact_name = s.reviewer;
  request.software_agent = "sohoa review";
  request.unix_time = now;
  request.pages = old.pages;
  StatusOr<VersionBag> written = WriteVersionBag(**store, request);
  if (!written.ok()) return written.status();
  const VersionBag& bag = *written;

  // 4. One transaction in the ledger, if nobody confirmed first.
  json outputs = details.value("outputs", json::object());
  ReplaceOutput(outputs, "pdf", bag.PdfKey(), bag.pdf);
  ReplaceOutput(outputs, "fields", bag.SidecarKey(), bag.sidecar);
  changes["pdf"] = {{"from", old.pdf}, {"to", outputs["pdf"]["path"]}};
  details["outputs"] = outputs;
  details["fields"] = new_fields;
  details["metadata"] = metadata;
  SetReviewReasons({}, &details);
  details["reviewed"] = {
      {"by", s.reviewer}, {"at", now_iso}, {"reasons", ReasonsOf(old, ParseDetails(old.details_json))}};
  if (!s.keying_json.empty()) {  // who keyed what (issue 18): the current record and its history
    const json keying = ParseDetails(s.keying_json);
    details["keying"] = keying;
    changes["keying"] = keying;
  }

  LedgerRecord updated = old;
  updated.status = "archived";
  updated.reason = "";
  updated.pdf = outputs["pdf"]["path"];
  updated.details_json = DumpJson(details);
  ReviewRecord history{s.sha256, s.reviewer, now_iso, DumpJson(changes)};
  Status recorded = ledger_->RecordReview(updated, s.version, history);
  if (!recorded.ok()) {
    RemoveVersionBag(**store, bag.name);
    if (recorded.code() == StatusCode::kBusy) {
      return Status::Busy(ErrorText("review.confirmed_meanwhile", {}));
    }
    return recorded;
  }
  outcome.pdf = updated.pdf;
  outcome.bag = bag.name;
  return outcome;
}

}  // namespace sohoa
