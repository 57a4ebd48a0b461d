#include "stages/fields/name_confidence.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "stages/fields/field_text.h"

namespace sohoa {

float NameConfidence(const Lexicon& surnames, const std::string& value, const std::vector<ReadWord>& words,
                     float read_confidence, float surname_bar) {
  std::vector<std::string> name;
  std::istringstream in(value);
  for (std::string w; in >> w;) name.push_back(w);
  std::vector<const ReadWord*> lettered;  // a word with no letter or digit is a speck, not a name's
  for (const ReadWord& w : words)
    if (!SkeletonOf(w.text).empty()) lettered.push_back(&w);
  if (name.size() < 2 || lettered.size() != name.size()) return read_confidence;

  const ReadWord& surname = *lettered.front();
  const std::optional<Lexicon::Match> as_read = surnames.Lookup(surname.text);
  const std::optional<Lexicon::Match> as_valued = surnames.Lookup(name.front());
  if (!as_read || !as_valued || as_read->entry != as_valued->entry) return read_confidence;
  if (surnames.EntriesWithLettersOf(as_read->entry) != 1) return read_confidence;
  if (surname.confidence < surname_bar) return read_confidence;
  if (!surname.other.empty()) {
    const std::optional<Lexicon::Match> second = surnames.Lookup(surname.other);
    if (!second || second->entry != as_read->entry) return read_confidence;
  }
  float rest = 1;
  for (size_t i = 1; i < lettered.size(); ++i) rest = std::min(rest, lettered[i]->confidence);
  return std::max(read_confidence, rest);
}

}  // namespace sohoa
