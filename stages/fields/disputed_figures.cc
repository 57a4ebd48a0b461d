#include "stages/fields/disputed_figures.h"

#include <set>

#include "stages/fields/field_normalize.h"

namespace sohoa {
namespace {

// Do all readings have one length and differ only at positions in `pinned`?
bool DifferOnlyAt(const std::vector<std::string>& readings, const std::set<size_t>& pinned) {
  for (const std::string& r : readings) {
    if (r.size() != readings.front().size()) return false;
    for (size_t i = 0; i < r.size(); ++i)
      if (r[i] != readings.front()[i] && !pinned.count(i)) return false;
  }
  return true;
}

// The characters of UTF-8 text, each as its bytes (a stray continuation
// byte stands alone).
std::vector<std::string> CodePoints(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (out.empty() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) out.emplace_back();
    out.back() += text[i];
  }
  return out;
}

// A word without the marks a reader puts around figures or leaves out
// ("|17/12/1970," -> "17/12/1970"), so that two readings line up.
std::string Core(const std::string& word) {
  static const std::string kAround = " |.,:;'\"()[]";
  const size_t begin = word.find_first_not_of(kAround);
  if (begin == std::string::npos) return "";
  return word.substr(begin, word.find_last_not_of(kAround) - begin + 1);
}

// The one reading `agrees` accepts; nullopt when none or several.
template <typename Agrees>
std::optional<std::string> TheOne(const std::vector<std::string>& readings, Agrees agrees) {
  std::optional<std::string> one;
  for (const std::string& r : std::set<std::string>(readings.begin(), readings.end())) {
    if (!agrees(r)) continue;
    if (one) return std::nullopt;
    one = r;
  }
  return one;
}

}  // namespace

std::optional<std::string> SettleIdByHolder(const std::vector<std::string>& readings, const std::string& sex,
                                            const std::string& birth_date, const std::string& province_code) {
  const bool known_sex = sex == "Nam" || sex == "Nữ";
  const bool known_year = IsIsoDate(birth_date);
  std::set<size_t> pinned;
  if (province_code.size() == 3) pinned.insert({0, 1, 2});
  if (known_sex && known_year) pinned.insert(3);
  if (known_year) pinned.insert({4, 5});
  if (readings.size() < 2 || !DifferOnlyAt(readings, pinned)) return std::nullopt;
  return TheOne(readings, [&](const std::string& id) {
    bool unverified = false;
    return ValidatePersonalId(id, sex, birth_date, &unverified).empty() &&
           (province_code.empty() || id.compare(0, 3, province_code) == 0);
  });
}

std::optional<std::string> SettleBirthYearById(const std::vector<std::string>& readings, const std::string& id) {
  if (readings.size() < 2 || !DifferOnlyAt(readings, {0, 1, 2, 3})) return std::nullopt;
  return TheOne(readings, [&](const std::string& date) {
    bool unverified = false;
    return IsIsoDate(date) && ValidatePersonalId(id, "", date, &unverified).empty();
  });
}

std::optional<std::string> SettleByEquality(const std::vector<std::string>& readings, const std::string& expected) {
  if (readings.size() < 2 || expected.empty()) return std::nullopt;
  return TheOne(readings, [&](const std::string& r) { return r == expected; });
}

std::optional<std::vector<std::string>> DisputedWordReadings(const std::string& taken,
                                                             const std::string& other) {
  const std::vector<std::string> a = CodePoints(Core(taken)), b = CodePoints(Core(other));
  if (a.size() != b.size()) return std::vector<std::string>{other};
  std::vector<size_t> differ;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) differ.push_back(i);
  constexpr size_t kMostMixed = 4;
  if (differ.size() > kMostMixed) return std::nullopt;
  std::vector<std::string> out;
  for (unsigned mask = 1; mask < (1u << differ.size()); ++mask) {
    std::string word;
    for (size_t i = 0, d = 0; i < a.size(); ++i) {
      bool mixed = false;
      if (d < differ.size() && differ[d] == i) mixed = mask & (1u << d++);
      word += mixed ? b[i] : a[i];
    }
    out.push_back(std::move(word));
  }
  return out;
}

bool OnlyTakenReadingIsPossible(const std::string& normalizer, const std::string& validator,
                                const std::string& today, const std::string& taken,
                                const std::vector<std::string>& others) {
  ValidationContext own;
  own.today = today;
  if (others.empty() || !ValidateField(validator, taken, own).empty()) return false;
  for (const std::string& text : others) {
    const Normalized n = NormalizeField(normalizer, text);
    if (n.ok() && n.value != taken && ValidateField(validator, n.value, own).empty()) return false;
  }
  return true;
}

std::optional<std::string> ThePossibleOtherReading(const std::string& validator, const std::string& today,
                                                   const std::string& taken,
                                                   const std::vector<std::string>& others) {
  ValidationContext own;
  own.today = today;
  if (ValidateField(validator, taken, own).empty()) return std::nullopt;
  return TheOne(others,
                [&](const std::string& r) { return r != taken && ValidateField(validator, r, own).empty(); });
}

}  // namespace sohoa
