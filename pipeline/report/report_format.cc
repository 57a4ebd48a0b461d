// The report's four renderings. Numbers come from ComputeReport only; here
// is wording, layout and escaping.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/core/catalog.h"
#include "pipeline/core/file_name.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/spreadsheet_cell.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/report/report.h"

namespace sohoa {
namespace {

// The report's words, from the message catalogue (pipeline/core/catalog.h)
// in the report's language; "{name}" placeholders are filled by Fill().
struct Words {
  std::string title, as_of, overall;
  std::string of_valid;  // {digitized} of {total}
  std::string by_type, by_year, targets, year, target, actual, gap, forecast;
  std::string met_on, missed_by, reached_late;  // {date}, {points}, {date}
  std::string no_history;                       // an open target without a known pace
  std::string pace;                             // {per_day} {runs} {days}
  std::string pace_unknown;                     // {runs} {days} {min_runs} {min_days}
  std::string full, full_reached;               // {date}
  std::string unknown;
  std::string no_valid;      // 0 of 0: nothing in the register is still valid
  std::string unmatched;     // report --inventory: {n} archived documents matched to none of its records
  std::string review_short;  // runs table: "review" column / "{n} review"
  std::string quarantined_short;
  std::string run, number, record_id;
  std::string run_states[4];  // running, finished, failed, interrupted
  std::string review, quarantined, runs, not_digitized;
  std::string review_only;  // {n}
  std::string chart, docs, pages, archived, none, type, valid_total, digitized, registers;
  std::string register_row;  // {books} {entries} {archived} {keyed} {review} {quarantined} {per_day} {days}
};

Words WordsIn(ReportLang report_lang) {
  static const std::pair<std::string Words::*, const char*> kTexts[] = {
      {&Words::title, N_("Digitization report: administrative-procedure results")},
      {&Words::as_of, N_("As of")},
      {&Words::overall, N_("Overall")},
      {&Words::of_valid, N_("{digitized} of {total} still-valid results digitized")},
      {&Words::by_type, N_("By document type")},
      {&Words::by_year, N_("By year of issue")},
      {&Words::targets, N_("Yearly targets")},
      {&Words::year, N_("Year")},
      {&Words::target, N_("Target")},
      {&Words::actual, N_("Actual")},
      {&Words::gap, N_("Gap")},
      {&Words::forecast, N_("Result / forecast")},
      {&Words::met_on, N_("met on {date}")},
      {&Words::missed_by, N_("missed by {points} points")},
      {&Words::reached_late, N_(" (reached {date})")},
      {&Words::no_history, N_("not enough history for a forecast")},
      {&Words::pace, N_("Pace: {per_day} documents/day over the last {runs} runs ({days} days)")},
      {&Words::pace_unknown, N_("Pace: not enough history for a forecast (runs: {runs}, days: {days}; a "
                                "forecast needs at least {min_runs} runs over {min_days} days)")},
      {&Words::full, N_("100% forecast: {date}")},
      {&Words::full_reached, N_("100% reached on {date}")},
      {&Words::unknown, N_("unknown")},
      {&Words::no_valid, N_("no still-valid result in the register")},
      {&Words::unmatched,
       N_("{n} archived documents match no record of this register: documents are matched to a register when "
          "it is imported with `sohoa inventory import` (or give --matches)")},
      {&Words::review_short, N_("review")},
      {&Words::quarantined_short, N_("quarantined")},
      {&Words::run, N_("Run")},
      {&Words::number, N_("Number")},
      {&Words::record_id, N_("Record")},
      {&Words::review, N_("Documents awaiting review")},
      {&Words::quarantined, N_("Quarantined inputs")},
      {&Words::runs, N_("Runs")},
      {&Words::not_digitized, N_("Still-valid results not yet digitized")},
      {&Words::review_only, N_("of which {n} await review")},
      {&Words::chart, N_("Actual vs. target")},
      {&Words::docs, N_("documents")},
      {&Words::pages, N_("pages")},
      {&Words::archived, N_("archived")},
      {&Words::none, N_("none")},
      {&Words::type, N_("Type")},
      {&Words::valid_total, N_("Still valid")},
      {&Words::digitized, N_("Digitized")},
      {&Words::registers, N_("Register books (by kind and the book's year)")},
      {&Words::register_row,
       N_("{books} books, {entries} entries: {archived} archived ({keyed} keyed by a person), {review} in "
          "review, {quarantined} quarantined; {per_day} entries/day ({days} days)")},
  };
  static const char* const kRunStates[] = {N_("running"), N_("finished"), N_("failed"), N_("interrupted")};
  const UiLang lang = report_lang == ReportLang::kVi ? UiLang::kVi : UiLang::kEn;
  Words w;
  for (const auto& [member, msgid] : kTexts) w.*member = Tr(lang, msgid);
  for (int i = 0; i < 4; ++i) w.run_states[i] = Tr(lang, kRunStates[i]);
  return w;
}

UiLang ReasonLang(ReportLang lang) { return lang == ReportLang::kVi ? UiLang::kVi : UiLang::kEn; }

std::string TypeName(const std::string& key, ReportLang lang) {
  static const std::map<std::string, const char*> kNames = {
      {"khai_sinh", N_("Birth certificate")},
      {"ket_hon", N_("Marriage certificate")},
      {"khai_tu", N_("Death extract")},
      {"tinh_trang_hon_nhan", N_("Marital-status certificate")},
  };
  auto it = kNames.find(key);
  if (it == kNames.end()) return key;
  return Tr(ReasonLang(lang), it->second);
}

std::string N(long long n) { return std::to_string(n); }

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
      return Fill(w.met_on, {{"date", t.met_on}});
    case TargetState::kMissed:
      return Fill(w.missed_by, {{"points", Fmt("%.1f", t.gap.value_or(t.target))}}) +
             (t.reached_late_on.empty() ? "" : Fill(w.reached_late, {{"date", t.reached_late_on}}));
    case TargetState::kOpen:
      break;
  }
  if (!t.forecast_date.empty()) return t.forecast_date;
  return r.pace_known ? w.unknown : w.no_history;
}

