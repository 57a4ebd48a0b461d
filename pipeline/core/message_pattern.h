// A message's English text taken apart again: the inverse of Fill
// (pipeline/core/catalog.h) over one pattern. Review reasons
// (pipeline/core/reason.h) and library errors (pipeline/core/error_text.h)
// are written as English text with named placeholders; a reader that knows
// the pattern gets the parameters back and can say the message in another
// language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/core/catalog.h"

namespace sohoa {

// Walks a pattern with "{name}" placeholders in order: `literal` gets each run
// of text between them (possibly empty), `placeholder` each name; a '{'
// without its '}' is text. Fill (catalog.cc) and MessagePattern share it.
template <typename Literal, typename Placeholder>
void ScanPlaceholders(std::string_view pattern, Literal literal, Placeholder placeholder) {
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    literal(pattern.substr(i, open - i));
    placeholder(pattern.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  literal(pattern.substr(i));  // i <= size: one past a closing brace at most
}

// Whether `value` may stand for the placeholder `name` (a field key, a
// number, any text): narrow parameters are what make a parse unambiguous.
using ParameterFits = bool (*)(std::string_view name, std::string_view value);

// One pattern, cut once into literal text and placeholders. Placeholders
// must be separated by literal text.
class MessagePattern {
 public:
  explicit MessagePattern(std::string_view pattern);

  // Does all of `text` match? Then `params` holds each placeholder's value,
  // in the pattern's order. Each placeholder takes the shortest value that
  // lets the rest match; the caller bounds the text's length.
  bool Match(std::string_view text, ParameterFits fits, MessageParams* params) const;

 private:
  struct Piece {
    bool placeholder;
    std::string text;  // the literal, or the placeholder's name
  };
  bool MatchFrom(size_t at, std::string_view text, size_t pos, ParameterFits fits,
                 MessageParams* params) const;
  std::vector<Piece> pieces_;
};

// The patterns of a table's texts (`kind.*text` of each), in its order.
template <typename Kind, size_t N>
std::vector<MessagePattern> PatternsOf(const Kind (&kinds)[N], const char* const Kind::*text) {
  std::vector<MessagePattern> patterns;
  for (const Kind& kind : kinds) patterns.emplace_back(kind.*text);
  return patterns;
}

}  // namespace sohoa
