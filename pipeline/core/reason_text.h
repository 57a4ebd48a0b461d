// Review reasons as the log, `sohoa status` and `sohoa report` show them:
// without the values they quote. A field-extraction reason names what was
// read ("fields: ho_ten 'NGUYỄN VĂN AN' read with confidence 0.50 < 0.80",
// "fields: ngay_sinh: 2021-03-05 is after ngay_dang_ky 2021-01-02"): a
// person's name, ID or birth date, which those outputs do not need (Decree
// 13/2023; the brief's rule). The ledger keeps the whole reason, and the
// review station, which a reviewer opens to see the values, shows it.
#pragma once

#include <string>

namespace sohoa {

// `reason` (one or several joined by "; ") with every field-extraction
// reason cut to its field and kind: "fields: ho_ten read with low
// confidence", "fields: ngay_sinh failed a check". Reasons that quote no
// value (a required field not found, an unknown document type, the
// register's, a quarantine's) are kept as they are.
std::string ReasonWithoutValues(const std::string& reason);

}  // namespace sohoa
