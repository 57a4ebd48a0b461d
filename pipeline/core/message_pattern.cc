#include "pipeline/core/message_pattern.h"

namespace sohoa {

MessagePattern::MessagePattern(std::string_view pattern) {
  ScanPlaceholders(
      pattern,
      [&](std::string_view text) {
        if (!text.empty()) pieces_.push_back({false, std::string(text)});
      },
      [&](std::string_view name) { pieces_.push_back({true, std::string(name)}); });
}

bool MessagePattern::Match(std::string_view text, ParameterFits fits, MessageParams* params) const {
  params->clear();
  return MatchFrom(0, text, 0, fits, params);
}

// Each placeholder tries every place where the literal after it occurs
// (shortest first); patterns are short and texts bounded by the caller.
bool MessagePattern::MatchFrom(size_t at, std::string_view text, size_t pos, ParameterFits fits,
                               MessageParams* params) const {
  if (at == pieces_.size()) return pos == text.size();
  const Piece& piece = pieces_[at];
  if (!piece.placeholder) {
    if (text.substr(pos, piece.text.size()) != piece.text) return false;
    return MatchFrom(at + 1, text, pos + piece.text.size(), fits, params);
  }
  if (at + 1 == pieces_.size()) {
    if (!fits(piece.text, text.substr(pos))) return false;
    params->emplace_back(piece.text, std::string(text.substr(pos)));
    return true;
  }
  const std::string& next = pieces_[at + 1].text;
  for (size_t end = text.find(next, pos + 1); end != std::string_view::npos; end = text.find(next, end + 1)) {
    const std::string_view value = text.substr(pos, end - pos);
    if (!fits(piece.text, value)) continue;
    params->emplace_back(piece.text, std::string(value));
    if (MatchFrom(at + 1, text, end, fits, params)) return true;
    params->pop_back();
  }
  return false;
}

}  // namespace sohoa
