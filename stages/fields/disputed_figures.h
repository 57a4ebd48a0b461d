// Figures two readers disputed (stages/page/figure_reread.h keeps the
// reading not taken beside the word and holds the word at 0.50, below the
// gate): the value is settled only by a cross-check that pins every
// disputed character against another field that is itself vouched for —
// never by one reader's word, nor by a check that merely allows one
// reading (a plausible year is not the right year). Issue 14: the largest
// cause of review on the tuning layouts after free text.
//
// Each function is given the readings (the value as taken first, then the
// others, normalised: ISO dates, 12-digit IDs) and returns the one reading
// that the check pins, or nullopt when none or more than one agrees, or
// when the readings differ where the check does not look.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sohoa {

// A personal ID against the holder's sex and birth date, and the province
// code of where the birth was registered ("" when not known): digits 1-3
// are pinned by the province, digit 4 by sex and century, 5-6 by the year.
std::optional<std::string> SettleIdByHolder(const std::vector<std::string>& readings, const std::string& sex,
                                            const std::string& birth_date, const std::string& province_code);

// A birth date against a vouched personal ID: the ID's digits 4-6 pin the
// year (century and last two figures); a dispute in the day or month is
// not settled.
std::optional<std::string> SettleBirthYearById(const std::vector<std::string>& readings, const std::string& id);

// A date that must equal another, vouched one ("valid until" is the
// registration date + 6 months; `expected` computed from it): the equation
// pins every figure.
std::optional<std::string> SettleByEquality(const std::vector<std::string>& readings, const std::string& expected);

}  // namespace sohoa
