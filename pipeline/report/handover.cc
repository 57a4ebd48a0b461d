#include "pipeline/report/handover.h"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/reason.h"
#include "pipeline/ledger/record_index.h"
#include "pipeline/report/find.h"
#include "pipeline/report/register_template.h"
#include "pipeline/report/xlsx_workbook.h"
#include "pipeline/report/zip_package.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMinPrefix = 12;
constexpr const char* kTemplateSheet = "Sheet1";  // what a template exported from Excel calls its sheet
constexpr const char* kCheckSheet = "kiem_tra";

bool IsHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isxdigit(c) && !std::isupper(c); });
}

json Details(const LedgerRecord& r) {
  json d = json::parse(r.details_json, nullptr, false);
  return d.is_object() ? d : json::object();
}

json Object(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : json::object();
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

bool IsBook(const json& details) {
  return Text(Object(details, "metadata"), "record_kind") == "register_book";
}

// "01/2018" -> "01-2018"; only letters, digits and '-' survive, so a book
// number can never make a path.
std::string BookPart(const std::string& book_no, const std::string& sha256) {
  std::string out;
  for (unsigned char c : book_no) {
    if (std::isalnum(c))
      out += static_cast<char>(c);
    else if (c == '/' || c == '-')
      out += '-';
  }
  return out.empty() ? sha256.substr(0, 12) : out;
}

std::string Padded(const std::string& digits) {
  return digits.size() >= 4 ? digits : std::string(4 - digits.size(), '0') + digits;
}

// The book by sha256, prefix or path. Books are few beside their entries:
// the scan keeps only the candidates.
StatusOr<LedgerRecord> FindBook(Ledger& ledger, const std::string& id) {
  if (id.empty())
    return Status::InvalidInput("which book? --book takes its sha256 (or 12+ hex digits) or its path");
  if (id.size() == 64 && IsHex(id)) {
    StatusOr<std::optional<LedgerRecord>> found = ledger.Find(id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return Status::NotFound("no book " + id.substr(0, 12) + "… in the ledger");
    if (!IsBook(Details(**found)))
      return Status::InvalidInput(id.substr(0, 12) + "… is in the ledger but is not a register book");
    return **found;
  }
  const bool by_prefix = id.size() >= kMinPrefix && id.size() < 64 && IsHex(id);
  std::vector<LedgerRecord> candidates;
  Status scanned =
      ledger.ForEachRecordWithSources([&](const LedgerRecord& r, const std::vector<std::string>& sources) {
        const bool named =
            by_prefix ? r.sha256.rfind(id, 0) == 0
                      : r.source == id || std::find(sources.begin(), sources.end(), id) != sources.end();
        if (named && IsBook(Details(r))) candidates.push_back(r);
      });
  SOHOA_RETURN_IF_ERROR(scanned);
  if (candidates.empty()) {
    return Status::NotFound(by_prefix ? ErrorText("handover.no_book_sha", {{"id", id}})
                                      : ErrorText("handover.no_book_source", {{"id", id}}));
  }
  if (candidates.size() > 1) {
    return Status::InvalidInput(
        ErrorText("handover.several_books", {{"n", std::to_string(candidates.size())}, {"id", id}}));
  }
  return candidates.front();
}

// A folder that removes itself (and what is left in it) when done.
class TempFolder {
 public:
  ~TempFolder() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Status Make(const std::string& parent, const std::string& stem) {
    std::string pattern = parent + "/." + stem + ".part-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      return Status::IoError("cannot write in " + parent + ": " + std::strerror(errno));
    path_ = pattern;
    return Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One entry of the book as the package needs it.
struct EntryPlan {
  int position = 0;
  LedgerRecord record;
  json metadata;
  std::vector<std::string> doubtful_fields;  // read with a problem: left empty
};

// The row of an entry and the columns left empty because the value read
// was doubtful.
std::vector<std::string> RowOf(const RegisterTemplate& templ, const EntryPlan& entry,
                               std::string* left_empty) {
  EntryValues values;
  values.entry_no = Text(entry.metadata, "entry_no");
  values.book_no = Text(entry.metadata, "book_no");
  values.page_no = Text(entry.metadata, "page_no");
  const json fields = Object(Details(entry.record), "fields");
  for (const auto& [key, field] : fields.items()) {
    if (field.is_object() && field.contains("problem")) continue;  // not vouched for: a person keys it
    values.fields[key] = ExtractedValue(fields, key);
  }
  for (const RegisterColumn& c : templ.columns) {
    if (c.from == "field" && std::find(entry.doubtful_fields.begin(), entry.doubtful_fields.end(), c.field) !=
                                 entry.doubtful_fields.end())
      *left_empty += (left_empty->empty() ? "" : ", ") + c.key;
  }
  return TemplateRow(templ, values);
}

// What a person still has to do with an entry; "" when nothing.
std::string ToDo(const EntryPlan& entry) {
  std::vector<std::string> todo;
  if (entry.record.status == "quarantined") todo.push_back("không đọc được: nhập tay từ sổ giấy");
  if (Text(entry.metadata, "handwritten") == "1" && entry.record.status != "archived")
    todo.push_back("viết tay: nhập tay");
  else if (entry.record.status == "review")
    todo.push_back("chờ kiểm tra");
  if (Text(entry.metadata, "entry_no_inferred") == "1" && entry.record.status != "archived")
    todo.push_back("số suy ra từ các mục bên cạnh: đối chiếu");
  if (!entry.doubtful_fields.empty()) todo.push_back("nhập các cột còn trống");
  std::string text;
  for (const std::string& t : todo) text += (text.empty() ? "" : "; ") + t;
  return text;
}

}  // namespace

std::string HandoverZipName(const std::string& kind, const std::string& book_no,
                            const std::string& book_sha256) {
  return kind + "-" + BookPart(book_no, book_sha256) + ".zip";
}

StatusOr<HandoverResult> MakeHandover(Ledger& ledger, ArchiveStore& store, const DocTypeCatalog& catalog,
                                      const HandoverRequest& request) {
  SOHOA_RETURN_IF_ERROR(CheckPurpose(request.purpose));
  if (request.who.empty()) return Status::InvalidInput(ErrorText("audit.who_handing_over", {}));
  if (request.out_dir.empty()) return Status::InvalidInput(ErrorText("handover.no_out", {}));
  StatusOr<LedgerRecord> book = FindBook(ledger, request.book);
  if (!book.ok()) return book.status();
  const json book_details = Details(*book);
  const json book_meta = Object(book_details, "metadata");
  HandoverResult result;
  result.book_sha256 = book->sha256;
  result.kind = Text(book_meta, "register_kind");
  result.book_no = Text(book_meta, "book_no");
  const std::string book_name = "book " + book->sha256.substr(0, 12) + "… (" + book->source + ")";
  const DocTypeSpec* doctype = catalog.Find(result.kind);
  if (doctype == nullptr || doctype->key != result.kind)
    return Status::InvalidInput(book_name + ": its register kind '" + result.kind +
                                "' is not a document type");
  StatusOr<RegisterTemplate> templ = LoadRegisterTemplate(request.registers_dir, result.kind, *doctype);
  if (!templ.ok()) return templ.status();

  // The entries in book order, as the book's record lists them.
  std::vector<EntryPlan> entries;
  const json listed = Object(book_details, "book").value("entries", json::array());
  if (!listed.is_array()) return Status::InvalidInput(book_name + ": its entry list is not a list");
  for (const json& e : listed) {
    EntryPlan plan;
    if (e.is_object() && e.contains("position") && e["position"].is_number_integer())
      plan.position = e["position"].get<int>();
    const std::string sha = e.is_object() ? Text(e, "sha256") : "";
    if (sha.size() != 64 || !IsHex(sha))
      return Status::InvalidInput(book_name + ": an entry without a sha256");
    StatusOr<std::optional<LedgerRecord>> found = ledger.Find(sha);
    if (!found.ok()) return found.status();
    if (!found->has_value() || (*found)->status == "processing") {
      return Status::NotFound(book_name + ": entry " + std::to_string(plan.position) + " (" +
                              sha.substr(0, 12) + "…) is not recorded in the ledger");
    }
    plan.record = **found;
    const json details = Details(plan.record);
    plan.metadata = Object(details, "metadata");
    const json fields = Object(details, "fields");
    for (const auto& [key, field] : fields.items())
      if (field.is_object() && field.contains("problem")) plan.doubtful_fields.push_back(key);
    entries.push_back(std::move(plan));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const EntryPlan& a, const EntryPlan& b) { return a.position < b.position; });

  const std::string stem = templ->file_prefix + "-" + BookPart(result.book_no, book->sha256);
  const std::string zip_name = HandoverZipName(result.kind, result.book_no, book->sha256);
  SOHOA_RETURN_IF_ERROR(MakeDirectories(request.out_dir));
  TempFolder staging;
  SOHOA_RETURN_IF_ERROR(staging.Make(request.out_dir, zip_name));

  // Copies an archive file out of the store into the staging folder.
  std::vector<ZipMember> members;
  auto stage = [&](const std::string& key, const std::string& name, const std::string& whose) -> Status {
    StatusOr<std::string> bytes = ReadAll(store, key);
    if (!bytes.ok()) {
      return bytes.status().code() == StatusCode::kNotFound
                 ? Status::NotFound("the archive has no file " + key + " (" + whose + ")")
                 : bytes.status().WithContext(whose);
    }
    // The staging folder goes away whole on any error: no need to sync here;
    // the finished zip is synced when it is renamed into place.
    std::ofstream out(staging.path() + "/" + name, std::ios::binary);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    out.close();
    if (!out) return Status::IoError("cannot write in " + staging.path() + ": " + std::strerror(errno));
    members.push_back(ZipMember{name, staging.path() + "/" + name});
    return Status::Ok();
  };

  XlsxSheet sheet{kTemplateSheet, {templ->Header()}};
  XlsxSheet check{kCheckSheet,
                  {{"dong", "so", "trangSo", "tep", "trangThai", "viecCanLam", "lyDo", "cotConTrong"}}};
  std::set<std::string> names;
  json disclosed = json::array({book->sha256});
  for (const EntryPlan& entry : entries) {
    std::string left_empty;
    sheet.rows.push_back(RowOf(*templ, entry, &left_empty));
    const std::string number = Text(entry.metadata, "entry_no");
    const bool numbered =
        !number.empty() && number.size() <= 9 &&
        std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); });
    std::string name =
        stem + (numbered ? "-so-" + Padded(number) : "-vitri-" + Padded(std::to_string(entry.position)));
    if (names.count(name + ".pdf"))
      name += "-vitri-" + Padded(std::to_string(entry.position));  // a số read twice
    name += ".pdf";
    std::string file;
    if (!entry.record.pdf.empty()) {
      SOHOA_RETURN_IF_ERROR(
          stage(entry.record.pdf, name, book_name + ", entry " + std::to_string(entry.position)));
      names.insert(name);
      file = name;
      ++result.entry_pdfs;
    }
    disclosed.push_back(entry.record.sha256);
    ++result.entries;
    if (entry.record.status == "archived") ++result.archived;
    if (entry.record.status == "review") ++result.review;
    if (entry.record.status == "quarantined") ++result.quarantined;
    if (entry.record.status == "archived" && Text(entry.metadata, "reviewed_by") != "") ++result.keyed;
    const std::string todo = ToDo(entry);
    if (!todo.empty()) {
      check.rows.push_back({std::to_string(sheet.rows.size()), number, Text(entry.metadata, "page_no"), file,
                            entry.record.status, todo, ReasonsForPeople(entry.record.reason, UiLang::kEn),
                            left_empty});
      ++result.to_check;
    }
  }
  if (book->pdf.empty()) return Status::NotFound(book_name + ": the ledger names no whole-book PDF");
  SOHOA_RETURN_IF_ERROR(stage(book->pdf, stem + ".pdf", book_name + ", the whole-book PDF"));
  const std::string xlsx = staging.path() + "/" + stem + ".xlsx";
  SOHOA_RETURN_IF_ERROR(WriteXlsx(xlsx, {sheet, check}, staging.path()));
  members.push_back(ZipMember{stem + ".xlsx", xlsx});
  const std::string zip_part = staging.path() + "/" + zip_name;
  SOHOA_RETURN_IF_ERROR(WriteZip(zip_part, members));

  // The access is on record before the package is where a person takes it.
  AccessRecord access;
  access.at = NowUtcIso8601();
  access.who = request.who;
  access.via = request.via;
  access.purpose = request.purpose;
  access.query_kind = "handover";
  access.returned = result.entries;
  access.records_json = disclosed.dump();
  Status audited = ledger.RecordAccess(access);
  if (!audited.ok())
    return Status(audited.code(), ErrorText("audit.handover", {{"cause", audited.message()}}));
  result.zip_path = request.out_dir + "/" + zip_name;
  SOHOA_RETURN_IF_ERROR(DurableRename(zip_part, result.zip_path));
  return result;
}

}  // namespace sohoa
