// Field extraction: from a document's OCR lines to its type, its fields and
// its result code (Decree 45/2020 step 2 "extract the data" and step 3
// "assign the result code").
//
// A document-level stage: runs once all pages are read, after OCR and
// before the PDF writer (so the fields reach the PDF's XMP). Driven entirely
// by the document-type catalog (pipeline/core/doctype_catalog.h,
// schemas/doctypes/*.json): nothing here names a type or a field.
//
//  1. Type: the title words of each type are compared with every OCR line of
//     the first page (and, failing that, all pages) on the folded skeleton
//     (stages/fields/field_text.h) with edit-distance tolerance; the closest title
//     within 25% of its length wins.
//  2. Fields: labels are looked for at the start of a line or after a ',' ';'
//     or '.' in it, tolerantly (LabelTolerance()); at one position the label
//     followed by ':' and then the longest one wins ("Họ, chữ đệm, tên người
//     mẹ" over "Họ, chữ đệm, tên"). The value runs to the next label on the
//     line or its end; an empty value is read from the next line; multiline
//     fields take the following lines at the same left edge that start no
//     label. after_field restricts the search to lines after another field.
//     The dated_line locator reads the Decree 30 place-and-date line.
//     Place values get their capitalised words' diacritics corrected by the
//     document's own majority spelling (the commune is printed in the
//     header, the date line and the place of registration; OCR seldom
//     misreads all of them alike).
//  3. Each value is normalized and validated (stages/fields/field_normalize.h),
//     with cross-field context: the ID's sex and birth year, date order, the
//     type's validity period. Confidence = the lowest Tesseract word
//     confidence of the value (0..1) x 1 when valid, x 0.9 when a check could
//     not be made, x 0.3 when it failed.
//  4. Doubts become review reasons (prefix "fields: "), never guesses: an
//     unrecognised type, a required field not found, a value that failed its
//     check, a confidence below review_confidence.
//
// Output on the Document:
//   fields                 key -> {value, confidence, problem}
//   metadata["doc_type"]   catalog key ("khai_sinh"), "" when unknown
//   metadata["doc_type_code"], metadata["holder_id"] (valid ID or "")
//   metadata["result_code"]  "<holder id><separator><type code>"
//   metadata["xmp:ns:sohoa"], metadata["xmp:sohoa:*"]: DocumentType,
//     DocumentTypeCode, ResultCode, HolderId; metadata["xmp:ns:sohoaf"],
//     metadata["xmp:sohoaf:<field key>"]: each field value (declared as a
//     PDF/A extension schema by the writer, see stages/pdf/pdf_metadata.h)
//   <staging_dir>/<sha256>.fields.json, role "fields" (written atomically):
//     {"sha256","source","doc_type","doc_type_name","type_code",
//      "type_code_is_placeholder","code","holder_id",
//      "fields":{key:{"value","confidence","problem"?}},"review_reasons"}
//
// Errors: NewWorker() -> kConfiguration when the catalog cannot be loaded or
// the options are out of range (the run does not start). Process() ->
// kIoError when fields.json cannot be written. A document without text is
// not an error: it gets review reasons.
//
// Thread-safety: the stage holds the immutable catalog; workers share it
// read-only and keep nothing else.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/stage.h"

namespace sohoa {

struct FieldExtractionOptions {
  // Folder of the document-type files; empty: DefaultDocTypesDir().
  std::string doctypes_dir;
  // Folder of the lexicons (stages/fields/field_lexicon.h); empty: "lexicons"
  // beside DefaultDocTypesDir() (schemas/lexicons).
  std::string lexicons_dir;
  // Fields whose confidence is below this send the document to review.
  double review_confidence = 0.80;
  // Between holder ID and type code in the result code (not confirmed by
  // the regulation's texts we have: configurable).
  std::string code_separator = ".";
  // "Today" for date plausibility, YYYY-MM-DD; empty: the current date in
  // Vietnam (UTC+7).
  std::string today;
};

// Name() is "fields".
std::unique_ptr<DocumentStage> NewFieldExtractionStage(const FieldExtractionOptions& options);

// The checks a field made with the document's other fields, made again
// after a later stage changed some of their values (the register settling a
// misread registration date, pipeline/inventory/inventory_match.h):
// stages/fields/field_checks.h, CheckAgainWithOtherFields, with these
// options' catalog, lexicons, bars and "today". Safe to call from several
// threads; loads on its first call.
std::function<void(Document&)> NewFieldRecheck(const FieldExtractionOptions& options);

// Where step 1 could find a type's title on a page's lines (any type, any
// line, the same test): the index in OcrResult::lines of the topmost line
// holding one, -1 when none does. The OCR stage asks it before reading
// letters twice (stages/page/letter_reread.h), whose only reader is this
// stage: a one-page document without a title gets no fields, and the
// header above the title holds no value read by letters. Loads the catalog
// on its first call; says kTitleUnknown when it cannot (the stage then
// refuses to start anyway). Thread-safe.
inline constexpr int kTitleUnknown = -2;
std::function<int(const OcrResult&)> NewTitleFinder(const FieldExtractionOptions& options);

// NewTitleFinder's answer as a yes/no: a title was found, or it cannot say.
std::function<bool(const OcrResult&)> NewTitleTest(const FieldExtractionOptions& options);

}  // namespace sohoa
