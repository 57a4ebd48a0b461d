#include "pipeline/core/catalog.h"
#include "pipeline/core/message_pattern.h"

// Boost.Locale rather than libc's dgettext: measured on Debian 12 (glibc
// 2.36), dgettext translates only when LANGUAGE names the language and the
// process locale is not "C" (`env -i LANGUAGE=vi` gave English; with
// LANG=C.UTF-8 it gave Vietnamese), so it depends on how the process was
// started, and choosing the language per call means setenv() in a threaded
// program. Boost.Locale's gettext backend reads the .mo files itself into a
// std::locale: both languages side by side, no locale installed (CI has
// only C.UTF-8), nothing global changed. It is the one place that calls it.
#include <boost/locale.hpp>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace sohoa {
namespace fs = std::filesystem;

namespace {

constexpr const char* kDomain = "sohoa";

struct LanguageInfo {
  UiLang lang;
  const char* code;    // folder under the locale dir
  const char* locale;  // name given to Boost.Locale's generator
  const char* name;    // for CatalogProblem, in English
};
constexpr LanguageInfo kLanguages[] = {
    {UiLang::kVi, "vi", "vi_VN.UTF-8", "Vietnamese"},
    {UiLang::kEn, "en", "en_US.UTF-8", "English"},
};

std::string ProgramPrefix() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/usr") : exe.parent_path().parent_path().string();
}

}  // namespace

struct Catalog::Impl {
  std::locale locales[2];
  std::string problems[2];
};

Catalog::Catalog(const std::string& locale_dir) : impl_(std::make_unique<Impl>()) {
  boost::locale::generator generator;
  // Only what Tr and TrN use: the messages of narrow strings. By default the
  // generator also builds every other facet (numbers, dates, collation,
  // conversions) for four character types, converting the whole catalogue to
  // wide strings: 10 ms a language, a quarter of a `sohoa find` (measured with
  // perf on this VM); this way ~1 ms.
  generator.characters(boost::locale::char_facet);
  generator.categories(boost::locale::message_facet | boost::locale::information_facet);
  generator.add_messages_path(locale_dir);
  generator.add_messages_domain(kDomain);
  for (const LanguageInfo& info : kLanguages) {
    const int slot = info.lang == UiLang::kVi ? 0 : 1;
    // English is the msgids themselves (Tr returns them): no locale to build.
    if (info.lang == UiLang::kEn) continue;
    const fs::path mo = fs::path(locale_dir) / info.code / "LC_MESSAGES" / (std::string(kDomain) + ".mo");
    std::error_code ec;
    if (!fs::is_regular_file(mo, ec)) {
      impl_->problems[slot] = std::string("no ") + info.name + " message catalogue at " + mo.string() +
                              " (set SOHOA_LOCALE_DIR, or install sohoa with its share/locale): messages "
                              "are in English";
    }
    try {
      impl_->locales[slot] = generator(info.locale);
    } catch (const std::exception& e) {
      impl_->problems[slot] = std::string("the ") + info.name + " message catalogue could not be read (" +
                              e.what() + "): messages are in English";
      impl_->locales[slot] = std::locale::classic();
    }
  }
}

Catalog::~Catalog() = default;

std::string Catalog::Tr(UiLang lang, const char* msgid) const {
  if (lang == UiLang::kEn || !impl_->problems[0].empty()) return msgid;
  return boost::locale::translate(msgid).str(impl_->locales[0]);
}

std::string Catalog::TrN(UiLang lang, const char* singular, const char* plural, long n) const {
  if (lang == UiLang::kEn || !impl_->problems[0].empty()) return n == 1 ? singular : plural;
  return boost::locale::translate(singular, plural, n).str(impl_->locales[0]);
}

const std::string& Catalog::Problem(UiLang lang) const {
  return impl_->problems[lang == UiLang::kVi ? 0 : 1];
}

const Catalog& DefaultCatalog() {
  static const Catalog* catalog = new Catalog(LocaleDir());
  return *catalog;
}

std::string LocaleDir() {
  if (const char* env = std::getenv("SOHOA_LOCALE_DIR"); env != nullptr && *env != '\0') return env;
  return (fs::path(ProgramPrefix()) / "share" / "locale").string();
}

std::string Fill(std::string_view pattern, const MessageParams& params) {
  std::string out;
  out.reserve(pattern.size() + 32);
  ScanPlaceholders(
      pattern, [&](std::string_view text) { out.append(text); },
      [&](std::string_view name) {
        const std::pair<std::string, std::string>* found = nullptr;
        for (const auto& p : params)
          if (p.first == name) found = &p;
        if (found != nullptr) {
          out += found->second;
        } else {
          out.append("{").append(name).append("}");  // unknown: kept as written
        }
      });
  return out;
}

}  // namespace sohoa
