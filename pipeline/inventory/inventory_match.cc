#include "pipeline/inventory/inventory_match.h"

#include <algorithm>

#include "pipeline/core/document_facts.h"
#include "pipeline/inventory/register_settle.h"

namespace sohoa {
namespace {

std::string FieldValueOf(const Document& doc, const std::string& key) {
  auto it = doc.fields.find(key);
  return it == doc.fields.end() || !it->second.problem.empty() ? "" : it->second.value;
}

std::string MetadataOf(const Document& doc, const std::string& key) {
  auto it = doc.metadata.find(key);
  return it == doc.metadata.end() ? "" : it->second;
}

// The fields a register row reads again, and where the row keeps each.
struct RegisterField {
  const char* key;
  std::string InventoryRecord::*value;
};
constexpr RegisterField kRegisterFields[] = {{"so", &InventoryRecord::number},
                                             {"quyen_so", &InventoryRecord::book},
                                             {"ngay_dang_ky", &InventoryRecord::issue_date}};

// A review reason that doubts field `key`: its check failed ("fields: so:
// printed 2 times but read as 107 / 167") or it was read below its bar
// ("fields: so '5' read with confidence 0.32 < 0.60").
bool DoubtsField(const std::string& reason, const std::string& key) {
  return reason.rfind("fields: " + key + ":", 0) == 0 || reason.rfind("fields: " + key + " '", 0) == 0;
}

// A review reason that says the holder's ID (whichever field holds it) was
// read below its bar.
bool DoubtsHolder(const std::string& reason, const std::string& holder_id) {
  return !holder_id.empty() && reason.rfind("fields: ", 0) == 0 &&
         reason.find(" '" + holder_id + "' read with confidence ") != std::string::npos;
}

// What a row agreeing with the document confirms (metadata "register_confirmed").
constexpr const char* kRegisterConfirmed = "so,quyen_so,ngay_dang_ky,holder_id";

// The register row agrees on type, number, book, registration date and
// holder ID: an independent reading of those four values. Doubts about how
// well OCR read them ("fields: so '15' read with confidence 0.62 < 0.80")
// are answered; any other doubt stays.
void ConfirmByRegister(const MatchKeys& keys, Document& doc) {
  auto low_confidence_of = [&](const std::string& reason) {
    if (reason.find("' read with confidence ") == std::string::npos) return false;
    for (const RegisterField& field : kRegisterFields) {
      if (reason.rfind(std::string("fields: ") + field.key + " '", 0) == 0) return true;
    }
    return DoubtsHolder(reason, keys.holder_id);
  };
  auto& reasons = doc.review_reasons;
  reasons.erase(std::remove_if(reasons.begin(), reasons.end(), low_confidence_of), reasons.end());
  doc.metadata["register_confirmed"] = kRegisterConfirmed;
}

RegisterFieldReading ReadingOf(const Document& doc, const std::string& key) {
  RegisterFieldReading reading;
  auto it = doc.fields.find(key);
  if (it == doc.fields.end()) return reading;
  reading.readings.push_back(it->second.value);
  for (const std::string& other : it->second.other_readings) reading.readings.push_back(other);
  reading.doubted =
      !it->second.problem.empty() || std::any_of(doc.review_reasons.begin(), doc.review_reasons.end(),
                                                 [&](const std::string& r) { return DoubtsField(r, key); });
  return reading;
}

// The holder ID as field extraction gave it (only when it passed its
// check), and read surely: no reason doubts it.
bool HolderVouched(const Document& doc, const std::string& holder_id) {
  return !holder_id.empty() && std::none_of(doc.review_reasons.begin(), doc.review_reasons.end(),
                                            [&](const std::string& r) { return DoubtsHolder(r, holder_id); });
}

// Takes the row's number, book and date (register_settle.h): a value that
// changes keeps what was read in corrected_from and other_readings, counts
// at the holder ID's confidence, and its doubts are answered; the checks
// other fields made against what was read are made again.
void TakeRowValues(const InventoryRecord& row, const std::string& holder_id,
                   const std::function<void(Document&)>& check_fields_again, Document& doc) {
  float holder_confidence = 0;
  for (const auto& [key, v] : doc.fields)
    if (v.value == holder_id) holder_confidence = std::max(holder_confidence, v.confidence);
  std::string settled;
  for (const auto& [key, member] : kRegisterFields) {
    const std::string& value = row.*member;
    auto it = doc.fields.find(key);
    if (it == doc.fields.end()) continue;  // a type without a book
    FieldValue& v = it->second;
    if (v.value != value) {
      auto& others = v.other_readings;
      others.erase(std::remove(others.begin(), others.end(), value), others.end());
      others.push_back(v.value);
      if (v.corrected_from.empty()) v.corrected_from = v.value;
      v.value = value;
      doc.metadata[std::string(facts::kXmpFieldPrefix) + key] = value;
      settled += (settled.empty() ? "" : ",") + std::string(key);
    }
    v.problem.clear();
    v.confidence_before_check = -1;
    v.confidence = std::max(v.confidence, holder_confidence);
    auto& reasons = doc.review_reasons;
    reasons.erase(std::remove_if(reasons.begin(), reasons.end(),
                                 [&](const std::string& r) { return DoubtsField(r, key); }),
                  reasons.end());
  }
  doc.metadata["register_confirmed"] = kRegisterConfirmed;
  if (settled.empty()) return;
  doc.metadata["register_settled"] = settled;
  if (check_fields_again) check_fields_again(doc);
}

// The register settling the document's unsure readings
// (register_settle.h): true when a row was taken and linked.
StatusOr<bool> SettleByRegister(Ledger& ledger, const MatchKeys& keys, const MatchDecision& decision,
                                const std::function<void(Document&)>& check_fields_again, Document& doc) {
  if (keys.doc_type.empty() || !HolderVouched(doc, keys.holder_id)) return false;
  StatusOr<std::vector<InventoryRecord>> rows = ledger.FindInventoryByHolder(keys.doc_type, keys.holder_id);
  if (!rows.ok()) return rows.status();
  const RegisterReadings readings{ReadingOf(doc, "so"), ReadingOf(doc, "quyen_so"),
                                  ReadingOf(doc, "ngay_dang_ky")};
  const InventoryRecord* row = RowSettlingReadings(*rows, readings);
  // A row matched by number and date alone that is not the holder's: the
  // document and the register disagree, a person's to see.
  if (row == nullptr || (!decision.record_id.empty() && decision.record_id != row->record_id)) return false;
  StatusOr<std::vector<std::string>> matched = ledger.InputsMatchedTo(row->record_id);
  if (!matched.ok()) return matched.status();
  for (const std::string& sha : *matched)
    if (sha != keys.sha256) return false;  // the row is another input's: the usual reason says so
  TakeRowValues(*row, keys.holder_id, check_fields_again, doc);
  facts::WriteRecordLink(row->record_id, &doc.metadata);
  doc.metadata[facts::kRecordValid] = row->valid ? "1" : "0";
  return true;
}

// What `row`, matched to a document read as `keys`, gives otherwise than
// the page: "" when it agrees on every value both have.
std::string RowDisagreement(const InventoryRecord& row, const MatchKeys& keys) {
  // The holder's ID is personal data: the reason says only that it differs.
  if (!keys.issue_date.empty() && row.issue_date != keys.issue_date) {
    return "record " + row.record_id + " gives the registration date " + row.issue_date +
           ", the page reads " + keys.issue_date;
  }
  if (!keys.holder_id.empty() && !row.holder_id.empty() && row.holder_id != keys.holder_id) {
    return "record " + row.record_id + " gives another holder ID than the one read";
  }
  return "";
}

class InventoryMatchWorker final : public DocumentWorker {
 public:
  InventoryMatchWorker(std::unique_ptr<Ledger> ledger, std::function<void(Document&)> check_fields_again)
      : ledger_(std::move(ledger)), check_fields_again_(std::move(check_fields_again)) {}

