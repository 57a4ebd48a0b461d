// Interim loaders for the report's inventory and matches (see report.h).
#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/report/report.h"

namespace sohoa {
namespace {

// One CSV line: comma-separated, "double-quoted" fields with "" escapes.
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"')
        quoted = false;
      else
        fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// Reads a CSV with a header; rows as column-name -> value.
StatusOr<std::vector<std::map<std::string, std::string>>> ReadCsv(const std::string& path,
                                                                  const std::vector<std::string>& required) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  std::string line;
  if (!std::getline(in, line)) return Status::InvalidInput(path + " is empty");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // BOM from spreadsheet exports
  const std::vector<std::string> header = SplitCsv(line);
  for (const std::string& column : required) {
    if (std::find(header.begin(), header.end(), column) == header.end())
      return Status::InvalidInput(path + ": no column '" + column + "' in the header");
  }
  std::vector<std::map<std::string, std::string>> rows;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> fields = SplitCsv(line);
    if (fields.size() != header.size()) {
      return Status::InvalidInput(path + " line " + std::to_string(number) + ": " +
                                  std::to_string(fields.size()) + " fields, the header has " +
                                  std::to_string(header.size()));
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

StatusOr<std::vector<InventoryItem>> LoadInventoryCsv(const std::string& path,
                                                      const std::map<std::string, int>& validity_months) {
  auto rows = ReadCsv(path, {"record_id", "doc_type", "issue_date", "valid"});
  if (!rows.ok()) return rows.status();
  std::vector<InventoryItem> items;
  for (auto& row : *rows) {
    InventoryItem item;
    item.record_id = row["record_id"];
    item.doc_type = row["doc_type"];
    item.number = row["number"];
    item.issue_date = row["issue_date"];
    int64_t days;
    if (!ParseReportDate(item.issue_date, &days)) {
      return Status::InvalidInput(path + ": record " + item.record_id + ": issue_date '" + item.issue_date +
                                  "' is not YYYY-MM-DD");
    }
    auto months = validity_months.find(item.doc_type);
    if (months != validity_months.end() && months->second > 0) {
      item.valid = true;
      item.expires_on = ReportAddMonths(item.issue_date, months->second);
    } else {
      const std::string& v = row["valid"];
      if (v != "true" && v != "false" && v != "1" && v != "0") {
        return Status::InvalidInput(path + ": record " + item.record_id + ": valid is '" + v +
                                    "', not true/false");
      }
      item.valid = v == "true" || v == "1";
    }
    items.push_back(std::move(item));
  }
  return items;
}

StatusOr<std::vector<DigitizedMatch>> LoadMatchesCsv(const std::string& path, Ledger& ledger) {
  auto rows = ReadCsv(path, {"record_id", "source"});
  if (!rows.ok()) return rows.status();
  std::map<std::string, LedgerRecord> by_source;
  std::vector<LedgerRecord> records;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) { records.push_back(r); }));
  for (const LedgerRecord& r : records) {
    StatusOr<std::vector<std::string>> sources = ledger.SourcesOf(r.sha256);
    if (!sources.ok()) return sources.status();
    for (const std::string& s : *sources) by_source[s] = r;
    by_source[r.source] = r;
  }
  std::vector<DigitizedMatch> matches;
  for (auto& row : *rows) {
    auto it = by_source.find(row["source"]);
    if (it == by_source.end()) continue;
    matches.push_back(
        DigitizedMatch{row["record_id"], it->second.sha256, it->second.status, it->second.updated_at});
  }
  return matches;
}

StatusOr<std::vector<DigitizedMatch>> LoadMatchesFromLedger(Ledger& ledger) {
  std::vector<DigitizedMatch> matches;
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) {
    if (r.status != "archived" && r.status != "review") return;
    nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("metadata") || !details["metadata"].is_object()) return;
    const std::string record = details["metadata"].value("record_id", "");
    if (!record.empty()) matches.push_back(DigitizedMatch{record, r.sha256, r.status, r.updated_at});
  }));
  return matches;
}

InventoryItem ReportItemOf(const InventoryRecord& record, const std::map<std::string, int>& validity_months) {
  InventoryItem item;
  item.record_id = record.record_id;
  item.doc_type = record.doc_type;
  const std::string& number = record.number_printed.empty() ? record.number : record.number_printed;
  item.number = record.book.empty() ? number : number + " / " + record.book;
  item.issue_date = record.issue_date;
  item.valid = record.valid;
  auto months = validity_months.find(record.doc_type);
  if (months != validity_months.end() && months->second > 0) {
    item.expires_on = ReportAddMonths(record.issue_date, months->second);
  }
  return item;
}

StatusOr<std::vector<InventoryItem>> LoadInventoryFromLedger(
    Ledger& ledger, const std::map<std::string, int>& validity_months) {
  StatusOr<std::vector<InventoryRecord>> records = ledger.InventoryRecords();
  if (!records.ok()) return records.status();
  std::vector<InventoryItem> items;
  items.reserve(records->size());
  for (const InventoryRecord& r : *records) items.push_back(ReportItemOf(r, validity_months));
  return items;
}

StatusOr<Report> ComputeLedgerReport(Ledger& ledger, const std::map<std::string, int>& validity_months,
                                     ReportInput input) {
  StatusOr<ReportBuilder> builder = ReportBuilder::Start(input);
  if (!builder.ok()) return builder.status();
  // Records arrive with their matches folded by the ledger; only the few the
  // list shows are copied out of the cursor. Per record: two date parses and
  // hash-table counts (10 million records: issue 22).
  const std::vector<std::pair<std::string, int>> months(validity_months.begin(), validity_months.end());
  int64_t records = 0;
  Status status = Status::Ok();
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRegisterCoverage([&](const RegisterCoverageRow& row) {
    if (!status.ok()) return;
    ++records;
    RecordCoverage record;
    record.doc_type = row.doc_type;
    record.valid = row.valid;
    if (!ParseReportDate(row.issue_date, &record.issued, &record.year)) {
      status = Status::InvalidInput("inventory record " + std::string(row.record_id) + ": issue date '" +
                                    std::string(row.issue_date) + "' is not YYYY-MM-DD");
      return;
    }
    for (const auto& [type, count] : months) {
      if (count > 0 && type == row.doc_type) record.expires = ReportAddMonths(record.issued, count);
    }
    if (!row.first_archived_at.empty()) {
      int64_t day;
      if (!ParseReportDate(row.first_archived_at, &day)) {
        status = Status::InvalidInput("register record " + std::string(row.record_id) +
                                      ": its archived document's date '" + std::string(row.first_archived_at) +
                                      "' is not a date");
        return;
      }
      record.digitized = day;
    }
    record.in_review = row.in_review;
    if (!builder->Count(record)) return;
    InventoryRecord listed;
    listed.record_id = row.record_id;
    listed.doc_type = row.doc_type;
    listed.number = row.number;
    listed.number_printed = row.number_printed;
    listed.book = row.book;
    listed.issue_date = row.issue_date;
    listed.valid = row.valid;
    builder->ListNotDigitized(ReportItemOf(listed, validity_months));
  }));
  SOHOA_RETURN_IF_ERROR(status);
  if (records == 0) return Status::NotFound("the ledger holds no register of issued results");
  SOHOA_RETURN_IF_ERROR(LoadLedgerFacts(ledger, &input));
  return builder->Finish(input);
}

}  // namespace sohoa
