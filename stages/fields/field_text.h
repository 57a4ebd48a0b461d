// Text folding and tolerant matching for field extraction (ICU).
//
// OCR output of Vietnamese forms loses or swaps diacritics, case and
// punctuation long before it garbles letters, so labels and titles are
// compared on a *skeleton*: the text in NFC, lower-cased, diacritics
// stripped (đ -> d), and everything but letters and digits dropped
// ("Họ, chữ đệm, tên:" -> "hochudemten"). Each skeleton character remembers
// the byte range of the original character it came from, so a match can be
// mapped back to the original text to cut the value after a label.
//
// Thread-safety: pure functions over values; ICU's normalizer singletons are
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sohoa {

struct Skeleton {
  std::u32string chars;            // folded letters and digits
  std::vector<size_t> begin, end;  // byte range in the source of chars[i]
};

// NFC-normalises UTF-8 (invalid bytes become U+FFFD).
std::string Nfc(std::string_view utf8);
// NFC upper-case, Vietnamese rules ("nguyễn văn đức" -> "NGUYỄN VĂN ĐỨC").
std::string UpperNfc(std::string_view utf8);
// Bytes of the first code point of UTF-8 `s` (0 when empty).
size_t FirstCodePointBytes(std::string_view s);
std::string LowerNfc(std::string_view utf8);
// Folded form kept readable: lower-case, no diacritics, đ -> d, spaces and
// punctuation kept ("Giới tính: Nữ" -> "gioi tinh: nu").
std::string Fold(std::string_view utf8);
Skeleton MakeSkeleton(std::string_view utf8);
std::u32string SkeletonOf(std::string_view utf8);  // MakeSkeleton(...).chars

// Levenshtein distance over code points.
int EditDistance(const std::u32string& a, const std::u32string& b);

// Matches `pattern` against text[start...] as a prefix (any end). Returns the
// smallest edit distance and, in *end, the exclusive end index in `text` of
// the best match (ties: the shorter match, so a label never eats
// the first letter of its value). The distance is capped at
// max_distance + 1 (no match).
int PrefixDistance(const std::u32string& pattern, const std::u32string& text, size_t start, int max_distance,
                   size_t* end);

// The edit distance a label of `length` skeleton characters may have and
// still count: 0 up to 4 characters, then one per 5 characters.
int LabelTolerance(size_t length);

}  // namespace sohoa
