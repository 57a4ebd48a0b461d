#include "stages/fields/place_units.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "stages/fields/field_text.h"

namespace sohoa {
namespace {

// Sizes of units: a city (thành phố) may be a district's peer or a
// province, so it sits between the two.
constexpr int kCommune = 10, kDistrict = 20, kCity = 25, kProvince = 30;

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The place's comma-separated parts, each as its words; empty parts dropped.
std::vector<std::vector<std::string>> Parts(const std::string& place) {
  std::vector<std::vector<std::string>> parts;
  std::string part;
  std::istringstream in(place);
  while (std::getline(in, part, ',')) {
    std::vector<std::string> words = Words(part);
    if (!words.empty()) parts.push_back(std::move(words));
  }
  return parts;
}

std::string Join(const std::vector<std::string>& words, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) out += (out.empty() ? "" : " ") + words[i];
  return out;
}

// The size of the unit whose type word starts at words[i] (0: none) and
// how many words the type word takes. At a part's start any case and the
// abbreviations count; inside a part only the small letters a type word is
// printed in.
int UnitAt(const std::vector<std::string>& words, size_t i, bool part_start, size_t* length) {
  auto word = [&](size_t k) { return k < words.size() ? (part_start ? LowerNfc(words[k]) : words[k]) : ""; };
  static const std::pair<const char*, int> kTwoWords[] = {
      {"thị trấn", kCommune}, {"thị xã", kDistrict}, {"thành phố", kCity}};
  static const std::pair<const char*, int> kOneWord[] = {
      {"xã", kCommune}, {"phường", kCommune}, {"huyện", kDistrict}, {"quận", kDistrict}, {"tỉnh", kProvince}};
  static const std::pair<const char*, int> kAbbreviations[] = {
      {"tp.", kCity}, {"tp", kCity}, {"tx.", kDistrict}, {"tt.", kCommune}, {"q.", kDistrict}, {"p.", kCommune}};
  const std::string two = word(i) + " " + word(i + 1);
  for (const auto& [type, size] : kTwoWords) {
    if (two == type) {
      *length = 2;
      return size;
    }
  }
  *length = 1;
  for (const auto& [type, size] : kOneWord)
    if (word(i) == type) return size;
  if (part_start)
    for (const auto& [type, size] : kAbbreviations)
      if (word(i) == type) return size;
  return 0;
}

// The institutions named after their unit (InstitutionsNamedAfterTheirUnit:
// "Ủy ban nhân dân xã Hòa Tiến") must be followed by a unit's type word. A
// first part where one is not ("Ủy ban nhân dân xã-Hòa Tiến": a dash read
// into the type word) cannot be checked against the gazetteer; a person
// reads it.
std::string CheckUnitAfterInstitution(const std::vector<std::string>& words) {
  for (const std::string& institution : InstitutionsNamedAfterTheirUnit()) {
    const size_t length = Words(institution).size();
    if (words.size() < length) continue;
    const std::string prefix = LowerNfc(Join(words, 0, length));
    if (prefix != LowerNfc(institution) && prefix != LowerNfc(kCommitteeOlderSpelling)) continue;
    size_t type_length = 1;
    if (UnitAt(words, length, false, &type_length) == 0)
      return "'" + Join(words, 0, words.size()) + "' in the place names no unit after its institution";
  }
  return "";
}

// No place's name holds a colon, or a mark standing alone between its
// words: "huyện Tân Kỳ, - tỉnh Nghệ An", "huyện Mê I:inh", "kết hôn: Ủy
// ban …" (a label's tail) were archived on tuning seeds 8-23 at 0.81-0.97.
std::string CheckPlaceMarks(const std::string& place) {
  if (place.find(':') != std::string::npos) return "the place '" + place + "' holds a colon";
  for (const std::string& word : Words(place)) {
    if (SkeletonOf(word).empty())
      return "the place '" + place + "' holds '" + word + "' alone between its words";
  }
  return "";
}

}  // namespace

std::string CheckPlaceUnits(const ProvinceLexicon& provinces, const std::string& place) {
  if (std::string problem = CheckPlaceMarks(place); !problem.empty()) return problem;
  const std::vector<std::vector<std::string>> parts = Parts(place);
  if (!parts.empty()) {
    if (std::string problem = CheckUnitAfterInstitution(parts.front()); !problem.empty()) return problem;
  }
  int chain = 0;  // the largest unit so far, 0 before the first
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::vector<std::string>& words = parts[k];
    size_t length = 1;
    int largest = UnitAt(words, 0, true, &length);
    if (chain != 0 && largest == 0) {
      const bool bare_province = k + 1 == parts.size() && provinces.ProvinceOf(Join(words, 0, words.size()));
      if (!bare_province) return "'" + Join(words, 0, words.size()) + "' in the place names no unit";
    }
    // Cities nest ("thành phố Thủ Đức, thành phố Hồ Chí Minh"); else each
    // part's unit is larger than the one before.
    if (largest != 0 && largest < chain)
      return "the place runs on into another at '" + Join(words, 0, words.size()) + "'";
    for (size_t i = largest ? length : 1; i < words.size(); i += length) {
      const int unit = UnitAt(words, i, false, &length);
      if (unit == 0) continue;
      if (largest != 0 && unit <= largest)
        return "the place runs on into another at '" + Join(words, i, words.size()) + "'";
      largest = unit;
    }
    chain = std::max(chain, largest);
  }
  return "";
}

bool PlaceEndsWithProvince(const ProvinceLexicon& provinces, const std::string& place) {
  size_t end = place.find_last_not_of(' ');
  if (end == std::string::npos || place[end] == ',' || place[end] == '-') return false;
  return provinces.ProvinceOf(place).has_value();
}

std::string CutPlaceAtProvince(const ProvinceLexicon& provinces, const std::string& place) {
  const std::vector<std::vector<std::string>> parts = Parts(place);
  std::string kept;
  for (const std::vector<std::string>& words : parts) {
    size_t length = 1;
    for (size_t i = 0; i < words.size(); i += length) {
      const int unit = UnitAt(words, i, i == 0, &length);
      if (unit < kCity) continue;
      // A province (or city) named from words[i]: does a smaller unit follow
      // its name in the same part?
      for (size_t j = i + length + 1; j < words.size(); ++j) {
        size_t next_length = 1;
        const int next = UnitAt(words, j, false, &next_length);
        if (next == 0) continue;
        if (next >= unit) break;
        const std::string prefix = (kept.empty() ? "" : kept + ", ") + Join(words, 0, j);
        if (!provinces.ProvinceOf(Join(words, i, j))) break;
        return prefix;
      }
    }
    kept += (kept.empty() ? "" : ", ") + Join(words, 0, words.size());
  }
  return place;
}

}  // namespace sohoa
