// The report's four renderings. Numbers come from ComputeReport only; here
// is wording, layout and escaping.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/core/file_name.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/spreadsheet_cell.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/report/report.h"

namespace sohoa {
namespace {

struct Words {
  const char* title;
  const char* as_of;
  const char* overall;
  const char* of_valid;  // "%d of %d still-valid results digitized"
  const char* by_type;
  const char* by_year;
  const char* targets;
  const char* year;
  const char* target;
  const char* actual;
  const char* gap;
  const char* forecast;
  const char* met_on;        // "met on %s"
  const char* missed_by;     // "missed by %.1f points"
  const char* reached_late;  // " (reached %s)"
  const char* no_history;    // an open target without a known pace
  const char* pace;          // "%.1f documents/day over the last %d runs (%d days)"
  const char* pace_unknown;  // runs, days, then the least runs and days
  const char* full;          // "100%% forecast: %s"
  const char* full_reached;  // "100%% reached on %s"
  const char* unknown;
  const char* no_valid;      // 0 of 0: nothing in the register is still valid
  const char* unmatched;     // report --inventory: archived documents matched to none of its records
  const char* review_short;  // runs table: "review" column / "%d review"
  const char* quarantined_short;
  const char* run;
  const char* number;  // số
  const char* record_id;
  const char* run_states[4];  // running, finished, failed, interrupted
  const char* review;
  const char* quarantined;
  const char* runs;
  const char* not_digitized;
  const char* review_only;
  const char* chart;
  const char* docs;
  const char* pages;
  const char* archived;
  const char* none;
  const char* type;
  const char* valid_total;
  const char* digitized;
  const char* registers;
  const char* register_row;  // books, entries, archived, keyed, review, quarantined, pace, days
};

const Words kVi = {
    "Báo cáo số hóa kết quả giải quyết TTHC",
    "Tính đến ngày",
    "Tỷ lệ chung",
    "%d / %d kết quả còn hiệu lực đã được số hóa",
    "Theo loại giấy tờ",
    "Theo năm cấp",
    "Chỉ tiêu theo năm",
    "Năm",
    "Chỉ tiêu",
    "Thực tế",
    "Còn thiếu",
    "Kết quả / dự kiến đạt",
    "đạt ngày %s",
    "không đạt: thiếu %.1f điểm",
    " (đạt muộn ngày %s)",
    "chưa đủ số liệu để dự báo",
    "Tốc độ: %.1f hồ sơ/ngày qua %d lần chạy gần nhất (%d ngày)",
    "Tốc độ: chưa đủ số liệu để dự báo (%d lần chạy trong %d ngày; cần ít nhất %d lần chạy trong %d ngày)",
    "Dự kiến đạt 100%%: %s",
    "Đạt 100%% ngày %s",
    "chưa xác định",
    "không có kết quả còn hiệu lực trong sổ",
    "%lld hồ sơ đã lưu trữ không khớp với bản ghi nào của sổ này: việc đối chiếu chỉ diễn ra khi nhập sổ "
    "bằng `sohoa inventory import` (hoặc cho --matches)",
    "chờ kiểm tra",
    "cách ly",
    "Lần chạy",
    "Số",
    "Mã hồ sơ",
    {"đang chạy", "xong", "dừng do lỗi", "bị ngắt"},
    "Hồ sơ chờ kiểm tra",
    "Tệp bị cách ly",
    "Các lần chạy",
    "Kết quả còn hiệu lực chưa số hóa",
    "trong đó %d đang chờ kiểm tra",
    "Thực tế so với chỉ tiêu",
    "hồ sơ",
    "trang",
    "lưu trữ",
    "không có",
    "Loại",
    "Còn hiệu lực",
    "Đã số hóa",
    "Sổ hộ tịch (theo loại sổ và năm của sổ)",
    "%lld sổ, %lld mục: %lld đã lưu trữ (%lld do người nhập), %lld chờ kiểm tra, %lld cách ly; "
    "%.1f mục/ngày (%lld ngày)"};
const Words kEn = {"Digitization report: administrative-procedure results",
                   "As of",
                   "Overall",
                   "%d of %d still-valid results digitized",
                   "By document type",
                   "By year of issue",
                   "Yearly targets",
                   "Year",
                   "Target",
                   "Actual",
                   "Gap",
                   "Result / forecast",
                   "met on %s",
                   "missed by %.1f points",
                   " (reached %s)",
                   "not enough history for a forecast",
                   "Pace: %.1f documents/day over the last %d runs (%d days)",
                   "Pace: not enough history for a forecast (runs: %d, days: %d; a forecast needs at least "
                   "%d runs over %d days)",
                   "100%% forecast: %s",
                   "100%% reached on %s",
                   "unknown",
                   "no still-valid result in the register",
                   "%lld archived documents match no record of this register: documents are matched to a "
                   "register when it is imported with `sohoa inventory import` (or give --matches)",
                   "review",
                   "quarantined",
                   "Run",
                   "Number",
                   "Record",
                   {"running", "finished", "failed", "interrupted"},
                   "Documents awaiting review",
                   "Quarantined inputs",
                   "Runs",
                   "Still-valid results not yet digitized",
                   "of which %d await review",
                   "Actual vs. target",
                   "documents",
                   "pages",
                   "archived",
                   "none",
                   "Type",
                   "Still valid",
                   "Digitized",
                   "Register books (by kind and the book's year)",
                   "%lld books, %lld entries: %lld archived (%lld keyed by a person), %lld in review, %lld "
                   "quarantined; %.1f entries/day (%lld days)"};

// Review reasons come from the message catalogue (pipeline/core/reason.h).
UiLang ReasonLang(ReportLang lang) { return lang == ReportLang::kVi ? UiLang::kVi : UiLang::kEn; }

const Words& W(ReportLang lang) { return lang == ReportLang::kVi ? kVi : kEn; }

std::string TypeName(const std::string& key, ReportLang lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"khai_sinh", {"Giấy khai sinh", "Birth certificate"}},
      {"ket_hon", {"Giấy chứng nhận kết hôn", "Marriage certificate"}},
      {"khai_tu", {"Trích lục khai tử", "Death extract"}},
      {"tinh_trang_hon_nhan", {"Giấy xác nhận tình trạng hôn nhân", "Marital-status certificate"}},
  };
  auto it = kNames.find(key);
  if (it == kNames.end()) return key;
  return lang == ReportLang::kVi ? it->second.first : it->second.second;
}

