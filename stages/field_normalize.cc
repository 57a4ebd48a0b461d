#include "stages/field_normalize.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <map>
#include <regex>

#include "stages/field_text.h"

namespace sohoa {
namespace {

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// OCR look-alikes of digits, replaced only when they touch a digit or a
// separator: "O5/O3/2O21" -> "05/03/2021", but "ngay" stays a word.
std::string FixDigitLookalikes(const std::string& s) {
  auto digitish = [](char c) { return IsDigit(c) || c == '/'; };
  std::string out = s;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c != 'o' && c != 'O' && c != 'l' && c != 'I' && c != '|' && c != 'D' && c != 'Q') continue;
    const bool before = i > 0 && digitish(out[i - 1]);
    const bool after = i + 1 < out.size() && digitish(out[i + 1]);
    if (!before && !after) continue;
    out[i] = (c == 'l' || c == 'I' || c == '|') ? '1' : '0';
  }
  return out;
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

std::string Iso(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool ParseIso(const std::string& iso, int* y, int* m, int* d) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!IsDigit(iso[i])) return false;
  *y = std::stoi(iso.substr(0, 4));
  *m = std::stoi(iso.substr(5, 2));
  *d = std::stoi(iso.substr(8, 2));
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= DaysInMonth(*y, *m);
}

bool IsLetterOrSpace(UChar32 c) { return u_isalpha(c) || c == ' ' || u_getCombiningClass(c) != 0; }

}  // namespace

// Drops trailing tokens without a letter or digit ("Kinh ˆ", "... Minh -"):
// specks and marks OCR read as symbols, never part of a value.
std::string DropTrailingJunk(std::string s) {
  while (true) {
    const size_t space = s.rfind(' ');
    if (space == std::string::npos) return s;
    const icu::UnicodeString last = icu::UnicodeString::fromUTF8(s.substr(space + 1));
    for (int32_t i = 0; i < last.length();) {
      const UChar32 c = last.char32At(i);
      i += U16_LENGTH(c);
      // Modifier letters (ˆ ˇ) are what a speck reads as; they carry no value.
      if (u_isalnum(c) && u_charType(c) != U_MODIFIER_LETTER) return s;
    }
    s.erase(space);
  }
}

// Vietnamese surnames whose folded form no other common surname shares: a
// first word that folds to one of them is that surname ("NGUYÊN" -> "NGUYỄN",
// OCR's most frequent name error). Folds shared by two surnames are left
// out, so nothing is decided between two real names.
const std::map<std::string, std::string>& Surnames() {
  static const std::map<std::string, std::string> kSurnames = [] {
    std::map<std::string, std::string> m;
    for (const char* s : {"NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ",
                          "ĐẶNG", "BÙI", "ĐỖ", "HỒ", "NGÔ", "DƯƠNG", "LÝ", "TRỊNH", "LƯƠNG",
                          "MAI", "TRƯƠNG", "QUÁCH", "TÔ", "CAO", "TẠ", "KHỔNG", "LÂM", "TỐNG"})
      m[Fold(s)] = s;
    return m;
  }();
  return kSurnames;
}

Normalized NormalizeText(std::string_view raw) {
  std::string s = DropTrailingJunk(CollapseSpaces(Nfc(raw)));
  while (!s.empty() && (s.front() == ':' || s.front() == ' ')) s.erase(0, 1);
  while (!s.empty() && (s.back() == ',' || s.back() == ';' || s.back() == ':' || s.back() == ' '))
    s.pop_back();
  if (s.empty()) return {"", "no text after the label"};
  return {s, ""};
}

Normalized NormalizePlace(std::string_view raw) {
  // Addresses never end in a period nor carry one inside a word: those are
  // specks OCR read as dots ("thành.phố", "Hà Nội.").
  std::string s = Nfc(raw);
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '.' && s[i - 1] != ' ' && s[i + 1] != ' ' && !IsDigit(s[i - 1])) s[i] = ' ';
  }
  s = CollapseSpaces(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {  // lone " . " tokens
    if (s[i] == '.' && (i == 0 || s[i - 1] == ' ') && (i + 1 == s.size() || s[i + 1] == ' ')) continue;
    out += s[i];
  }
  out = CollapseSpaces(out);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return NormalizeText(out);
}