std::string PaceLine(const Report& r, const Words& w) {
  if (r.pace_known)
    return Fill(w.pace, {{"per_day", Fmt("%.1f", r.throughput_per_day)},
                         {"runs", N(r.throughput_runs)},
                         {"days", N(r.throughput_days)}});
  return Fill(w.pace_unknown, {{"runs", N(r.throughput_runs)},
                               {"days", N(r.throughput_days)},
                               {"min_runs", N(r.min_pace_runs)},
                               {"min_days", N(r.min_pace_days)}});
}

std::string FullLine(const Report& r, const Words& w) {
  const bool reached = r.overall.valid_total > 0 && r.overall.digitized >= r.overall.valid_total;
  if (reached) return Fill(w.full_reached, {{"date", r.forecast_full}});
  return Fill(w.full, {{"date", !r.forecast_full.empty() ? r.forecast_full
                                : r.pace_known           ? w.unknown
                                                         : w.no_history}});
}

// "{digitized} of {total} still-valid results digitized".
std::string OfValid(const Coverage& c, const Words& w) {
  return Fill(w.of_valid, {{"digitized", N(c.digitized)}, {"total", N(c.valid_total)}});
}

// A percentage, or what 0 of 0 means: nothing in the register is still valid.
std::string CoveragePct(const Coverage& c, const Words& w) {
  return c.valid_total == 0 ? w.no_valid : Pct(c.percent);
}

std::string RunState(const std::string& state, const Words& w) {
  static const char* const kStates[] = {"running", "finished", "failed", "interrupted"};  // ledger values
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

// A figure in `format` (one %f conversion), or "—" when it is null.
std::string OrDash(const nlohmann::json& v, const char* format) {
  return v.is_number() ? Fmt(format, v.get<double>()) : "—";
}

std::string Count(const nlohmann::json& v) { return N(static_cast<long long>(v.get<int64_t>())); }

void WriteKeyingText(const Report& r, ReportLang report_lang, std::ostream& out) {
  if (r.keying_operators.empty()) return;
  const UiLang lang = ReasonLang(report_lang);
  const nlohmann::json k = KeyingJson(r);
  out << "\n" << Tr(lang, N_("Keying, per operator")) << ":\n";
  for (const nlohmann::json& o : k["operators"]) {
    out << "  " << PadRight(Line(o["operator"].get<std::string>()), 16)
        << Fill(Tr(lang, N_("{entries} entries · {per_hour} entries/h · {keys_per_hour} keystrokes/h · "
                            "agreement {agreement} · {corrected} fields corrected after keying · "
                            "{arbitrations} arbitrations")),
                {{"entries", Count(o["entries"])},
                 {"per_hour", OrDash(o["entries_per_hour"], "%.1f")},
                 {"keys_per_hour", OrDash(o["keystrokes_per_hour"], "%.0f")},
                 {"agreement", OrDash(o["agreement_percent"], "%.1f%%")},
                 {"corrected", Count(o["corrected_fields"])},
                 {"arbitrations", Count(o["arbitrations"])}})
        << "\n";
  }
  out << "\n" << Tr(lang, N_("Keying, per field")) << ":\n";
  for (const nlohmann::json& f : k["fields"]) {
    out << "  " << PadRight(Line(f["field"].get<std::string>()), 24)
        << Fill(Tr(lang, N_("{seconds} s · agreement {agreement} ({double_keyed} double-keyed) · {corrected} "
                            "corrected")),
                {{"seconds", OrDash(f["mean_seconds"], "%.1f")},
                 {"agreement", OrDash(f["agreement_percent"], "%.1f%%")},
                 {"double_keyed", Count(f["double_keyed"])},
                 {"corrected", Count(f["corrected"])}})
        << "\n";
  }
}

}  // namespace

