#include "pipeline/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace sohoa {
namespace {

// Days from 1970-01-01 of a proleptic Gregorian date (era arithmetic: 400
// years = 146097 days).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

double Percent(int part, int whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

struct Prepared {
  const InventoryItem* item = nullptr;
  int64_t issued = 0;
  std::optional<int64_t> expires;
  std::optional<int64_t> digitized;  // first day an archived match exists
  bool in_review = false;
};

bool ValidOn(const Prepared& p, int64_t day) {
  return p.item->valid && p.issued <= day && (!p.expires || day < *p.expires);
}

Coverage CoverageOn(const std::vector<const Prepared*>& records, int64_t day) {
  Coverage c;
  for (const Prepared* p : records) {
    if (!ValidOn(*p, day)) continue;
    ++c.valid_total;
    if (p->digitized && *p->digitized <= day) ++c.digitized;
  }
  c.percent = Percent(c.digitized, c.valid_total);
  return c;
}

std::string DayOf(const std::string& timestamp) { return timestamp.substr(0, 10); }

}  // namespace

bool ParseReportDate(const std::string& date, int64_t* days) {
  int y, m, d;
  char tail;
  if (date.size() < 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3) return false;
  if (date[4] != '-' || date[7] != '-') return false;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

std::string FormatReportDate(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return text;
}

std::string ReportAddMonths(const std::string& date, int months) {
  int64_t days;
  if (!ParseReportDate(date, &days)) return "";
  int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  int total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = total % 12 + 1;
  d = std::min(d, DaysInMonth(y, m));
  return FormatReportDate(DaysFromCivil(y, m, d));
}

std::vector<Target> DefaultTargets() {
  return {{2021, 15}, {2022, 35}, {2023, 55}, {2024, 75}, {2025, 100}};
}

StatusOr<std::vector<Target>> ParseTargets(const std::string& text) {
  std::vector<Target> targets;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    Target t;
    char extra;
    if (std::sscanf(item.c_str(), " %d : %lf %c", &t.year, &t.percent, &extra) != 2 || t.year < 1900 ||
        t.year > 2200 || t.percent < 0 || t.percent > 100) {
      return Status::Configuration("targets: '" + item + "' is not YEAR:PERCENT (e.g. 2021:15)");
    }
    targets.push_back(t);
  }
  if (targets.empty()) return Status::Configuration("targets: empty list");
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.year < b.year; });
  return targets;
}

