// Inventory match: links each document to the row of the commune's register
// (pipeline/inventory/inventory.h) that it digitizes, so the coverage of still-valid
// results can be counted. A document stage owned by the pipeline because it
// speaks to the ledger; it runs after field extraction
// (stages/fields/field_extraction_stage.h) and reads what that stage left in
// Document::metadata ("doc_type") and Document::fields ("so", "quyen_so",
// "ngay_dang_ky" and the type's holder ID in metadata "holder_id").
//
// Rule: candidates are the register rows with the same type, number and book
// (book "" for types without one); a candidate is confirmed when its issue
// date equals the extracted ngay_dang_ky or its holder_id equals the
// extracted holder ID. Exactly one confirmed candidate: metadata["record_id"]
// (and "record_valid" "1"/"0") is set and the ledger records it with the
// outcome. Otherwise a review reason says why ("inventory: ..."): no row,
// rows that do not confirm, several confirmed rows, or a row already matched
// by another archived input. An expired row still matches (the document is
// digitized; the coverage report decides what counts).
//
// A row matched by its holder ID whose date is not the one read (or by its
// date, whose holder ID is not) contradicts the page: both stand, linked,
// and the document goes to a person with the row's date beside the one read
// (held-back seed 60: "ngày 11" read as "ngày 1" at 0.89 was archived, its
// row matched by the holder while giving 2016-09-11).
//
// Independent confirmation (issue 14): when the row also agrees on both the
// registration date and the holder ID, the row is a second reading of the
// number, book, date and ID, so the review reasons that only doubt how well
// OCR read those ("... read with confidence 0.62 < 0.80") are dropped and
// metadata["register_confirmed"] lists what the register confirmed. Other
// doubts (a failed check, another field) stay.
//
// An empty register (never imported) means matching is off: no reasons.
//
// Thread-safety: each worker opens its own ledger connection through the
// factory given in the options (SQLite now, a shared database later).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/stage.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct InventoryMatchOptions {
  // Opens a connection to the archive's ledger; called once per worker
  // before the run (the ledger exists by then).
  std::function<StatusOr<std::unique_ptr<Ledger>>()> open_ledger;
  // Called after the register settled a value of the document (a misread
  // registration date corrected): the checks field extraction made with
  // that value are made again (NewFieldRecheck,
  // stages/fields/field_extraction_stage.h), so no doubt about the old
  // reading is left behind. Empty: none are.
  std::function<void(Document&)> check_fields_again;
};

// Name() is "inventory".
std::unique_ptr<DocumentStage> NewInventoryMatchStage(const InventoryMatchOptions& options);

// Review reasons about matching start with this.
inline constexpr const char* kInventoryReasonPrefix = "inventory: ";

// What matching needs to know about one input.
struct MatchKeys {
  std::string sha256;  // the input itself (its own earlier match is no conflict)
  std::string doc_type, number, book, issue_date, holder_id;
};
struct MatchDecision {
  std::string record_id;  // "" when not matched; then `reason` says why
  bool record_valid = false;
  bool confirms_all = false;  // the row agrees on date and holder ID as well
  // A review reason starting with kInventoryReasonPrefix: why no row was
  // matched, or, a row matched by one of date and holder ID, that the other
  // was read and the row gives another; "" when none.
  std::string reason;
};

// The whole rule against the ledger's register: candidates by type, number
// and book, confirmed by date or holder, and not already matched by another
// input. Shared by the stage and by re-matching after an import.
StatusOr<MatchDecision> DecideMatch(Ledger& ledger, const MatchKeys& keys);

// The match rule on its own, for tests and tools: returns the record_id or
// "" with *reason set.
std::string MatchInventory(const std::vector<InventoryRecord>& candidates, const std::string& issue_date,
                           const std::string& holder_id, std::string* reason);

}  // namespace sohoa
