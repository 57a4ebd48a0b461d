#include "pipeline/report/export.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/core/file_name.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"

namespace sohoa {
namespace {

// "source" is the display name (always UTF-8). A name whose bytes are not
// UTF-8 also gets them back, as hex, and a best-effort reading as one of the
// Vietnamese legacy encodings, marked as a guess. The bytes are the
// details' "source_bytes" (recorded since issue 25) or, in a ledger written
// before, the raw name the ledger holds.
void AddSourceName(const std::string& ledger_source, const nlohmann::json& details, nlohmann::json* line) {
  std::string raw = ledger_source;
  if (details.contains("source_bytes") && details["source_bytes"].is_string()) {
    if (std::optional<std::string> bytes = BytesFromHex(details["source_bytes"].get<std::string>()))
      raw = *bytes;
  }
  (*line)["source"] = DisplayName(raw);
  if (DisplayName(raw) == raw) return;
  (*line)["source_bytes"] = HexOfBytes(raw);
  if (std::optional<LegacyNameGuess> guess = GuessLegacyVietnameseName(raw)) {
    (*line)["source_legacy_guess"] = {{"encoding", guess->encoding}, {"text", guess->text}};
  }
}

}  // namespace

namespace {

// Issue 17: a register book's line says what the book is and lists its
// entries; an entry's line says which book, which số and which trang.
void AddRegisterFacts(const nlohmann::json& metadata, const nlohmann::json& details, nlohmann::json* line) {
  const std::string kind = metadata.value("record_kind", "");
  auto text = [&](const char* key) { return metadata.value(key, ""); };
  if (kind == "register_book") {
    nlohmann::json book = {{"register_kind", text("register_kind")},
                           {"book_no", text("book_no")},
                           {"commune", text("commune")},
                           {"year_from", text("year_from")},
                           {"year_to", text("year_to")}};
    const nlohmann::json facts = details.value("book", nlohmann::json::object());
    book["entries"] = facts.value("entries", nlohmann::json::array());
    book["problems"] = facts.value("problems", nlohmann::json::array());
    (*line)["book"] = book;
  } else if (kind == "register_entry") {
    (*line)["entry"] = {{"register_kind", text("register_kind")},
                        {"book_sha256", text("book_sha256")},
                        {"book_no", text("book_no")},
                        {"position", text("entry_position")},
                        {"entry_no", text("entry_no")},
                        {"entry_no_inferred", text("entry_no_inferred") == "1"},
                        {"page_no", text("page_no")},
                        {"scan_pages", text("scan_pages")},
                        {"handwritten", text("handwritten") == "1"}};
  }
}

// One input's line of the export (schemas/export.schema.json): `r` as the
// ledger holds it and every path its content was seen under.
nlohmann::json ExportLine(const LedgerRecord& r, const std::vector<std::string>& sources) {
  nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
  if (details.is_discarded()) details = nlohmann::json::object();
  nlohmann::json line = {
      {"sha256", r.sha256},
      {"status", r.status},
      {"reason", r.reason},
      {"pages", r.pages},
      {"pdf", r.pdf.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.pdf)},
      {"text", r.text.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.text)},
      {"run_id", r.run_id},
      {"updated_at", r.updated_at},
      {"seconds", r.seconds},
      {"also_seen_as", nlohmann::json::array()},
      {"review_reasons", details.value("review_reasons", nlohmann::json::array())},
      {"review_reason_ids", ReviewReasonIds(details)},
  };
  AddSourceName(r.source, details, &line);
  for (const std::string& s : sources)
    if (s != r.source) line["also_seen_as"].push_back(DisplayName(s));
  // Issue 3: what field extraction and the inventory match found.
  const nlohmann::json metadata = details.value("metadata", nlohmann::json::object());
  auto text_or_null = [&](const char* key) {
    const std::string v =
        metadata.contains(key) && metadata[key].is_string() ? metadata[key].get<std::string>() : "";
    return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
  };
  line["doc_type"] = text_or_null("doc_type");
  line["code"] = text_or_null("result_code");
  line["holder_id"] = text_or_null("holder_id");
  line["record_id"] = text_or_null("record_id");
  // Issue 4: the signers in signing order (staff, then organisation).
  line["signed"] = nlohmann::json::array();
  if (metadata.contains("signed") && metadata["signed"].is_string()) {
    nlohmann::json signers = nlohmann::json::parse(metadata["signed"].get<std::string>(), nullptr, false);
    if (signers.is_array()) line["signed"] = signers;
  }
  line["fields"] = nlohmann::json::object();
  if (details.contains("fields") && details["fields"].is_object()) {
    for (const auto& [key, f] : details["fields"].items()) {
      line["fields"][key] = {{"value", f.value("value", "")}, {"confidence", f.value("confidence", 0.0)}};
      if (f.contains("corrected_from")) line["fields"][key]["corrected_from"] = f["corrected_from"];
    }
  }
  if (details.contains("outputs")) line["outputs"] = details["outputs"];
  if (details.contains("pages")) line["page_details"] = details["pages"];
  AddRegisterFacts(metadata, details, &line);
  // Issue 18: who keyed it, and the arbiter's choice (double_keying.h).
  if (details.contains("keying") && details["keying"].is_object()) line["keying"] = details["keying"];
  return line;
}

}  // namespace

Status ExportJsonLines(Ledger& ledger, std::ostream& out) {
  // One record at a time from the ledger's cursor: memory does not grow
  // with the ledger (issue 22).
  return ledger.ForEachRecordWithSources([&](const LedgerRecord& r, const std::vector<std::string>& sources) {
    out << DumpJson(ExportLine(r, sources)) << '\n';
  });
}

}  // namespace sohoa
