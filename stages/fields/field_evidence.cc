#include "stages/fields/field_evidence.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "pipeline/core/error_text.h"
#include "stages/fields/field_normalize.h"
#include "stages/fields/field_text.h"
#include "stages/fields/place_rebuild.h"
#include "stages/fields/place_units.h"

namespace sohoa {
namespace {

void Correct(FieldValue* value, const std::string& corrected) {
  if (corrected == value->value) return;
  if (value->corrected_from.empty()) value->corrected_from = value->value;
  value->value = corrected;
}

// Is `word` spelled as an entry of `lexicon` (case aside), not merely close to one?
bool Spelled(const Lexicon& lexicon, const std::string& word) {
  std::optional<Lexicon::Match> m = lexicon.Lookup(word);
  return m && m->exact;
}

// Every word of a name after its surname is spelled as a known syllable of
// middle and given names, or as a surname (a second surname carried as a
// middle name). OCR's confidence does not vouch for them: "HÃNG" for HẰNG
// was read at 0.90, both readers agreeing (stages/page/letter_reread.h), in
// a name and in a marital status's name on the tuning layouts.
//
// Nor does it vouch for a name that ends on THỊ or VĂN, the middle names
// that mark a woman's or a man's name: a given name is never one of them
// in practice, and a name ending there has lost its given name to a table
// cell or a cut line (tuning layouts: a surname and THỊ, for a three-word
// name, read at 0.97). A person completes it from the page.
//
// Nor for a name of two words. Cut names are read with confidence (a
// four-word name read as three at 0.90 and archived; a three-word name as
// two at 0.90 and 0.92: tuning seeds 1-7, every word right and known), and
// only a name cut to two words shows it: on tuning seeds 1-7 both two-word
// readings of names with no other problem were cut ones, against 284 right
// three-word and 68 right four-word names. Real names of two words exist
// (older people, some ethnic groups) and go to a person too: a review, not
// a wrong value archived.
//
// A word that is no known syllable but has the letters of exactly one, its
// marks aside, and of no surname, is written as that one and the reading
// recorded, a suggestion for the person the name still goes to: "HÃNG" for
// HẰNG, a mark read for another on a typewriter face (4 names on tuning
// seeds 1-7, the only such misreadings there).
std::string CheckNameSyllables(const FieldLexicons& lexicons, FieldValue* name) {
  std::istringstream words(name->value);
  std::string word;
  words >> word;  // the surname: ApplyLexicon checks it
  std::string written = word, last;
  std::string problem;
  int count = 1;
  while (words >> word) {
    ++count;
    if (problem.empty() && !Spelled(lexicons.name_syllables, word) && !Spelled(lexicons.surnames, word)) {
      const std::optional<Lexicon::Match> m = lexicons.name_syllables.Lookup(word);
      if (m && m->distance == 0 && lexicons.surnames.EntriesWithLettersOf(word) == 0) {
        problem = ErrorText("check.name_syllable_suggested", {{"value", word}, {"suggestion", m->entry}});
        word = m->entry;
      } else {
        problem = ErrorText("check.name_syllable", {{"value", word}});
      }
    }
    written += " " + word;
    last = word;
  }
  Correct(name, written);
  if (!problem.empty()) return problem;
  static const std::set<std::string> kMiddleOnly = {"THỊ", "VĂN"};
  if (kMiddleOnly.count(UpperNfc(last)))
    return ErrorText("check.name_ends_middle", {{"value", name->value}, {"word", last}});
  if (count == 2) return ErrorText("check.name_two_words", {});
  return "";
}

}  // namespace

std::string ApplyLexicon(const FieldLexicons& lexicons, const std::string& lexicon, FieldValue* value) {
  if (value->value.empty()) return "";
  if (lexicon == "surnames") {
    const size_t space = value->value.find(' ');
    const std::string first = value->value.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : value->value.substr(space);
    std::optional<Lexicon::Match> m = lexicons.surnames.Lookup(first);
    if (!m) return "surname '" + first + "' is not one of the known Vietnamese surnames";
    Correct(value, UpperNfc(m->entry) + rest);
    return CheckNameSyllables(lexicons, value);
  }
  const Lexicon* l = lexicon == "ethnic_groups"   ? &lexicons.ethnic_groups
                     : lexicon == "nationalities" ? &lexicons.nationalities
                                                  : nullptr;
  if (l == nullptr) {
    if (lexicon == "provinces") {
      if (!lexicons.provinces.ProvinceOf(value->value)) return "'" + value->value + "' is not a province";
      CorrectPlaceProvince(lexicons.provinces, value);
    }
    return "";
  }
  std::optional<Lexicon::Match> m = l->Lookup(value->value);
  if (!m) {
    return "'" + value->value + "' is not " +
           (lexicon == "ethnic_groups" ? "one of the 54 ethnic groups" : "a known nationality");
  }
  Correct(value, m->entry);
  return "";
}

// "Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án|Quyết định số N ngày D
// của Tòa án nhân dân DISTRICT; hiện tại chưa đăng ký kết hôn với ai.":
// the fixed words within two skeleton edits each, the judgment's number
// "N/YYYY/CODE" of the year of its date D (a real date), the court a
// district the gazetteer lists, spelled exactly. The value in the fixed
// words, or nullopt.
std::optional<std::string> MatchDivorce(const FieldLexicons& lexicons, const std::string& read) {
  static const std::string kOpening = "Đã đăng ký kết hôn, nhưng đã ly hôn theo ";
  static const std::string kCourt = "Tòa án nhân dân ";
  static const std::string kClosing = "hiện tại chưa đăng ký kết hôn với ai.";
  static const std::regex shape(
      R"(^(.+?)\s+số\s*:?\s*([0-9]{1,5})/([0-9]{4})/([A-ZĐ][A-ZĐ0-9-]*)\s*,?\s+ngày\s+([0-9]{1,2}/[0-9]{1,2}/[0-9]{4})\s+của\s+(.+?)\s*;\s*(.+?)\s*$)");
  std::smatch m;
  if (!std::regex_match(read, m, shape)) return std::nullopt;
  constexpr int kTolerance = 2;
  auto near = [&](const std::string& text, const std::string& fixed) {
    return EditDistance(SkeletonOf(text), SkeletonOf(fixed)) <= kTolerance;
  };
  std::string ruling;
  for (const std::string r : {"Bản án", "Quyết định"})
    if (near(m[1], kOpening + r)) ruling = r;
  if (ruling.empty() || !near(m[7], kClosing)) return std::nullopt;
  const Normalized date = NormalizeDate(m[5].str());
  if (!date.ok() || date.value.substr(0, 4) != m[3].str()) return std::nullopt;
  const std::string court = m[6];
  if (court.size() <= kCourt.size() || !near(court.substr(0, kCourt.size()), kCourt)) return std::nullopt;
  const std::string district = court.substr(kCourt.size());
  if (!lexicons.gazetteer.HasDistrict(district)) return std::nullopt;
  return kOpening + ruling + " số " + m[2].str() + "/" + m[3].str() + "/" + m[4].str() + " ngày " +
         m[5].str() + " của " + kCourt + district + "; " + kClosing;
}

std::string MatchMaritalStatus(const FieldLexicons& lexicons, FieldValue* value, bool* matched) {
  *matched = false;
  const Skeleton read = MakeSkeleton(value->value);
  constexpr int kTolerance = 2;
  const std::string never = "Chưa đăng ký kết hôn với ai.";
  if (EditDistance(read.chars, SkeletonOf(never)) <= kTolerance) {
    Correct(value, never);
    *matched = true;
    return "";
  }
  for (const std::string married : {"Đang có vợ/chồng là", "Đang có vợ là", "Đang có chồng là"}) {
    size_t end = 0;
    const std::u32string fixed = SkeletonOf(married);
    if (PrefixDistance(fixed, read.chars, 0, kTolerance, &end) > kTolerance || end >= read.chars.size()) continue;
    // The name starts after "là" read as its letters and a space: the
    // tolerance must not take a name's first word for "là" ("chồng LÊ VĂN
    // NAM" would leave "VĂN NAM", a surname and a syllable) nor cut a word.
    const size_t cut = read.end[end - 1];
    const size_t space = value->value.rfind(' ', cut - 1);
    const size_t last_word = space == std::string::npos ? 0 : space + 1;
    if (read.begin[end] == cut || SkeletonOf(value->value.substr(last_word, cut - last_word)) != U"la") continue;
    FieldValue name{NormalizeName(value->value.substr(cut)).value, value->confidence, "", ""};
    if (name.value.empty() || name.value.find(' ') == std::string::npos) continue;  // a name has 2+ words
    const std::string problem = ApplyLexicon(lexicons, "surnames", &name);
    if (!problem.empty()) return problem;
    Correct(value, married + " " + name.value + ".");
    *matched = true;
    return "";
  }
  if (std::optional<std::string> divorce = MatchDivorce(lexicons, value->value)) {
    Correct(value, *divorce);
    *matched = true;
  }
  return "";
}

void MatchStandardPhrase(const Lexicon& phrases, FieldValue* value, bool* matched) {
  *matched = false;
  std::optional<Lexicon::Match> m = phrases.Lookup(value->value);
  // Lookup also forgives an edit per five letters; for free text only the
  // same letters count (distance 0, which Lookup gives when one entry has them).
  if (!m || m->distance != 0) return;
  Correct(value, m->entry);
  *matched = true;
}

void CorrectPlaceProvince(const ProvinceLexicon& provinces, FieldValue* place) {
  std::optional<ProvinceLexicon::Province> p = provinces.ProvinceOf(place->value);
  if (!p || p->printed == p->name) return;
  const std::string& v = place->value;
  if (v.size() < p->printed.size() ||
      v.compare(v.size() - p->printed.size(), std::string::npos, p->printed) != 0)
    return;
  Correct(place, v.substr(0, v.size() - p->printed.size()) + p->name);
}

void CutPlaceRunOn(const ProvinceLexicon& provinces, FieldValue* place) {
  Correct(place, CutPlaceAtProvince(provinces, place->value));
}

std::string CheckPlaceInGazetteer(const FieldLexicons& lexicons, FieldValue* place) {
  std::string checked = place->value;
  const std::string problem = lexicons.gazetteer.CheckUnits(lexicons.provinces, &checked);
  if (problem.empty()) Correct(place, checked);
  return problem;
}

bool PrintedAsAPlace(const std::string& place) {
  for (size_t comma = place.find(','); comma != std::string::npos; comma = place.find(',', comma + 1)) {
    if (comma == 0 || place[comma - 1] == ' ' || place.compare(comma + 1, 1, " ") != 0) return false;
  }
  const size_t last = place.rfind(", ");
  if (last == std::string::npos) return true;  // an institution of the province: Confirms checks it
  const std::string province = LowerNfc(place.substr(last + 2));
  return province.rfind("tỉnh ", 0) == 0 || province.rfind("thành phố ", 0) == 0;
}

bool GazetteerVouchesFor(const FieldLexicons& lexicons, const std::string& place) {
  return PrintedAsAPlace(place) && lexicons.gazetteer.Confirms(place, lexicons.provinces);
}

namespace {

// The words of a home and its hamlet before a place's units ("Tại nhà,
// Thôn 5, "): the bytes they take, 0 when the place does not open so. The
// hamlet's types are the ones below the commune (thôn, xóm, ấp, bản, buôn,
// làng, tổ dân phố, khu phố, khối, tổ); its name is one to three words.
size_t HomeAndHamletBytes(const std::string& place) {
  static const std::regex kHomeAndHamlet(
      "^(Tại nhà, )?(Thôn|Xóm|Ấp|Bản|Buôn|Làng|Tổ dân phố|Khu phố|Khối|Tổ)( [^ ,]+){1,3}, ");
  std::smatch m;
  return std::regex_search(place, m, kHomeAndHamlet) ? static_cast<size_t>(m.length(0)) : 0;
}

// Whether `text`'s words are, in order, the first of `words` as read
// (a trailing comma aside), each read at `bar` or more; the lowest
// confidence among them in *lowest.
bool ReadSurelyFirst(const std::string& text, const std::vector<ReadWord>& words, double bar, float* lowest) {
  auto bare = [](std::string w) {
    if (!w.empty() && w.back() == ',') w.pop_back();
    return w;
  };
  std::istringstream in(text);
  std::string word;
  size_t i = 0;
  *lowest = 1;
  for (; in >> word; ++i) {
    if (i >= words.size()) return false;
    if (bare(words[i].text) != bare(word) || words[i].confidence < bar) return false;
    *lowest = std::min(*lowest, words[i].confidence);
  }
  return i > 0;
}

}  // namespace

std::string RebuildDamagedPlace(const FieldLexicons& lexicons, const std::string& problem,
                                const std::vector<ReadWord>& words, double bar, FieldValue* place) {
  if (problem.empty()) return problem;
  std::optional<std::string> rebuilt = RebuildPlaceFromGazetteer(lexicons, place->value);
  if (!rebuilt) return problem;
  const std::string read = place->value;
  Correct(place, *rebuilt);
  if (GazetteerVouchesFor(lexicons, place->value)) {
    place->confidence = std::max(place->confidence, kGazetteerConfirmed);
    return "";
  }
  const size_t home = HomeAndHamletBytes(place->value);
  float lowest = 0;
  if (home > 0 && GazetteerVouchesFor(lexicons, place->value.substr(home)) &&
      ReadSurelyFirst(place->value.substr(0, home), words, bar, &lowest)) {
    place->confidence = std::min(lowest, kGazetteerConfirmed);
    return "";
  }
  return ErrorText("check.place_rebuilt", {{"value", read}});
}

// The place's first words, as many as the institution has.
std::string InstitutionPrefix(const std::string& place, const std::string& institution) {
  const size_t words = std::count(institution.begin(), institution.end(), ' ') + 1;
  size_t end = 0;
  for (size_t w = 0; w < words && end != std::string::npos; ++w) end = place.find(' ', w == 0 ? 0 : end + 1);
  return place.substr(0, end);
}

// An institution misread in a letter or two ("Ủy bari nhân dân"): the one
// institution of 10 letters or more whose letters are within 2 edits of the
// place's first words, every other at least 3 edits further; "" when none is.
std::string MisreadInstitution(const std::string& place) {
  constexpr int kMaxEdits = 2, kMargin = 3;
  std::string best;
  int best_distance = 1 << 30, runner_up = 1 << 30;
  for (const std::string& institution : PlaceInstitutions()) {
    const std::u32string letters = SkeletonOf(institution);
    if (letters.size() < 10) continue;  // "Trạm Y tế": two edits would be a third of it
    const int d = EditDistance(SkeletonOf(InstitutionPrefix(place, institution)), letters);
    if (d < best_distance) {
      runner_up = std::min(runner_up, best_distance);
      best_distance = d, best = institution;
    } else {
      runner_up = std::min(runner_up, d);
    }
  }
  return best_distance <= kMaxEdits && runner_up >= best_distance + kMargin ? best : "";
}

// The case of an institution's words as a paper may print them: as the
// list spells it, in sentence case ("Trạm y tế"), in title case ("Ủy Ban
// Nhân Dân") or in capitals. Any other mix ("Ủy ban nhân Dân", tuning seed
// 4: a d read as D) is OCR's.
bool PrintableCase(const std::string& prefix, const std::string& institution) {
  if (prefix == institution || UpperNfc(prefix) == prefix) return true;
  std::istringstream in(prefix);
  bool sentence = true, title = true, first_word = true;
  for (std::string word; in >> word; first_word = false) {
    const size_t first = FirstCodePointBytes(word);
    const bool capital = UpperNfc(word.substr(0, first)) == word.substr(0, first);
    const bool rest_small = LowerNfc(word.substr(first)) == word.substr(first);
    sentence = sentence && rest_small && capital == first_word;
    title = title && rest_small && capital;
  }
  return sentence || title;
}

void CorrectPlaceInstitution(FieldValue* place) {
  const std::string& v = place->value;
  if (const std::string institution = MisreadInstitution(v); !institution.empty()) {
    const std::string prefix = InstitutionPrefix(v, institution);
    if (Fold(prefix) != Fold(institution)) {
      Correct(place, institution + v.substr(prefix.size()));
      return;
    }
  }
  for (const std::string& institution : PlaceInstitutions()) {
    const std::string prefix = InstitutionPrefix(v, institution);
    if (Fold(prefix) != Fold(institution)) continue;
    const bool same_letters =
        LowerNfc(prefix) == LowerNfc(institution) || LowerNfc(prefix) == LowerNfc(kCommitteeOlderSpelling);
    // The same letters: only a small first letter is corrected (a place
    // that starts with its institution starts with a capital; a seal's
    // mark before it had taken the capital, "bệnh viện Đa khoa …").
    const size_t first = FirstCodePointBytes(prefix);
    const bool capital = UpperNfc(prefix.substr(0, first)) == prefix.substr(0, first);
    if (same_letters && capital && PrintableCase(prefix, institution)) return;
    Correct(place, same_letters && !capital ? UpperNfc(prefix.substr(0, first)) + v.substr(first)
                                            : institution + v.substr(prefix.size()));
    return;
  }
}

std::string CheckRegistrationProvince(const ProvinceLexicon& provinces, const std::string& id,
                                      const std::string& place, bool* unverified) {
  std::optional<ProvinceLexicon::Province> p = provinces.ProvinceOf(place);
  if (!p || id.size() < 3) {
    *unverified = true;
    return "";
  }
  if (id.substr(0, 3) == p->code) return "";
  return "personal ID " + id + ": province code " + id.substr(0, 3) + " but the birth was registered in " +
         p->name + " (" + p->code + ")";
}

std::string CheckPlaceNamesProvince(const ProvinceLexicon& provinces, const std::string& place) {
  if (place.empty() || provinces.ProvinceOf(place)) return "";
  return "'" + place + "' names no province";
}

std::string CheckPrintedTwice(const std::vector<std::string>& readings) {
  std::set<std::string> distinct(readings.begin(), readings.end());
  distinct.erase("");
  if (distinct.size() <= 1) return "";
  // Joined with " / ", not a word: the list is a parameter of a message
  // said in either language (pipeline/core/error_text.cc).
  std::string list;
  for (const std::string& r : distinct) list += (list.empty() ? "" : " / ") + r;
  return ErrorText("check.printed_twice", {{"count", std::to_string(readings.size())}, {"readings", list}});
}

std::string CheckAgeAt(const std::string& birth, const std::string& on, const std::string& on_field,
                       int min_years, int max_years) {
  static const std::regex iso("([0-9]{4})-([0-9]{2})-([0-9]{2})");
  std::smatch b, o;
  if (!std::regex_match(birth, b, iso) || !std::regex_match(on, o, iso)) return "";
  // Whole years: one less when the birthday has not come yet that year.
  const int age = std::stoi(o[1]) - std::stoi(b[1]) - (on.substr(5) < birth.substr(5) ? 1 : 0);
  if (age >= min_years && age <= max_years) return "";
  return ErrorText("check.age_at", {{"value", birth},
                                    {"age", std::to_string(age)},
                                    {"field", on_field},
                                    {"date", on},
                                    {"min", std::to_string(min_years)},
                                    {"max", std::to_string(max_years)}});
}

}  // namespace sohoa
