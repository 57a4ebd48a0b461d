// File names are bytes. Linux lets a name hold anything but '/' and NUL, and
// scanner shares and old Windows machines still write Vietnamese names in the
// legacy 8-bit encodings (TCVN3, VNI, CP1258): bytes that are not UTF-8. The
// pipeline opens a file by its raw name and speaks of it everywhere else
// (ledger, logs, JSON, PDF metadata, reports) by its display name, which is
// always well-formed UTF-8; the raw bytes stay recoverable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sohoa {

// The name as sohoa shows and records it: `raw` itself when it is valid
// UTF-8 (control characters included: each writer escapes for its own
// format), otherwise EscapeForLog(raw) (pipeline/core/text_safety.h), a lossless
// escape: every byte that is not UTF-8 becomes "\xNN", a backslash "\\".
std::string DisplayName(std::string_view raw);

// Lower-case hex of the bytes ("ff41") and back; FromHex gives nullopt on
// anything that is not an even number of hex digits.
std::string HexOfBytes(std::string_view bytes);
std::optional<std::string> BytesFromHex(std::string_view hex);

// A best-effort reading of a name that is not UTF-8 as Vietnamese in one of
// the legacy encodings. It is a guess, and must be shown as one: the same
// bytes often decode to plausible text in two of them.
struct LegacyNameGuess {
  std::string encoding;  // "CP1258", "TCVN3" or "VNI"
  std::string text;      // UTF-8, NFC precomposed letters
};
// The encoding under which every non-ASCII character of `raw` decodes to a
// Vietnamese letter, preferring the one that yields the most such letters in
// plausible syllables (one tone per word; ties: CP1258, then TCVN3, then
// VNI); nullopt when none does, or when `raw` is already valid UTF-8.
std::optional<LegacyNameGuess> GuessLegacyVietnameseName(std::string_view raw);

// Is `character` (one UTF-8 character, NFC) a letter of Vietnamese text: an
// ASCII letter, đ/Đ or a vowel with its Vietnamese marks?
bool IsVietnameseLetter(std::string_view character);

}  // namespace sohoa
