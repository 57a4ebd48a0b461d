#include "pipeline/core/reason.h"

#include <cctype>
#include <cstring>
#include <string_view>
#include <vector>

#include "pipeline/core/error_text.h"
#include "pipeline/core/message_pattern.h"

namespace sohoa {
namespace {

// One kind of reason: its id, its full English text (what the stages write)
// and its English text for people who must not see values, nullptr when the
// full text quotes no value. Both are msgids (po/vi.po). Placeholders are always separated by literal text,
// which is what lets ParseReason take a text apart again.
struct ReasonKind {
  const char* id;
  const char* full;
  const char* for_people;  // nullptr: the full text
};

// Order matters only for parsing: a more specific text comes before a more
// general one that would also match it ("fields: {field}: {problem}" last of
// the field reasons).
constexpr ReasonKind kKinds[] = {
    // Field extraction (stages/fields).
    {"field.low_confidence", N_("fields: {field} '{value}' read with confidence {confidence} < {minimum}"),
     N_("fields: {field} read with low confidence")},
    {"field.label_without_value", N_("fields: {field} ({label}): label found, no value read"),
     N_("fields: {field}: label found, no value read")},
    {"field.optional_not_found", N_("fields: {field} ({label}): neither label nor value found"),
     N_("fields: {field}: neither label nor value found")},
    {"field.not_found", N_("fields: required field {field} ({label}) not found"),
     N_("fields: required field {field} not found")},
    {"type.no_title", N_("fields: unknown document type (no known title found)"), nullptr},
    {"type.no_text", N_("fields: no text to extract from (type the data in by hand)"), nullptr},
    {"type.form_mismatch",
     N_("fields: unknown document type ('{type_name}' appears, but not the labels of its form)"),
     N_("fields: unknown document type (its title appears, but not the labels of its form)")},
    {"type.register_kind", N_("fields: the register kind '{kind}' has no document type (schemas/doctypes)"),
     nullptr},
    {"field.check_failed", N_("fields: {field}: {problem}"), N_("fields: {field} failed a check")},
    // Register books (stages/book).
    {"entry.handwritten", N_("handwritten: key it in"), nullptr},
    {"entry.number_inferred", N_("entry number inferred from its neighbours, check it"), nullptr},
    {"entry.number_unknown", N_("entry number not read and not inferable: key it in"), nullptr},
    {"entry.number_misfit",
     N_("entry number read as {read} does not fit between {before} and {after}: taken as {taken}, check it"),
     nullptr},
    {"entry.number_out_of_order",
     N_("entry number {number} does not follow {previous} (the entry before it): check it"), nullptr},
    {"book.no_entry", N_("book: no entry found on scan page {scan}"), nullptr},
    // The order of a book's pages (stages/book/book_page_order.cc): a
    // problem of the book is "book: " and the problem; the same doubt about
    // a page number is also an entry's reason, without the prefix. {where},
    // {other} and {page_problem} are reasons of their own, said in turn.
    {"book.problem", N_("book: {page_problem}"), nullptr},
    {"where.left", N_("scan page {scan}, left"), nullptr},
    {"where.right", N_("scan page {scan}, right"), nullptr},
    {"where.scan", N_("scan page {scan}"), nullptr},
    {"page.repeated", N_("page {pages} ({where}) repeats {other}; its entries are taken once"), nullptr},
    {"page.number_placed",
     N_("page number of {where} read as {read}, which does not fit the pages around it: taken as {taken}, "
        "check it"),
     nullptr},
    {"page.number_kept",
     N_("page number of {where} read as {read}, which does not fit the pages around it: kept, check it"),
     nullptr},
    {"page.number_impossible",
     N_("page number of {where} read as {read}, which the book cannot hold: check it"), nullptr},
    {"page.number_between",
     N_("page number of {where} read as {read}, taken as {taken} (between pages {before} and {after})"),
     nullptr},
    {"page.out_of_order", N_("page {page} ({where}) is out of order: it comes after page {previous}"),
     nullptr},
    {"page.number_unread", N_("page number of {where} not read: taken as {taken}"), nullptr},
    {"page.missing_between", N_("page {page} is missing (between {where} and {other})"), nullptr},
    {"page.missing_before", N_("page {page} is missing (before {where})"), nullptr},
    {"page.missing", N_("page {page} is missing"), nullptr},
    {"pages.missing_between", N_("pages {from}-{to} are missing (between {where} and {other})"), nullptr},
    {"pages.missing_before", N_("pages {from}-{to} are missing (before {where})"), nullptr},
    {"pages.missing", N_("pages {from}-{to} are missing"), nullptr},
    // Pages (stages/page, stages/decode).
    {"page.blank", N_("page {page}: blank page"), nullptr},
    {"page.no_text", N_("page {page}: no text recognized"), nullptr},
    {"page.low_dpi_estimated",
     N_("page {page}: {dpi} dpi (estimated from the size of its text, the file records none) is below the "
        "{minimum} dpi the regulations require"),
     nullptr},
    {"page.low_dpi", N_("page {page}: {dpi} dpi is below the {minimum} dpi the regulations require"),
     nullptr},
    {"document.partly_read", N_("only {count} page(s) could be read; {damage}"), nullptr},
    {"pdf.repaired", N_("damaged PDF, repaired on reading ({repairs}); check that every page is complete"),
     nullptr},
    // Causes of quarantine from decoding (stages/decode): what the file is
    // or is not; a library's own words ({cause}) are shown as written.
    {"decode.empty", N_("empty file (0 bytes)"), nullptr},
    {"decode.not_image", N_("not an image: file starts with '{start}'"), nullptr},
    {"decode.gif", N_("GIF images are not supported; rescan or convert to TIFF or PNG"), nullptr},
    {"decode.unsupported_format", N_("{format} images are not supported; convert to TIFF or PNG"), nullptr},
    {"decode.neither_png_nor_jpeg", N_("neither a PNG nor a JPEG file"), nullptr},
    {"decode.bad_tiff", N_("not a readable TIFF: {cause}"), nullptr},
    {"decode.pdf_damaged", N_("PDF is damaged: {cause}"), nullptr},
    {"page.compression", N_("page {page}: {compression} compression is not supported"), nullptr},
    {"decode.compression", N_("{compression} compression is not supported"), nullptr},
    // What the decoders say of a file or a page they cannot read
    // (stages/decode); {cause} is said in turn when it is a kind too.
    {"decode.png_header", N_("PNG header is damaged or truncated (no IHDR chunk)"), nullptr},
    {"decode.png_size", N_("PNG header records an impossible size {width}x{height}"), nullptr},
    {"decode.png_colour", N_("PNG header records an unknown colour type {type}"), nullptr},
    {"decode.png_data", N_("cannot decode the PNG data (damaged or truncated file): {cause}"), nullptr},
    {"decode.png_truncated", N_("the file ends early (truncated)"), nullptr},
    {"decode.png_undecodable", N_("the PNG data cannot be decoded"), nullptr},
    {"decode.jpeg_marker", N_("JPEG header is damaged (no marker at byte {byte})"), nullptr},
    {"decode.jpeg_no_size", N_("JPEG header records no image size"), nullptr},
    {"decode.jpeg_header", N_("JPEG header is damaged or truncated (no frame header found)"), nullptr},
    {"decode.jpeg_data", N_("damaged JPEG data: {cause}"), nullptr},
    {"decode.jpeg_undecodable", N_("the JPEG data cannot be decoded"), nullptr},
    {"decode.pdf_jpeg", N_("damaged page image (JPEG): {cause}"), nullptr},
    {"decode.page_image", N_("damaged page image: {cause}"), nullptr},
    {"decode.single_page", N_("a {format} file has a single page"), nullptr},
    {"decode.too_many_pixels", N_("{width}×{height} pixels exceeds the limit of {limit} megapixels"),
     nullptr},
    {"decode.too_wide", N_("{width}×{height} pixels exceeds the limit of {limit} pixels per side"), nullptr},
    {"decode.too_small",
     N_("{width}×{height} pixels is too small to be a page scan (under {minimum} pixels on a side)"),
     nullptr},
    {"decode.book_pages", N_("book folder of more than {count} pages"), nullptr},
    {"decode.pdf_pages", N_("PDF of {count} pages exceeds the limit of {limit} pages"), nullptr},
    {"decode.tiff_pages", N_("the file has more than {count} pages, the configured limit"), nullptr},
    {"decode.out_of_memory_pdf", N_("out of memory while reading the PDF"), nullptr},
    {"decode.out_of_memory", N_("out of memory while decoding"), nullptr},
    {"decode.pdf_password",
     N_("password-protected PDF: it opens only with its password; ask for a copy without one"), nullptr},
    {"decode.pdf_no_page", N_("no such page (the PDF has {count} pages)"), nullptr},
    {"decode.pdf_page_unreadable", N_("cannot be read: {cause}"), nullptr},
    {"decode.pdf_page_size", N_("has no usable page size"), nullptr},
    {"decode.pdf_unrendered", N_("cannot be rendered: {cause}"), nullptr},
    {"decode.tiff_no_size", N_("its directory records no image dimensions"), nullptr},
    {"decode.tiff_first_directory", N_("cannot read the first page's directory: {cause}"), nullptr},
    {"decode.tiff_directory", N_("cannot read this page's directory: {cause}"), nullptr},
    {"decode.tiff_row", N_("cannot decode row {row}: {cause}"), nullptr},
    {"decode.tiff_rows", N_("cannot decode rows {from}-{to}: {cause}"), nullptr},
    {"decode.tiff_tile_geometry", N_("bad tile geometry: {cause}"), nullptr},
    {"decode.tiff_tile", N_("cannot decode the tile at x={x} y={y}: {cause}"), nullptr},
    {"decode.tiff_layout", N_("this TIFF layout cannot be read: {cause}"), nullptr},
    {"decode.tiff_start", N_("cannot start decoding: {cause}"), nullptr},
    {"decode.tiff_palette", N_("palette image without a colour map"), nullptr},
    {"decode.tiff_chain", N_("the page directory chain is damaged after page {page} ({cause})"), nullptr},
    // Why an input of the batch was not processed (pipeline/run).
    {"run.already_archived", N_("already in the archive ({status}) as {source}"), nullptr},
    {"run.same_content", N_("same content as {source} in this batch"), nullptr},
    {"run.held_elsewhere", N_("being processed by another run; left to it"), nullptr},
    {"run.file_changed", N_("file changed while being read (still being written?)"), nullptr},
    {"run.left_for_next", N_("left for the next run"), nullptr},
    {"run.not_started", N_("not started: the run stopped (see the error above)"), nullptr},
    {"run.recorded_already", N_("recorded already ({status})"), nullptr},
    // Any other cause a stage gives for one page (last: the kinds above
    // that start with "page N: " are more specific).
    {"page.cause", N_("page {page}: {cause}"), nullptr},
    // Register matching (pipeline/inventory).
    {"inventory.no_keys", N_("inventory: not matched (document type or number unknown)"), nullptr},
    {"inventory.no_record", N_("inventory: {entry}: no record in the inventory"), nullptr},
    {"inventory.unconfirmed_unread",
     N_("inventory: {entry}: record(s) {records} have this number but neither the issue date (unread) nor "
        "the "
        "holder ID agrees"),
     N_("inventory: {entry}: record(s) {records} have this number but neither the issue date nor the holder "
        "ID "
        "agrees")},
    {"inventory.unconfirmed",
     N_("inventory: {entry}: record(s) {records} have this number but neither the issue date ({issue_date}) "
        "nor "
        "the holder ID agrees"),
     N_("inventory: {entry}: record(s) {records} have this number but neither the issue date nor the holder "
        "ID "
        "agrees")},
    {"inventory.ambiguous", N_("inventory: {entry}: ambiguous: records {records} all agree"), nullptr},
    {"inventory.taken", N_("inventory: {entry}: record {record} is already matched by input {input}"),
     nullptr},
};

constexpr const char* kFieldsPrefix = "fields: ";
constexpr size_t kLongestParsed = 4096;  // bounds the backtracking below

// Parameters that are reasons of their own ("scan page 3, left"): parsed
// and said in the reader's language in turn.
bool IsNested(std::string_view name) { return name == "where" || name == "other" || name == "page_problem"; }

const ReasonKind* FindKind(std::string_view id) {
  for (const ReasonKind& kind : kKinds)
    if (id == kind.id) return &kind;
  return nullptr;
}

// What a parameter may hold, by its name: a field key or register kind, a
// number, or any text. The narrow ones are what make a parse unambiguous.
bool FitsParameter(std::string_view name, std::string_view value) {
  if (value.empty()) return false;
  auto all = [&](auto ok) {
    for (char c : value)
      if (!ok(static_cast<unsigned char>(c))) return false;
    return true;
  };
  if (name == "field" || name == "kind")
    return all([](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (name == "dpi") return all([](unsigned char c) { return c != ' '; });
  if (IsNested(name)) return ParseReason(std::string(value)).id != "text";
  static constexpr const char* kNumbers[] = {"confidence", "minimum", "read",     "before", "after",
                                             "taken",      "number",  "previous", "scan",   "page",
                                             "count",      "from",    "to"};
  for (const char* number : kNumbers)
    if (name == number) return all([](unsigned char c) { return std::isdigit(c) || c == '.'; });
  return true;
}

const std::vector<MessagePattern>& KindPatterns() {
  static const auto* patterns = new std::vector<MessagePattern>(PatternsOf(kKinds, &ReasonKind::full));
  return *patterns;
}

// A "fields: KEY …" text no kind matches (an old ledger's, or one cut by a
// value holding "; "): its field key and whether it was about confidence,
// so that nothing after the key is shown.
Reason UnknownFieldReason(const std::string& text) {
  const std::string rest = text.substr(std::strlen(kFieldsPrefix));
  const std::string key = rest.substr(0, rest.find_first_of(" :'"));
  const bool low_confidence = text.find(" read with confidence ") != std::string::npos;
  if (!FitsParameter("field", key)) return {"field.unknown", {}};
  return {low_confidence ? "field.low_confidence" : "field.check_failed", {{"field", key}}};
}

// A {cause} is a library's words (said as written) or, from our own
// decoders, a kind of its own (said in `lang`).
std::string CauseInLang(const std::string& cause, UiLang lang) {
  const Reason inner = ParseReason(cause);
  return FindKind(inner.id) != nullptr ? ReasonForPeople(inner, lang) : cause;
}

// A ledger status named in a reason ("already in the archive (review)"),
// said as the run log says outcomes; any other word as written.
std::string StatusInLang(const std::string& status, UiLang lang) {
  for (const char* word : {"archived", "review", "quarantined"})
    if (status == word) return Tr(lang, word);
  return status;
}

}  // namespace

std::string ReasonText(const char* id, const MessageParams& params) {
  if (const ReasonKind* kind = FindKind(id)) return Fill(kind->full, params);
  std::string text = std::string(id) + ":";
  for (const auto& [name, value] : params) text += " " + name + "=" + value;
  return text;
}

Reason ParseReason(const std::string& text) {
  if (text.size() <= kLongestParsed) {
    const auto& patterns = KindPatterns();
    for (size_t k = 0; k < patterns.size(); ++k) {
      MessageParams params;
      if (patterns[k].Match(text, FitsParameter, &params)) return {kKinds[k].id, std::move(params)};
    }
  }
  return {"text", {{"text", text}}};
}

nlohmann::json ReasonToJson(const Reason& reason) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : reason.params) params[name] = value;
  return {{"id", reason.id}, {"params", params}};
}

std::string ReasonForPeople(const Reason& reason, UiLang lang) {
  if (const ReasonKind* kind = FindKind(reason.id)) {
    MessageParams params = reason.params;
    for (auto& [name, value] : params) {
      if (IsNested(name)) value = ReasonForPeople(ParseReason(value), lang);
      if (name == "cause") value = CauseInLang(value, lang);
      if (name == "status") value = StatusInLang(value, lang);
    }
    return Fill(Tr(lang, kind->for_people != nullptr ? kind->for_people : kind->full), params);
  }
  if (reason.id == "field.unknown") return Tr(lang, N_("fields: a value needs checking"));
  const std::string text = reason.params.empty() ? "" : reason.params.front().second;
  if (text.rfind(kFieldsPrefix, 0) == 0) return ReasonForPeople(UnknownFieldReason(text), lang);
  return text;
}

std::string ReasonInFull(const std::string& text, UiLang lang) {
  Reason reason = ParseReason(text);
  const ReasonKind* kind = FindKind(reason.id);
  if (kind == nullptr) return text;
  for (auto& [name, value] : reason.params) {
    if (IsNested(name)) value = ReasonInFull(value, lang);
    // A field check's problem the error table knows (a date that does not
    // exist, an ID against the document) is said too; others as written.
    if (name == "problem") value = ErrorInLang(value, lang);
    if (name == "cause") value = ReasonInFull(value, lang);  // a kind said in full, else as written
    if (name == "status") value = StatusInLang(value, lang);
  }
  return Fill(Tr(lang, kind->full), reason.params);
}

nlohmann::json ReasonsInEachLanguage(const std::vector<std::string>& reasons) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [lang, code] : {std::pair{UiLang::kVi, "vi"}, std::pair{UiLang::kEn, "en"}}) {
    nlohmann::json said = nlohmann::json::array();
    for (const std::string& reason : reasons) said.push_back(ReasonInFull(reason, lang));
    out[code] = std::move(said);
  }
  return out;
}

