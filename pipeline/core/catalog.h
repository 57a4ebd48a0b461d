// The message catalogue: every phrase a person reads (run lines, review
// reasons, status, errors) is looked up here by its English text (the
// gettext msgid) and comes back in the interface language. Vietnamese lives
// in po/vi.po, compiled to <prefix>/share/locale/vi/LC_MESSAGES/sohoa.mo;
// English is the msgid itself (no en catalogue). Adding a language: a new
// po/<lang>.po, its code in UiLang and ParseUiLang (README "Messages and
// languages").
//
// Placeholders are named, "{n} pages", filled by Fill(); a translation may
// move them. Plurals follow the catalogue's Plural-Forms (Vietnamese has
// one form, English two).
//
// Thread-safe: the catalogues are read once, on first use, then only read.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sohoa {

enum class UiLang { kVi, kEn };

// Named values for a message's placeholders, in the order the message
// names them.
using MessageParams = std::vector<std::pair<std::string, std::string>>;

// Marks an English literal as a msgid for xgettext (`--keyword=N_`) where
// it is looked up later (a table of reasons); the gettext convention.
constexpr const char* N_(const char* msgid) { return msgid; }

// The catalogues of one locale folder. Immutable once built.
class Catalog {
 public:
  // Reads <locale_dir>/<lang>/LC_MESSAGES/sohoa.mo for every language but
  // English; a missing or unreadable file is remembered (Problem()).
  explicit Catalog(const std::string& locale_dir);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // `msgid` in `lang`; the msgid itself for English, or when the catalogue
  // is missing or has no translation for it.
  std::string Tr(UiLang lang, const char* msgid) const;
  // The form of `singular`/`plural` for count `n` in `lang`.
  std::string TrN(UiLang lang, const char* singular, const char* plural, long n) const;
  // Empty when `lang`'s catalogue was read, else what is wrong (see
  // CatalogProblem below).
  const std::string& Problem(UiLang lang) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The catalogues of LocaleDir(), read on first use.
const Catalog& DefaultCatalog();
inline std::string Tr(UiLang lang, const char* msgid) { return DefaultCatalog().Tr(lang, msgid); }
inline std::string TrN(UiLang lang, const char* singular, const char* plural, long n) {
  return DefaultCatalog().TrN(lang, singular, plural, n);
}

// `pattern` with every "{name}" replaced by its value in `params`; an
// unknown name stays as written (so a translation's typo shows, and is
// caught by tests/pipeline/core/catalog_test).
std::string Fill(std::string_view pattern, const MessageParams& params);

// Where the catalogues are looked for:
//   1. $SOHOA_LOCALE_DIR when set and not empty;
//   2. <folder of the running program>/../share/locale (the installed
//      /usr/bin/sohoa reads /usr/share/locale; build/bin reads
//      build/share/locale, where CMake compiles po/*.po).
std::string LocaleDir();

// Empty when `lang`'s catalogue can be read, else what is wrong, in
// English: "no Vietnamese message catalogue at …/vi/LC_MESSAGES/sohoa.mo
// (…): messages are in English". Without its catalogue a language falls
// back to English for every message, so a run still speaks one language;
// the commands print this once as a warning.
inline std::string CatalogProblem(UiLang lang) { return DefaultCatalog().Problem(lang); }

}  // namespace sohoa
