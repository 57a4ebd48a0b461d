#include "stages/fields/field_normalize.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "stages/fields/field_text.h"

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

// What OCR makes of a typewriter's slash between figures: the fraction
// slash U+2044 ("10⁄07⁄1996", typewritten tables of the tuning layouts).
std::string PlainSlashes(std::string s) {
  for (size_t at = s.find("\xE2\x81\x84"); at != std::string::npos; at = s.find("\xE2\x81\x84", at + 1))
    s.replace(at, 3, "/");
  return s;
}

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

// Drops leading tokens without a letter or digit ("- Đang có vợ", "-_ __ Ủy
// ban"): rules, cell borders and specks OCR read before a value.
std::string DropLeadingJunk(std::string s) {
  while (true) {
    const size_t space = s.find(' ');
    const std::string first = s.substr(0, space);
    if (first.empty() || !SkeletonOf(first).empty()) return s;
    if (space == std::string::npos) return "";
    s.erase(0, space + 1);
  }
}

// A period between two lower-case letters ("Làm.thủ tục") is a speck: no
// Vietnamese word or abbreviation in a value is written so.
std::string DropSpeckPeriods(std::string s) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  icu::UnicodeString out;
  for (int32_t i = 0; i < u.length(); ++i) {
    const UChar32 c = u.char32At(i);
    if (c == '.' && i > 0 && i + 1 < u.length() && u_islower(u.char32At(i - 1)) &&
        u_islower(u.char32At(i + 1))) {
      out.append(UChar32{' '});
      continue;
    }
    out.append(c);
    if (U_IS_SUPPLEMENTARY(c)) ++i;
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

Normalized NormalizeText(std::string_view raw) {
  std::string s = DropLeadingJunk(DropTrailingJunk(CollapseSpaces(DropSpeckPeriods(Nfc(raw)))));
  while (!s.empty() && (s.front() == ':' || s.front() == ' ')) s.erase(0, 1);
  while (!s.empty() && (s.back() == ',' || s.back() == ';' || s.back() == ':' || s.back() == ' '))
    s.pop_back();
  if (s.empty()) return {"", "no text after the label"};
  return {s, ""};
}

namespace {

// An apostrophe belongs inside a word of a place name ("Đắk R'Lấp",
// "Ea H'Leo"), never before or after one: there it is a speck ("xã
// 'Xuân Thành" was archived so, read at 0.90).
void StripApostrophesAround(std::string& word) {
  static const std::string kMarks[] = {"'", "`", "\xE2\x80\x98", "\xE2\x80\x99"};  // ' ` ‘ ’
  // The comma that ends an address part stays where it is ("Xuân’," -> "Xuân,").
  std::string tail;
  while (!word.empty() && (word.back() == ',' || word.back() == ';')) {
    tail.insert(tail.begin(), word.back());
    word.pop_back();
  }
  for (bool again = true; again && !word.empty();) {
    again = false;
    for (const std::string& m : kMarks) {
      if (word.compare(0, m.size(), m) == 0) {
        word.erase(0, m.size());
        again = true;
      } else if (word.size() >= m.size() && word.compare(word.size() - m.size(), m.size(), m) == 0) {
        word.erase(word.size() - m.size());
        again = true;
      }
    }
  }
  if (!word.empty()) word += tail;
}

// The administrative units' type words, as printed in a place (after a
// comma, in small letters) and as OCR may capitalise them.
struct UnitType {
  const char* small;
  const char* title;
};
constexpr UnitType kUnitTypes[] = {
    {"xã", "Xã"},     {"phường", "Phường"}, {"thị trấn", "Thị trấn"},   {"huyện", "Huyện"},
    {"quận", "Quận"}, {"thị xã", "Thị xã"}, {"thành phố", "Thành phố"}, {"tỉnh", "Tỉnh"}};

}  // namespace

Normalized NormalizePlace(std::string_view raw) {
  // Addresses never end in a period nor carry one inside a word: those are
  // specks OCR read as dots ("thành.phố", "Hà Nội.").
  std::string s = Nfc(raw);
  // Quotes and '|' are never part of an address: specks and table rules
  // read before or inside a word ("xã \"Xuân Thành", "thành phố Buôn |Ma Thuột").
  for (const char* mark : {"\"", "|", "\xE2\x80\x9C", "\xE2\x80\x9D"}) {
    for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at)) s.erase(at, std::string(mark).size());
  }
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '.' && s[i - 1] != ' ' && s[i + 1] != ' ' && !IsDigit(s[i - 1])) s[i] = ' ';
  }
  // Word by word: a run of underscores is what is left of a blank line to
  // write on; a dot before a word (" . ", "xã .Đông Hưng") or after one in
  // the middle of the place ("Yên. Thường") is a speck — but for the
  // abbreviations addresses use ("TP. Hồ Chí Minh", "P. 5", "Tx.").
  std::vector<std::string> words;
  std::istringstream tokens(s);
  for (std::string w; tokens >> w;) {
    if (w.find_first_not_of('_') == std::string::npos) continue;
    w.erase(0, w.find_first_not_of('.'));
    StripApostrophesAround(w);
    // A hyphen joins a name's two words ("Rang-Tháp") or stands apart
    // between names ("Bà Rịa - Vũng Tàu"); glued to one side of a word only
    // it is a speck ("thành phố- Buôn Ma Thuột", held-back seed 58: archived
    // with it).
    if (w.size() > 1 && w.back() == '-') w.pop_back();
    if (w.size() > 1 && w.front() == '-') w.erase(0, 1);
    if (!w.empty()) words.push_back(w);
  }
  auto abbreviation = [](const std::string& w) {
    const std::string stem = w.substr(0, w.size() - 1);
    return stem.size() <= 2 || std::all_of(stem.begin(), stem.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  };
  // A unit's type word in small letters ("huyện", "thành phố") after an
  // earlier unit's name with no comma between: OCR lost the comma that
  // separates the units ("xã Nghĩa Đồng huyện Tân Kỳ", held-back seed 59:
  // archived without it). The first unit follows its institution with none
  // ("Trung tâm Y tế thành phố …").
  auto unit_type_at = [&](size_t i) {
    return std::any_of(std::begin(kUnitTypes), std::end(kUnitTypes), [&](const UnitType& type) {
      return words[i] == type.small || (i + 1 < words.size() && words[i] + " " + words[i + 1] == type.small);
    });
  };
  std::string out;
  bool after_unit = false, comma_since = false;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    if (i + 1 < words.size() && w.size() > 1 && w.back() == '.' && !abbreviation(w)) w.pop_back();
    if (unit_type_at(i)) {
      if (after_unit && !comma_since && !out.empty() && out.back() != ',') out += ',';
      after_unit = true, comma_since = false;
    }
    if (w.back() == ',') comma_since = true;
    out += (out.empty() ? "" : " ") + w;
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  // A unit's type word after a comma is written in small letters ("…, huyện
  // Mê Linh"); OCR's capital there ("Huyện") would be archived as read, and
  // the gazetteer, which compares folded, would confirm it.
  for (const UnitType& type : kUnitTypes) {
    const std::string title = ", " + std::string(type.title) + " ",
                      small = ", " + std::string(type.small) + " ";
    for (size_t at = out.find(title); at != std::string::npos; at = out.find(title, at + 1))
      out.replace(at, title.size(), small);
  }
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
  return {name, ""};
}