std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Fmt(const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  return buffer;
}

// Pads to `width` characters (UTF-8 code points, NFC text), not bytes.
std::string PadRight(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s : s + std::string(width - chars, ' ');
}

std::string Pct(double v) { return Fmt("%.1f%%", v); }

nlohmann::json Num(const std::optional<double>& v) {
  return v ? nlohmann::json(std::round(*v * 100) / 100) : nlohmann::json(nullptr);
}
double Round2(double v) { return std::round(v * 100) / 100; }

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Text from outside (names, reasons, register values) on a terminal line:
// controls escaped, so a name holding a newline cannot forge a line.
std::string Line(const std::string& s) { return EscapeForLog(s); }

// A target's last column: met on a day, missed by its gap, or its forecast.
std::string TargetResult(const TargetRow& t, const Report& r, const Words& w) {
  switch (t.state) {
    case TargetState::kMet:
      return Fmt(w.met_on, t.met_on.c_str());
    case TargetState::kMissed:
      return Fmt(w.missed_by, t.gap.value_or(t.target)) +
             (t.reached_late_on.empty() ? "" : Fmt(w.reached_late, t.reached_late_on.c_str()));
    case TargetState::kOpen:
      break;
  }
  if (!t.forecast_date.empty()) return t.forecast_date;
  return r.pace_known ? w.unknown : w.no_history;
}

std::string PaceLine(const Report& r, const Words& w) {
  if (r.pace_known) return Fmt(w.pace, r.throughput_per_day, r.throughput_runs, r.throughput_days);
  return Fmt(w.pace_unknown, r.throughput_runs, r.throughput_days, r.min_pace_runs, r.min_pace_days);
}

std::string FullLine(const Report& r, const Words& w) {
  const bool reached = r.overall.valid_total > 0 && r.overall.digitized >= r.overall.valid_total;
  if (reached) return Fmt(w.full_reached, r.forecast_full.c_str());
  return Fmt(w.full, !r.forecast_full.empty() ? r.forecast_full.c_str()
                     : r.pace_known           ? w.unknown
                                              : w.no_history);
}