void WriteReportText(const Report& r, ReportLang lang, std::ostream& out) {
  const Words w = WordsIn(lang);
  out << w.title << "\n" << w.as_of << ": " << r.as_of << "\n\n";
  out << w.overall << ": " << CoveragePct(r.overall, w) << " — " << OfValid(r.overall, w) << "\n";
  if (r.archived_unmatched > 0) out << Fill(w.unmatched, {{"n", N(r.archived_unmatched)}}) << "\n";
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
          << Fill(w.register_row, {{"books", N(b.books)},
                                   {"entries", N(b.entries)},
                                   {"archived", N(b.archived)},
                                   {"keyed", N(b.keyed)},
                                   {"review", N(b.review)},
                                   {"quarantined", N(b.quarantined)},
                                   {"per_day", Fmt("%.1f", b.entries_per_day)},
                                   {"days", N(b.days)}})
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
               run.started_at.c_str(), RunState(run.state, w).c_str(), run.documents, w.docs.c_str(),
               run.archived, w.archived.c_str(), run.review, w.review_short.c_str(), run.quarantined,
               w.quarantined_short.c_str(), run.pages, w.pages.c_str());
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
  if (r.review_only > 0) out << "; " << Fill(w.review_only, {{"n", N(r.review_only)}});
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
  const Words w = WordsIn(lang);
  // Chart: x = target years, y = 0..100%. Target line + actual points/line.
  const double left = 48, right = 620, top = 20, bottom = 260;
  const size_t n = r.targets.size();
  auto x = [&](size_t i) { return n <= 1 ? (left + right) / 2 : left + (right - left) * i / (n - 1.0); };
  auto y = [&](double pct) { return bottom - (bottom - top) * std::clamp(pct, 0.0, 100.0) / 100.0; };
  std::string svg =
      Fmt("<svg id=\"chart\" viewBox=\"0 0 640 300\" role=\"img\" aria-label=\"%s\" "
          "xmlns=\"http://www.w3.org/2000/svg\">",
          w.chart.c_str());
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
            x(i) - 4, y(t.target) - 4, t.year, w.target.c_str(), Pct(t.target).c_str());
    if (t.actual) {
      svg +=
          Fmt("<circle class=\"actual-point\" data-year=\"%d\" data-value=\"%.2f\" cx=\"%.1f\" cy=\"%.1f\" "
              "r=\"5\">"
              "<title>%d %s %s</title></circle>",
              t.year, *t.actual, x(i), y(*t.actual), t.year, w.actual.c_str(), Pct(*t.actual).c_str());
    }
  }
  svg +=
      Fmt("<g class=\"legend\"><rect x=\"60\" y=\"282\" width=\"10\" height=\"10\" class=\"target-point\"/>"
          "<text x=\"76\" y=\"291\">%s</text><circle cx=\"205\" cy=\"287\" r=\"5\" class=\"actual-point\"/>"
          "<text x=\"216\" y=\"291\">%s</text></g></svg>",
          w.target.c_str(), w.actual.c_str());

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
      << Escape(OfValid(r.overall, w)) << "</p>\n";
  if (r.archived_unmatched > 0)
    out << "<p class=\"behind\">" << Escape(Fill(w.unmatched, {{"n", N(r.archived_unmatched)}})) << "</p>\n";
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
  auto coverage_table = [&](const std::string& heading, const std::string& first,
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
  auto list = [&](const std::string& heading, const std::vector<LedgerRecord>& records, int64_t total) {
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