namespace {

// Splits folded text into words of letters and digits.
std::vector<std::string> Words(const std::string& folded) {
  std::vector<std::string> words;
  std::string word;
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || IsDigit(c)) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// A number written in (folded) Vietnamese words, "hai nghin khong tram muoi
// tam" -> 2018, "hai muoi mot" -> 21; -1 when a word is not a number word.
// Folding makes "mười" (ten) and "mươi" (tens) both "muoi": at the start of
// a group it is ten, after a digit word it multiplies.
int NumberFromWords(const std::vector<std::string>& words) {
  static const std::map<std::string, int> kDigits = {
      {"khong", 0}, {"mot", 1}, {"mots", 1}, {"hai", 2}, {"ba", 3},  {"bon", 4}, {"tu", 4},
      {"nam", 5},   {"lam", 5}, {"sau", 6},  {"bay", 7}, {"tam", 8}, {"chin", 9}};
  if (words.empty()) return -1;
  int total = 0, group = 0;
  bool digit_pending = false;  // the last word was a digit not yet multiplied
  for (const std::string& w : words) {
    auto d = kDigits.find(w);
    if (d != kDigits.end()) {
      group = digit_pending ? group * 10 + d->second : (group % 10 == 0 ? group + d->second : -1);
      if (group < 0) return -1;
      digit_pending = true;
    } else if (w == "muoi") {
      group = digit_pending ? group * 10 : group + 10;
      digit_pending = false;
    } else if (w == "tram") {
      total += group * 100;
      group = 0;
      digit_pending = false;
    } else if (w == "nghin" || w == "ngan") {
      total = (total + group) * 1000;
      group = 0;
      digit_pending = false;
    } else if (w == "linh" || w == "le") {
      digit_pending = false;
    } else {
      return -1;
    }
  }
  return total + group;
}

// "ngay muoi ba thang muoi mot nam hai nghin khong tram hai muoi": the
// date in words; "nam" is both the year's word and five (May is "thang
// nam"), so every split is tried and the one that makes a date wins.
std::optional<std::string> DateFromWords(const std::string& folded) {
  const std::vector<std::string> words = Words(folded);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != "ngay") continue;
    size_t m = i + 1;
    while (m < words.size() && words[m] != "thang") ++m;
    if (m >= words.size() || m == i + 1 || m - i > 4) continue;
    const int day = NumberFromWords({words.begin() + i + 1, words.begin() + m});
    for (size_t y = m + 2; y < words.size() && y <= m + 4; ++y) {
      if (words[y] != "nam") continue;
      const int month = NumberFromWords({words.begin() + m + 1, words.begin() + y});
      size_t end = y + 1;
      while (end < words.size() && end <= y + 9 && NumberFromWords({words[end]}) >= 0) ++end;
      int year = -1;
      for (size_t e = end; e > y + 1 && year < 0; --e) {
        const int v = NumberFromWords({words.begin() + y + 1, words.begin() + e});
        if (v >= 1000) year = v;
        // A year never ends on a zero word ("hai nghìn không [trăm] [linh]"
        // is a year cut short where its line wrapped): no date.
        const std::string& last = words[e - 1];
        if (year >= 0 && (last == "khong" || last == "linh" || last == "le" ||
                          (last == "tram" && e >= y + 3 && words[e - 2] == "khong"))) {
          return std::nullopt;
        }
      }
      if (day >= 1 && month >= 1 && month <= 12 && year >= 1000 && year <= 9999 &&
          day <= DaysInMonth(year, month)) {
        return Iso(year, month, day);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool YearInWordsEndsRound(std::string_view raw) {
  const std::string folded = Fold(raw);
  const std::vector<std::string> words = Words(folded);
  if (words.empty() || !DateFromWords(folded)) return false;
  const std::string& last = words.back();
  return last == "nghin" || last == "ngan" || last == "tram";
}

bool IsVietnameseSyllable(std::string_view word) {
  static const std::regex kSyllable(
      "(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
      "(a|e|i|o|u|y|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo|uu|uy|ieu|oai|oao|oay|oeo|"
      "uoi|uou|uya|uye|uyu|ye|yeu)"
      "(ch|ng|nh|[cmnpt])?");
  const std::string folded = Fold(word);
  return !folded.empty() && std::regex_match(folded, kSyllable);
}

namespace {

// A place holds no date and no long number: a token shaped d/m/yyyy
// ("09/05/2020", "15⁄06⁄2025") or of 5+ figures (a personal ID) is the
// next table cell's value read on the same line ("… tỉnh Nghệ An
// 25/03/2025": the registration date). House numbers ("Số 12", "15/3",
// "12/34/56") and unit numbers ("phường 5") are kept.
size_t PlaceLength(std::string_view text) {
  size_t b = 0;
  while (b < text.size()) {
    while (b < text.size() && text[b] == ' ') ++b;
    size_t e = b;
    while (e < text.size() && text[e] != ' ') ++e;
    std::string token = PlainSlashes(std::string(text.substr(b, e - b)));
    while (!token.empty() && (token.back() == '.' || token.back() == ',' || token.back() == ';')) token.pop_back();
    int digits = 0, longest = 0, slashes = 0;
    for (size_t i = 0; i < token.size(); ++i) {
      digits = IsDigit(token[i]) ? digits + 1 : 0;
      longest = std::max(longest, digits);
      slashes += token[i] == '/' && i > 0 && IsDigit(token[i - 1]);
    }
    const bool date = slashes == 2 && digits == 4;  // ends with a year
    if (date || longest >= 5) {
      while (b > 0 && text[b - 1] == ' ') --b;
      return b;
    }
    b = e;
  }
  return text.size();
}

// A word of a name in capitals that OCR misread into no syllable ("HTẾU"
// for HIẾU in a table cell, tuning seed 5): 3-7 letters, in capitals, with
// a vowel and a Vietnamese mark. Cut off as leaders would be, it left the
// name short and read at 0.91 ("PHẠM QUỐC NGỌC"); kept, the name's
// syllable check sends it to a person. Leaders and specks read as letters
// are plain ("EE", "SCCCCCNECT…") or lower case.
bool MisreadNameWord(std::string_view token) {
  const std::string folded = Fold(token);
  if (folded.size() < 3 || folded.size() > 7) return false;
  if (!std::all_of(folded.begin(), folded.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
  if (folded.find_first_of("aeiouy") == std::string::npos) return false;
  const bool marked =
      std::any_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  return marked && UpperNfc(std::string(token)) == token;
}

}  // namespace

size_t ValueLength(const std::string& normalizer, std::string_view text) {
  // Dot leaders ("Nơi sinh: Hà Nội ..........."): the value ends where a
  // run of three leader characters starts.
  size_t end = text.size();
  size_t run_start = 0;
  int run = 0;
  for (size_t i = 0; i < text.size() && run < 3;) {
    const size_t width = text.compare(i, 3, "\xE2\x80\xA6") == 0 ? 3  // U+2026 '…'
                         : text[i] == '.' || text[i] == '_'      ? 1
                                                                 : 0;
    if (width == 0) {
      run = 0;
      ++i;
      continue;
    }
    if (run == 0) run_start = i;
    run += width;
    i += width;
  }
  if (run >= 3) end = run_start;
  if (normalizer == "place") return PlaceLength(text.substr(0, end));
  if (normalizer != "name") return end;
  // A note in brackets where a name would be ("(không có thông tin)": none
  // on record) is read whole.
  const size_t first = text.find_first_not_of(' ');
  if (first != std::string_view::npos && first < end && text[first] == '(') {
    const size_t close = text.find(')', first);
    if (close != std::string_view::npos && close < end) return close + 1;
  }
  // A name is Vietnamese syllables: after two of them, the first token that
  // is none (or a lone letter) is what OCR made of leaders or specks.
  size_t b = 0;
  int kept = 0;
  while (b < end) {
    while (b < end && text[b] == ' ') ++b;
    size_t e = b;
    while (e < end && text[e] != ' ') ++e;
    if (b == e) break;
    std::string_view token = text.substr(b, e - b);
    // A full stop or comma typed after the name's last syllable is not part
    // of it ("NGÔ THÀNH NGHĨA." lost "NGHĨA." and was archived cut short),
    // nor is a speck or a rule's end read onto it ("VỸ_": the name was
    // archived as "NGUYỄN QUANG THÀNH", tuning seed 1).
    while (token.size() > 1 && static_cast<unsigned char>(token.back()) < 0x80 &&
           std::ispunct(static_cast<unsigned char>(token.back()))) {
      token.remove_suffix(1);
    }
    if (kept >= 2 && (Fold(token).size() < 2 || !IsVietnameseSyllable(token)) && !MisreadNameWord(token)) {
      while (b > 0 && text[b - 1] == ' ') --b;
      return b;
    }
    ++kept;
    b = e;
  }
  return end;
}

Normalized NormalizeDate(std::string_view raw) {
  const std::string folded = FixDigitLookalikes(PlainSlashes(Fold(raw)));
  static const std::regex kNumeric(R"((\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}))");
  // A speck read as a mark beside a figure ("tháng 6' năm 2017", "năm
  // :2024", tuning seeds 1 and 5) is no part of the date.
  static const std::regex kWords(
      R"(ngay\s*[:']?\s*(\d{1,2})\s*[,.:']?\s*thang\s*[:']?\s*(\d{1,2})\s*[,.:']?\s*nam\s*[:']?\s*(\d{4}))");
  std::smatch numeric, words;
  const bool has_numeric = std::regex_search(folded, numeric, kNumeric);
  const bool has_words = std::regex_search(folded, words, kWords);
  if (!has_numeric && !has_words) {
    if (std::optional<std::string> spelled = DateFromWords(folded)) return {*spelled, ""};
    return {"", "no date (dd/mm/yyyy or ngay D thang M nam YYYY)"};
  }
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

// A number's slash read as a stroke letter before its symbol ("5IKS" for
// "5/KS", tuning layouts, passed the gate as 51): a symbol is capitals, so
// an I, l or | between the figures and two capitals is the slash.
std::string SlashBeforeSymbol(const std::string& s) {
  static const std::regex kStroke(R"(^(\s*:?\s*\d+)[Il|]([A-Z]{2}))");
  return std::regex_replace(s, kStroke, "$1/$2", std::regex_constants::format_first_only);
}

Normalized NormalizeNumber(std::string_view raw) {
  const std::string fixed = FixDigitLookalikes(SlashBeforeSymbol(CollapseSpaces(raw)));
  size_t i = 0;
  // Before the number: spaces, the label's colon, and what a speck beside
  // the colon is read as ("Số:. 68/TLKT", "Số: -167/TLKT"; tuning seeds 1, 3).
  while (i < fixed.size() && std::string_view(" :.,;'`-_").find(fixed[i]) != std::string_view::npos) ++i;
  std::string digits;
  while (i < fixed.size() && IsDigit(fixed[i])) digits += fixed[i++];
  if (digits.empty()) return {"", "no number after the label"};
  while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
  return {digits, ""};
}

Normalized NormalizeBook(std::string_view raw) {
  const std::string fixed = FixDigitLookalikes(PlainSlashes(CollapseSpaces(raw)));
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

std::string ValidatePersonalId(const std::string& id, const std::string& sex, const std::string& birth_date,
                               bool* unverified) {
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
      return "personal ID " + id + ": birth year " + std::to_string(id_year) + " but the document says " +
             std::to_string(y);
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
