// `sohoa report`: how far the commune is toward its digitization targets,
// computed from the backlog inventory, the documents matched to it, and the
// runs — the figures an auditor checks, with their definitions here.
//
// Definitions (domain.md; no official formula exists, this is the natural one):
//  - A record is *still valid on day D* when it was issued on or before D, is
//    not revoked (`valid`), and, if it expires, D is before `expires_on`
//    (a marital-status certificate: issue date + 6 months).
//  - A record is *digitized on day D* when a document matched to it reached
//    the status "archived" on or before D. Documents in review do not count
//    (a person has not accepted them yet); several documents matched to one
//    record count it once.
//  - percent(D) = digitized-and-still-valid(D) ÷ still-valid(D) × 100,
//    overall, per document type and per year of issue.
//  - Target of year Y is judged on min(Dec 31 of Y, as_of); the gap is
//    target − actual in points (positive = behind).
//  - A target whose judging day has passed (Dec 31 of Y < as_of) is *met*
//    (on the first day of Y or before that the percentage reached it) or
//    *missed* (by its gap, with the day it was reached late, if it was);
//    one not yet judged is *met* once reached, else *open*.
//  - Pace: documents archived by the last `forecast_runs` runs up to as_of
//    (the runs' own counts), per calendar day from the first of those runs
//    to as_of. It is *known* only from at least `min_pace_runs` runs over at
//    least `min_pace_days` days (default 3 runs, 7 days): one quick run says
//    nothing about a campaign's pace.
//  - Forecast, for open targets only and only with a known pace: as_of +
//    ceil(records still needed ÷ pace) days, holding the still-valid total
//    at its as_of value. A past target gets no forecast.
//
// Data sources: ComputeReport takes plain values so it can be tested on a
// hand-made inventory (and serves the interim CSV inputs). ComputeLedgerReport
// (report_input.cc) streams the ledger's register and matches through the
// same ReportBuilder, in memory independent of the ledger's size (issue 22).
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// Dates are "YYYY-MM-DD" strings throughout (they sort as dates).

struct InventoryItem {
  std::string record_id;
  std::string doc_type;  // "khai_sinh", ...
  std::string number;    // số / ký hiệu as registered (for the planning list)
  std::string issue_date;
  bool valid = true;                      // false: revoked or otherwise no longer in force
  std::optional<std::string> expires_on;  // first day it is no longer valid
};

struct DigitizedMatch {
  std::string record_id;
  std::string sha256;  // the document's input hash
  std::string status;  // "archived" or "review"
  std::string date;    // day of that status (ledger updated_at)
};

struct Target {
  int year = 0;
  double percent = 0;
};
std::vector<Target> DefaultTargets();  // 2021 15, 2022 35, 2023 55, 2024 75, 2025 100
// "2021:15,2022:35,..." -> targets; kConfiguration on a malformed list.
StatusOr<std::vector<Target>> ParseTargets(const std::string& text);

struct ReportInput {
  std::string as_of;
  std::vector<InventoryItem> inventory;
  std::vector<DigitizedMatch> matches;
  std::vector<RunRecord> runs;
  std::vector<LedgerRecord> attention;  // review + quarantined ledger records
  std::vector<Target> targets = DefaultTargets();
  int forecast_runs = 10;
  // The least history a pace is measured from (see "Pace" above).
  int min_pace_runs = 3;
  int min_pace_days = 7;
  // The lists (not digitized, review, quarantined) keep their first this
  // many entries; their totals are counted in full.
  int64_t list_limit = 1000;
  // Attention lists loaded capped: their full sizes (LoadLedgerFacts).
  // -1 = attention.size() of that status.
  int64_t review_total = -1, quarantined_total = -1;
};

struct Coverage {
  int valid_total = 0;
  int digitized = 0;
  double percent = 0;  // 0 when valid_total is 0: the renderers say "none still valid", not 0%
};

enum class TargetState {
  kMet,     // reached on or before its judging day (met_on)
  kMissed,  // its judging day (Dec 31) has passed below the target (gap)
  kOpen,    // not judged yet and not reached yet
};
const char* TargetStateName(TargetState state);  // "met", "missed", "open"

struct TargetRow {
  int year = 0;
  double target = 0;
  std::string judged_on;         // the day `actual` is computed for
  std::optional<double> actual;  // empty for a year that has not started
  std::optional<double> gap;     // target − actual, points
  TargetState state = TargetState::kOpen;
  bool met = false;             // state == kMet
  std::string met_on;           // kMet: the first day the target was reached
  std::string reached_late_on;  // kMissed: the first day after judged_on it was reached ("" not yet)
  std::string forecast_date;    // kOpen with a known pace: the day it would be reached
};

struct RunRow {
  std::string run_id, started_at, state;
  int documents = 0, archived = 0, review = 0, quarantined = 0, pages = 0;
  double wall_seconds = 0;
};

