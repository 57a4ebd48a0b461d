#include "stages/fields/place_rebuild.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "stages/fields/field_text.h"

namespace sohoa {
namespace {

// "huyện Mê Linh" -> "Mê Linh" (the name a person would recognise);
// `types`: DistrictTypeWords() or CommuneTypeWords().
std::string NameOf(const std::string& unit, const std::vector<std::string>& types) {
  const std::string lower = LowerNfc(unit);
  for (const std::string& t : types)
    if (lower.size() == unit.size() && lower.rfind(t, 0) == 0) return unit.substr(t.size());
  return unit;
}

// One edit per name of four letters or more, none in a shorter one: "Cẩm
// Xuên" is Cẩm Xuyên, "Bù cung" is not Bù Đăng.
int NameTolerance(size_t letters) { return letters < 4 ? 0 : 1; }

struct Occurrence {
  int distance = 1 << 20;
  size_t begin = 0, end = 0;  // skeleton indices [begin, end)
};

// Where `name` occurs in text[0, limit) with the fewest edits (any start,
// any end); on ties the latest end, then the latest start.
Occurrence FindName(const std::u32string& name, const std::u32string& text, size_t limit) {
  const size_t n = name.size();
  std::vector<int> cost((n + 1) * (limit + 1));
  std::vector<size_t> start((n + 1) * (limit + 1));
  auto at = [&](size_t i, size_t j) { return i * (limit + 1) + j; };
  for (size_t j = 0; j <= limit; ++j) {
    cost[at(0, j)] = 0;
    start[at(0, j)] = j;
  }
  for (size_t i = 1; i <= n; ++i) {
    cost[at(i, 0)] = static_cast<int>(i);
    start[at(i, 0)] = 0;
    for (size_t j = 1; j <= limit; ++j) {
      const int diagonal = cost[at(i - 1, j - 1)] + (name[i - 1] == text[j - 1] ? 0 : 1);
      const int skip_name = cost[at(i - 1, j)] + 1;
      const int skip_text = cost[at(i, j - 1)] + 1;
      if (diagonal <= skip_name && diagonal <= skip_text) {
        cost[at(i, j)] = diagonal;
        start[at(i, j)] = start[at(i - 1, j - 1)];
      } else if (skip_name <= skip_text) {
        cost[at(i, j)] = skip_name;
        start[at(i, j)] = start[at(i - 1, j)];
      } else {
        cost[at(i, j)] = skip_text;
        start[at(i, j)] = start[at(i, j - 1)];
      }
    }
  }
  Occurrence best;
  for (size_t j = 0; j <= limit; ++j) {
    if (cost[at(n, j)] <= best.distance) {
      best.distance = cost[at(n, j)];
      best.begin = start[at(n, j)];
      best.end = j;
    }
  }
  return best;
}

// The one unit of `units` whose name occurs in text[0, limit) within its
// tolerance, the occurrence ending latest (the unit nearest the province);
// nullopt when none, or when two units tie.
struct Found {
  std::string unit;
  Occurrence where;
};
std::optional<Found> FindUnit(const std::vector<std::string>& units, const std::vector<std::string>& types,
                              const std::u32string& text, size_t limit) {
  std::optional<Found> best;
  bool tied = false;
  for (const std::string& unit : units) {
    const std::u32string name = SkeletonOf(NameOf(unit, types));
    if (name.empty() || name.size() > limit + 1) continue;
    const Occurrence o = FindName(name, text, limit);
    if (o.distance > NameTolerance(name.size())) continue;
    if (!best || o.end > best->where.end ||
        (o.end == best->where.end && o.distance < best->where.distance)) {
      best = Found{unit, o};
      tied = false;
    } else if (o.end == best->where.end && o.distance == best->where.distance) {
      tied = true;
    }
  }
  if (tied) return std::nullopt;
  return best;
}

// The byte where a unit's type word begins, when the one or two words just
// before byte `name_at` are one of `types` (within an edit for a long one,
// punctuation aside: "-xã"); npos otherwise.
size_t TypeWordStart(const std::string& text, size_t name_at, const std::vector<std::string>& types) {
  size_t end = name_at;
  while (end > 0 && text[end - 1] == ' ') --end;
  size_t word_start = end;
  for (int words = 1; words <= 2; ++words) {
    while (word_start > 0 && text[word_start - 1] == ' ') --word_start;
    while (word_start > 0 && text[word_start - 1] != ' ' && text[word_start - 1] != ',') --word_start;
    if (word_start == end) return std::string::npos;
    const std::u32string read = SkeletonOf(text.substr(word_start, end - word_start));
    for (const std::string& t : types) {
      const std::u32string type = SkeletonOf(t);
      if (!read.empty() && EditDistance(read, type) <= NameTolerance(type.size())) return word_start;
    }
    if (word_start == 0 || text[word_start - 1] == ',') return std::string::npos;
  }
  return std::string::npos;
}

// Where the province's part of the place begins: after the last comma, or
// at the last province type word after it ("… Cẩm Xuên tỉnh Hà Tĩnh").
size_t ProvincePartStart(const std::string& lower) {
  const size_t comma = lower.rfind(',');
  const size_t part = comma == std::string::npos ? 0 : comma + 1;
  size_t length = 0;
  const size_t typed = LastProvinceTypeAt(lower, part, &length);
  return typed == std::string::npos ? part : typed;
}

// The words of text[from, to), lower-case NFC, without the punctuation
// around them ("Đà)" -> "đà"); words of punctuation only are dropped.
std::vector<std::string> WordsOf(const std::string& text, size_t from, size_t to) {
  std::vector<std::string> words;
  size_t at = from;
  while (at < to) {
    while (at < to && (text[at] == ' ' || text[at] == ',')) ++at;
    size_t end = at;
    while (end < to && text[end] != ' ' && text[end] != ',') ++end;
    if (end == at) break;
    const std::string word = text.substr(at, end - at);
    if (!MakeSkeleton(word).chars.empty()) {
      size_t first = 0, last = word.size();
      while (first < last && std::ispunct(static_cast<unsigned char>(word[first]))) ++first;
      while (last > first && std::ispunct(static_cast<unsigned char>(word[last - 1]))) --last;
      words.push_back(LowerNfc(word.substr(first, last - first)));
    }
    at = end;
  }
  return words;
}

// The skeleton index of the first letter or digit at or after byte `at`.
size_t SkeletonIndexAt(const Skeleton& skeleton, size_t at) {
  return static_cast<size_t>(std::lower_bound(skeleton.begin.begin(), skeleton.begin.end(), at) -
                             skeleton.begin.begin());
}

// The syllables of a district's name ("huyện Cẩm Xuyên" -> {"cẩm", "xuyên"}).
std::vector<std::string> SyllablesOf(const std::string& district) {
  const std::string name = NameOf(district, DistrictTypeWords());
  return WordsOf(name, 0, name.size());
}

// A district whose name was read past an edit, told by what surrounds it
// when exactly one district of the province fits (in skeleton indices of
// `before`, the reading up to the province, its occurrence runs to the
// province):
//  - its commune: the reading names, after a commune type word, a commune
//    the gazetteer lists in one district of the province only, and one of
//    that district's syllables stands between the commune and the province
//    ("xã Đông Hưng, huyện Tiên Đà) thành phố Hải Phòng": Đông Hưng is
//    Tiên Lãng's; "xã Nghĩa Trung, l AE Bù - tỉnh Bình Phước");
//  - its first syllable: after the district's type word, a word that opens
//    the name of one district of the province only, followed up to the
//    province by as many words as that name has ("huyện Cẩm XÓN, tỉnh Hà
//    Tĩnh": Cẩm Xuyên is Hà Tĩnh's one "Cẩm …").
std::optional<Found> DistrictBySurroundings(const Gazetteer& gazetteer, const std::string& code,
                                            const std::string& text, const Skeleton& before,
                                            size_t province_at) {
  const size_t letters = before.chars.size();
  std::optional<Found> by_commune;
  int districts_with_commune = 0;
  for (const std::string& district : gazetteer.DistrictsOf(code)) {
    // Spelled exactly, after its type word: among a province's hundreds of
    // communes, a name within an edit turns up in any reading.
    size_t commune_end = 0;
    for (const std::string& commune : gazetteer.CommunesOf(code, district)) {
      const std::u32string name = SkeletonOf(NameOf(commune, CommuneTypeWords()));
      const size_t at = name.empty() ? std::u32string::npos : before.chars.rfind(name);
      if (at == std::u32string::npos || at + name.size() >= letters) continue;
      if (TypeWordStart(text, before.begin[at], CommuneTypeWords()) == std::string::npos) continue;
      commune_end = std::max(commune_end, at + name.size());
    }
    if (commune_end == 0) continue;
    ++districts_with_commune;
    const std::vector<std::string> between = WordsOf(text, before.end[commune_end - 1], province_at);
    for (const std::string& syllable : SyllablesOf(district)) {
      if (std::find(between.begin(), between.end(), syllable) == between.end()) continue;
      by_commune = Found{district, Occurrence{0, commune_end, letters}};
      break;
    }
  }
  if (districts_with_commune == 1 && by_commune) return by_commune;
  if (districts_with_commune > 1) return std::nullopt;

  // By the first syllable: the last district type word before the province.
  const std::string lower = LowerNfc(text);
  size_t type_at = std::string::npos, type_length = 0;
  for (const std::string& type : DistrictTypeWords()) {
    for (size_t at = lower.find(type); at != std::string::npos && at < province_at;
         at = lower.find(type, at + 1)) {
      if ((at == 0 || lower[at - 1] == ' ' || lower[at - 1] == ',') &&
          (type_at == std::string::npos || at > type_at)) {
        type_at = at;
        type_length = type.size();
      }
    }
  }
  if (type_at == std::string::npos) return std::nullopt;
  const std::vector<std::string> read = WordsOf(text, type_at + type_length, province_at);
  if (read.empty()) return std::nullopt;
  std::optional<Found> by_syllable;
  for (const std::string& district : gazetteer.DistrictsOf(code)) {
    const std::vector<std::string> syllables = SyllablesOf(district);
    if (syllables.empty() || syllables.front() != read.front()) continue;
    if (by_syllable) return std::nullopt;  // two districts open with it
    if (syllables.size() != read.size()) return std::nullopt;
    by_syllable = Found{district, Occurrence{0, SkeletonIndexAt(before, type_at + type_length), letters}};
  }
  return by_syllable;
}

}  // namespace

std::optional<std::string> RebuildPlaceFromGazetteer(const FieldLexicons& lexicons, const std::string& place) {
  const std::string text = Strip(Nfc(place));
  const std::string lower = LowerNfc(text);
  if (lower.size() != text.size()) return std::nullopt;  // byte offsets would not map back
  const size_t province_at = ProvincePartStart(lower);
  // ProvinceOf reads the last comma-separated part; a comma lost before the
  // province ("… huyện Cẩm Xuên tỉnh Hà Tĩnh") leaves it a district's.
  std::optional<ProvinceLexicon::Province> province = lexicons.provinces.ProvinceOf(text);
  if (!province) province = lexicons.provinces.ProvinceOf(text.substr(province_at));
  if (!province) return std::nullopt;
  const Gazetteer& gazetteer = lexicons.gazetteer;
  const std::string province_printed = gazetteer.ProvincePrinted(province->code);
  if (province_printed.empty()) return std::nullopt;
  const Skeleton before = MakeSkeleton(text.substr(0, province_at));
  const size_t letters = before.chars.size();
  if (letters == 0) return std::nullopt;

  // The district: its name just before the province (a stray letter at most
  // between); else what surrounds a name read past an edit.
  std::optional<Found> district =
      FindUnit(gazetteer.DistrictsOf(province->code), DistrictTypeWords(), before.chars, letters);
  if (!district || letters - district->where.end > 1)
    district = DistrictBySurroundings(gazetteer, province->code, text, before, province_at);
  if (!district) return std::nullopt;
  std::vector<std::string> units = {district->unit};
  size_t units_at = std::string::npos;

  // The commune, when the reading names one of the district's: its name
  // before the district's, with no more between them than a type word.
  const size_t district_name_at = before.begin[district->where.begin];
  const std::optional<Found> commune = FindUnit(gazetteer.CommunesOf(province->code, district->unit),
                                                CommuneTypeWords(), before.chars, district->where.begin);
  if (commune && district->where.begin - commune->where.end <= 8) {
    units_at = TypeWordStart(text, before.begin[commune->where.begin], CommuneTypeWords());
    if (units_at == std::string::npos) return std::nullopt;
    units.insert(units.begin(), commune->unit);
  } else {
    units_at = TypeWordStart(text, district_name_at, DistrictTypeWords());
    if (units_at == std::string::npos) {
      // A type word garbled past an edit ("NHận", "KẾ:"): the one short word
      // between the last comma and the name.
      const size_t comma = text.rfind(',', district_name_at);
      if (comma == std::string::npos) return std::nullopt;
      const std::string between = Strip(text.substr(comma + 1, district_name_at - (comma + 1)));
      if (between.empty() || between.find(' ') != std::string::npos || between.size() > 8)
        return std::nullopt;
      units_at = text.find(between, comma);
    }
  }

  // The province as read when it is spelled as printed or as its bare
  // name, or as one of its names after its type word — an old name too
  // ("tỉnh Thừa Thiên Huế", which the gazetteer now prints "thành phố
  // Huế": a paper says what it said when issued; tuning seed 2's rebuilt
  // place was renamed so); else as the gazetteer prints it.
  const std::string province_read = Strip(text.substr(province_at));
  const std::string read_lower = LowerNfc(province_read), name_lower = LowerNfc(province->name);
  std::string province_part = province_printed;
  if (province->printed == province->name &&
      (read_lower == LowerNfc(province_printed) || province_read == province->name ||
       province_read == "TP. " + province->name || read_lower == "tỉnh " + name_lower ||
       read_lower == "thành phố " + name_lower))
    province_part = province_read;

  std::string rebuilt = text.substr(0, units_at);
  for (const std::string& unit : units) rebuilt += unit + ", ";
  rebuilt += province_part;
  if (rebuilt == text) return std::nullopt;
  return rebuilt;
}

}  // namespace sohoa