// A percentage, or what 0 of 0 means: nothing in the register is still valid.
std::string CoveragePct(const Coverage& c, const Words& w) {
  return c.valid_total == 0 ? w.no_valid : Pct(c.percent);
}

std::string RunState(const std::string& state, const Words& w) {
  static const char* const kStates[] = {"running", "finished", "failed", "interrupted"};
  for (int i = 0; i < 4; ++i)
    if (state == kStates[i]) return w.run_states[i];
  return state;
}

// The keying figures (issue 18, report.h): null when nothing to divide by.
nlohmann::json PerHour(double amount, double seconds, int64_t timed) {
  return timed > 0 && seconds > 0 ? nlohmann::json(Round2(amount * 3600 / seconds)) : nlohmann::json(nullptr);
}
nlohmann::json Share(int64_t part, int64_t whole) {
  return whole > 0 ? nlohmann::json(Round2(100.0 * part / whole)) : nlohmann::json(nullptr);
}
nlohmann::json KeyingJson(const Report& r) {
  nlohmann::json operators = nlohmann::json::array(), fields = nlohmann::json::array();
  for (const auto& [name, o] : r.keying_operators) {
    operators.push_back({{"operator", name},
                         {"entries", o.entries},
                         {"timed_entries", o.timed_entries},
                         {"seconds", Round2(o.seconds)},
                         {"keystrokes", o.keystrokes},
                         {"entries_per_hour", PerHour(static_cast<double>(o.timed_entries), o.seconds, o.timed_entries)},
                         {"keystrokes_per_hour",
                          o.counted_entries == o.timed_entries ? PerHour(static_cast<double>(o.keystrokes), o.seconds,
                                                                         o.timed_entries)
                                                               : nlohmann::json(nullptr)},
                         {"double_fields", o.double_fields},
                         {"agreement_percent", Share(o.agreed_fields, o.double_fields)},
                         {"corrected_fields", o.corrected_fields},
                         {"arbitrations", o.arbitrations}});
  }
  for (const auto& [key, f] : r.keying_fields) {
    fields.push_back({{"field", key},
                      {"timed", f.timed},
                      {"mean_seconds", f.timed > 0 ? nlohmann::json(Round2(f.seconds / f.timed)) : nlohmann::json(nullptr)},
                      {"double_keyed", f.double_keyed},
                      {"agreement_percent", Share(f.agreed, f.double_keyed)},
                      {"corrected", f.corrected}});
  }
  return {{"operators", operators}, {"fields", fields}};
}

// `format` (one %f conversion) of a figure, or "—" in its place when the
// figure is null, the unit and separator around it kept.
std::string OrDash(const nlohmann::json& v, const char* format) {
  if (v.is_number()) return Fmt(format, v.get<double>());
  const std::string f = format;
  const size_t at = f.find('%'), end = f.find('f', at);
  std::string rest = f.substr(end + 1);
  if (rest.rfind("%%", 0) == 0) rest.erase(0, 2);
  return f.substr(0, at) + "—" + rest;
}

void WriteKeyingText(const Report& r, ReportLang lang, std::ostream& out) {
  if (r.keying_operators.empty()) return;
  const bool vi = lang == ReportLang::kVi;
  const nlohmann::json k = KeyingJson(r);
  out << "\n" << (vi ? "Nhập liệu, theo người nhập" : "Keying, per operator") << ":\n";
  for (const nlohmann::json& o : k["operators"]) {
    out << "  " << PadRight(Line(o["operator"].get<std::string>()), 16)
        << Fmt(vi ? "%lld mục · " : "%lld entries · ", static_cast<long long>(o["entries"].get<int64_t>()))
        << OrDash(o["entries_per_hour"], vi ? "%.1f mục/giờ · " : "%.1f entries/h · ")
        << OrDash(o["keystrokes_per_hour"], vi ? "%.0f phím/giờ · " : "%.0f keystrokes/h · ")
        << (vi ? "khớp " : "agreement ") << OrDash(o["agreement_percent"], "%.1f%%")
        << Fmt(vi ? " · %lld trường bị sửa sau nhập · %lld lần phân xử\n"
                  : " · %lld fields corrected after keying · %lld arbitrations\n",
               static_cast<long long>(o["corrected_fields"].get<int64_t>()),
               static_cast<long long>(o["arbitrations"].get<int64_t>()));
  }
  out << "\n" << (vi ? "Nhập liệu, theo trường" : "Keying, per field") << ":\n";
  for (const nlohmann::json& f : k["fields"]) {
    out << "  " << PadRight(Line(f["field"].get<std::string>()), 24)
        << OrDash(f["mean_seconds"], vi ? "%.1f giây · " : "%.1f s · ") << (vi ? "khớp " : "agreement ")
        << OrDash(f["agreement_percent"], "%.1f%%")
        << Fmt(vi ? " (%lld lần nhập hai lần) · %lld bị sửa\n" : " (%lld double-keyed) · %lld corrected\n",
               static_cast<long long>(f["double_keyed"].get<int64_t>()),
               static_cast<long long>(f["corrected"].get<int64_t>()));
  }
}

}  // namespace

