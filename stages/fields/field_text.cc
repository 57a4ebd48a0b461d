#include "stages/fields/field_text.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "pipeline/core/text_fold.h"

namespace sohoa {
namespace {

// Decodes UTF-8 one code point at a time (U+FFFD for bad bytes).
template <typename Fn>
void ForEachCodePoint(std::string_view s, Fn fn) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t begin = i;
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, s.size(), c);
    if (c < 0) c = 0xFFFD;
    fn(c, begin, i);
  }
}

}  // namespace

std::string Nfc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString out = nfc->normalize(in, status);
  std::string result;
  (U_SUCCESS(status) ? out : in).toUTF8String(result);
  return result;
}

std::string UpperNfc(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  s.toUpper(icu::Locale("vi"));
  std::string out;
  s.toUTF8String(out);
  return Nfc(out);
}

std::string LowerNfc(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  s.toLower(icu::Locale("vi"));
  std::string out;
  s.toUTF8String(out);
  return Nfc(out);
}

size_t FirstCodePointBytes(std::string_view s) {
  if (s.empty()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  return std::min(s.size(), static_cast<size_t>(c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4));
}

std::string Fold(std::string_view utf8) {
  const std::string nfc = Nfc(utf8);
  icu::UnicodeString out;
  ForEachCodePoint(nfc, [&](UChar32 c, size_t, size_t) {
    if (u_getCombiningClass(c) != 0) return;  // a stray combining mark
    out.append(static_cast<UChar32>(FoldCodePoint(static_cast<char32_t>(c))));
  });
  std::string result;
  out.toUTF8String(result);
  return result;
}

Skeleton MakeSkeleton(std::string_view utf8) {
  Skeleton sk;
  ForEachCodePoint(utf8, [&](UChar32 c, size_t begin, size_t end) {
    if (!u_isalnum(c)) return;  // punctuation, spaces and combining marks
    sk.chars.push_back(static_cast<char32_t>(static_cast<UChar32>(FoldCodePoint(static_cast<char32_t>(c)))));
    sk.begin.push_back(begin);
    sk.end.push_back(end);
  });
  return sk;
}

std::u32string SkeletonOf(std::string_view utf8) { return MakeSkeleton(Nfc(utf8)).chars; }

int EditDistance(const std::u32string& a, const std::u32string& b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

int PrefixDistance(const std::u32string& pattern, const std::u32string& text, size_t start, int max_distance,
                   size_t* end) {
  // Rows over the pattern, columns over text[start, start + limit): the
  // distance of the whole pattern against every prefix of the text tail.
  const size_t limit = std::min(text.size() - std::min(start, text.size()),
                                pattern.size() + static_cast<size_t>(max_distance));
  std::vector<int> row(limit + 1);
  for (size_t j = 0; j <= limit; ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= pattern.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= limit; ++j) {
      const int up = row[j];
      row[j] =
          std::min({row[j] + 1, row[j - 1] + 1, diagonal + (pattern[i - 1] == text[start + j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  int best = max_distance + 1;
  size_t best_end = start;
  for (size_t j = 0; j <= limit; ++j) {
    if (row[j] < best) {  // ties keep the shorter match: the value follows
      best = row[j];
      best_end = start + j;
    }
  }
  if (end != nullptr) *end = best_end;
  return std::min(best, max_distance + 1);
}

int LabelTolerance(size_t length) { return length <= 4 ? 0 : static_cast<int>(length / 5); }

}  // namespace sohoa