Normalized NormalizeName(std::string_view raw) {
  const std::string folded = Fold(raw);
  if (folded.rfind("(", 0) == 0 || folded.rfind("khong co", 0) == 0) {
    return {"", "", /*blank=*/true};  // "(không có thông tin)": no such person on record
  }
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), raw.size()));
  icu::UnicodeString kept;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    kept.append(IsLetterOrSpace(c) ? c : UChar32{' '});
  }
  std::string utf8;
  kept.toUTF8String(utf8);
  std::string name = CollapseSpaces(UpperNfc(utf8));
  if (name.empty()) return {"", "no name after the label"};
  const size_t space = name.find(' ');
  if (space != std::string::npos) {
    auto it = Surnames().find(Fold(name.substr(0, space)));
    if (it != Surnames().end()) name = it->second + name.substr(space);
  }
  return {name, ""};
}

Normalized NormalizeDate(std::string_view raw) {
  const std::string folded = FixDigitLookalikes(Fold(raw));
  static const std::regex kNumeric(R"((\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}))");
  static const std::regex kWords(
      R"(ngay\s*(\d{1,2})\s*[,.]?\s*thang\s*(\d{1,2})\s*[,.]?\s*nam\s*(\d{4}))");
  std::smatch numeric, words;
  const bool has_numeric = std::regex_search(folded, numeric, kNumeric);
  const bool has_words = std::regex_search(folded, words, kWords);
  if (!has_numeric && !has_words) return {"", "no date (dd/mm/yyyy or ngay D thang M nam YYYY)"};
  const std::smatch& m =
      !has_words || (has_numeric && numeric.position(0) < words.position(0)) ? numeric : words;
  const int d = std::stoi(m[1]), mo = std::stoi(m[2]), y = std::stoi(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) {
    return {"", "'" + m.str(0) + "' is not a date that exists"};
  }
  return {Iso(y, mo, d), ""};
}

Normalized NormalizeDigits(std::string_view raw) {
  const std::string fixed = FixDigitLookalikes(std::string(raw));
  std::string digits;
  for (char c : fixed)
    if (IsDigit(c)) digits += c;
  if (digits.empty()) return {"", "no digits after the label"};
  return {digits, ""};
}

Normalized NormalizeNumber(std::string_view raw) {
  const std::string fixed = FixDigitLookalikes(CollapseSpaces(raw));
  size_t i = 0;
  while (i < fixed.size() && !IsDigit(fixed[i]) && (fixed[i] == ' ' || fixed[i] == ':')) ++i;
  std::string digits;
  while (i < fixed.size() && IsDigit(fixed[i])) digits += fixed[i++];
  if (digits.empty()) return {"", "no number after the label"};
  while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
  return {digits, ""};
}

Normalized NormalizeBook(std::string_view raw) {
  const std::string fixed = FixDigitLookalikes(CollapseSpaces(raw));
  static const std::regex kBook(R"((\d{1,3})\s*/\s*(\d{4}))");
  std::smatch m;
  if (!std::regex_search(fixed, m, kBook)) return {"", "no book number NN/YYYY after the label"};
  std::string number = m[1];
  if (number.size() == 1) number = "0" + number;
  return {number + "/" + m.str(2), ""};
}

Normalized NormalizeSex(std::string_view raw) {
  const std::u32string s = SkeletonOf(raw);
  if (s == U"nam") return {"Nam", ""};
  if (s == U"nu") return {"Nữ", ""};
  if (s.rfind(U"nam", 0) == 0 && s.size() <= 4) return {"Nam", ""};
  if (s.rfind(U"nu", 0) == 0 && s.size() <= 3) return {"Nữ", ""};
  return {"", "'" + std::string(raw) + "' is neither Nam nor Nữ"};
}

Normalized NormalizeField(const std::string& normalizer, std::string_view raw) {
  if (normalizer == "name") return NormalizeName(raw);
  if (normalizer == "date") return NormalizeDate(raw);
  if (normalizer == "digits") return NormalizeDigits(raw);
  if (normalizer == "number") return NormalizeNumber(raw);
  if (normalizer == "book") return NormalizeBook(raw);
  if (normalizer == "sex") return NormalizeSex(raw);
  if (normalizer == "place") return NormalizePlace(raw);
  return NormalizeText(raw);
}