void WriteReportText(const Report& r, ReportLang lang, std::ostream& out) {
  const Words& w = W(lang);
  out << w.title << "\n" << w.as_of << ": " << r.as_of << "\n\n";
  out << w.overall << ": " << CoveragePct(r.overall, w) << " — "
      << Fmt(w.of_valid, r.overall.digitized, r.overall.valid_total) << "\n";
  if (r.archived_unmatched > 0) out << Fmt(w.unmatched, static_cast<long long>(r.archived_unmatched)) << "\n";
  out << "\n" << w.by_type << ":\n";
  for (const auto& [type, c] : r.by_type)
    out << "  " << PadRight(Line(TypeName(type, lang)), 36)
        << Fmt(" %6s  %d/%d\n", CoveragePct(c, w).c_str(), c.digitized, c.valid_total);
  out << "\n" << w.by_year << ":\n";
  for (const auto& [year, c] : r.by_year)
    out << Fmt("  %d  %6s  %d/%d\n", year, Pct(c.percent).c_str(), c.digitized, c.valid_total);
  if (!r.registers.empty()) {
    out << "\n" << w.registers << ":\n";
    for (const auto& [key, b] : r.registers) {
      const std::string year = key.second == 0 ? w.unknown : std::to_string(key.second);
      out << "  " << PadRight(Line(TypeName(key.first, lang)) + " " + year, 30)
          << Fmt(w.register_row, static_cast<long long>(b.books), static_cast<long long>(b.entries),
                 static_cast<long long>(b.archived), static_cast<long long>(b.keyed),
                 static_cast<long long>(b.review), static_cast<long long>(b.quarantined), b.entries_per_day,
                 static_cast<long long>(b.days))
          << "\n";
    }
  }
  WriteKeyingText(r, lang, out);
  out << "\n"
      << w.targets << ":\n  " << PadRight(w.year, 7) << PadRight(w.target, 10) << PadRight(w.actual, 10)
      << PadRight(w.gap, 10) << w.forecast << "\n";
  for (const TargetRow& t : r.targets) {
    out << "  " << PadRight(std::to_string(t.year), 7) << PadRight(Pct(t.target), 10)
        << PadRight(t.actual ? Pct(*t.actual) : "—", 10) << PadRight(t.gap ? Fmt("%+.1f", *t.gap) : "—", 10)
        << TargetResult(t, r, w) << "\n";
  }
  out << "  " << PaceLine(r, w) << "\n  " << FullLine(r, w) << "\n\n";
  out << w.runs << ":\n";
  for (const RunRow& run : r.runs)
    out << Fmt("  %s  %s  %-11s %3d %s, %3d %s, %d %s, %d %s, %d %s\n", run.run_id.c_str(),
               run.started_at.c_str(), RunState(run.state, w).c_str(), run.documents, w.docs, run.archived,
               w.archived, run.review, w.review_short, run.quarantined, w.quarantined_short, run.pages,
               w.pages);
  // A capped list ends with how many more there are ("  … +N").
  auto more = [&](size_t shown, int64_t total) {
    if (total > static_cast<int64_t>(shown)) out << "  … +" << total - static_cast<int64_t>(shown) << "\n";
  };
  out << "\n" << w.review << " (" << r.review_total << "):\n";
  for (const LedgerRecord& d : r.review)
    out << "  " << Line(d.source) << " — " << Line(ReasonsForPeople(d.reason, ReasonLang(lang))) << "\n";
  more(r.review.size(), r.review_total);
  out << "\n" << w.quarantined << " (" << r.quarantined_total << "):\n";
  for (const LedgerRecord& d : r.quarantined)
    out << "  " << Line(d.source) << " — " << Line(ReasonsForPeople(d.reason, ReasonLang(lang))) << "\n";
  more(r.quarantined.size(), r.quarantined_total);
  out << "\n" << w.not_digitized << " (" << r.not_digitized_total;
  if (r.review_only > 0) out << "; " << Fmt(w.review_only, r.review_only);
  out << "):\n";
  for (const InventoryItem& i : r.not_digitized)
    out << "  " << Line(i.record_id) << "  " << Line(TypeName(i.doc_type, lang)) << "  " << Line(i.number)
        << "  " << Line(i.issue_date) << (i.expires_on ? "  → " + *i.expires_on : "") << "\n";
  more(r.not_digitized.size(), r.not_digitized_total);
}

