#include "stages/fields/name_confidence.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "stages/fields/field_text.h"

namespace sohoa {

namespace {

constexpr char kSpeckCharacters[] = " .,:;|/\\'\"`-_()[]{}";

// Whether the second reader's reading `other` is `word` exactly, marks and
// all, once the specks around it are off ("/NGUYỄN" is NGUYỄN).
bool ReadAs(const std::string& other, const std::string& word) {
  const size_t first = other.find_first_not_of(kSpeckCharacters);
  if (first == std::string::npos) return false;
  const size_t last = other.find_last_not_of(kSpeckCharacters);
  return UpperNfc(other.substr(first, last - first + 1)) == UpperNfc(word);
}

// The confidence as the surname and the other words' confidence give it
// (the header's first paragraph), disputes aside.
float UndisputedConfidence(const Lexicon& surnames, const std::vector<std::string>& name,
                           const std::vector<const ReadWord*>& lettered, float read_confidence,
                           float surname_bar) {
  if (name.size() < 2 || lettered.size() != name.size()) return read_confidence;
  const ReadWord& surname = *lettered.front();
  const std::optional<Lexicon::Match> as_read = surnames.Lookup(surname.text);
  const std::optional<Lexicon::Match> as_valued = surnames.Lookup(name.front());
  if (!as_read || !as_valued || as_read->entry != as_valued->entry) return read_confidence;
  if (surnames.EntriesWithLettersOf(as_read->entry) != 1) return read_confidence;
  if (surname.confidence < surname_bar && !ReadAs(surname.other, name.front())) return read_confidence;
  if (!surname.other.empty()) {
    const std::optional<Lexicon::Match> second = surnames.Lookup(surname.other);
    if (!second || second->entry != as_read->entry) return read_confidence;
  }
  float rest = 1;
  for (size_t i = 1; i < lettered.size(); ++i) rest = std::min(rest, lettered[i]->confidence);
  return std::max(read_confidence, rest);
}

// Two readers read the name differently where it matters (the header's
// second paragraph).
bool Disputed(const Lexicon& surnames, const std::vector<const ReadWord*>& lettered, float dissent_bar) {
  if (lettered.empty()) return false;
  const ReadWord& first = *lettered.front();
  if (!first.other.empty()) {
    const std::optional<Lexicon::Match> as_read = surnames.Lookup(first.text);
    const std::optional<Lexicon::Match> second = surnames.Lookup(first.other);
    if (as_read && second && as_read->entry != second->entry) return true;
  }
  return std::any_of(lettered.begin() + 1, lettered.end(),
                     [&](const ReadWord* w) { return !w->other.empty() && w->confidence < dissent_bar; });
}

}  // namespace

float NameConfidence(const Lexicon& surnames, const std::string& value, const std::vector<ReadWord>& words,
                     float read_confidence, float surname_bar, float dissent_bar) {
  std::vector<std::string> name;
  std::istringstream in(value);
  for (std::string w; in >> w;) name.push_back(w);
  std::vector<const ReadWord*> lettered;  // a word with no letter or digit is a speck, not a name's
  for (const ReadWord& w : words)
    if (!SkeletonOf(w.text).empty()) lettered.push_back(&w);
  const float confidence = UndisputedConfidence(surnames, name, lettered, read_confidence, surname_bar);
  return Disputed(surnames, lettered, dissent_bar) ? std::min(confidence, kDisputedNameConfidence)
                                                   : confidence;
}

}  // namespace sohoa
