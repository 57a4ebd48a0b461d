#include "stages/fields/field_lexicon.h"

#include <fstream>
#include <set>
#include <sstream>

#include "stages/fields/field_text.h"

namespace sohoa {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  return out;
}

// Non-note lines of a lexicon file.
StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Configuration("lexicon " + path + ": cannot be read");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    line = Strip(line);
    if (!line.empty() && line[0] != '#') lines.push_back(Nfc(line));
  }
  if (lines.empty()) return Status::Configuration("lexicon " + path + ": no entries");
  return lines;
}

// The province's name in the last part of a place: what follows its type
// word ("tỉnh", "thành phố", "TP.") where one is printed ("Bệnh viện Đa
// khoa tỉnh Bến Tre" -> "Bến Tre"), else the whole part.
std::string WithoutProvinceType(const std::string& raw_part) {
  const std::string part = Strip(raw_part);
  const std::string lower = LowerNfc(part);
  if (lower.size() != part.size()) return part;  // offsets would not map back
  size_t length = 0;
  const size_t at = LastProvinceTypeAt(lower, 0, &length);
  return at == std::string::npos ? part : Strip(part.substr(at + length));
}

// Where a commune's type word ("xã ", "phường ", "thị trấn ") starts in a
// part of a place, the last one (in "Ủy ban nhân dân xã Xuân Thành", where "xã" starts);
// npos when none, or when lower-casing would move the byte offsets.
size_t CommuneTypeAt(const std::string& part) {
  const std::string lower_part = LowerNfc(part);
  size_t at = std::string::npos;
  if (lower_part.size() != part.size()) return at;
  for (const std::string& type : CommuneTypeWords()) {
    const size_t found = lower_part.rfind(type);
    if (found == std::string::npos || (found != 0 && part[found - 1] != ' ')) continue;
    if (found >= 6 && lower_part.compare(found - 6, 6, "thị ") == 0) continue;  // "thị xã": a district
    if (at == std::string::npos || found > at) at = found;
  }
  return at;
}

}  // namespace

std::string Strip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

const std::vector<std::string>& DistrictTypeWords() {
  static const std::vector<std::string> kWords = {"huyện ", "quận ", "thị xã ", "thành phố "};
  return kWords;
}

const std::vector<std::string>& CommuneTypeWords() {
  static const std::vector<std::string> kWords = {"xã ", "phường ", "thị trấn "};
  return kWords;
}

size_t LastProvinceTypeAt(const std::string& lower, size_t from, size_t* length) {
  size_t best = std::string::npos;
  *length = 0;
  for (const std::string t : {"thành phố ", "tỉnh ", "tp. ", "tp "}) {
    const size_t at = lower.rfind(t);
    if (at == std::string::npos || at < from || (at != 0 && lower[at - 1] != ' ')) continue;
    if (best == std::string::npos || at > best) {
      best = at;
      *length = t.size();
    }
  }
  return best;
}

Lexicon::Lexicon(std::vector<std::vector<std::string>> entries) {
  for (auto& spellings : entries) {
    if (spellings.empty()) continue;
    const size_t index = entries_.size();
    entries_.push_back(Nfc(spellings.front()));
    for (const std::string& s : spellings) {
      keys_.push_back({SkeletonOf(s), index});
      spellings_.emplace(Nfc(s), index);
    }
  }
}

StatusOr<std::vector<std::vector<std::string>>> ReadLexiconFile(const std::string& path, char separator) {
  StatusOr<std::vector<std::string>> lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  std::vector<std::vector<std::string>> entries;
  for (const std::string& line : *lines) {
    std::vector<std::string> parts;
    for (const std::string& s : Split(line, separator))
      if (!Strip(s).empty()) parts.push_back(Strip(s));
    entries.push_back(parts);
  }
  return entries;
}

StatusOr<Lexicon> Lexicon::Load(const std::string& path) {
  StatusOr<std::vector<std::vector<std::string>>> entries = ReadLexiconFile(path, '|');
  if (!entries.ok()) return entries.status();
  return Lexicon(std::move(*entries));
}

std::vector<std::string> PlaceInstitutions() {
  return {"Ủy ban nhân dân", "Trạm Y tế", "Bệnh viện Đa khoa", "Trung tâm Y tế"};
}