void WriteReportJson(const Report& r, std::ostream& out) {
  // 0 of 0 has no percentage (null), not 0%.
  auto percent = [](const Coverage& c) {
    return c.valid_total == 0 ? nlohmann::json(nullptr) : nlohmann::json(Round2(c.percent));
  };
  auto coverage = [&](const Coverage& c) {
    return nlohmann::json{
        {"valid_total", c.valid_total}, {"digitized", c.digitized}, {"percent", percent(c)}};
  };
  auto date_or_null = [](const std::string& d) {
    return d.empty() ? nlohmann::json(nullptr) : nlohmann::json(d);
  };
  nlohmann::json j = {
      {"as_of", r.as_of},
      {"valid_total", r.overall.valid_total},
      {"digitized", r.overall.digitized},
      {"percent", percent(r.overall)},
      {"by_type", nlohmann::json::object()},
      {"by_year", nlohmann::json::object()},
      {"targets", nlohmann::json::array()},
      {"forecast_full", r.forecast_full.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.forecast_full)},
      {"throughput_per_day", Round2(r.throughput_per_day)},
      {"throughput_runs", r.throughput_runs},
      {"pace",
       {{"runs", r.throughput_runs},
        {"days", r.throughput_days},
        {"known", r.pace_known},
        {"min_runs", r.min_pace_runs},
        {"min_days", r.min_pace_days}}},
      {"runs", nlohmann::json::array()},
      {"review", nlohmann::json::array()},
      {"quarantined", nlohmann::json::array()},
      {"not_digitized", nlohmann::json::array()},
      {"not_digitized_in_review", r.review_only},
      {"not_digitized_total", r.not_digitized_total},
      {"review_total", r.review_total},
      {"quarantined_total", r.quarantined_total}};
  j["registers"] = nlohmann::json::array();
  for (const auto& [key, b] : r.registers) {
    j["registers"].push_back(
        {{"kind", key.first},
         {"year", key.second == 0 ? nlohmann::json(nullptr) : nlohmann::json(key.second)},
         {"books", b.books},
         {"entries", b.entries},
         {"archived", b.archived},
         {"review", b.review},
         {"quarantined", b.quarantined},
         {"keyed", b.keyed},
         {"days", b.days},
         {"entries_per_day", Round2(b.entries_per_day)},
         {"first_day", b.first_day.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.first_day)},
         {"last_day", b.last_day.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.last_day)}});
  }
  if (!r.keying_operators.empty()) j["keying"] = KeyingJson(r);
  for (const auto& [type, c] : r.by_type) j["by_type"][type] = coverage(c);
  for (const auto& [year, c] : r.by_year) j["by_year"][std::to_string(year)] = coverage(c);
  for (const TargetRow& t : r.targets) {
    j["targets"].push_back({{"year", t.year},
                            {"target", t.target},
                            {"judged_on", t.judged_on},
                            {"actual", Num(t.actual)},
                            {"gap", Num(t.gap)},
                            {"met", t.met},
                            {"state", TargetStateName(t.state)},
                            {"met_on", date_or_null(t.met_on)},
                            {"reached_late_on", date_or_null(t.reached_late_on)},
                            {"forecast_date", date_or_null(t.forecast_date)}});
  }
  if (r.archived_unmatched >= 0) j["archived_unmatched"] = r.archived_unmatched;
  for (const RunRow& run : r.runs) {
    j["runs"].push_back({{"run_id", run.run_id},
                         {"started_at", run.started_at},
                         {"state", run.state},
                         {"documents", run.documents},
                         {"archived", run.archived},
                         {"review", run.review},
                         {"quarantined", run.quarantined},
                         {"pages", run.pages},
                         {"wall_seconds", Round2(run.wall_seconds)}});
  }
  // Sources by their display names (pipeline/core/file_name.h): a ledger written
  // before names were made UTF-8 may still hold raw bytes.
  for (const LedgerRecord& d : r.review)
    j["review"].push_back({{"source", DisplayName(d.source)},
                           {"sha256", d.sha256},
                           {"reason", ReasonsForPeople(d.reason, UiLang::kEn)}});
  for (const LedgerRecord& d : r.quarantined)
    j["quarantined"].push_back({{"source", DisplayName(d.source)},
                                {"sha256", d.sha256},
                                {"reason", ReasonsForPeople(d.reason, UiLang::kEn)}});
  for (const InventoryItem& i : r.not_digitized) {
    j["not_digitized"].push_back(
        {{"record_id", i.record_id},
         {"doc_type", i.doc_type},
         {"number", i.number},
         {"issue_date", i.issue_date},
         {"expires_on", i.expires_on ? nlohmann::json(*i.expires_on) : nlohmann::json(nullptr)}});
  }
  out << DumpJson(j, 2) << "\n";
}

