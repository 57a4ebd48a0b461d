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
    // `sohoa ledger check`'s problems (pipeline/ledger/ledger_backup.cc);
    // {row} is SQLite's own words.
    {"ledger.integrity", N_("integrity: {row}")},
    {"ledger.foreign_key", N_("foreign key: {row}")},
    {"ledger.no_schema", N_("schema: not a sohoa ledger (no schema version)")},
    {"ledger.newer_schema", N_("schema: version {version} is newer than this sohoa knows")},
    {"ledger.key_not_sha256", N_("input {input}: the key is not a SHA-256")},
    {"ledger.unknown_status", N_("input {input}: unknown status '{status}'")},
    {"ledger.details_not_object", N_("input {input}: its details are not a JSON object")},
    {"ledger.quarantined_no_reason", N_("input {input}: quarantined without a reason")},
    {"ledger.archived_no_pdf", N_("input {input}: archived without a PDF")},
    {"ledger.review_no_pdf", N_("input {input}: review without a PDF")},
    {"ledger.archived_no_outputs", N_("input {input}: archived without recorded outputs")},
    {"ledger.review_no_outputs", N_("input {input}: review without recorded outputs")},
    {"ledger.output_outside_bags", N_("input {input}: output {role} is not under bags/: {path}")},
    {"ledger.output_no_sha256", N_("input {input}: output {role} has no recorded SHA-256")},
    {"ledger.pdf_not_current", N_("input {input}: its pdf is not its current pdf output")},
    {"ledger.unknown_register_record", N_("register record {record} is linked but not in the register")},
    {"ledger.unknown_run_state", N_("run {run}: unknown state '{state}'")},
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
    // A register of results (pipeline/inventory/inventory.cc): the file's
    // header, then one row's problem (printed after "FILE:LINE: ").
    {"inventory.empty", N_("{file}: empty file (no header row)")},
    {"inventory.unknown_column",
     N_("{file}: line 1: unknown column '{column}' (expected record_id, doc_type, number, book, issue_date, "
        "holder_id, valid)")},
    {"inventory.column_twice", N_("{file}: line 1: column '{column}' given twice")},
    {"inventory.column_missing", N_("{file}: line 1: column '{column}' is missing")},
    {"csv.unclosed_quote", N_("a quoted cell is not closed")},
    {"inventory.cells", N_("{cells} cells, expected {expected}")},
    {"inventory.no_record_id", N_("record_id is empty")},
    {"inventory.duplicate", N_("record_id '{record}' already on line {line}")},
    {"inventory.doc_type", N_("doc_type '{value}' is not a known document type")},
    {"inventory.number",
     N_("number '{value}' is not a number of up to 6 digits with an optional symbol (15, 109/KH, "
        "315/UBND-XNTTHN)")},
    {"inventory.book", N_("book '{value}' is not NN/YYYY")},
    {"inventory.issue_date", N_("issue_date '{value}' is not a date (YYYY-MM-DD or dd/mm/yyyy)")},
    {"inventory.holder_id",
     N_("holder_id ({n} characters) is neither a 12-digit personal ID nor a tax code")},
    {"inventory.valid", N_("valid '{value}' is not 1/0 (true/false)")},
    // The folders a run reads and writes (pipeline/core/input_walk.cc,
    // file_util.cc, pipeline/archive/archive_store.cc): what a nightly job
    // meets first when a path is wrong or a disk is not mounted.
    {"input.not_folder", N_("input folder {folder} does not exist or is not a folder")},
    {"input.cannot_read", N_("cannot read input folder {folder}: {cause}")},
    {"folder.cannot_create", N_("cannot create folder {folder}: {cause}")},
    {"archive.not_writable", N_("archive folder {folder} is not writable")},
    {"archive.none", N_("no archive folder at {folder}")},
    // Accesses to personal data must be recorded before anything is shown
    // (pipeline/report/find.cc, extract.cc, handover.cc).
    {"audit.search", N_("the search could not be recorded, so nothing is shown: {cause}")},
    {"audit.access", N_("the access could not be recorded, so nothing is shown: {cause}")},
    {"audit.handover", N_("the handover could not be recorded, so no package is left: {cause}")},
    {"audit.who_searching", N_("who is searching is not known")},
    {"audit.who_asking", N_("who is asking is not known")},
    {"audit.who_handing_over", N_("who is handing over is not known")},
    // `sohoa ledger rebuild`'s notes about one bag or register
    // (pipeline/run/ledger_rebuild.cc); a {status} other than these three
    // is a ledger token.
    {"rebuild.incomplete_bag",
     N_("bag {bag} is incomplete (no tag manifest): skipped; its files are not in the rebuilt ledger")},
    {"rebuild.bag_skipped", N_("bag {bag} skipped: {cause}")},
    {"rebuild.already_archived",
     N_("input {input} of run {run} was already archived in an earlier bag: kept that")},
    {"rebuild.already_in_review",
     N_("input {input} of run {run} was already review in an earlier bag: kept that")},
    {"rebuild.already_quarantined",
     N_("input {input} of run {run} was already quarantined in an earlier bag: kept that")},
    {"rebuild.already", N_("input {input} of run {run} was already {status} in an earlier bag: kept that")},
    {"rebuild.no_account",
     N_("bag {bag} has no ledger account ({file}): rebuilt from its payload; its quarantines, page facts and "
        "timings are lost")},
    {"rebuild.review_not_applied",
     N_("review bag {bag}: its input {input} is not in review in the rebuilt ledger; the review was not "
        "applied")},
    {"rebuild.register_altered",
     N_("register {register} does not have the hash in its name (altered): not imported")},
    // Handover (pipeline/report/handover.cc).
    {"handover.no_out", N_("an output folder is required (--out)")},
    {"handover.no_book_sha", N_("no register book whose sha256 starts with {id}")},
    {"handover.no_book_source",
     N_("no register book read from {id} (give its path as the run recorded it, or its sha256)")},
    {"handover.several_books", N_("{n} books match {id}: give more of the sha256")},
    // Accounts and the review station's refusals (pipeline/review); a
    // {status} is a ledger token.
    {"accounts.name_length", N_("account names have 1 to 64 characters")},
    {"accounts.name_characters",
     N_("account name '{name}': use lower-case letters, digits, '.', '_' or '-'")},
    {"accounts.password_short", N_("the password must have at least {n} characters")},
    {"accounts.exists", N_("account '{name}' already exists")},
    {"accounts.none", N_("no account '{name}'")},
    {"review.not_yours", N_("this entry is not yours to key or settle now")},
    {"review.taken", N_("another operator is keying this entry; take the next one")},
    {"review.entry_changed", N_("this entry was changed since you opened it (now {status}); reload it")},
    {"review.document_changed",
     N_("this document was changed by someone else since you opened it (now {status}); reload it to see the "
        "current version")},
    {"review.no_input", N_("no input {input} in this archive")},
    {"review.unknown_type", N_("unknown document type '{type}'")},
    {"review.not_a_field", N_("field '{field}' is not a field of {type}")},
    // A keyed value the ledger, sidecar and XMP cannot hold: "the value "
    // and FieldValueProblem's text (pipeline/core/text_safety.cc), after
    // "{field}: " in a refusal, alone beside the field while typing.
    {"review.value_not_utf8", N_("the value is not valid UTF-8 text")},
    {"review.value_control",
     N_("the value holds the control character {char}; type the value again without it")},
    {"review.value_noncharacter",
     N_("the value holds {char}, which is not a character; type the value again without it")},
    {"review.value_direction_mark", N_("the value holds the invisible direction mark {char}, which would "
                                       "make the value read differently from "
                                       "what it holds; remove it")},
    {"review.required", N_("{field}: required")},
    {"review.no_pdf", N_("no archived PDF for input {input}")},
    {"review.record_mismatch",
     N_("register record {record} does not have this document's type, number and book")},
    {"review.confirmed_meanwhile",
     N_("this document was confirmed by someone else while you were editing it; nothing of yours was saved "
        "— reload it to see their version")},
    {"review.no_assignments", N_("this station does not assign entries")},
    {"review.keys_once", N_("this station keys every entry once")},
    {"review.no_drafts", N_("drafts are not kept here")},
    {"review.not_awaiting", N_("this input no longer awaits review")},
    {"review.lexicon_line", N_("lexicon {dir}/communes.tsv: a line without its four columns")},
    {"review.cannot_listen_port",
     N_("cannot listen on {host}:{port} (in use, or not an address of this machine)")},
    {"review.cannot_listen", N_("cannot listen on {host}")},
    // The field checks' problems with a typed value (stages/fields:
    // NormalizeField, ValidateField; cli/review/field_checker.cc), which the
    // station refuses as "{field}: {problem}". A {value} is what was typed.
    {"check.no_text", N_("no text after the label")},
    {"check.no_name", N_("no name after the label")},
    {"check.no_date", N_("no date (dd/mm/yyyy or ngay D thang M nam YYYY)")},
    {"check.no_such_date", N_("'{value}' is not a date that exists")},
    {"check.no_digits", N_("no digits after the label")},
    {"check.no_number", N_("no number after the label")},
    {"check.no_book", N_("no book number NN/YYYY after the label")},
    {"check.sex", N_("'{value}' is neither Nam nor Nữ")},
    {"check.not_a_date", N_("'{value}' is not a date")},
    {"check.before_1900", N_("{value} is before 1900")},
    {"check.future", N_("{value} is in the future")},
    {"check.id_length", N_("personal ID '{id}' has {n} digits, not 12")},
    {"check.id_digits", N_("personal ID '{id}' is not all digits")},
    {"check.id_province", N_("personal ID {id}: province code {code} is not 001-096")},
    {"check.id_century", N_("personal ID {id}: century/sex digit {digit} > 5")},
    {"check.id_female", N_("personal ID {id}: digit 4 ({digit}) says female but the document says {sex}")},
    {"check.id_male", N_("personal ID {id}: digit 4 ({digit}) says male but the document says {sex}")},
    {"check.id_year", N_("personal ID {id}: birth year {year} but the document says {document_year}")},
    {"check.name_words", N_("name '{value}' has fewer than two words")},
    {"check.name_letters", N_("name '{value}' has characters that are not letters")},
    {"check.name_capitals", N_("name '{value}' is not in capitals")},
    {"check.book_year", N_("book '{value}' has an implausible year")},
    {"check.number_length", N_("number '{value}' is longer than 6 digits")},
    {"check.number_digits", N_("number '{value}' is not all digits")},
    {"check.sex_value", N_("'{value}' is not Nam/Nữ")},
    // The lexicons' and the gazetteer's doubts (stages/fields:
    // field_evidence.cc, field_lexicon.cc, place_units.cc), in the
    // pipeline's review reasons.
    {"check.surname", N_("surname '{value}' is not one of the known Vietnamese surnames")},
    {"check.name_syllable", N_("'{value}' is not one of the known syllables of Vietnamese names")},
    {"check.name_syllable_suggested",
     N_("'{value}' is not one of the known syllables of Vietnamese names; "
        "written as '{suggestion}', the one with its letters: check it on the "
        "page")},
    {"check.year_words_round", N_("the year in words ends the line on a round word ({value}): its last words "
                                  "may be lost; check it on the page")},
    {"check.name_ends_middle", N_("name '{value}' ends on the middle name '{word}': its given name is "
                                  "missing; complete it from the page")},
    {"check.name_two_words", N_("a name of two words: a word may have been lost to a table cell or a line "
                                "break; check it on the page")},
    {"check.not_province", N_("'{value}' is not a province")},
    {"check.ethnic_group", N_("'{value}' is not one of the 54 ethnic groups")},
    {"check.nationality", N_("'{value}' is not a known nationality")},
    {"check.id_birth_province", N_("personal ID {id}: province code {code} but the birth was registered in "
                                   "{province} ({province_code})")},
    {"check.no_province", N_("'{value}' names no province")},
    {"check.printed_twice", N_("printed {count} times but read as {readings}")},
    {"check.not_district", N_("'{value}' is not a district of {province} (gazetteer)")},
    {"check.district_skipped",
     N_("'{value}' is in a district of {province} (gazetteer), which the place does not name")},
    {"check.place_no_unit", N_("'{value}' in the place names no unit")},
    {"check.place_runs_on", N_("the place runs on into another at '{value}'")},
    {"check.place_rebuilt", N_("place read as '{value}': its units taken from the gazetteer, to be checked")},
    {"check.before_field", N_("{value} is before {field} {date}")},
    {"check.after_field", N_("{value} is after {field} {date}")},
    {"check.age_at", N_("{value} makes the holder {age} on {field} {date}, not {min} to {max}")},
    {"check.validity", N_("valid until {value} but {field} + {months} months is {expected}")},
    // Accounts and sessions (pipeline/review/accounts.cc).
    {"accounts.refused_login", N_("wrong user name or password, or too many attempts: wait a minute")},
    {"accounts.not_logged_in", N_("not logged in")},
    {"accounts.session_expired", N_("session expired")},
    {"accounts.log_in_first", N_("log in first")},
    {"accounts.csrf", N_("missing or wrong CSRF token")},
    {"accounts.search_needs_clerk", N_("the search needs the clerk role")},
    {"accounts.clerk_searches_only", N_("a clerk account has the search only")},
    {"accounts.needs_admin", N_("this needs the admin role")},
    {"accounts.hashing_memory", N_("accounts: Argon2id hashing ran out of memory")},
    {"accounts.no_libsodium", N_("libsodium could not be initialised")},
    {"accounts.store_unavailable", N_("cannot open the account store: {cause}")},
    // Double keying (pipeline/review/double_keying.cc, drafts.cc).
    {"keying.scope",
     N_("--double-keying takes all, handwritten, batch=RUN_ID or book=[KIND:]BOOK_NO, not '{value}'")},
    {"keying.keyed_already", N_("you keyed this entry already: double keying needs a second person")},
    {"keying.both_keyed", N_("this entry has both its keyings; it awaits an arbiter")},
    {"keying.both_keyed_already", N_("this entry has both its keyings already; it awaits an arbiter")},
    {"keying.expected_two", N_("double keying: expected two keyings after the second")},
    {"keying.needs_arbiter", N_("settling double keying needs the arbiter role")},
    {"keying.own_entry", N_("you keyed this entry: another arbiter must settle it")},
    {"keying.blind", N_("this entry does not have both its keyings yet; its values stay blind until then")},
    {"keying.choose_final", N_("{field}: choose or type the final value")},
    {"drafts.too_many_fields", N_("a draft holds at most {max} fields")},
    {"drafts.value_too_long", N_("draft field '{field}' is longer than {max} bytes")},
    {"drafts.store_unavailable", N_("cannot open the draft store: {cause}")},
    // The station's HTTP refusals (cli/review/server.cc, json_body.cc,
    // clerk_desk.cc); a {shape} is the JSON the request should have sent.
    {"request.body_too_large", N_("the request body is over {max} bytes")},
    {"request.too_deep", N_("the JSON body nests arrays or objects deeper than {max} levels")},
    {"request.not_json", N_("the request body is not valid JSON")},
    {"request.too_large", N_("the request is over {max} bytes")},
    {"request.too_slow", N_("the request did not arrive in time")},
    {"request.expected_object", N_("expected a JSON object")},
    {"request.expected", N_("expected {shape}")},
    {"request.wrong_host", N_("this station does not serve that host name")},
    {"request.body_not_allowed", N_("only POST requests carry a body")},
    {"request.cross_origin", N_("cross-origin request refused")},
    {"request.not_json_type", N_("POST bodies must be application/json")},
    {"request.internal", N_("internal error")},
    {"request.internal_logged", N_("internal error; the station's log has the details")},
    {"clerk.search_first", N_("search for this record first: only what your search shows can be opened")},
    {"clerk.too_many", N_("at most {max} searches a minute: try again in {wait} s")},
    // Page images of the station (cli/review/page_images.cc).
    {"page.pdf_too_large", N_("the archived PDF is too large to show")},
    {"page.cannot_open_pdf", N_("cannot open the archived PDF")},
    {"page.not_in_pdf", N_("page {page} is not in the archived PDF")},
    {"page.cannot_read", N_("cannot read page {page}")},
    {"page.no_size", N_("page {page} has no size")},
    {"page.empty_part", N_("an empty part of the page")},
    {"page.cannot_render", N_("poppler could not render page {page}")},
    {"page.temp_file", N_("cannot create a temporary file for the page image")},
    {"page.cannot_encode", N_("poppler could not encode the page as PNG")},
    {"page.empty_region", N_("the part of the page asked for is empty")},
};

constexpr size_t kLongestParsed = 4096;  // bounds the backtracking

// Any text, except that a {shape} is a JSON shape in braces: a parser's own
// "…: expected a string" is no refusal of the station's (request.expected).
bool Fits(std::string_view name, std::string_view value) {
  if (name == "shape") return value.size() >= 2 && value.front() == '{' && value.back() == '}';
  return !value.empty();
}

const std::vector<MessagePattern>& KindPatterns() {
  static const auto* patterns = new std::vector<MessagePattern>(PatternsOf(kKinds, &ErrorKind::text));
  return *patterns;
}

// `text` said in `lang` when it is wholly one known kind.
bool KnownInLang(std::string_view text, UiLang lang, std::string* said) {
  const auto& patterns = KindPatterns();
  for (size_t k = 0; k < patterns.size(); ++k) {
    MessageParams params;
    if (!patterns[k].Match(text, Fits, &params)) continue;
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
