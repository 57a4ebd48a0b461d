#include "pipeline/core/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace sohoa {

char32_t FoldCodePoint(char32_t c) {
  if (c == 0x0110 || c == 0x0111) return U'd';
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposition;
  UChar32 base = static_cast<UChar32>(c);
  if (U_SUCCESS(status) && nfd->getDecomposition(base, decomposition) && decomposition.length() > 0) {
    base = decomposition.char32At(0);
  }
  return static_cast<char32_t>(u_tolower(base));
}

std::string NameSearchKey(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  if (U_SUCCESS(status)) text = nfc->normalize(text, status);
  icu::UnicodeString key;
  bool pending_space = false;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (c == 0xFFFD || u_getCombiningClass(c) != 0) continue;  // bad bytes, stray marks
    if (!u_isalnum(c)) {
      pending_space = !key.isEmpty();
      continue;
    }
    if (pending_space) key.append(static_cast<UChar32>(U' '));
    pending_space = false;
    key.append(static_cast<UChar32>(FoldCodePoint(static_cast<char32_t>(c))));
  }
  std::string out;
  key.toUTF8String(out);
  return out;
}

}  // namespace sohoa