StatusOr<Report> ComputeReport(const ReportInput& input) {
  Report report;
  report.as_of = input.as_of;
  int64_t as_of;
  if (!ParseReportDate(input.as_of, &as_of)) return Status::InvalidInput("as-of date '" + input.as_of + "' is not YYYY-MM-DD");

  std::vector<Prepared> prepared;
  std::map<std::string, size_t> index;
  for (const InventoryItem& item : input.inventory) {
    Prepared p;
    p.item = &item;
    if (!ParseReportDate(item.issue_date, &p.issued)) {
      return Status::InvalidInput("inventory record " + item.record_id + ": issue date '" + item.issue_date +
                                  "' is not YYYY-MM-DD");
    }
    if (item.expires_on) {
      int64_t e;
      if (!ParseReportDate(*item.expires_on, &e)) {
        return Status::InvalidInput("inventory record " + item.record_id + ": expiry '" + *item.expires_on +
                                    "' is not YYYY-MM-DD");
      }
      p.expires = e;
    }
    if (!index.emplace(item.record_id, prepared.size()).second) {
      return Status::InvalidInput("inventory record " + item.record_id + " appears twice");
    }
    prepared.push_back(p);
  }
  std::set<int64_t> digitized_days;
  for (const DigitizedMatch& m : input.matches) {
    auto it = index.find(m.record_id);
    if (it == index.end()) continue;  // matched to a record outside this inventory
    Prepared& p = prepared[it->second];
    if (m.status == "review") {
      p.in_review = true;
      continue;
    }
    if (m.status != "archived") continue;
    int64_t day;
    if (!ParseReportDate(DayOf(m.date), &day)) {
      return Status::InvalidInput("document " + m.sha256.substr(0, 12) + ": date '" + m.date + "' is not a date");
    }
    if (!p.digitized || day < *p.digitized) p.digitized = day;
    digitized_days.insert(day);
  }

  std::vector<const Prepared*> all;
  std::map<std::string, std::vector<const Prepared*>> by_type;
  std::map<int, std::vector<const Prepared*>> by_year;
  for (const Prepared& p : prepared) {
    all.push_back(&p);
    by_type[p.item->doc_type].push_back(&p);
    by_year[std::stoi(p.item->issue_date.substr(0, 4))].push_back(&p);
  }
  report.overall = CoverageOn(all, as_of);
  for (const auto& [type, records] : by_type) report.by_type[type] = CoverageOn(records, as_of);
  for (const auto& [year, records] : by_year) {
    Coverage c = CoverageOn(records, as_of);
    if (c.valid_total > 0) report.by_year[year] = c;
  }
  for (const Prepared& p : prepared) {
    if (!ValidOn(p, as_of) || (p.digitized && *p.digitized <= as_of)) continue;
    report.not_digitized.push_back(*p.item);
    if (p.in_review) ++report.review_only;
  }

  // Throughput over the last runs up to as_of.
  std::vector<const RunRecord*> runs;
  for (const RunRecord& r : input.runs) {
    int64_t day;
    if (ParseReportDate(DayOf(r.started_at), &day) && day <= as_of) runs.push_back(&r);
  }
  for (const RunRecord& r : input.runs) {
    RunRow row{r.run_id, r.started_at, r.state};
    nlohmann::json counts = nlohmann::json::parse(r.counts_json, nullptr, false);
    if (counts.is_object()) {
      row.documents = counts.value("enumerated", 0);
      row.archived = counts.value("archived", 0);
      row.review = counts.value("review", 0);
      row.quarantined = counts.value("quarantined", 0);
      row.pages = counts.value("pages", 0);
      row.wall_seconds = counts.value("wall_seconds", 0.0);
    }
    report.runs.push_back(row);
  }
  if (runs.size() > static_cast<size_t>(std::max(1, input.forecast_runs))) {
    runs.erase(runs.begin(), runs.end() - std::max(1, input.forecast_runs));
  }
  if (!runs.empty()) {
    int archived = 0;
    for (const RunRecord* r : runs) {
      nlohmann::json counts = nlohmann::json::parse(r->counts_json, nullptr, false);
      if (counts.is_object()) archived += counts.value("archived", 0);
    }
    int64_t first;
    ParseReportDate(DayOf(runs.front()->started_at), &first);
    report.throughput_runs = static_cast<int>(runs.size());
    report.throughput_per_day = static_cast<double>(archived) / static_cast<double>(as_of - first + 1);
  }

  // When does the overall percentage reach `target`?
  auto reached_on = [&](double target) -> std::string {
    for (int64_t day : digitized_days) {
      if (day > as_of) break;
      const Coverage c = CoverageOn(all, day);
      if (c.valid_total > 0 && c.percent + 1e-9 >= target) return FormatReportDate(day);
    }
    if (report.overall.valid_total > 0 && report.overall.percent + 1e-9 >= target) return input.as_of;
    const int needed =
        static_cast<int>(std::ceil(target / 100.0 * report.overall.valid_total - 1e-9)) - report.overall.digitized;
    if (report.throughput_per_day <= 0) return "";
    return FormatReportDate(as_of + static_cast<int64_t>(std::ceil(needed / report.throughput_per_day)));
  };
  bool has_full = false;
  for (const Target& t : input.targets) {
    TargetRow row;
    row.year = t.year;
    row.target = t.percent;
    has_full = has_full || t.percent >= 100;
    const int64_t year_start = DaysFromCivil(t.year, 1, 1);
    const int64_t judged = std::min(DaysFromCivil(t.year, 12, 31), as_of);
    row.judged_on = FormatReportDate(judged);
    if (year_start <= as_of) {
      row.actual = CoverageOn(all, judged).percent;
      row.gap = t.percent - *row.actual;
      row.met = *row.actual + 1e-9 >= t.percent;
    }
    row.forecast_date = reached_on(t.percent);
    report.targets.push_back(row);
  }
  report.forecast_full = reached_on(100);
  (void)has_full;

  for (const LedgerRecord& r : input.attention) {
    if (r.status == "review") report.review.push_back(r);
    else if (r.status == "quarantined") report.quarantined.push_back(r);
  }
  return report;
}

Status LoadLedgerFacts(Ledger& ledger, ReportInput* input) {
  StatusOr<std::vector<RunRecord>> runs = ledger.Runs();
  if (!runs.ok()) return runs.status();
  input->runs = std::move(*runs);
  // The lists show source, hash and reason: the details (~2 KB a record)
  // are not kept (issue 22: 10% of a million records awaiting a person were
  // 200 MB of details JSON).
  return ledger.ForEachRecord([&](const LedgerRecord& r) {
    if (r.status != "review" && r.status != "quarantined") return;
    LedgerRecord kept = r;
    kept.details_json.clear();
    input->attention.push_back(std::move(kept));
  });
}

}  // namespace sohoa