// Register books (issue 17), one row per register kind and year: the year
// is the YYYY of the book's quyển số ("01/2018"), else the book's year_from,
// else 0 (unknown). Counted from the ledger's book and entry records (the
// contract in README "Register books").
struct RegisterBookRow {
  int64_t books = 0;    // book records (scanned books, whatever became of them)
  int64_t entries = 0;  // entry records found in those books
  int64_t archived = 0, review = 0, quarantined = 0;
  int64_t keyed = 0;  // archived after a person confirmed them in the review station
  // Pace: entries ÷ the distinct days (UTC) their current outcome was
  // recorded on (a working day of the campaign counts, an idle day not).
  int64_t days = 0;
  double entries_per_day = 0;
  std::string first_day, last_day;  // "" when no entry
};

// The keying station's figures (issue 18), from the "keying" the station
// keeps with each confirmation (pipeline/review/double_keying.h): per
// operator account and per field, aggregates only — never a value typed.
//  - entries: keyings made (a single keying, or either of a double's two);
//    entries and keystrokes per hour are over the keyings the browser timed
//    (keystrokes / seconds × 3600), null without any;
//  - time per field: the mean seconds a field's input had the focus;
//  - agreement: of the fields of their double keyings, the share the other
//    keyer typed alike; corrections after keying: fields whose final value
//    (the arbiter's) differs from what this operator keyed;
//  - arbitrations: entries this operator settled as arbiter.
struct OperatorKeyingRow {
  int64_t entries = 0, timed_entries = 0, counted_entries = 0;
  int64_t keystrokes = 0;  // over counted_entries
  double seconds = 0;      // over timed_entries
  int64_t double_fields = 0, agreed_fields = 0, corrected_fields = 0;
  int64_t arbitrations = 0;
};
struct FieldKeyingRow {
  int64_t timed = 0;  // keyings that timed this field
  double seconds = 0;
  int64_t double_keyed = 0, agreed = 0, corrected = 0;  // keyings of it in double keying
};

struct Report {
  std::string as_of;
  Coverage overall;
  std::map<std::string, Coverage> by_type;
  std::map<int, Coverage> by_year;  // year of issue
  std::vector<TargetRow> targets;   // plus one for 100% if no target reaches it
  std::string forecast_full;        // date 100% is (or was) reached ("" unknown)
  double throughput_per_day = 0;    // over the runs and days below, whether enough or not
  int throughput_runs = 0;
  int throughput_days = 0;  // calendar days from the first of those runs to as_of
  bool pace_known = false;  // at least min_pace_runs runs over min_pace_days days
  int min_pace_runs = 0, min_pace_days = 0;
  // `report --inventory FILE`: archived documents matched to no record of
  // that register (matching happens at `sohoa inventory import`); -1 when
  // the register is the imported one.
  int64_t archived_unmatched = -1;
  std::vector<RunRow> runs;
  std::vector<LedgerRecord> review, quarantined;
  int64_t review_total = 0, quarantined_total = 0;  // the lists above keep the first list_limit
  std::vector<InventoryItem> not_digitized;  // still valid on as_of, no archived match: the first list_limit
  int64_t not_digitized_total = 0;
  int review_only = 0;  // valid records whose only match is in review
  std::map<std::pair<std::string, int>, RegisterBookRow> registers;  // (kind, year)
  std::map<std::string, OperatorKeyingRow> keying_operators;  // account name ->
  std::map<std::string, FieldKeyingRow> keying_fields;        // field key ->
};

// What one register record's coverage depends on (issue 22); dates are days
// since 1970-01-01.
struct RecordCoverage {
  std::string_view doc_type;
  int64_t issued = 0;
  int year = 0;                      // of issue
  std::optional<int64_t> expires;    // first day no longer valid (types with a validity period)
  bool valid = true;                 // false: revoked
  std::optional<int64_t> digitized;  // first day an archived match exists
  bool in_review = false;            // a match awaits review
};

// Builds a report one register record at a time (issue 22), in memory
// bounded by the number of distinct days, types and years of issue — not by
// the size of the register: coverage on any day comes from per-day counts
// of records becoming valid, digitized and no longer valid.
class ReportBuilder {
 public:
  // kInvalidInput on a malformed as-of date.
  static StatusOr<ReportBuilder> Start(const ReportInput& settings);
  // One register record with the inputs matched to it (several documents
  // of one record count it once; statuses other than archived and review
  // are ignored). kInvalidInput on a malformed date, naming the record.
  Status Add(const InventoryItem& item, const std::vector<DigitizedMatch>& matches);
  // Counts one record. True when it belongs on the list of records not yet
  // digitized and the list has room: the caller then hands its entry to
  // ListNotDigitized (built only then — most records never need one).
  bool Count(const RecordCoverage& record);
  void ListNotDigitized(InventoryItem item) { report_.not_digitized.push_back(std::move(item)); }
  // Coverage, targets and forecasts, with `input`'s runs and attention lists.
  StatusOr<Report> Finish(const ReportInput& input);

