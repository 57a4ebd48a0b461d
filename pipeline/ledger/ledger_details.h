// What the ledger keeps of a record's details (issue 22: bytes per record).
//
// The details JSON is most of a ledger row, and two parts of it cost bytes
// without telling anything the row does not hold already:
//  - the XMP twins in "metadata" (facts::kXmpTwins, and kXmpFieldPrefix +
//    each field's key): copies of the plain facts and field values beside
//    them, for the PDF's XMP packet. The PDF keeps them; whoever writes a PDF
//    from the ledger's facts (a review, a rebuild) writes them again from the
//    plain ones (facts::Confirmed). A twin is dropped only when it equals its
//    plain fact or field value, so nothing is lost; the namespace entries and
//    every other XMP entry (the signing provenance) stay.
//  - numbers printed with 17 significant digits: a stage's seconds are kept
//    to the millisecond, a field's confidence to 4 decimals (the bag's
//    fields.json has 3).
// On the sample batch's 18 records this was 690 bytes of twins and 190 of
// digits in 2,980 bytes of details, 30% of each record.
#pragma once

#include <string>

namespace sohoa {

// `details_json` as the ledger stores it; text that is not a JSON object is
// stored as it is.
std::string LedgerDetails(const std::string& details_json);

}  // namespace sohoa
