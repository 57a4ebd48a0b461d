// Lexicons of field values (schemas/lexicons/*): the administrative units,
// the 54 ethnic groups, nationalities, Vietnamese surnames and the syllables
// of middle and given names. Evidence beyond
// Tesseract's word confidence: a value that is a lexicon entry is vouched
// for; one that is not goes to a person; one that is *close* to exactly one
// entry is corrected to it, and the correction is recorded by the caller
// (FieldValue::corrected_from) so reviewers and the export see it.
//
// File format: UTF-8 lines, '#' starts a note line; an entry is its printed
// form, then other spellings in use, '|' separated ("Mông|H'Mông|Hmông").
// provinces.tsv is "code<TAB>name<TAB>type" (the code is the first three
// digits of a personal ID registered there).
//
// Matching is on the skeleton (stages/fields/field_text.h: folded letters and
// digits): diacritics OCR lost or swapped cost nothing when only one entry
// has that skeleton; besides that, at most one edit per five letters (none
// under four) and the nearest entry must be unique. Ambiguity is never
// resolved by a guess ("VẼ" is one edit from both Võ and Vũ: no correction).
//
// Thread-safety: immutable after loading; share freely.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

class Lexicon {
 public:
  Lexicon() = default;
  // Each entry: printed form first, then other spellings.
  explicit Lexicon(std::vector<std::vector<std::string>> entries);
  // kConfiguration naming the file when it cannot be read or holds no entry.
  static StatusOr<Lexicon> Load(const std::string& path);

  struct Match {
    std::string entry;   // the printed form of the entry; "" when none
    bool exact = false;  // the value is spelled as the entry (or a listed spelling)
    int distance = 0;    // skeleton edits between value and entry
  };
  // The entry `value` is, or is unambiguously close to; nullopt otherwise.
  std::optional<Match> Lookup(std::string_view value) const;
  // How many entries have a spelling with `value`'s letters, diacritics
  // aside (its skeleton): "LA" -> 2 (LA, LÃ), "NGUYÊN" -> 1.
  size_t EntriesWithLettersOf(std::string_view value) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::string> entries_;                     // printed forms
  std::vector<std::pair<std::u32string, size_t>> keys_;  // skeleton of each spelling -> entry
  std::map<std::string, size_t> spellings_;              // NFC spelling -> entry
};

// Province code by name, from provinces.tsv.
class ProvinceLexicon {
 public:
  static StatusOr<ProvinceLexicon> Load(const std::string& path);
  struct Province {
    std::string code;     // "042"
    std::string name;     // as the lexicon spells it: "Hà Tĩnh"
    std::string printed;  // as the place printed it, the end of the place: "Hà Tình"
  };
  // The province a place names (its last comma-separated part, after "tỉnh"
  // / "thành phố" / "TP."); nullopt when none or ambiguous.
  // "Ủy ban nhân dân xã X, huyện Y, tỉnh Hà Tình" -> {"042", "Hà Tĩnh", "Hà Tình"}.
  std::optional<Province> ProvinceOf(std::string_view place) const;
  bool empty() const { return names_.empty(); }

 private:
  Lexicon names_;
  std::map<std::string, std::string> code_of_;  // printed name -> code
};

// The administrative units (communes.tsv: province code, province,
// district, commune, each with its type as printed: "huyện Mê Linh").
class Gazetteer {
 public:
  static StatusOr<Gazetteer> Load(const std::string& path);
  // Does `place` end with a chain of real units, each inside the next
  // ("xã Tiền Phong, huyện Mê Linh, thành phố Hà Nội"; or from the district
  // or the province on), spelled exactly, and is whatever comes before the
  // chain one of the institutions a certificate names ("Ủy ban nhân dân",
  // "Trạm Y tế", "Bệnh viện Đa khoa", "Trung tâm Y tế") or nothing? Then
  // every word of the place is vouched for by the gazetteer.
  bool Confirms(std::string_view place, const ProvinceLexicon& provinces) const;
  // The district a place names just before its province, and the commune
  // just before that, against the units the gazetteer lists there: a unit
  // spelled as listed but for its diacritics ("huyện Nghỉ Xuân", "Nghĩ
  // Xuân") is corrected to the one listed unit with those letters; a
  // district the province does not have is a problem — OCR read it wrong,
  // and its confidence says nothing of that (0.90 on the tuning layouts).
  // An unlisted commune is not (communes are merged and renamed often; the
  // list is 2025's, old papers name old ones).
  // A commune named straight before its province that the gazetteer lists
  // in one of the province's districts is a problem too: a unit was lost.
  // "" when fine or when there is nothing to check (no known province, no
  // district part). `*place` is changed only by a correction.
  std::string CheckUnits(const ProvinceLexicon& provinces, std::string* place) const;
  bool empty() const { return communes_.empty(); }
  // The province of `code` as printed with its type ("tỉnh Hà Tĩnh",
  // "thành phố Hà Nội"); "" when the gazetteer has no such code.
  std::string ProvincePrinted(const std::string& code) const;
  // The districts listed in province `code`, and the communes listed in one
  // of them, printed with their types ("huyện Mê Linh", "xã Tiền Phong").
  const std::vector<std::string>& DistrictsOf(const std::string& code) const;
  const std::vector<std::string>& CommunesOf(const std::string& code, const std::string& district) const;
  // Is `district` ("huyện Châu Thành", with its type, as printed) a district
  // the gazetteer lists in some province, spelled exactly?
  bool HasDistrict(std::string_view district) const;

