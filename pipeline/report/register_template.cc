#include "pipeline/report/register_template.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "pipeline/core/data_dir.h"
#include "pipeline/core/file_util.h"
#include "pipeline/report/report.h"

namespace sohoa {
namespace {

constexpr size_t kMaxTemplateBytes = 256 * 1024;

const char* const kDigits[] = {"Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"};

// A number below 1000 after a higher part ("Không Trăm Linh Tám" of 2008);
// `whole` when nothing stands before it (a day: "Hai Mươi Bảy").
std::string Hundreds(int n, bool whole) {
  const int h = n / 100, t = n / 10 % 10, u = n % 10;
  std::string out;
  auto add = [&](const std::string& word) { out += (out.empty() ? "" : " ") + word; };
  if (h > 0 || !whole) add(std::string(kDigits[h]) + " Trăm");
  if (t == 0) {
    if (u > 0) add(out.empty() ? kDigits[u] : std::string("Linh ") + kDigits[u]);
    return out;
  }
  add(t == 1 ? "Mười" : std::string(kDigits[t]) + " Mươi");
  // After "mươi" one is read "mốt"; after "mười"/"mươi" five is "lăm".
  if (u == 1)
    add(t == 1 ? "Một" : "Mốt");
  else if (u == 5)
    add("Lăm");
  else if (u > 0)
    add(kDigits[u]);
  return out;
}

// 1..9999 in words (years, days).
std::string NumberInWords(int n) {
  if (n < 1000) return Hundreds(n, true);
  std::string out = std::string(kDigits[n / 1000]) + " Nghìn";
  if (n % 1000 != 0) out += " " + Hundreds(n % 1000, false);
  return out;
}

bool SplitIsoDate(const std::string& iso, int* y, int* m, int* d) {
  int64_t days;
  if (iso.size() != 10 || !ParseReportDate(iso, &days)) return false;
  *y = std::stoi(iso.substr(0, 4));
  *m = std::stoi(iso.substr(5, 2));
  *d = std::stoi(iso.substr(8, 2));
  return true;
}

Status Bad(const std::string& file, const std::string& rule) {
  return Status::Configuration(file + ": " + rule);
}

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::vector<std::string> RegisterTemplate::Header() const {
  std::vector<std::string> keys;
  for (const RegisterColumn& c : columns) keys.push_back(c.key);
  return keys;
}

std::string DottedDate(const std::string& iso) {
  int y, m, d;
  if (!SplitIsoDate(iso, &y, &m, &d)) return "";
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

std::string DateInWords(const std::string& iso) {
  int y, m, d;
  if (!SplitIsoDate(iso, &y, &m, &d)) return "";
  // Months are named by their number, April "Tư" (tháng Tư).
  const std::string month = m == 4 ? "Tư" : NumberInWords(m);
  return "Ngày " + NumberInWords(d) + " Tháng " + month + " Năm " + NumberInWords(y);
}

std::vector<std::string> TemplateRow(const RegisterTemplate& templ, const EntryValues& entry) {
  std::vector<std::string> row;
  row.reserve(templ.columns.size());
  for (const RegisterColumn& c : templ.columns) {
    if (c.from == "entry_no") {
      row.push_back(entry.entry_no);
    } else if (c.from == "book_no") {
      row.push_back(entry.book_no);
    } else if (c.from == "page_no") {
      row.push_back(entry.page_no);
    } else if (c.from == "field") {
      auto it = entry.fields.find(c.field);
      const std::string value = it == entry.fields.end() ? "" : it->second;
      if (value.empty() || c.format == "text") {
        row.push_back(value);
      } else if (c.format == "date") {
        row.push_back(DottedDate(value));
      } else if (c.format == "date_words") {
        row.push_back(DateInWords(value));
      } else {  // code
        auto code = c.codes.find(value);
        row.push_back(code != c.codes.end() ? code->second : c.other_code);
      }
    } else {
      row.emplace_back();
    }
  }
  return row;
}

StatusOr<RegisterTemplate> LoadRegisterTemplate(const std::string& registers_dir, const std::string& kind,
                                                const DocTypeSpec& doctype) {
  static const std::regex kKindPattern("[a-z][a-z0-9_]*");
  if (!std::regex_match(kind, kKindPattern)) return Status::InvalidInput("not a register kind: " + kind);
  const std::string path = registers_dir + "/" + kind + ".json";
  std::string bytes;
  const Status read = ReadFileBounded(path, kMaxTemplateBytes, &bytes);
  if (read.code() == StatusCode::kNotFound) {
    return Status::NotFound("no import template for the register kind " + kind + " (" + path + ")");
  }
  if (!read.ok()) return Status::Configuration(read.message());
  const nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Bad(path, "not a JSON object");
  RegisterTemplate t;
  t.source_file = path;
  t.kind = Text(j, "kind");
  t.name = Text(j, "name");
  t.file_prefix = Text(j, "file_prefix");
  if (t.kind != kind) return Bad(path, "\"kind\" must be the file's name, " + kind);
  if (t.name.empty()) return Bad(path, "\"name\" is missing");
  static const std::regex kPrefix("[A-Z]{1,8}");
  if (!std::regex_match(t.file_prefix, kPrefix)) return Bad(path, "\"file_prefix\" must be 1-8 capitals");
  if (!j.contains("columns") || !j["columns"].is_array() || j["columns"].empty())
    return Bad(path, "\"columns\" must be a non-empty list");
  static const std::regex kKey("[A-Za-z][A-Za-z0-9]*");
  static const std::set<std::string> kFrom = {"entry_no", "book_no", "page_no", "field", "empty"};
  static const std::set<std::string> kFormats = {"text", "date", "date_words", "code"};
  std::set<std::string> seen;
  for (const nlohmann::json& col : j["columns"]) {
    if (!col.is_object()) return Bad(path, "a column is not an object");
    RegisterColumn c;
    c.key = Text(col, "key");
    c.from = Text(col, "from");
    const std::string where = "column \"" + c.key + "\": ";
    if (!std::regex_match(c.key, kKey)) return Bad(path, where + "\"key\" must be letters and digits");
    if (!seen.insert(c.key).second) return Bad(path, where + "appears twice");
    if (!kFrom.count(c.from))
      return Bad(path, where + "\"from\" must be entry_no, book_no, page_no, field or empty");
    if (c.from == "field") {
      c.field = Text(col, "field");
      if (doctype.FindField(c.field) == nullptr)
        return Bad(path, where + "\"" + c.field + "\" is not a field of " + doctype.source_file);
      if (col.contains("format")) c.format = Text(col, "format");
      if (!kFormats.count(c.format))
        return Bad(path, where + "\"format\" must be text, date, date_words or code");
      if (c.format == "code") {
        if (!col.contains("codes") || !col["codes"].is_object() || col["codes"].empty())
          return Bad(path, where + "a code column needs \"codes\"");
        for (const auto& [value, code] : col["codes"].items()) {
          if (!code.is_string()) return Bad(path, where + "codes must be text");
          c.codes[value] = code.get<std::string>();
        }
        c.other_code = Text(col, "other_code");
      }
    } else if (col.contains("field") || col.contains("format")) {
      return Bad(path, where + "\"field\" and \"format\" belong to a column from a field");
    }
    t.columns.push_back(std::move(c));
  }
  return t;
}

std::string DefaultRegistersDir() { return FindDataDir().path + "/registers"; }

}  // namespace sohoa