 private:
  struct DayDelta {
    int64_t valid = 0;      // records that become valid (+) or stop being valid (-) that day
    int64_t digitized = 0;  // the same for records valid and digitized
  };
  ReportBuilder() = default;
  Coverage CoverageOn(int64_t day) const;  // after Finish has summed the deltas

  int64_t as_of_ = 0;
  int64_t list_limit_ = 0;
  Report report_;
  // Hash tables while counting (one lookup per record); sorted by Finish.
  std::unordered_map<int64_t, DayDelta> deltas_;
  std::vector<std::pair<int64_t, DayDelta>> running_;  // prefix sums of deltas_, by day
  std::unordered_set<int64_t> digitized_days_;         // days a record's first archived match came
  std::string last_type_;                              // the type the last record counted into
  Coverage* last_type_coverage_ = nullptr;
};

// kInvalidInput on a malformed date in the input (naming the record) or a
// record that appears twice.
StatusOr<Report> ComputeReport(const ReportInput& input);

// Loads the runs and the first list_limit review/quarantined records (with
// their totals) from `ledger`.
Status LoadLedgerFacts(Ledger& ledger, ReportInput* input);

// The report of the register imported into `ledger` and the inputs the
// pipeline matched to it, streamed (Ledger::ForEachRegisterCoverage) through a
// ReportBuilder: the same figures as ComputeReport on LoadInventoryFromLedger
// and LoadMatchesFromLedger, in memory independent of the ledger's size.
// `input` gives as_of, targets, forecast_runs, list_limit (runs and attention
// are loaded here). kNotFound when the ledger holds no register.
StatusOr<Report> ComputeLedgerReport(Ledger& ledger, const std::map<std::string, int>& validity_months,
                                     ReportInput input);

// Fills report->registers from the ledger's register book and entry records,
// streamed (ForEachRecord): memory grows with the books and days, not with
// the entries (report_books.cc).
Status CountRegisterBooks(Ledger& ledger, Report* report);

// Fills report->keying_operators and keying_fields from the confirmations'
// "keying" in the ledger, streamed (report_keying.cc).
Status CountKeying(Ledger& ledger, Report* report);

// Interim loading (report_input.cc), until the ledger holds the inventory
// and the document<->record matches (issue 3):
// - the commune register as CSV with a header naming at least record_id,
//   doc_type, issue_date, valid (number optional) — the format of the sample
//   generator's inventory.csv. For a type with a validity period in
//   `validity_months` ("tinh_trang_hon_nhan" -> 6), expires_on = issue date +
//   months and the CSV's `valid` (a snapshot taken on some day) is ignored;
//   for other types `valid` = false means revoked.
StatusOr<std::vector<InventoryItem>> LoadInventoryCsv(const std::string& path,
                                                      const std::map<std::string, int>& validity_months);
// - "record_id,source" pairs (header first), source = an input path as the
//   ledger records it; each is resolved to that document's status and date.
//   Sources unknown to the ledger are skipped (not digitized).
StatusOr<std::vector<DigitizedMatch>> LoadMatchesCsv(const std::string& path, Ledger& ledger);
// The matches the pipeline recorded: every archived/review ledger record
// whose details carry metadata "record_id" (set by the inventory match
// stage, pipeline/inventory/inventory_match.h).
StatusOr<std::vector<DigitizedMatch>> LoadMatchesFromLedger(Ledger& ledger);

// The register imported with `sohoa inventory import`, with each type's
// validity period (doc-type catalog's validity.months; 0 = until revoked)
// turned into an expiry date.
StatusOr<std::vector<InventoryItem>> LoadInventoryFromLedger(
    Ledger& ledger, const std::map<std::string, int>& validity_months);
// One register row as the report lists it (number "số / quyển", expiry).
InventoryItem ReportItemOf(const InventoryRecord& record, const std::map<std::string, int>& validity_months);

enum class ReportLang { kVi, kEn };
void WriteReportText(const Report& report, ReportLang lang, std::ostream& out);
void WriteReportJson(const Report& report, std::ostream& out);  // schemas/report.schema.json
void WriteReportCsv(const Report& report, std::ostream& out);
// One self-contained page (inline CSS and SVG, no scripts, no network).
void WriteReportHtml(const Report& report, ReportLang lang, std::ostream& out);

// Date helpers (proleptic Gregorian): days since 1970-01-01; false if
// malformed. `date` may go on after its ten characters ("…T20:00:00Z").
bool ParseReportDate(std::string_view date, int64_t* days, int* year = nullptr);
std::string FormatReportDate(int64_t days);
// Adds months, clamping the day (2021-08-31 + 6 months = 2022-02-28).
std::string ReportAddMonths(const std::string& date, int months);
int64_t ReportAddMonths(int64_t days, int months);

}  // namespace sohoa