std::vector<std::string> InstitutionsNamedAfterTheirUnit() {
  return {"Ủy ban nhân dân", "Trạm Y tế", "Trung tâm Y tế"};
}

std::optional<Lexicon::Match> Lexicon::Lookup(std::string_view value) const {
  const std::string nfc = Nfc(value);
  auto spelled = spellings_.find(nfc);
  if (spelled != spellings_.end()) return Match{entries_[spelled->second], true, 0};
  // Same case-insensitively ("KINH", "kinh" with its diacritics).
  const std::string upper = UpperNfc(nfc);
  for (const auto& [s, index] : spellings_)
    if (UpperNfc(s) == upper) return Match{entries_[index], true, 0};
  const std::u32string sk = SkeletonOf(nfc);
  if (sk.empty()) return std::nullopt;
  const int tolerance = sk.size() < 4 ? 0 : std::max<int>(1, static_cast<int>(sk.size() / 5));
  int best = tolerance + 1;
  std::set<size_t> nearest;
  for (const auto& [key, index] : keys_) {
    if (std::abs(static_cast<int>(key.size()) - static_cast<int>(sk.size())) > best) continue;
    const int d = EditDistance(sk, key);
    if (d < best) {
      best = d;
      nearest = {index};
    } else if (d == best) {
      nearest.insert(index);
    }
  }
  if (best > tolerance || nearest.size() != 1) return std::nullopt;
  return Match{entries_[*nearest.begin()], false, best};
}

size_t Lexicon::EntriesWithLettersOf(std::string_view value) const {
  const std::u32string sk = SkeletonOf(Nfc(value));
  std::set<size_t> entries;
  for (const auto& [key, index] : keys_)
    if (key == sk) entries.insert(index);
  return entries.size();
}

StatusOr<ProvinceLexicon> ProvinceLexicon::Load(const std::string& path) {
  StatusOr<std::vector<std::string>> lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  ProvinceLexicon out;
  std::vector<std::vector<std::string>> entries;
  for (const std::string& line : *lines) {
    const std::vector<std::string> cells = Split(line, '\t');
    if (cells.size() < 2 || cells[0].size() != 3) {
      return Status::Configuration("lexicon " + path + ": '" + line + "' is not code<TAB>name");
    }
    if (!out.code_of_.emplace(cells[1], cells[0]).second) continue;
    entries.push_back({cells[1]});
  }
  out.names_ = Lexicon(std::move(entries));
  return out;
}

