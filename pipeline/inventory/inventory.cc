#include "pipeline/inventory/inventory.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "pipeline/core/csv_reader.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/text_safety.h"

namespace sohoa {
namespace {

const char* const kColumns[] = {"record_id",  "doc_type",  "number", "book",
                                "issue_date", "holder_id", "valid"};

std::string Strip(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2200) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// "YYYY-MM-DD" or "dd/mm/yyyy" -> "YYYY-MM-DD"; "" if neither or impossible.
std::string ParseDate(const std::string& s) {
  static const std::regex iso(R"((\d{4})-(\d{2})-(\d{2}))");
  static const std::regex dmy(R"((\d{1,2})/(\d{1,2})/(\d{4}))");
  std::smatch m;
  int y, mo, d;
  if (std::regex_match(s, m, iso)) {
    y = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    d = std::stoi(m[3]);
  } else if (std::regex_match(s, m, dmy)) {
    d = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    y = std::stoi(m[3]);
  } else {
    return "";
  }
  if (!ValidDate(y, mo, d)) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  return buf;
}

std::string CheckRow(const std::map<std::string, std::string>& cell, const DocTypeCatalog& catalog,
                     InventoryRecord* r) {
  r->record_id = cell.at("record_id");
  if (r->record_id.empty()) return ErrorText("inventory.no_record_id", {});
  const DocTypeSpec* type = catalog.Find(cell.at("doc_type"));
  if (type == nullptr) return ErrorText("inventory.doc_type", {{"value", cell.at("doc_type")}});
  r->doc_type = type->key;
  r->number_printed = cell.at("number");
  r->number = RegisterNumberKey(r->number_printed);
  if (r->number.empty()) {
    return ErrorText("inventory.number", {{"value", EscapeForLog(r->number_printed)}});
  }
  r->book = cell.at("book");
  static const std::regex book_re(R"((\d{1,3})/(\d{4}))");
  std::smatch bm;
  if (!r->book.empty()) {
    if (!std::regex_match(r->book, bm, book_re)) return ErrorText("inventory.book", {{"value", r->book}});
    std::string n = bm[1];
    if (n.size() == 1) n = "0" + n;
    r->book = n + "/" + bm.str(2);
  }
  r->issue_date = ParseDate(cell.at("issue_date"));
  if (r->issue_date.empty()) {
    return ErrorText("inventory.issue_date", {{"value", cell.at("issue_date")}});
  }
  r->holder_id = cell.at("holder_id");
  static const std::regex holder_re(R"(\d{12}|\d{10}(-\d{3})?)");
  if (!r->holder_id.empty() && !std::regex_match(r->holder_id, holder_re)) {
    // Not quoted: even a mistyped personal ID is personal data, and the
    // line number finds the row (its length hints at the slip).
    return ErrorText("inventory.holder_id", {{"n", std::to_string(r->holder_id.size())}});
  }
  std::string valid = cell.at("valid");
  for (char& c : valid) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (valid == "1" || valid == "true" || valid == "yes") {
    r->valid = true;
  } else if (valid == "0" || valid == "false" || valid == "no") {
    r->valid = false;
  } else {
    return ErrorText("inventory.valid", {{"value", cell.at("valid")}});
  }
  return "";
}

}  // namespace

std::string RegisterNumberKey(const std::string& printed) {
  constexpr size_t kMaxPrinted = 48;
  if (printed.size() > kMaxPrinted || !IsValidUtf8(printed)) return "";
  size_t i = 0;
  while (i < printed.size() && printed[i] >= '0' && printed[i] <= '9') ++i;
  if (i == 0 || i > 6) return "";
  // The symbol: separated by '/' or '-', then letters (any script), digits
  // and the separators / - . only; spaces only around a separator.
  if (i < printed.size()) {
    size_t j = i;
    while (j < printed.size() && printed[j] == ' ') ++j;
    if (j >= printed.size() || (printed[j] != '/' && printed[j] != '-')) return "";
    bool any = false;
    for (; j < printed.size(); ++j) {
      const unsigned char c = static_cast<unsigned char>(printed[j]);
      const bool separator = c == '/' || c == '-' || c == '.';
      const bool space_by_separator =
          c == ' ' && ((j > 0 && (printed[j - 1] == '/' || printed[j - 1] == '-')) ||
                       (j + 1 < printed.size() && (printed[j + 1] == '/' || printed[j + 1] == '-')));
      const bool letter_or_digit = std::isalnum(c) || c >= 0x80;  // UTF-8 letters (Đ)
      if (!separator && !space_by_separator && !letter_or_digit) return "";
      any = any || letter_or_digit;
    }
    if (!any) return "";
  }
  std::string key = printed.substr(0, i);
  while (key.size() > 1 && key[0] == '0') key.erase(0, 1);
  return key;
}

StatusOr<InventoryParseResult> ParseInventoryCsv(const std::string& csv_text, const std::string& file_name,
                                                 const DocTypeCatalog& catalog) {
  std::vector<CsvRow> rows = ReadCsv(csv_text);
  if (rows.empty()) return Status::InvalidInput(ErrorText("inventory.empty", {{"file", file_name}}));
  const CsvRow& header = rows.front();
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name = Strip(header.cells[i]);
    if (std::find(std::begin(kColumns), std::end(kColumns), name) == std::end(kColumns)) {
      return Status::InvalidInput(
          ErrorText("inventory.unknown_column", {{"file", file_name}, {"column", name}}));
    }
    if (!index.emplace(name, i).second) {
      return Status::InvalidInput(
          ErrorText("inventory.column_twice", {{"file", file_name}, {"column", name}}));
    }
  }
  for (const char* column : kColumns) {
    if (!index.count(column)) {
      return Status::InvalidInput(
          ErrorText("inventory.column_missing", {{"file", file_name}, {"column", column}}));
    }
  }
  InventoryParseResult result;
  std::map<std::string, int> first_line;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    ++result.rows;
    if (!row.error.empty()) {
      result.errors.push_back({row.line, row.error});
      continue;
    }
    if (row.cells.size() != header.cells.size()) {
      result.errors.push_back(
          {row.line, ErrorText("inventory.cells", {{"cells", std::to_string(row.cells.size())},
                                                   {"expected", std::to_string(header.cells.size())}})});
      continue;
    }
    std::map<std::string, std::string> cell;
    for (const auto& [name, i] : index) cell[name] = Strip(row.cells[i]);
    InventoryRecord record;
    std::string problem = CheckRow(cell, catalog, &record);
    if (problem.empty()) {
      auto [it, fresh] = first_line.emplace(record.record_id, row.line);
      if (!fresh) {
        problem = ErrorText("inventory.duplicate",
                            {{"record", record.record_id}, {"line", std::to_string(it->second)}});
      }
    }
    if (!problem.empty()) {
      result.errors.push_back({row.line, problem});
      continue;
    }
    record.source = std::filesystem::path(file_name).filename().string() + ":" + std::to_string(row.line);
    result.records.push_back(std::move(record));
  }
  return result;
}

