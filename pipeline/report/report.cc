#include "pipeline/report/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pipeline/core/error_text.h"

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

}  // namespace

bool ParseReportDate(std::string_view date, int64_t* days, int* year) {
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return false;
  auto number = [&](size_t from, size_t length, int* value) {
    *value = 0;
    for (size_t i = from; i < from + length; ++i) {
      if (date[i] < '0' || date[i] > '9') return false;
      *value = *value * 10 + (date[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!number(0, 4, &y) || !number(5, 2, &m) || !number(8, 2, &d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  *days = DaysFromCivil(y, m, d);
  if (year) *year = y;
  return true;
}

namespace {

struct CivilDate {
  int64_t y;
  int m, d;
};

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{yoe + era * 400 + (m <= 2), m, d};
}

}  // namespace

std::string FormatReportDate(int64_t days) {
  const CivilDate c = CivilFromDays(days);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02d-%02d", static_cast<long long>(c.y), c.m, c.d);
  return text;
}

int64_t ReportAddMonths(int64_t days, int months) {
  const CivilDate c = CivilFromDays(days);
  const int64_t total = c.y * 12 + (c.m - 1) + months;
  const int64_t y = total / 12;
  const int m = static_cast<int>(total % 12 + 1);
  return DaysFromCivil(y, m, std::min(c.d, DaysInMonth(y, m)));
}

std::string ReportAddMonths(const std::string& date, int months) {
  int64_t days;
  if (!ParseReportDate(date, &days)) return "";
  return FormatReportDate(ReportAddMonths(days, months));
}

std::vector<Target> DefaultTargets() { return {{2021, 15}, {2022, 35}, {2023, 55}, {2024, 75}, {2025, 100}}; }

StatusOr<std::vector<Target>> ParseTargets(const std::string& text) {
  std::vector<Target> targets;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    Target t;
    char extra;
    if (std::sscanf(item.c_str(), " %d : %lf %c", &t.year, &t.percent, &extra) != 2 || t.year < 1900 ||
        t.year > 2200 || t.percent < 0 || t.percent > 100) {
      return Status::Configuration(ErrorText("targets.not_year_percent", {{"item", item}}));
    }
    targets.push_back(t);
  }
  if (targets.empty()) return Status::Configuration(ErrorText("targets.empty", {}));
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.year < b.year; });
  return targets;
}

StatusOr<ReportBuilder> ReportBuilder::Start(const ReportInput& settings) {
  ReportBuilder builder;
  if (!ParseReportDate(settings.as_of, &builder.as_of_)) {
    return Status::InvalidInput("as-of date '" + settings.as_of + "' is not YYYY-MM-DD");
  }
  builder.list_limit_ = std::max<int64_t>(0, settings.list_limit);
  builder.report_.as_of = settings.as_of;
  return builder;
}

Status ReportBuilder::Add(const InventoryItem& item, const std::vector<DigitizedMatch>& matches) {
  RecordCoverage record;
  record.doc_type = item.doc_type;
  record.valid = item.valid;
  if (!ParseReportDate(item.issue_date, &record.issued, &record.year)) {
    return Status::InvalidInput("inventory record " + item.record_id + ": issue date '" + item.issue_date +
                                "' is not YYYY-MM-DD");
  }
  if (item.expires_on) {
    int64_t e;
    if (!ParseReportDate(*item.expires_on, &e)) {
      return Status::InvalidInput("inventory record " + item.record_id + ": expiry '" + *item.expires_on +
                                  "' is not YYYY-MM-DD");
    }
    record.expires = e;
  }
  for (const DigitizedMatch& m : matches) {
    if (m.status == "review") {
      record.in_review = true;
      continue;
    }
    if (m.status != "archived") continue;
    int64_t day;
    if (!ParseReportDate(m.date, &day)) {
      return Status::InvalidInput("document " + m.sha256.substr(0, 12) + ": date '" + m.date +
                                  "' is not a date");
    }
    if (!record.digitized || day < *record.digitized) record.digitized = day;
  }
  if (Count(record)) ListNotDigitized(item);
  return Status::Ok();
}

bool ReportBuilder::Count(const RecordCoverage& r) {
  if (r.digitized) digitized_days_.insert(*r.digitized);
  // Valid on day D: valid, issued <= D and D < expires — the interval
  // [issued, expires); digitized too from the first archived day on.
  if (r.valid && (!r.expires || r.issued < *r.expires)) {
    ++deltas_[r.issued].valid;
    if (r.expires) --deltas_[*r.expires].valid;
    if (r.digitized) {
      const int64_t from = std::max(r.issued, *r.digitized);
      if (!r.expires || from < *r.expires) {
        ++deltas_[from].digitized;
        if (r.expires) --deltas_[*r.expires].digitized;
      }
    }
  }

  const bool valid_now = r.valid && r.issued <= as_of_ && (!r.expires || as_of_ < *r.expires);
  const bool digitized_now = r.digitized && *r.digitized <= as_of_;
  if (!last_type_coverage_ || r.doc_type != last_type_) {  // records come in runs of a type, often
    last_type_.assign(r.doc_type);
    last_type_coverage_ = &report_.by_type[last_type_];
  }
  Coverage& year = report_.by_year[r.year];
  if (!valid_now) return false;
  for (Coverage* c : {&report_.overall, last_type_coverage_, &year}) {
    ++c->valid_total;
    if (digitized_now) ++c->digitized;
  }
  if (digitized_now) return false;
  ++report_.not_digitized_total;
  if (r.in_review) ++report_.review_only;
  return static_cast<int64_t>(report_.not_digitized.size()) < list_limit_;
}

Coverage ReportBuilder::CoverageOn(int64_t day) const {
  Coverage c;
  auto after = std::upper_bound(running_.begin(), running_.end(), day,
                                [](int64_t d, const std::pair<int64_t, DayDelta>& e) { return d < e.first; });
  if (after != running_.begin()) {
    const DayDelta& sum = std::prev(after)->second;
    c.valid_total = static_cast<int>(sum.valid);
    c.digitized = static_cast<int>(sum.digitized);
  }
  c.percent = Percent(c.digitized, c.valid_total);
  return c;
}

StatusOr<Report> ReportBuilder::Finish(const ReportInput& input) {
  Report report = std::move(report_);
  const int64_t as_of = as_of_;
  running_.assign(deltas_.begin(), deltas_.end());
  std::sort(running_.begin(), running_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  DayDelta sum;
  for (auto& [day, delta] : running_) {
    sum.valid += delta.valid;
    sum.digitized += delta.digitized;
    delta = sum;
  }
  std::vector<int64_t> digitized_days(digitized_days_.begin(), digitized_days_.end());
  std::sort(digitized_days.begin(), digitized_days.end());
  report.overall.percent = Percent(report.overall.digitized, report.overall.valid_total);
  for (auto& [type, c] : report.by_type) c.percent = Percent(c.digitized, c.valid_total);
  for (auto it = report.by_year.begin(); it != report.by_year.end();) {
    it->second.percent = Percent(it->second.digitized, it->second.valid_total);
    it = it->second.valid_total > 0 ? std::next(it) : report.by_year.erase(it);
  }

  // Throughput over the last runs up to as_of.
  std::vector<const RunRecord*> runs;
  for (const RunRecord& r : input.runs) {
    int64_t day;
    if (ParseReportDate(r.started_at, &day) && day <= as_of) runs.push_back(&r);
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
  report.min_pace_runs = input.min_pace_runs;
  report.min_pace_days = input.min_pace_days;
  if (!runs.empty()) {
    int archived = 0;
    for (const RunRecord* r : runs) {
      nlohmann::json counts = nlohmann::json::parse(r->counts_json, nullptr, false);
      if (counts.is_object()) archived += counts.value("archived", 0);
    }
    int64_t first;
    ParseReportDate(runs.front()->started_at, &first);
    report.throughput_runs = static_cast<int>(runs.size());
    report.throughput_days = static_cast<int>(as_of - first + 1);
    report.throughput_per_day = static_cast<double>(archived) / report.throughput_days;
    report.pace_known =
        report.throughput_runs >= input.min_pace_runs && report.throughput_days >= input.min_pace_days;
  }

  // The first day in [from, to] the overall percentage reached `target`, or "".
  auto first_reached = [&](double target, int64_t from, int64_t to) -> std::string {
    for (auto it = std::lower_bound(digitized_days.begin(), digitized_days.end(), from);
         it != digitized_days.end() && *it <= to; ++it) {
      const Coverage c = CoverageOn(*it);
      if (c.valid_total > 0 && c.percent + 1e-9 >= target) return FormatReportDate(*it);
    }
    return "";
  };
  // When an open target would be reached at the measured pace ("" unknown).
  auto forecast = [&](double target) -> std::string {
    if (!report.pace_known || report.throughput_per_day <= 0) return "";
    const int needed = static_cast<int>(std::ceil(target / 100.0 * report.overall.valid_total - 1e-9)) -
                       report.overall.digitized;
    return FormatReportDate(as_of + static_cast<int64_t>(std::ceil(needed / report.throughput_per_day)));
  };
  const int64_t no_day = std::numeric_limits<int64_t>::min();
  for (const Target& t : input.targets) {
    TargetRow row;
    row.year = t.year;
    row.target = t.percent;
    const int64_t year_start = DaysFromCivil(t.year, 1, 1);
    const int64_t deadline = DaysFromCivil(t.year, 12, 31);
    const int64_t judged = std::min(deadline, as_of);
    row.judged_on = FormatReportDate(judged);
    if (year_start <= as_of) {
      row.actual = CoverageOn(judged).percent;
      row.gap = t.percent - *row.actual;
      row.met = *row.actual + 1e-9 >= t.percent;
    } else {
      // A later year's target the archive already reaches today.
      row.met = report.overall.valid_total > 0 && report.overall.percent + 1e-9 >= t.percent;
    }
    if (row.met) {
      row.state = TargetState::kMet;
      row.met_on = first_reached(t.percent, no_day, judged);
      if (row.met_on.empty()) row.met_on = row.judged_on;  // reached without a digitized day: 0 of 0
    } else if (deadline < as_of) {
      row.state = TargetState::kMissed;
      row.reached_late_on = first_reached(t.percent, deadline + 1, as_of);
    } else {
      row.state = TargetState::kOpen;
      row.forecast_date = forecast(t.percent);
    }
    report.targets.push_back(row);
  }
  const bool full_now = report.overall.valid_total > 0 && report.overall.percent + 1e-9 >= 100;
  report.forecast_full = full_now ? first_reached(100, no_day, as_of) : forecast(100);
  if (full_now && report.forecast_full.empty()) report.forecast_full = input.as_of;

  for (const LedgerRecord& r : input.attention) {
    const bool review = r.status == "review";
    if (!review && r.status != "quarantined") continue;
    std::vector<LedgerRecord>& list = review ? report.review : report.quarantined;
    int64_t& total = review ? report.review_total : report.quarantined_total;
    ++total;
    if (static_cast<int64_t>(list.size()) < list_limit_) list.push_back(r);
  }
  if (input.review_total >= 0) report.review_total = input.review_total;
  if (input.quarantined_total >= 0) report.quarantined_total = input.quarantined_total;
  return report;
}

const char* TargetStateName(TargetState state) {
  switch (state) {
    case TargetState::kMet:
      return "met";
    case TargetState::kMissed:
      return "missed";
    case TargetState::kOpen:
      break;
  }
  return "open";
}

StatusOr<Report> ComputeReport(const ReportInput& input) {
  StatusOr<ReportBuilder> builder = ReportBuilder::Start(input);
  if (!builder.ok()) return builder.status();
  std::map<std::string, std::vector<DigitizedMatch>> matches;
  for (const DigitizedMatch& m : input.matches) matches[m.record_id].push_back(m);
  std::set<std::string> seen;
  const std::vector<DigitizedMatch> none;
  for (const InventoryItem& item : input.inventory) {
    if (!seen.insert(item.record_id).second) {
      return Status::InvalidInput("inventory record " + item.record_id + " appears twice");
    }
    auto it = matches.find(item.record_id);  // records outside this inventory are ignored
    SOHOA_RETURN_IF_ERROR(builder->Add(item, it == matches.end() ? none : it->second));
  }
  return builder->Finish(input);
}

Status LoadLedgerFacts(Ledger& ledger, ReportInput* input) {
  StatusOr<std::vector<RunRecord>> runs = ledger.Runs();
  if (!runs.ok()) return runs.status();
  input->runs = std::move(*runs);
  // The first list_limit of each list and the totals by a GROUP BY: memory
  // independent of how many records await a person (issue 22).
  StatusOr<LedgerSummary> summary = ledger.Summarize();
  if (!summary.ok()) return summary.status();
  auto total = [&](const char* status) {
    auto it = summary->documents.find(status);
    return it == summary->documents.end() ? int64_t{0} : it->second;
  };
  input->review_total = total("review");
  input->quarantined_total = total("quarantined");
  for (const char* status : {"review", "quarantined"}) {
    StatusOr<std::vector<LedgerRecord>> records =
        ledger.RecordsWithStatus(status, std::max<int64_t>(0, input->list_limit));
    if (!records.ok()) return records.status();
    for (LedgerRecord& r : *records) {
      r.details_json.clear();  // the lists show source, hash and reason
      input->attention.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

}  // namespace sohoa
