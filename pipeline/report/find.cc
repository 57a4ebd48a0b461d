#include "pipeline/report/find.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/text_fold.h"
#include "pipeline/ledger/record_index.h"
#include "pipeline/report/report.h"

namespace sohoa {
namespace {

constexpr size_t kMaxPurpose = 500;
constexpr size_t kMaxName = 200;
constexpr int kMaxLimit = 1000;

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool IsHolderId(const std::string& s) {
  return !s.empty() && s.size() <= 20 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) || c == '-'; });
}

bool IsDocTypeKey(const std::string& s) {
  return !s.empty() && s.size() <= 40 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::islower(c) || c == '_'; });
}

// YYYY-MM-DD from YYYY-MM-DD or DD/MM/YYYY; "" when malformed.
std::string IsoDate(const std::string& date) {
  std::string iso = date;
  if (date.size() == 10 && date[2] == '/' && date[5] == '/') {
    iso = date.substr(6, 4) + "-" + date.substr(3, 2) + "-" + date.substr(0, 2);
  }
  int64_t days;
  return iso.size() == 10 && ParseReportDate(iso, &days) ? iso : "";
}

std::string Text(const nlohmann::json& object, const std::string& key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

FoundRecord DescribeRecord(const LedgerRecord& r) {
  FoundRecord found;
  found.sha256 = r.sha256;
  found.status = r.status;
  found.updated_at = r.updated_at;
  found.pdf = r.pdf;
  nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
  if (!details.is_object()) return found;
  const nlohmann::json metadata = details.value("metadata", nlohmann::json::object());
  found.doc_type = Text(metadata, "doc_type");
  found.result_code = Text(metadata, "result_code");
  found.holder_id = Text(metadata, "holder_id");
  found.record_id = Text(metadata, "record_id");
  const nlohmann::json fields = details.value("fields", nlohmann::json::object());
  if (fields.is_object()) {
    for (const auto& [key, field] : fields.items()) {
      if (key == "ho_ten" || key == "ho_ten_chong" || key == "ho_ten_vo") {
        const std::string name = ExtractedValue(fields, key);
        if (!name.empty()) found.names.push_back(name);
      }
    }
    found.number = ExtractedValue(fields, "so");
    found.book = ExtractedValue(fields, "quyen_so");
    found.registered_on = ExtractedValue(fields, "ngay_dang_ky");
  }
  // Each review correction keeps the previous PDF as pdf_v<N> (pipeline/review/review.h).
  const nlohmann::json outputs = details.value("outputs", nlohmann::json::object());
  if (outputs.is_object()) {
    for (const auto& [role, out] : outputs.items())
      if (role.rfind("pdf_v", 0) == 0) ++found.pdf_version;
  }
  return found;
}

Status CheckPurpose(const std::string& purpose) {
  if (purpose.empty() || IsBlank(purpose)) {
    return Status::InvalidInput(ErrorText("purpose.required", {}));
  }
  if (purpose.size() > kMaxPurpose) {
    return Status::InvalidInput(ErrorText("purpose.too_long", {{"max", std::to_string(kMaxPurpose)}}));
  }
  return Status::Ok();
}

StatusOr<FindResult> FindCitizenRecords(Ledger& ledger, const FindRequest& request) {
  SOHOA_RETURN_IF_ERROR(CheckPurpose(request.purpose));
  if (request.who.empty()) return Status::InvalidInput(ErrorText("audit.who_searching", {}));
  const bool by_holder = !request.holder_id.empty();
  const bool by_name = !request.name.empty();
  if (by_holder == by_name) return Status::InvalidInput("search by holder ID or by name, one of the two");
  RecordQuery query;
  query.limit = std::clamp(request.limit, 1, kMaxLimit) + 1;  // one more tells "truncated"
  std::string kind;
  if (by_holder) {
    if (!IsHolderId(request.holder_id)) {
      return Status::InvalidInput(
          "the holder ID must be digits (a 12-digit personal ID or an "
          "organisation code)");
    }
    if (!request.birth_date.empty()) return Status::InvalidInput("a birth date narrows a name search only");
    query.holder_id = request.holder_id;
    kind = "holder";
  } else {
    if (request.name.size() > kMaxName) {
      return Status::InvalidInput("the name is longer than " + std::to_string(kMaxName) + " bytes");
    }
    query.name_key = NameSearchKey(request.name);
    if (query.name_key.empty()) return Status::InvalidInput("the name has no letters");
    kind = "name";
    if (!request.birth_date.empty()) {
      query.birth_date = IsoDate(request.birth_date);
      if (query.birth_date.empty())
        return Status::InvalidInput("the birth date must be YYYY-MM-DD or DD/MM/YYYY");
      kind += "+birth_date";
    }
  }
  if (!request.doc_type.empty()) {
    if (!IsDocTypeKey(request.doc_type))
      return Status::InvalidInput("the document type must be a key like khai_sinh");
    query.doc_type = request.doc_type;
    kind += "+type";
  }

  StatusOr<std::vector<LedgerRecord>> records = ledger.FindRecords(query);
  if (!records.ok()) return records.status();
  FindResult result;
  result.query_kind = kind;
  result.truncated = static_cast<int>(records->size()) >= query.limit;
  if (result.truncated) records->pop_back();
  nlohmann::json disclosed = nlohmann::json::array();
  for (const LedgerRecord& r : *records) {
    result.records.push_back(DescribeRecord(r));
    disclosed.push_back(r.sha256);
  }
  AccessRecord access;
  access.at = NowUtcIso8601();
  access.who = request.who;
  access.via = request.via;
  access.purpose = request.purpose;
  access.query_kind = kind;
  access.returned = static_cast<int64_t>(result.records.size());
  access.records_json = disclosed.dump();
  Status audited = ledger.RecordAccess(access);
  if (!audited.ok()) return Status(audited.code(), ErrorText("audit.search", {{"cause", audited.message()}}));
  return result;
}

void WriteFindText(const FindResult& result, UiLang lang, std::ostream& out) {
  const long n = static_cast<long>(result.records.size());
  out << Fill(TrN(lang, "{n} record", "{n} records", n), {{"n", std::to_string(n)}})
      << (result.truncated ? Tr(lang, N_(" (more match: narrow the search or raise --limit)")) : "") << "\n";
  // Each line a label and a value: the labels are words, the values data.
  auto line = [&](const char* msgid, const std::string& value) {
    out << "  " << Fill(Tr(lang, msgid), {{"value", value}}) << "\n";
  };
  for (const FoundRecord& r : result.records) {
    out << "\n"
        << (r.doc_type.empty() ? "?" : r.doc_type) << "  " << r.result_code << "  " << r.status << "\n";
    std::string names;
    for (const std::string& name : r.names) names += (names.empty() ? "" : ", ") + name;
    if (!names.empty()) line(N_("names:        {value}"), names);
    if (!r.holder_id.empty()) line(N_("holder ID:    {value}"), r.holder_id);
    if (!r.number.empty() || !r.book.empty()) {
      const std::string number = r.number.empty() ? "?" : r.number;
      if (r.book.empty())
        line(N_("register:     number {value}"), number);
      else
        out << "  "
            << Fill(Tr(lang, N_("register:     number {number}, book {book}")),
                    {{"number", number}, {"book", r.book}})
            << "\n";
    }
    if (!r.registered_on.empty()) line(N_("registered:   {value}"), r.registered_on);
    if (!r.record_id.empty()) line(N_("register row: {value}"), r.record_id);
    line(N_("recorded:     {value}"), r.updated_at);
    out << "  "
        << Fill(Tr(lang, N_("PDF:          {pdf} (version {version})")),
                {{"pdf", r.pdf.empty() ? "-" : r.pdf}, {"version", std::to_string(r.pdf_version)}})
        << "\n";
    out << "  sha256:       " << r.sha256 << "\n";
  }
}

void WriteFindJson(const FindResult& result, std::ostream& out) {
  nlohmann::json records = nlohmann::json::array();
  for (const FoundRecord& r : result.records) {
    records.push_back({{"sha256", r.sha256},
                       {"doc_type", r.doc_type},
                       {"result_code", r.result_code},
                       {"holder_id", r.holder_id},
                       {"names", r.names},
                       {"number", r.number},
                       {"book", r.book},
                       {"registered_on", r.registered_on},
                       {"record_id", r.record_id},
                       {"status", r.status},
                       {"updated_at", r.updated_at},
                       {"pdf", r.pdf},
                       {"pdf_version", r.pdf_version}});
  }
  out << nlohmann::json{{"query_kind", result.query_kind},
                        {"count", result.records.size()},
                        {"truncated", result.truncated},
                        {"records", records}}
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

}  // namespace sohoa