StatusOr<std::string> ReadInventoryFile(const std::string& csv_path) {
  // A commune's register of results is tens of thousands of rows (~15 MB);
  // the limit leaves room for a province's and refuses a mistaken file.
  constexpr size_t kMaxInventoryBytes = 256 * 1024 * 1024;
  std::string bytes;
  const Status read = ReadFileBounded(csv_path, kMaxInventoryBytes, &bytes);
  if (!read.ok()) return read;
  return bytes;
}

StatusOr<InventoryImportReport> ImportInventoryBytes(Ledger& ledger, const std::string& bytes,
                                                     const std::string& file_name,
                                                     const DocTypeCatalog& catalog) {
  StatusOr<InventoryParseResult> parsed = ParseInventoryCsv(bytes, file_name, catalog);
  if (!parsed.ok()) return parsed.status();
  InventoryImportReport report;
  report.parsed = std::move(*parsed);
  if (!report.parsed.records.empty()) {
    StatusOr<InventoryImportCounts> counts = ledger.UpsertInventory(report.parsed.records);
    if (!counts.ok()) return counts.status();
    report.counts = *counts;
  }
  return report;
}

StatusOr<InventoryImportReport> ImportInventory(Ledger& ledger, const std::string& csv_path,
                                                const DocTypeCatalog& catalog) {
  StatusOr<std::string> bytes = ReadInventoryFile(csv_path);
  if (!bytes.ok()) return bytes.status();
  return ImportInventoryBytes(ledger, *bytes, csv_path, catalog);
}

}  // namespace sohoa