void WriteReportCsv(const Report& r, std::ostream& out) {
  // percent is empty for 0 of 0; state is met/missed/open, date the day
  // it was met, reached late, or its forecast.
  out << "section,key,valid_total,digitized,percent,target,gap,state,date\n";
  auto row = [&](const std::string& section, const std::string& key, const Coverage* c, const TargetRow* t) {
    std::string pct;
    if (c && c->valid_total > 0) pct = Fmt("%.2f", c->percent);
    if (t && t->actual) pct = Fmt("%.2f", *t->actual);
    const std::string date = !t                                 ? ""
                             : t->state == TargetState::kMet    ? t->met_on
                             : t->state == TargetState::kMissed ? t->reached_late_on
                                                                : t->forecast_date;
    out << section << "," << CsvCell(key) << "," << (c ? std::to_string(c->valid_total) : "") << ","
        << (c ? std::to_string(c->digitized) : "") << "," << pct << "," << (t ? Fmt("%.2f", t->target) : "")
        << "," << (t && t->gap ? Fmt("%.2f", *t->gap) : "") << "," << (t ? TargetStateName(t->state) : "")
        << "," << date << "\n";
  };
  row("overall", r.as_of, &r.overall, nullptr);
  for (const auto& [type, c] : r.by_type) row("type", type, &c, nullptr);
  for (const auto& [year, c] : r.by_year) row("year_of_issue", std::to_string(year), &c, nullptr);
  for (const TargetRow& t : r.targets) row("target", std::to_string(t.year), nullptr, &t);
  for (const InventoryItem& i : r.not_digitized)
    out << "not_digitized," << CsvCell(i.record_id) << ",,,,,,,\n";
}

