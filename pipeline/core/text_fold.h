// Accent- and case-insensitive keys for Vietnamese text (ICU).
//
// People type names without diacritics, in any case, with stray spaces
// ("nguyen van  an" for "NGUYỄN VĂN AN"); OCR and PDF text may give NFD.
// Comparing folded keys makes all of these equal. The ledger stores the key
// of every person a record is about (pipeline/ledger/record_index.h) so that
// `sohoa find --name` is an index lookup.
//
// Thread-safety: pure functions; ICU's normalizer singletons are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sohoa {

// The base letter of `c`'s canonical decomposition, lower-cased; đ/Đ -> d
// (đ has no decomposition, yet nobody types it on a plain keyboard).
char32_t FoldCodePoint(char32_t c);

// A person's name as a search key: NFC, every letter and digit folded,
// anything else a word break, words joined by one space
// ("  Nguyễn Văn-An " -> "nguyen van an"). Invalid UTF-8 bytes are dropped.
std::string NameSearchKey(std::string_view utf8);

}  // namespace sohoa
