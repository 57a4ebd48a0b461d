// The register books' figures of `sohoa report` (issue 17; definitions in
// report.h, RegisterBookRow).
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/report/report.h"

namespace sohoa {
namespace {

using nlohmann::json;

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

// The YYYY of "01/2018"; 0 when the book number carries none.
int YearOfBookNo(const std::string& book_no) {
  const size_t slash = book_no.rfind('/');
  if (slash == std::string::npos || book_no.size() - slash != 5) return 0;
  int year = 0;
  for (size_t i = slash + 1; i < book_no.size(); ++i) {
    if (book_no[i] < '0' || book_no[i] > '9') return 0;
    year = year * 10 + (book_no[i] - '0');
  }
  return year;
}

// Entry counts before they are given a year, with the days they were recorded on.
struct Tally {
  RegisterBookRow row;
  std::set<std::string> days;
  void Add(const Tally& other) {
    row.entries += other.row.entries;
    row.archived += other.row.archived;
    row.review += other.row.review;
    row.quarantined += other.row.quarantined;
    row.keyed += other.row.keyed;
    days.insert(other.days.begin(), other.days.end());
  }
};

}  // namespace

Status CountRegisterBooks(Ledger& ledger, Report* report) {
  std::map<std::pair<std::string, int>, Tally> groups;
  // Entries whose book number has no year wait for their book's year_from.
  std::map<std::string, std::pair<std::string, Tally>> waiting;  // book sha256 -> (kind, entries)
  std::map<std::string, std::pair<std::string, int>> book_of;    // book sha256 -> (kind, year)
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecordIn(Ledger::RecordSet::kRegisterBook, [&](const LedgerRecord& r) {
    const json details = json::parse(r.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("metadata") || !details["metadata"].is_object()) return;
    const json& m = details["metadata"];
    const std::string record_kind = Text(m, "record_kind");
    const std::string kind = Text(m, "register_kind");
    int year = YearOfBookNo(Text(m, "book_no"));
    if (record_kind == "register_book") {
      if (year == 0) year = std::atoi(Text(m, "year_from").c_str());
      book_of[r.sha256] = {kind, year};
      ++groups[{kind, year}].row.books;
    } else if (record_kind == "register_entry") {
      Tally& t = year != 0 ? groups[{kind, year}]
                           : waiting.try_emplace(Text(m, "book_sha256"), kind, Tally{}).first->second.second;
      t.row.entries += 1;
      t.row.archived += r.status == "archived";
      t.row.review += r.status == "review";
      t.row.quarantined += r.status == "quarantined";
      t.row.keyed += r.status == "archived" && !Text(m, "reviewed_by").empty();
      if (r.updated_at.size() >= 10) t.days.insert(r.updated_at.substr(0, 10));
    }
  }));
  for (const auto& [book, waiting_entries] : waiting) {
    const auto& [kind, tally] = waiting_entries;
    auto known = book_of.find(book);
    groups[known != book_of.end() ? known->second : std::make_pair(kind, 0)].Add(tally);
  }
  report->registers.clear();
  for (auto& [key, tally] : groups) {
    RegisterBookRow row = tally.row;
    row.days = static_cast<int64_t>(tally.days.size());
    row.first_day = tally.days.empty() ? "" : *tally.days.begin();
    row.last_day = tally.days.empty() ? "" : *tally.days.rbegin();
    row.entries_per_day = row.days == 0 ? 0 : static_cast<double>(row.entries) / row.days;
    report->registers[key] = row;
  }
  return Status::Ok();
}

}  // namespace sohoa