void WriteReportHtml(const Report& r, ReportLang lang, std::ostream& out) {
  const Words& w = W(lang);
  // Chart: x = target years, y = 0..100%. Target line + actual points/line.
  const double left = 48, right = 620, top = 20, bottom = 260;
  const size_t n = r.targets.size();
  auto x = [&](size_t i) { return n <= 1 ? (left + right) / 2 : left + (right - left) * i / (n - 1.0); };
  auto y = [&](double pct) { return bottom - (bottom - top) * std::clamp(pct, 0.0, 100.0) / 100.0; };
  std::string svg =
      Fmt("<svg id=\"chart\" viewBox=\"0 0 640 300\" role=\"img\" aria-label=\"%s\" "
          "xmlns=\"http://www.w3.org/2000/svg\">",
          w.chart);
  for (int p = 0; p <= 100; p += 25) {
    svg += Fmt("<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"grid\"/>", left, y(p), right,
               y(p));
    svg += Fmt("<text x=\"%.0f\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%d%%</text>", left - 6,
               y(p) + 4, p);
  }
  std::string target_points, actual_points;
  for (size_t i = 0; i < n; ++i) {
    const TargetRow& t = r.targets[i];
    target_points += Fmt("%.1f,%.1f ", x(i), y(t.target));
    svg += Fmt("<text x=\"%.1f\" y=\"%.0f\" class=\"axis\" text-anchor=\"middle\">%d</text>", x(i),
               bottom + 20, t.year);
    if (t.actual) actual_points += Fmt("%.1f,%.1f ", x(i), y(*t.actual));
  }
  svg += "<polyline class=\"target\" points=\"" + target_points + "\"/>";
  if (!actual_points.empty()) svg += "<polyline class=\"actual\" points=\"" + actual_points + "\"/>";
  for (size_t i = 0; i < n; ++i) {
    const TargetRow& t = r.targets[i];
    svg +=
        Fmt("<rect class=\"target-point\" x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\"><title>%d %s "
            "%s</title></rect>",
            x(i) - 4, y(t.target) - 4, t.year, w.target, Pct(t.target).c_str());
    if (t.actual) {
      svg +=
          Fmt("<circle class=\"actual-point\" data-year=\"%d\" data-value=\"%.2f\" cx=\"%.1f\" cy=\"%.1f\" "
              "r=\"5\">"
              "<title>%d %s %s</title></circle>",
              t.year, *t.actual, x(i), y(*t.actual), t.year, w.actual, Pct(*t.actual).c_str());
    }
  }
  svg +=
      Fmt("<g class=\"legend\"><rect x=\"60\" y=\"282\" width=\"10\" height=\"10\" class=\"target-point\"/>"
          "<text x=\"76\" y=\"291\">%s</text><circle cx=\"205\" cy=\"287\" r=\"5\" class=\"actual-point\"/>"
          "<text x=\"216\" y=\"291\">%s</text></g></svg>",
          w.target, w.actual);

  out << "<!DOCTYPE html>\n<html lang=\"" << (lang == ReportLang::kVi ? "vi" : "en") << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\">\n"
      << "<title>" << w.title << " — " << Escape(r.as_of) << "</title>\n<style>\n"
      << "body{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;margin:0 auto;max-width:860px;"
         "padding:12px;color:#1a1a1a;line-height:1.4}\n"
      << "h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin-top:1.4em;border-bottom:1px solid "
         "#ccc}\n"
      << ".big{font-size:2.2em;font-weight:bold;color:#0b5394}\n"
      << "table{border-collapse:collapse;width:100%;font-size:.95em}th,td{border-bottom:1px solid #ddd;"
         "padding:4px 6px;text-align:left}td.n,th.n{text-align:right}\n"
      << ".scroll{overflow-x:auto}td:last-child{white-space:nowrap}\n"
      << "svg{width:100%;height:auto;max-width:640px;display:block}\n"
      << ".grid{stroke:#ddd;stroke-width:1}.axis{font-size:12px;fill:#555}\n"
      << ".target{fill:none;stroke:#c00;stroke-width:2;stroke-dasharray:6 4}"
         ".actual{fill:none;stroke:#0b5394;stroke-width:3}\n"
      << ".target-point{fill:#c00}.actual-point{fill:#0b5394}.legend text{font-size:12px}\n"
      << ".behind{color:#c00}.met{color:#070}\n"
      << "@media "
         "print{body{max-width:none;padding:0}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}"
         ".scroll{overflow:visible}}\n"
      << "</style>\n</head>\n<body>\n";
  out << "<h1>" << w.title << "</h1>\n<p>" << w.as_of << ": <b>" << Escape(r.as_of) << "</b></p>\n";
  out << "<p><span class=\"big\" id=\"overall\">" << Escape(CoveragePct(r.overall, w)) << "</span><br>"
      << Escape(Fmt(w.of_valid, r.overall.digitized, r.overall.valid_total)) << "</p>\n";
  if (r.archived_unmatched > 0)
    out << "<p class=\"behind\">" << Escape(Fmt(w.unmatched, static_cast<long long>(r.archived_unmatched)))
        << "</p>\n";
  out << "<h2>" << w.chart << "</h2>\n" << svg << "\n";
  out << "<h2>" << w.targets << "</h2>\n<div class=\"scroll\"><table><tr><th>" << w.year
      << "</th><th class=n>" << w.target << "</th><th class=n>" << w.actual << "</th><th class=n>" << w.gap
      << "</th><th>" << w.forecast << "</th></tr>\n";
  for (const TargetRow& t : r.targets) {
    out << "<tr><td>" << t.year << "</td><td class=n>" << Pct(t.target) << "</td><td class=n>"
        << (t.actual ? Pct(*t.actual) : "—") << "</td><td class=\"n " << (t.met ? "met" : "behind") << "\">"
        << (t.gap ? Fmt("%+.1f", *t.gap) : "—") << "</td><td>" << Escape(TargetResult(t, r, w))
        << "</td></tr>\n";
  }
  out << "</table></div>\n<p>" << Escape(PaceLine(r, w)) << ". " << Escape(FullLine(r, w)) << "</p>\n";
  auto coverage_table = [&](const char* heading, const char* first,
                            const std::vector<std::pair<std::string, Coverage>>& rows) {
    out << "<h2>" << heading << "</h2>\n<div class=\"scroll\"><table><tr><th>" << first << "</th><th class=n>"
        << w.valid_total << "</th><th class=n>" << w.digitized << "</th><th class=n>%</th></tr>\n";
    for (const auto& [key, c] : rows)
      out << "<tr><td>" << Escape(key) << "</td><td class=n>" << c.valid_total << "</td><td class=n>"
          << c.digitized << "</td><td class=n>" << Escape(CoveragePct(c, w)) << "</td></tr>\n";
    out << "</table></div>\n";
  };
  std::vector<std::pair<std::string, Coverage>> types, years;
  for (const auto& [type, c] : r.by_type) types.emplace_back(TypeName(type, lang), c);
  for (const auto& [year, c] : r.by_year) years.emplace_back(std::to_string(year), c);
  coverage_table(w.by_type, w.type, types);
  coverage_table(w.by_year, w.year, years);
  out << "<h2>" << w.runs << "</h2>\n<div class=\"scroll\"><table><tr><th>" << w.run << "</th><th class=n>"
      << w.docs << "</th><th class=n>" << w.archived << "</th><th class=n>" << w.review_short
      << "</th><th class=n>" << w.quarantined_short << "</th><th class=n>" << w.pages << "</th></tr>\n";
  for (const RunRow& run : r.runs)
    out << "<tr><td>" << Escape(run.run_id) << "<br><small>" << Escape(run.started_at) << " "
        << Escape(RunState(run.state, w)) << "</small></td><td class=n>" << run.documents
        << "</td><td class=n>" << run.archived << "</td><td class=n>" << run.review << "</td><td class=n>"
        << run.quarantined << "</td><td class=n>" << run.pages << "</td></tr>\n";
  out << "</table></div>\n";
  auto list = [&](const char* heading, const std::vector<LedgerRecord>& records, int64_t total) {
    out << "<h2>" << heading << " (" << total << ")</h2>\n<ul>\n";
    if (records.empty()) out << "<li>" << w.none << "</li>\n";
    for (const LedgerRecord& d : records)
      out << "<li>" << Escape(DisplayName(d.source)) << " — "
          << Escape(DisplayName(ReasonsForPeople(d.reason, ReasonLang(lang)))) << "</li>\n";
    out << "</ul>\n";
  };
  list(w.review, r.review, r.review_total);
  list(w.quarantined, r.quarantined, r.quarantined_total);
  out << "<h2>" << w.not_digitized << " (" << r.not_digitized_total << ")</h2>\n<div class=\"scroll\"><table>"
      << "<tr><th>" << w.record_id << "</th><th>" << w.type << "</th><th>" << w.number << "</th><th>"
      << w.year << "</th></tr>\n";
  for (const InventoryItem& i : r.not_digitized)
    out << "<tr><td>" << Escape(i.record_id) << "</td><td>" << Escape(TypeName(i.doc_type, lang))
        << "</td><td>" << Escape(i.number) << "</td><td>" << Escape(i.issue_date) << "</td></tr>\n";
  out << "</table></div>\n<p><small>sohoa " SOHOA_VERSION "</small></p>\n</body>\n</html>\n";
}

}  // namespace sohoa
