#include "cli/review/web_words.h"

#include <nlohmann/json.hpp>

#include "pipeline/core/catalog.h"

namespace sohoa::cli {
namespace {

struct WebWord {
  const char* key;    // what the script asks for: t('login')
  const char* msgid;  // English, a msgid of po/vi.po
};

// cli/review/web/app.js: the queue, a document, keying, the audit log.
constexpr WebWord kAppWords[] = {
    {"title_queue", N_("Documents to review")},
    {"title_audit", N_("Audit log")},
    {"login", N_("Log in")},
    {"user", N_("User name")},
    {"password", N_("Password")},
    {"logout", N_("Log out")},
    {"queue", N_("Queue")},
    {"audit", N_("Audit log")},
    {"wrong_password", N_("Wrong user name or password, or too many attempts: wait a minute and try again.")},
    {"all", N_("All")},
    {"reason", N_("Reason")},
    {"type", N_("Document type")},
    {"batch", N_("Batch")},
    {"source", N_("File")},
    {"pages", N_("Pages")},
    {"reasons", N_("Why review")},
    {"queue_summary", N_("{n} shown / {total} awaiting review")},
    {"queue_help", N_("Keys: ↑/↓ (or j/k) select, Enter opens.")},
    {"empty", N_("Nothing left to review.")},
    {"doc_type", N_("Document type")},
    {"unknown_type", N_("(unknown)")},
    {"confidence", N_("confidence")},
    {"inventory", N_("Register record")},
    {"none", N_("— no match —")},
    {"confirm", N_("Confirm (Enter)")},
    {"back", N_("Queue (Esc)")},
    {"prev", N_("← Previous (Alt+←)")},
    {"next", N_("Next (Alt+→) →")},
    {"doc_help", N_("Tab: next field · Enter: confirm · Esc: back to the queue · Alt+←/→: previous/next "
                    "document · Alt+= / Alt+-: zoom")},
    {"confirmed", N_("Confirmed and archived: {src}")},
    {"conflict", N_("Someone else confirmed this document first. Nothing was overwritten; reload it.")},
    {"reload", N_("Reload")},
    {"invalid", N_("Cannot confirm yet: {msg}")},
    {"error", N_("Error: {msg}")},
    {"required", N_("required")},
    {"saving", N_("Saving…")},
    {"at", N_("When")},
    {"who", N_("Who")},
    {"action", N_("Action")},
    {"target", N_("Acted on")},
    {"detail", N_("Detail")},
    {"flagged", N_("Why flagged")},
    {"session_expired", N_("Your session expired; log in again.")},
    {"cat_low_confidence", N_("Low confidence")},
    {"cat_missing_field", N_("Missing field")},
    {"cat_invalid_field", N_("Invalid value")},
    {"cat_unknown_type", N_("Unknown type")},
    {"cat_inventory", N_("Register")},
    {"cat_blank_page", N_("Blank page")},
    {"cat_low_resolution", N_("Low resolution")},
    {"cat_damaged", N_("Damaged file")},
    {"cat_other", N_("Other")},
    {"entry_help", N_("Keying: Enter moves on (last field: confirm, the next entry opens) · Tab takes the "
                      "suggestion · dates as digits: 13112020 · Esc: queue")},
    {"entry_of", N_("Entry {no} · book {book} · page {page}")},
    {"carried", N_("as the entry before")},
    {"draft_saved", N_("Draft saved")},
    {"keyed_first", N_("First keying kept; another person keys this entry next.")},
    {"keyed_arbitration", N_("The two keyings differ on {n} fields; the entry awaits an arbiter.")},
    {"held_by_other", N_("Another operator is keying this entry; take the next one.")},
    {"keying_wait", N_("You keyed this entry; the second keyer has not yet.")},
    {"keying_awaits", N_("This entry awaits an arbiter.")},
    {"arbitrate_help", N_("Arbitration: the fields that differ are empty — Alt+1 / Alt+2 take the first / "
                          "second keyer's value, or type the right one.")},
    {"draft_restored", N_("Draft from {at} restored")},
    {"no_place", N_("Where this field is written is not known")},
};

// cli/review/web/clerk.js: the clerk's search page.
constexpr WebWord kClerkWords[] = {
    {"title", N_("Find digitized records")},
    {"by", N_("Search by")},
    {"by_holder", N_("Personal ID")},
    {"by_name", N_("Name and birth date")},
    {"holder", N_("Personal ID (12 digits)")},
    {"name", N_("Full name")},
    {"birth", N_("Birth date (dd/mm/yyyy)")},
    {"type", N_("Document type (optional, e.g. khai_sinh)")},
    {"purpose", N_("Purpose (required, kept in the access log)")},
    {"search", N_("Search")},
    {"need_purpose",
     N_("State the purpose: every search of personal data is recorded with why it was made.")},
    {"more", N_(" (more match: narrow the search)")},
    {"none", N_("No record found.")},
    {"names", N_("Names")},
    {"register", N_("Number / book")},
    {"registered", N_("Registered")},
    {"status", N_("Status")},
    {"version", N_("Version")},
    {"open", N_("Open PDF")},
    {"download", N_("Download PDF")},
    {"extract", N_("Extract (zip)")},
    {"too_many", N_("Too many searches: try again in {s} s.")},
    {"error", N_("Error: {msg}")},
    {"help", N_("Every opening, download and extract is logged with the purpose of the search.")},
};

// A language's own name, said in it: "English", "Tiếng Việt".
constexpr const char* kLanguageName = N_("English");

template <size_t N>
nlohmann::json WordsIn(const WebWord (&words)[N], UiLang lang, UiLang other) {
  nlohmann::json said = nlohmann::json::object();
  for (const WebWord& w : words) said[w.key] = Tr(lang, w.msgid);
  said["other_lang"] = Tr(other, kLanguageName);
  return said;
}

// A word with plural forms, for the browser: its form for each of the
// plural categories the station's languages have (Intl.PluralRules: "one",
// "other"; Vietnamese has one form, English two), chosen in the script by
// the count. `form(n)` is a TrN call, so that xgettext sees the pair.
template <typename Form>
nlohmann::json PluralWord(Form form) {
  return {{"one", form(1)}, {"other", form(2)}};
}

// The clerk page's words with plural forms.
void AddClerkPlurals(UiLang lang, nlohmann::json& said) {
  said["found"] = PluralWord([lang](long n) { return TrN(lang, "{n} record", "{n} records", n); });
}

template <size_t N>
nlohmann::json Table(const WebWord (&words)[N], void (*plurals)(UiLang, nlohmann::json&) = nullptr) {
  nlohmann::json vi = WordsIn(words, UiLang::kVi, UiLang::kEn), en = WordsIn(words, UiLang::kEn, UiLang::kVi);
  if (plurals != nullptr) {
    plurals(UiLang::kVi, vi);
    plurals(UiLang::kEn, en);
  }
  return {{"vi", vi}, {"en", en}};
}

}  // namespace

std::string WebWordsScript() {
  const nlohmann::json words = {{"app", Table(kAppWords)}, {"clerk", Table(kClerkWords, AddClerkPlurals)}};
  return "'use strict';\n// The station's words from the message catalogue (cli/review/web_words.h).\n"
         "/* exported WORDS */\nconst WORDS = " +
         words.dump() + ";\n";
}

}  // namespace sohoa::cli
