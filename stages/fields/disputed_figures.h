// Figures two readers disputed (stages/page/figure_reread.h keeps the
// reading not taken beside the word and holds the word at 0.30, below the
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

// The words a dispute leaves open between the taken word and the other
// reading: when the two are of one length (the marks around figures, "|"
// "," ":", aside), every mix of them at the characters where they differ
// ("20/12/2016" against "29/13/2016": also "29/12/2016" and "20/13/2016" —
// the other reader may be right in one figure and wrong in the next), the
// taken word itself left out; else the other word whole (a figure dropped
// or doubled shifts the rest). At most 4 differing characters are mixed
// (15 words); past that, nullopt.
std::optional<std::vector<std::string>> DisputedWordReadings(const std::string& taken,
                                                             const std::string& other);

// A dispute between a value and no value (tuning layouts: `vie` reads a
// typewritten 0 as 9, giving years 29xx and province codes 9xx; a reader
// drops or doubles a figure, giving 11- or 13-digit IDs). True when `taken`
// (normalised) passes the field's own validator and every reading in
// `others` (the value's text with disputed words read the other way, not
// yet normalised) either does not normalise, fails that validator, or is
// `taken` again. The validator is given `today` and nothing else: a reading
// that only another field rules out (a birth year against the ID) is still
// a possible value here. Then the second reader has no rival reading to
// offer, and the taken reading counts at its own reader's confidence.
bool OnlyTakenReadingIsPossible(const std::string& normalizer, const std::string& validator,
                                const std::string& today, const std::string& taken,
                                const std::vector<std::string>& others);

// The other way round: the taken reading (normalised) fails the field's
// own validator (`today` only) and exactly one of the other readings
// (normalised, whole: the other reader's value as it read it) passes it —
// that one; else nullopt (tuning layouts: a book year 2921 taken where the
// other reader read 2021, an ID with province 966 where it read 066). It
// is a correction, not a confirmation: the value stays below the gate, a
// person's to confirm, with the impossible reading beside it.
std::optional<std::string> ThePossibleOtherReading(const std::string& validator, const std::string& today,
                                                   const std::string& taken,
                                                   const std::vector<std::string>& others);

}  // namespace sohoa