  Status Process(Document& doc) override {
    if (doc.is_book()) return Status::Ok();  // its entries are matched, each on its own
    StatusOr<int64_t> size = ledger_->CountInventory();
    if (!size.ok()) return size.status();
    if (*size == 0) return Status::Ok();  // no register imported: nothing to match against
    MatchKeys keys{doc.sha256,
                   MetadataOf(doc, "doc_type"),
                   FieldValueOf(doc, "so"),
                   FieldValueOf(doc, "quyen_so"),
                   FieldValueOf(doc, "ngay_dang_ky"),
                   MetadataOf(doc, "holder_id")};
    StatusOr<MatchDecision> decision = DecideMatch(*ledger_, keys);
    if (!decision.ok()) return decision.status();
    if (!decision->confirms_all) {
      StatusOr<bool> settled = SettleByRegister(*ledger_, keys, *decision, check_fields_again_, doc);
      if (!settled.ok()) return settled.status();
      if (*settled) return Status::Ok();
    }
    if (decision->record_id.empty()) {
      doc.review_reasons.push_back(decision->reason);
      return Status::Ok();
    }
    facts::WriteRecordLink(decision->record_id, &doc.metadata);
    doc.metadata[facts::kRecordValid] = decision->record_valid ? "1" : "0";
    if (decision->confirms_all) ConfirmByRegister(keys, doc);
    if (!decision->reason.empty()) doc.review_reasons.push_back(decision->reason);
    return Status::Ok();
  }

