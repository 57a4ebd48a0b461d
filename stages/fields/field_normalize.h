// Normalizers and validators of extracted field values, by the names the
// document-type files use (schemas/doctype.schema.json).
//
// A normalizer turns the raw text found after a label into the canonical
// value (dates YYYY-MM-DD, names NFC upper-case, IDs digits only) or says
// why it cannot; a validator checks a canonical value against what it must
// be (a 12-digit personal ID whose province, century/sex digit and year
// agree with the printed sex and birth date; a date that exists and is
// plausible). Problems are short English phrases with the offending value,
// for the review reasons a person reads.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sohoa {

struct Normalized {
  std::string value;    // canonical value; empty when nothing usable was found
  std::string problem;  // why not, when value is empty
  // The document prints the field as absent ("(không có thông tin)"): an
  // empty value that is right, not a failure.
  bool blank = false;
  bool ok() const { return !value.empty() || blank; }
};

// A date in words whose year ends the text on "nghìn" or "trăm" ("... năm
// hai nghìn"): 2000, or 2024 whose last words wrapped away or were lost
// (held-back seed 59 archived such a year as 2000 at 0.96; tuning seeds 3
// and 5 print two real ones). Read as written; the field extractor makes it
// a person's to confirm.
bool YearInWordsEndsRound(std::string_view raw);

// Is `word` (any case, with or without diacritics) shaped like one
// Vietnamese syllable (onset, vowel nucleus, final)? "Nguyễn", "khuya" yes;
// "EE", "SCCCC", "Xkz" no. Shape only: not a dictionary.
bool IsVietnameseSyllable(std::string_view word);

// How many bytes of `text` (what follows a label) belong to the value: up
// to a dot leader ("...", "___", "…"), and for names up to the first token
// after two that is not a Vietnamese syllable or is a lone letter (what OCR
// reads dotted leaders and specks as: "LÊ NGỌC BÌNH SCCCCCEEE").
size_t ValueLength(const std::string& normalizer, std::string_view text);

// Dispatches on the normalizer name (text|place|name|date|digits|number|book|sex).
Normalized NormalizeField(const std::string& normalizer, std::string_view raw);

Normalized NormalizeText(std::string_view raw);
// NFC upper-case letters. (The surname is checked and its spelling
// corrected against schemas/lexicons/surnames.txt by field extraction:
// stages/fields/field_evidence.h.)
Normalized NormalizeName(std::string_view raw);
// An address or place: as text, without stray dots ("Hà Nội." -> "Hà Nội").
Normalized NormalizePlace(std::string_view raw);
// The first date in `raw`: "ngày 5 tháng 3 năm 2021", "Ngày 05, tháng 03,
// năm 2021" or "05/03/2021" (also '.' or '-' separated) -> "2021-03-05";
// else a date wholly in words ("ngày mười ba tháng mười một năm hai nghìn
// không trăm hai mươi" -> "2020-11-13").
// Letters OCR confuses with digits next to digits (O, o, l, I, |) are read as
// digits. A date that does not exist (31/02/2020) is a problem, not a value.
Normalized NormalizeDate(std::string_view raw);
Normalized NormalizeDigits(std::string_view raw);
// "15/KS", "15," -> "15": the leading number.
Normalized NormalizeNumber(std::string_view raw);
// "01/2021", "01 / 2021" -> "01/2021".
Normalized NormalizeBook(std::string_view raw);
// "Nam" / "Nữ" (also "nu", "NỮ").
Normalized NormalizeSex(std::string_view raw);

// Context a validator may need; empty strings are unknown.
struct ValidationContext {
  std::string today;       // YYYY-MM-DD; dates after it are implausible
  std::string sex;         // "Nam" / "Nữ" printed or implied
  std::string birth_date;  // YYYY-MM-DD
};

// Returns "" when valid, else the problem. `unverified` (optional) is set
// when a check could not be made for lack of context (an ID without a
// printed sex or birth date).
std::string ValidateField(const std::string& validator, const std::string& value,
                          const ValidationContext& context, bool* unverified = nullptr);

std::string ValidateDate(const std::string& iso, const std::string& today);
std::string ValidatePersonalId(const std::string& id, const std::string& sex, const std::string& birth_date,
                               bool* unverified = nullptr);
std::string ValidateName(const std::string& name);
std::string ValidateBook(const std::string& book, const std::string& today);

// Calendar helpers on YYYY-MM-DD strings.
bool IsIsoDate(const std::string& iso);
// `iso` plus `months` months, the day clamped to the month's end.
std::optional<std::string> AddMonths(const std::string& iso, int months);

}  // namespace sohoa