std::optional<ProvinceLexicon::Province> ProvinceLexicon::ProvinceOf(std::string_view place) const {
  std::string text = Strip(std::string(place));
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  const size_t comma = text.rfind(',');
  const std::string part = Strip(comma == std::string::npos ? text : text.substr(comma + 1));
  // A district or commune is no province, however close its letters: a
  // place cut short at "…, huyện Quảng" is not in Tuyên Quang. Nor is a
  // unit's type word alone: a place cut short after "…, huyện" ("huyen" is
  // one letter from "Phú Yên" without its space).
  const std::string lower = LowerNfc(part);
  for (const std::string type : {"huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})
    if (lower == type || lower.rfind(type + " ", 0) == 0) return std::nullopt;
  const std::string last = WithoutProvinceType(part);
  const std::string lower_last = LowerNfc(last);
  if (last.empty() || lower_last == "tỉnh" || lower_last == "thành phố") return std::nullopt;
  std::optional<Lexicon::Match> m = names_.Lookup(last);
  if (!m) return std::nullopt;
  return Province{code_of_.at(m->entry), m->entry, last};
}

StatusOr<Gazetteer> Gazetteer::Load(const std::string& path) {
  StatusOr<std::vector<std::string>> lines = ReadLines(path);
  if (!lines.ok()) return lines.status();
  Gazetteer out;
  for (const std::string& line : *lines) {
    const std::vector<std::string> cells = Split(line, '\t');
    if (cells.size() != 4 || cells[0].size() != 3) {
      return Status::Configuration("lexicon " + path + ": '" + line +
                                   "' is not code<TAB>province<TAB>district<TAB>commune");
    }
    const bool new_district = out.districts_.insert(cells[0] + "|" + LowerNfc(cells[2])).second;
    if (new_district) out.districts_of_[cells[0]].push_back(cells[2]);
    out.communes_.insert(cells[0] + "|" + LowerNfc(cells[2]) + "|" + LowerNfc(cells[3]));
    out.communes_in_districts_.insert(cells[0] + "|" + LowerNfc(cells[3]));
    out.district_names_.insert(cells[2]);
    out.districts_by_fold_[cells[0] + "|" + Fold(cells[2])].insert(cells[2]);
    out.communes_by_fold_[cells[0] + "|" + LowerNfc(cells[2]) + "|" + Fold(cells[3])].insert(cells[3]);
    out.province_printed_.emplace(cells[0], cells[1]);
    out.communes_of_[cells[0] + "|" + cells[2]].push_back(cells[3]);
  }
  return out;
}

bool Gazetteer::HasDistrict(std::string_view district) const {
  return district_names_.count(std::string(district)) > 0;
}

std::string Gazetteer::ProvincePrinted(const std::string& code) const {
  auto it = province_printed_.find(code);
  return it == province_printed_.end() ? "" : it->second;
}

const std::vector<std::string>& Gazetteer::DistrictsOf(const std::string& code) const {
  static const std::vector<std::string> kNone;
  auto it = districts_of_.find(code);
  return it == districts_of_.end() ? kNone : it->second;
}

const std::vector<std::string>& Gazetteer::CommunesOf(const std::string& code, const std::string& district) const {
  static const std::vector<std::string> kNone;
  auto it = communes_of_.find(code + "|" + district);
  return it == communes_of_.end() ? kNone : it->second;
}

bool Gazetteer::Confirms(std::string_view place, const ProvinceLexicon& provinces) const {
  std::optional<ProvinceLexicon::Province> province = provinces.ProvinceOf(place);
  if (!province || province->printed != province->name) return false;  // spelled exactly
  std::vector<std::string> parts;
  for (const std::string& p : Split(std::string(place), ',')) parts.push_back(LowerNfc(Strip(p)));
  if (parts.empty()) return false;
  parts.pop_back();  // the province, checked above
  // What precedes a unit's type word in its part ("ủy ban nhân dân xã ...",
  // "bệnh viện đa khoa tỉnh ...") must be an institution and start the place.
  static const std::set<std::string> kInstitutions = {"",          "ủy ban nhân dân",   "uỷ ban nhân dân",
                                                      "trạm y tế", "bệnh viện đa khoa", "trung tâm y tế"};
  auto split_unit = [](const std::string& part, const std::vector<std::string>& types, std::string* before,
                       std::string* unit) {
    size_t best = std::string::npos;
    for (const std::string& t : types) {
      const size_t at = part == t.substr(0, t.size() - 1) ? std::string::npos : part.rfind(t);
      if (at != std::string::npos && (at == 0 || part[at - 1] == ' ') &&
          (best == std::string::npos || at > best))
        best = at;
    }
    if (best == std::string::npos) return false;
    *before = Strip(part.substr(0, best));
    *unit = part.substr(best);
    return true;
  };
  const std::string code = province->code;
  std::string before, district, commune;
  const std::string last = Split(LowerNfc(std::string(place)), ',').back();
  if (parts.empty()) {  // "Bệnh viện Đa khoa tỉnh Bến Tre": an institution of the province
    std::string unit;
    if (!split_unit(Strip(last), {"tỉnh ", "thành phố "}, &before, &unit)) return false;
    return kInstitutions.count(before) > 0;
  }
  if (!split_unit(parts.back(), DistrictTypeWords(), &before, &district)) return false;
  if (!districts_.count(code + "|" + district)) return false;
  parts.pop_back();
  if (parts.empty()) return kInstitutions.count(before) > 0;
  if (!before.empty()) return false;
  if (!split_unit(parts.back(), CommuneTypeWords(), &before, &commune)) return false;
  if (!communes_.count(code + "|" + district + "|" + commune)) return false;
  return parts.size() == 1 && kInstitutions.count(before) > 0;
}

std::string Gazetteer::CheckUnits(const ProvinceLexicon& provinces, std::string* place) const {
  std::optional<ProvinceLexicon::Province> province = provinces.ProvinceOf(*place);
  std::vector<std::string> parts = Split(*place, ',');
  if (!province || parts.size() < 2) return "";
  for (std::string& p : parts) p = Strip(p);
  const std::string& code = province->code;
  // The listed unit `unit` is, or the one it is but for diacritics.
  auto listed = [](const std::set<std::string>& exact, const std::map<std::string, std::set<std::string>>& by_fold,
                   const std::string& prefix, const std::string& unit) -> std::optional<std::string> {
    if (exact.count(prefix + LowerNfc(unit))) return unit;
    auto it = by_fold.find(prefix + Fold(unit));
    if (it == by_fold.end() || it->second.size() != 1) return std::nullopt;
    return *it->second.begin();
  };
  std::string& district = parts[parts.size() - 2];
  const std::string lower = LowerNfc(district);
  bool is_district = false;
  for (const std::string& type : DistrictTypeWords()) is_district = is_district || lower.rfind(type, 0) == 0;
  if (!is_district) {
    // A commune straight before its province, where the gazetteer lists it
    // in a district of that province: the district's part was lost (a
    // wrapped line not joined, a table cell). The 2025 two-level papers name
    // no district, but their communes are the merged, renamed ones.
    const size_t at = CommuneTypeAt(district);
    if (at != std::string::npos && communes_in_districts_.count(code + "|" + LowerNfc(district.substr(at))))
      return "'" + district.substr(at) + "' is in a district of " + province->name +
             " (gazetteer), which the place does not name";
    return "";
  }
  if (lower.size() != district.size()) return "";
  std::optional<std::string> d = listed(districts_, districts_by_fold_, code + "|", district);
  if (!d) return "'" + district + "' is not a district of " + province->name + " (gazetteer)";
  bool changed = *d != district;
  district = *d;
  if (parts.size() >= 3) {
    // The commune: from its type word to the part's end ("Ủy ban nhân dân xã
    // Xuân Thành" -> "xã Xuân Thành").
    std::string& part = parts[parts.size() - 3];
    const size_t at = CommuneTypeAt(part);
    if (at != std::string::npos) {
      const std::string commune = part.substr(at);
      std::optional<std::string> c =
          listed(communes_, communes_by_fold_, code + "|" + LowerNfc(district) + "|", commune);
      // An unlisted commune is no problem: communes merged and renamed
      // (the gazetteer lists 2025's), and old papers name the old ones.
      if (c) {
        changed = changed || *c != commune;
        part = part.substr(0, at) + *c;
      }
    }
  }
  if (!changed) return "";
  std::string corrected;
  for (const std::string& p : parts) corrected += (corrected.empty() ? "" : ", ") + p;
  *place = corrected;
  return "";
}

StatusOr<FieldLexicons> FieldLexicons::Load(const std::string& dir) {
  FieldLexicons out;
  StatusOr<Lexicon> ethnic = Lexicon::Load(dir + "/ethnic_groups.txt");
  if (!ethnic.ok()) return ethnic.status();
  StatusOr<Lexicon> nationalities = Lexicon::Load(dir + "/nationalities.txt");
  if (!nationalities.ok()) return nationalities.status();
  StatusOr<Lexicon> surnames = Lexicon::Load(dir + "/surnames.txt");
  if (!surnames.ok()) return surnames.status();
  StatusOr<Lexicon> name_syllables = Lexicon::Load(dir + "/name_syllables.txt");
  if (!name_syllables.ok()) return name_syllables.status();
  StatusOr<Lexicon> death_causes = Lexicon::Load(dir + "/death_causes.txt");
  if (!death_causes.ok()) return death_causes.status();
  StatusOr<Lexicon> purposes = Lexicon::Load(dir + "/purposes.txt");
  if (!purposes.ok()) return purposes.status();
  StatusOr<ProvinceLexicon> provinces = ProvinceLexicon::Load(dir + "/provinces.tsv");
  if (!provinces.ok()) return provinces.status();
  StatusOr<Gazetteer> gazetteer = Gazetteer::Load(dir + "/communes.tsv");
  if (!gazetteer.ok()) return gazetteer.status();
  out.gazetteer = std::move(*gazetteer);
  out.ethnic_groups = std::move(*ethnic);
  out.nationalities = std::move(*nationalities);
  out.surnames = std::move(*surnames);
  out.name_syllables = std::move(*name_syllables);
  out.death_causes = std::move(*death_causes);
  out.purposes = std::move(*purposes);
  out.provinces = std::move(*provinces);
  return out;
}

const Lexicon* FieldLexicons::Phrases(const std::string& name) const {
  if (name == "death_causes") return &death_causes;
  if (name == "purposes") return &purposes;
  return nullptr;
}

}  // namespace sohoa
