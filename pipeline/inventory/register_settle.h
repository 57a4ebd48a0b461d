// The register settling what OCR was unsure of (issue 14). A register row
// is a reading of a result's number, book and registration date made by
// the commune when it issued it, independent of the scan. When the
// document's holder ID was read surely, that ID and the type point to the
// holder's rows in the register; if exactly one of them is one the
// document's own readings allow — for each of number, book and date, one
// of the readings OCR made (the value, a disputed figure read the other
// way, the other printing of a number printed twice), or, where OCR was
// unsure, the value with one figure read otherwise — that row's values are
// taken. A sure reading must equal the row: the register never overrides
// what was read surely, and a document that says something else than its
// row still goes to a person.
//
// On the tuning layouts (seeds 1-7) the typewriter table layout read a
// typed 0 as 6 or 9 ("167" printed beside "107", a registration date
// "2922-12-11"); the register row of the holder settled those. README,
// "Field extraction on layouts nobody here designed".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "pipeline/ledger/ledger.h"

namespace sohoa {

// What the document says of one of the register's fields.
struct RegisterFieldReading {
  // The value first (even one that failed its check), then the other
  // readings; empty when the field was not found.
  std::vector<std::string> readings;
  bool doubted = false;  // failed its check or was read below its bar
};

struct RegisterReadings {
  RegisterFieldReading number, book, date;
};

// Whether a register value is what the reading says: one of its readings;
// for a doubted reading also its value with exactly one figure read as
// another (same length, every other character equal). A field not found
// allows only an empty register value (a type without a book).
bool ReadingAllows(const RegisterFieldReading& reading, const std::string& register_value);

// The one row of `rows` (the holder's rows of the document's type) whose
// number, book and date the readings all allow; nullptr when none or
// several do.
const InventoryRecord* RowSettlingReadings(const std::vector<InventoryRecord>& rows,
                                           const RegisterReadings& readings);

}  // namespace sohoa
