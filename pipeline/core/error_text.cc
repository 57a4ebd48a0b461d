#include "pipeline/core/error_text.h"

#include <string_view>

#include "pipeline/core/message_pattern.h"

namespace sohoa {
namespace {

struct ErrorKind {
  const char* id;
  const char* text;  // English, a msgid of po/vi.po
};

// The commonest errors an operator meets once a command runs. Order
// matters only for parsing: a more specific text before a general one.
constexpr ErrorKind kKinds[] = {
    // Ledgers (pipeline/ledger).
    {"ledger.no_archive", N_("no sohoa archive at {archive} (no ledger.sqlite there)")},
    {"ledger.no_sqlite", N_("no SQLite ledger at {path}")},
    {"ledger.unknown_location",
     N_("unknown ledger location {location}: use postgresql://…, sqlite:PATH or a file path")},
    {"ledger.none", N_("no ledger: give --archive (its ledger.sqlite) or --ledger / SOHOA_LEDGER")},
    {"ledger.cannot_open", N_("cannot open ledger {path}: {cause}")},
    {"accounts.cannot_open", N_("cannot open account store {path}: {cause}")},
    {"postgres.password_refused",
     N_("the PostgreSQL ledger refused the password of user {user} ({server}): check the password in the "
        "--ledger URL / SOHOA_LEDGER, the ledger-password credential or PGPASSWORD")},
    {"postgres.cannot_connect", N_("cannot connect to the PostgreSQL ledger ({server}): {cause}")},
    // Keys (stages/signing).
    {"key.not_pkcs12", N_("PKCS#12 key {path}: not a PKCS#12 file")},
    {"key.wrong_password",
     N_("PKCS#12 key {path}: wrong password (set SOHOA_*_KEY_SECRET or the key-secret-file)")},
    {"key.wrong_pin",
     N_("PKCS#11 token {token}: wrong PIN (not retried: tokens lock after a few failures); the run stops")},
    {"key.pin_locked_so", N_("PKCS#11 token {token}: the user PIN is locked; unlock it with the SO PIN")},
    {"key.pin_locked", N_("PKCS#11 token {token}: the user PIN is locked")},
    // The report's --targets (pipeline/report/report.cc).
    {"targets.not_year_percent", N_("targets: '{item}' is not YEAR:PERCENT (e.g. 2021:15)")},
    {"targets.empty", N_("targets: empty list")},
    // Searches and extracts of personal data (pipeline/report/find.cc).
    {"purpose.required",
     N_("a purpose is required (--purpose): every access to personal data is recorded with why it was made")},
    {"purpose.too_long", N_("the purpose is longer than {max} bytes")},
    // Document types (pipeline/core/doctype_catalog.cc); {problem} is the
    // check's own words.
    {"doctypes.no_folder", N_("document-type folder {folder} does not exist (expected schemas/doctypes)")},
    {"doctypes.none", N_("no document types (*.json) in {folder}")},
    {"doctypes.cannot_list", N_("cannot list {folder}: {cause}")},
    {"doctypes.bad_file", N_("document type {file}: {where}: {problem}")},
};

constexpr size_t kLongestParsed = 4096;  // bounds the backtracking

bool AnyText(std::string_view, std::string_view value) { return !value.empty(); }

const std::vector<MessagePattern>& KindPatterns() {
  static const auto* patterns = new std::vector<MessagePattern>(PatternsOf(kKinds, &ErrorKind::text));
  return *patterns;
}

// `text` said in `lang` when it is wholly one known kind.
bool KnownInLang(std::string_view text, UiLang lang, std::string* said) {
  const auto& patterns = KindPatterns();
  for (size_t k = 0; k < patterns.size(); ++k) {
    MessageParams params;
    if (!patterns[k].Match(text, AnyText, &params)) continue;
    for (auto& [name, value] : params)
      if (name == "cause") value = ErrorInLang(value, lang);
    *said = Fill(Tr(lang, kKinds[k].text), params);
    return true;
  }
  return false;
}

}  // namespace

std::string ErrorText(const char* id, const MessageParams& params) {
  for (const ErrorKind& kind : kKinds)
    if (std::string_view(id) == kind.id) return Fill(kind.text, params);
  std::string text = std::string(id) + ":";
  for (const auto& [name, value] : params) text += " " + name + "=" + value;
  return text;
}

std::string ErrorInLang(const std::string& message, UiLang lang) {
  if (lang == UiLang::kEn || message.size() > kLongestParsed) return message;
  std::string said;
  if (KnownInLang(message, lang, &said)) return said;
  // A context before the error ("review: ", a file name): kept as written.
  for (size_t colon = message.find(": "); colon != std::string::npos; colon = message.find(": ", colon + 2)) {
    if (KnownInLang(std::string_view(message).substr(colon + 2), lang, &said))
      return message.substr(0, colon + 2) + said;
  }
  return message;
}

std::vector<const char*> ErrorMsgids() {
  std::vector<const char*> msgids;
  for (const ErrorKind& kind : kKinds) msgids.push_back(kind.text);
  return msgids;
}

}  // namespace sohoa