 private:
  std::set<std::string> districts_;  // "<code>|<district, lower-case NFC>"
  std::set<std::string> communes_;   // "<code>|<district>|<commune>"
  std::set<std::string> communes_in_districts_;  // "<code>|<commune>"
  std::set<std::string> district_names_;         // printed districts of every province
  // Printed forms by folded form: "<code>|huyen nghi xuan" -> {"huyện Nghi
  // Xuân"}, "<code>|<district, lower-case NFC>|xa xuan thanh" -> {"xã Xuân Thành"}.
  std::map<std::string, std::set<std::string>> districts_by_fold_, communes_by_fold_;
  std::map<std::string, std::string> province_printed_;           // code -> "tỉnh Hà Tĩnh"
  std::map<std::string, std::vector<std::string>> districts_of_;  // code -> printed districts
  std::map<std::string, std::vector<std::string>> communes_of_;   // "<code>|<district>" -> printed communes
};

// The entries of a lexicon file (NFC, note lines skipped), each split at
// `separator` ('|' for spellings, '\t' for the .tsv files), parts stripped.
// kConfiguration naming the file when it cannot be read or holds no entry.
StatusOr<std::vector<std::vector<std::string>>> ReadLexiconFile(const std::string& path, char separator);

// The type words a district's and a commune's part of a place start with,
// each with its space, as printed: "huyện ", "quận ", "thị xã ", "thành phố
// "; "xã ", "phường ", "thị trấn ".
const std::vector<std::string>& DistrictTypeWords();
const std::vector<std::string>& CommuneTypeWords();

// Where the last province type word ("tỉnh ", "thành phố ", "tp. ", "tp ")
// starts in `lower` (lower-case NFC) at a word's start and at or after byte
// `from`; npos when none. *length gets the type word's bytes.
size_t LastProvinceTypeAt(const std::string& lower, size_t from, size_t* length);

// `s` without the spaces, tabs and carriage returns around it.
std::string Strip(std::string s);

// The institutions a place may name before its units ("Trạm Y tế xã ...",
// as Gazetteer::Confirms accepts them), printed forms, for the keying
// station's type-ahead.
std::vector<std::string> PlaceInstitutions();

// Those of PlaceInstitutions() always named after their unit ("Ủy ban nhân
// dân xã Hòa Tiến", "Trạm Y tế phường 3", "Trung tâm Y tế huyện Gia Lâm");
// a hospital may have a name of its own.
std::vector<std::string> InstitutionsNamedAfterTheirUnit();

// "Ủy ban nhân dân" with its tone mark where older papers put it: a
// spelling of the same institution, not a misreading.
inline constexpr char kCommitteeOlderSpelling[] = "Uỷ ban nhân dân";

// The lexicons field extraction uses, from one folder.
struct FieldLexicons {
  Lexicon ethnic_groups, nationalities, surnames;
  // Syllables of middle and given names (name_syllables.txt): checked, never
  // corrected against (CheckNameSyllables, stages/fields/field_evidence.h).
  Lexicon name_syllables;
  // Standard phrases of free-text fields (causes of death, what a
  // marital-status certificate is for): MatchStandardPhrase.
  Lexicon death_causes, purposes;
  ProvinceLexicon provinces;
  Gazetteer gazetteer;
  // Loads ethnic_groups.txt, nationalities.txt, surnames.txt, name_syllables.txt,
  // death_causes.txt, purposes.txt, provinces.tsv, communes.tsv.
  static StatusOr<FieldLexicons> Load(const std::string& dir);
  // The phrase lexicon a FieldSpec::lexicon name stands for
  // ("death_causes", "purposes"); nullptr for any other name.
  const Lexicon* Phrases(const std::string& name) const;
};

}  // namespace sohoa