 private:
  std::unique_ptr<Ledger> ledger_;
  std::function<void(Document&)> check_fields_again_;
};

class InventoryMatchStage final : public DocumentStage {
 public:
  explicit InventoryMatchStage(InventoryMatchOptions options) : options_(std::move(options)) {}
  std::string Name() const override { return "inventory"; }
  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    if (!options_.open_ledger) return Status::Configuration("inventory match: no ledger to match in");
    StatusOr<std::unique_ptr<Ledger>> ledger = options_.open_ledger();
    if (!ledger.ok()) return ledger.status().WithContext("inventory match");
    return std::unique_ptr<DocumentWorker>(
        std::make_unique<InventoryMatchWorker>(std::move(*ledger), options_.check_fields_again));
  }

 private:
  InventoryMatchOptions options_;
};

}  // namespace

std::string MatchInventory(const std::vector<InventoryRecord>& candidates, const std::string& issue_date,
                           const std::string& holder_id, std::string* reason) {
  if (candidates.empty()) {
    *reason = "no record in the inventory";
    return "";
  }
  std::vector<const InventoryRecord*> confirmed;
  for (const InventoryRecord& r : candidates) {
    const bool date_ok = !issue_date.empty() && r.issue_date == issue_date;
    const bool holder_ok = !holder_id.empty() && r.holder_id == holder_id;
    if (date_ok || holder_ok) confirmed.push_back(&r);
  }
  if (confirmed.size() == 1) return confirmed.front()->record_id;
  std::string ids;
  for (const InventoryRecord& r : candidates) ids += (ids.empty() ? "" : ", ") + r.record_id;
  if (confirmed.empty()) {
    *reason = "record(s) " + ids + " have this number but neither the issue date (" +
              (issue_date.empty() ? "unread" : issue_date) + ") nor the holder ID agrees";
  } else {
    *reason = "ambiguous: records " + ids + " all agree";
  }
  return "";
}

StatusOr<MatchDecision> DecideMatch(Ledger& ledger, const MatchKeys& keys) {
  MatchDecision decision;
  if (keys.doc_type.empty() || keys.number.empty()) {
    decision.reason = std::string(kInventoryReasonPrefix) + "not matched (document type or number unknown)";
    return decision;
  }
  StatusOr<std::vector<InventoryRecord>> candidates =
      ledger.FindInventory(keys.doc_type, keys.number, keys.book);
  if (!candidates.ok()) return candidates.status();
  const std::string what = std::string(kInventoryReasonPrefix) + keys.doc_type + " so " + keys.number +
                           (keys.book.empty() ? "" : " quyen " + keys.book) + ": ";
  std::string reason;
  const std::string record_id = MatchInventory(*candidates, keys.issue_date, keys.holder_id, &reason);
  if (record_id.empty()) {
    decision.reason = what + reason;
    return decision;
  }
  StatusOr<std::vector<std::string>> matched = ledger.InputsMatchedTo(record_id);
  if (!matched.ok()) return matched.status();
  for (const std::string& sha : *matched) {
    if (sha == keys.sha256) continue;
    decision.reason = what + "record " + record_id + " is already matched by input " + sha.substr(0, 12);
    return decision;
  }
  decision.record_id = record_id;
  for (const InventoryRecord& r : *candidates) {
    if (r.record_id != record_id) continue;
    decision.record_valid = r.valid;
    decision.confirms_all = !keys.issue_date.empty() && r.issue_date == keys.issue_date &&
                            !keys.holder_id.empty() && r.holder_id == keys.holder_id;
    const std::string disagreement = RowDisagreement(r, keys);
    if (!disagreement.empty()) decision.reason = what + disagreement;
  }
  return decision;
}

std::unique_ptr<DocumentStage> NewInventoryMatchStage(const InventoryMatchOptions& options) {
  return std::make_unique<InventoryMatchStage>(options);
}

}  // namespace sohoa