std::vector<Reason> SplitReasons(const std::string& reasons) {
  // Reasons are joined with "; " (pipeline/run/archive_sink.h). The parts
  // are tried alone, then with the parts after them (shortest first: two
  // whole reasons could also read as one whose value holds "; ").
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const size_t end = reasons.find("; ", start);
    parts.push_back(reasons.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  constexpr size_t kMostParts = 4;
  std::vector<Reason> out;
  bool in_field_reason = false;
  for (size_t i = 0; i < parts.size();) {
    Reason reason{"text", {{"text", parts[i]}}};
    size_t used = 1;
    std::string joined = parts[i];
    for (size_t n = 1; n <= kMostParts && i + n <= parts.size(); ++n) {
      if (n > 1) joined += "; " + parts[i + n - 1];
      Reason parsed = ParseReason(joined);
      if (parsed.id != "text") {
        reason = std::move(parsed);
        used = n;
        break;
      }
    }
    const bool field_reason = parts[i].rfind(kFieldsPrefix, 0) == 0;
    const bool fragment =
        reason.id == "text" && !field_reason && in_field_reason && parts[i].find(": ") == std::string::npos;
    if (!fragment) {
      if (reason.id == "text" && field_reason) reason = UnknownFieldReason(parts[i]);
      out.push_back(std::move(reason));
      in_field_reason = field_reason;
    }
    i += used;
  }
  return out;
}

std::string ReasonsForPeople(const std::string& reasons, UiLang lang) {
  std::string out;
  for (const Reason& reason : SplitReasons(reasons)) {
    if (!out.empty()) out += "; ";
    out += ReasonForPeople(reason, lang);
  }
  return out;
}

void SetReviewReasons(const std::vector<std::string>& reasons, nlohmann::json* details) {
  nlohmann::json ids = nlohmann::json::array();
  for (const std::string& reason : reasons) ids.push_back(ReasonToJson(ParseReason(reason)));
  (*details)["review_reasons"] = reasons;
  (*details)["review_reason_ids"] = std::move(ids);
}

nlohmann::json ReviewReasonIds(const nlohmann::json& details) {
  if (!details.is_object()) return nlohmann::json::array();
  const auto ids = details.find("review_reason_ids");
  if (ids != details.end() && ids->is_array()) return *ids;
  nlohmann::json derived = nlohmann::json::array();
  const auto reasons = details.find("review_reasons");
  if (reasons == details.end() || !reasons->is_array()) return derived;
  for (const nlohmann::json& reason : *reasons)
    if (reason.is_string()) derived.push_back(ReasonToJson(ParseReason(reason.get<std::string>())));
  return derived;
}

std::vector<const char*> ReasonMsgids() {
  std::vector<const char*> ids;
  for (const ReasonKind& kind : kKinds) {
    ids.push_back(kind.full);
    if (kind.for_people != nullptr) ids.push_back(kind.for_people);
  }
  ids.push_back("fields: a value needs checking");
  return ids;
}

}  // namespace sohoa
