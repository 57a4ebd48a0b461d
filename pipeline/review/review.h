// The review station's work (issue 9): the queue of inputs the pipeline
// marked "review", one document's facts for the form, and a person's
// confirmation, which archives the document with the corrected fields.
//
// What a confirmation does, in order:
//  1. checks the record is still "review" at the version the reviewer was
//     shown (its ledger updated_at, the "version" of the API) — else kBusy;
//  2. checks every value with the pipeline's own normalizers and validators
//     (the FieldChecker the composition root passes in: cli/ wires
//     stages/field_normalize) — a value that fails, or an empty required
//     field, refuses the confirmation (kInvalidInput naming the field);
//  3. writes the new version as a new, complete BagIt bag
//     bags/review-<time>-<sha[0:8]>-<random>/data/<sha[0:2]>/<sha>.pdf (the
//     PdfReviser: the old PDF with the corrected metadata, re-signed when keys
//     are configured) and <sha>.json (the corrected fields); the old version
//     stays untouched in its own bag;
//  4. records in the ledger, in one transaction (Ledger::RecordReview) and
//     only if nobody confirmed first: status "archived", the corrected fields
//     and metadata (doc_type, holder_id, result_code, record_id), outputs
//     "pdf"/"fields" pointing at the new version and the old ones kept as
//     "pdf_v1"/"fields_v1" (so `sohoa verify` still accounts for every file),
//     and the review history entry (who, when, each field's from/to).
//     If another reviewer won, the new bag is removed and kBusy returned.
//
// pipeline/ never includes stages/: field checking and PDF revision are
// passed in as functions.
//
// Thread-safety: a ReviewService may be used from several threads (the
// ledger serialises; each confirmation writes its own bag).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// The verdict on one field value, as the pipeline would give it.
struct FieldVerdict {
  std::string value;    // canonical value ("" when empty or unusable)
  std::string problem;  // "" when valid
  bool unverified = false;
};
// Checks all values of one document of type `spec` together (cross-field
// context: ID vs birth date and sex, date order, validity period).
using FieldChecker = std::function<std::map<std::string, FieldVerdict>(
    const DocTypeSpec& spec, const std::map<std::string, std::string>& values, const std::string& today)>;

struct PdfRevision {
  std::string sha256;                           // the input's (the PDF's xmpMM:DocumentID is derived from it)
  std::string source_pdf;                       // absolute path of the current version
  std::string target_pdf;                       // absolute path to write (its folder exists)
  std::map<std::string, std::string> metadata;  // Document::metadata keys (xmp:... included)
  std::string reviewer;
  int64_t unix_time = 0;
};
using PdfReviser = std::function<Status(const PdfRevision& revision)>;

struct ReviewQueueItem {
  std::string sha256, source, doc_type, batch;  // batch: the run id
  std::string doc_type_name;                    // the catalog's name, "" if unknown
  std::vector<std::string> reasons;
  std::vector<std::string> categories;  // ReasonCategory of each reason, deduplicated
  int pages = 0;
  std::string version;  // ledger updated_at
};

// "low_confidence", "missing_field", "invalid_field", "unknown_type",
// "inventory", "blank_page", "low_resolution", "damaged" or "other".
std::string ReasonCategory(const std::string& reason);

struct ReviewSubmission {
  std::string sha256;
  std::string version;                        // what the reviewer was shown
  std::string reviewer;                       // account name
  std::string doc_type;                       // catalog key chosen
  std::map<std::string, std::string> fields;  // key -> value typed/confirmed
  std::string record_id;                      // inventory record chosen, "" for none
  // Who keyed what (issue 18, JSON, keying.h): kept as the ledger details'
  // "keying" and in the review history; "" for none.
  std::string keying_json;
};

struct ReviewOutcome {
  std::string pdf;  // archive-relative path of the new version
  std::string bag;
  std::vector<std::string> changed_fields;  // keys whose value changed
};

class ReviewService {
 public:
  ReviewService(std::string archive_dir, Ledger* ledger, const DocTypeCatalog* catalog, FieldChecker checker,
                PdfReviser reviser);

  // Inputs in "review", in first-seen order.
  StatusOr<std::vector<ReviewQueueItem>> Queue();
  // One input's facts for the form: {sha256, source, status, version,
  // doc_type, doc_types:[{key, name, fields:[{key, label, kind, required,
  // multiline, lexicon}]}], reasons, pages, pdf, fields:{key: {value,
  // confidence, problem, flagged}}, inventory: [{record_id, number, book,
  // issue_date, holder_id, valid}], reviews} and, for a register entry,
  // entry: {book_sha256, book_no, register_kind, position, entry_no,
  // page_no, handwritten, field_places: {key: {page (1-based), x, y, w, h
  // (fractions of the page)}}}.
  // kNotFound for an unknown input.
  StatusOr<std::string> DocumentJson(const std::string& sha256);
  // Verdicts for the values typed so far: {key: {value, problem}}.
  StatusOr<std::string> CheckJson(const std::string& doc_type,
                                  const std::map<std::string, std::string>& fields);
  StatusOr<ReviewOutcome> Confirm(const ReviewSubmission& submission);
  // The canonical value of every field of `doc_type` that has one, after
  // the checks Confirm makes (kInvalidInput naming the first field that
  // fails or a required field left empty): what double keying compares.
  StatusOr<std::map<std::string, std::string>> CheckedValues(const std::string& doc_type,
                                                              const std::map<std::string, std::string>& fields);
  // Is the input in "review" now? (Drafts are kept only for those.)
  StatusOr<bool> AwaitsReview(const std::string& sha256);
  // The bytes of the input's current PDF version, read through the archive
  // store; kNotFound if none.
  StatusOr<std::string> PdfBytes(const std::string& sha256);

  // `status`'s message with every path inside the archive made relative to
  // it: what the API may show (a browser never learns where the archive is).
  std::string PublicMessage(const Status& status) const;

  // "Today" for date plausibility (YYYY-MM-DD); default: now in Vietnam.
  void SetToday(std::string today) { today_ = std::move(today); }

 private:
  std::string Today() const;
  StatusOr<std::map<std::string, FieldVerdict>> Verdicts(const DocTypeSpec& spec,
                                                         const std::map<std::string, std::string>& fields);
  std::string archive_dir_;
  Ledger* ledger_;
  const DocTypeCatalog* catalog_;
  FieldChecker checker_;
  PdfReviser reviser_;
  std::string today_;
};

}  // namespace sohoa
