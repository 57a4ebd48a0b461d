// Re-matching after a register import: inputs archived (or sent to review)
// while the register was missing or incomplete are linked to their rows the
// moment the register arrives, so `sohoa report` counts them. Without this,
// a commune that scans first and imports its register later would see 0%.
//
// For every archived or in-review input that has no record yet, the same
// rule as the pipeline's inventory stage (DecideMatch) is applied to the
// fields the ledger holds for it, and the outcome is what that stage would
// have produced: matched -> record_id set and earlier "inventory: ..."
// reasons dropped (a review input whose only reasons were those becomes
// archived); not matched -> the reason replaces earlier inventory reasons
// and the input is in review. Inputs already matched are left alone, so a
// re-import of the same register changes nothing.
//
// The archived files (PDF, fields.json) are not rewritten: the record link
// is a fact of the ledger, like the outcome itself.
#pragma once

#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct RematchCounts {
  int examined = 0;   // archived/review inputs without a record
  int matched = 0;    // now linked to a register row
  int released = 0;   // of those, review -> archived (only inventory reasons held them)
  int to_review = 0;  // archived -> review: no confirming row
};

// Does nothing (all zero) when the register is empty.
StatusOr<RematchCounts> RematchUnlinkedInputs(Ledger& ledger);

}  // namespace sohoa