bool IsIsoDate(const std::string& iso) {
  int y, m, d;
  return ParseIso(iso, &y, &m, &d);
}

std::optional<std::string> AddMonths(const std::string& iso, int months) {
  int y, m, d;
  if (!ParseIso(iso, &y, &m, &d)) return std::nullopt;
  const int month0 = m - 1 + months;
  y += month0 / 12;
  m = month0 % 12 + 1;
  return Iso(y, m, std::min(d, DaysInMonth(y, m)));
}

std::string ValidateDate(const std::string& iso, const std::string& today) {
  int y, m, d;
  if (!ParseIso(iso, &y, &m, &d)) return "'" + iso + "' is not a date";
  if (y < 1900) return iso + " is before 1900";
  if (!today.empty() && iso > today) return iso + " is in the future";
  return "";
}

std::string ValidatePersonalId(const std::string& id, const std::string& sex,
                               const std::string& birth_date, bool* unverified) {
  if (id.size() != 12) {
    return "personal ID '" + id + "' has " + std::to_string(id.size()) + " digits, not 12";
  }
  for (char c : id)
    if (!IsDigit(c)) return "personal ID '" + id + "' is not all digits";
  const int province = std::stoi(id.substr(0, 3));
  if (province < 1 || province > 96) {
    return "personal ID " + id + ": province code " + id.substr(0, 3) + " is not 001-096";
  }
  const int century_sex = id[3] - '0';
  if (century_sex > 5) return "personal ID " + id + ": century/sex digit " + id.substr(3, 1) + " > 5";
  const bool female = century_sex % 2 == 1;
  const int century = 1900 + 100 * (century_sex / 2);
  bool checked_sex = false, checked_year = false;
  if (sex == "Nam" || sex == "Nữ") {
    checked_sex = true;
    if (female != (sex == "Nữ")) {
      return "personal ID " + id + ": digit 4 (" + id.substr(3, 1) + ") says " +
             (female ? "female" : "male") + " but the document says " + sex;
    }
  }
  int y, m, d;
  if (ParseIso(birth_date, &y, &m, &d)) {
    checked_year = true;
    const int id_year = century + std::stoi(id.substr(4, 2));
    if (id_year != y) {
      return "personal ID " + id + ": birth year " + std::to_string(id_year) +
             " but the document says " + std::to_string(y);
    }
  }
  if (unverified != nullptr) *unverified = !(checked_sex && checked_year);
  return "";
}

std::string ValidateName(const std::string& name) {
  int words = 1;
  for (char c : name) words += c == ' ';
  if (name.empty() || words < 2) return "name '" + name + "' has fewer than two words";
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(name);
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (!IsLetterOrSpace(c)) return "name '" + name + "' has characters that are not letters";
    if (u_isalpha(c) && u_islower(c)) return "name '" + name + "' is not in capitals";
  }
  return "";
}

std::string ValidateBook(const std::string& book, const std::string& today) {
  static const std::regex kBook(R"(\d{2,3}/(\d{4}))");
  std::smatch m;
  if (!std::regex_match(book, m, kBook)) return "book '" + book + "' is not NN/YYYY";
  const int year = std::stoi(m[1]);
  if (year < 1900 || (today.size() >= 4 && year > std::stoi(today.substr(0, 4)))) {
    return "book '" + book + "' has an implausible year";
  }
  return "";
}

std::string ValidateField(const std::string& validator, const std::string& value,
                          const ValidationContext& context, bool* unverified) {
  if (unverified != nullptr) *unverified = false;
  if (validator == "none") return "";
  if (value.empty()) return "empty";
  if (validator == "date") return ValidateDate(value, context.today);
  if (validator == "personal_id")
    return ValidatePersonalId(value, context.sex, context.birth_date, unverified);
  if (validator == "name") return ValidateName(value);
  if (validator == "book") return ValidateBook(value, context.today);
  if (validator == "number") {
    if (value.size() > 6) return "number '" + value + "' is longer than 6 digits";
    for (char c : value)
      if (!IsDigit(c)) return "number '" + value + "' is not all digits";
    return "";
  }
  if (validator == "sex") return value == "Nam" || value == "Nữ" ? "" : "'" + value + "' is not Nam/Nữ";
  return "";  // nonempty
}

}  // namespace sohoa
