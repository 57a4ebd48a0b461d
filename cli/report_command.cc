// `sohoa report --archive DIR [--as-of DATE] [--format text|json|csv|html]
// [--ui-lang vi|en]`: progress toward the digitization targets (pipeline/report/report.h).
#include <boost/program_options.hpp>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/messages.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/export.h"
#include "pipeline/report/report.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int ReportMain(int argc, char** argv) {
  std::string archive, ledger_flag, as_of, format = "text", lang_name, targets, inventory, matches, doctypes;
  int forecast_runs = 10;
  int64_t list_limit = 1000;
  UiLang lang = CommandLang(argc, argv, /*lang_is_ui_lang=*/true);
  po::options_description d(Tr(lang, N_("sohoa report options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "as-of", po::value(&as_of), N_("day the figures are for, YYYY-MM-DD (default: today, UTC)"))(
      "format", po::value(&format)->default_value("text"),
      N_("text, json (schemas/report.schema.json), csv or html"))(
      "ui-lang", po::value(&lang_name), N_("language of the report and messages: vi (default) or en"))(
      "lang", po::value<std::string>(), N_("older name of --ui-lang"))(
      "targets", po::value(&targets)->default_value("2021:15,2022:35,2023:55,2024:75,2025:100"),
      N_("yearly targets, YEAR:PERCENT list"))("forecast-runs", po::value(&forecast_runs)->default_value(10),
                                               N_("runs whose throughput the forecast uses"))(
      "inventory", po::value(&inventory),
      N_("the commune register as CSV, instead of the one imported with `sohoa inventory import`; documents "
         "are matched to a register only when it is imported, so archived documents count only through "
         "--matches (the report says how many match none of its records)"))(
      "doctypes", po::value(&doctypes),
      N_("document-type folder for validity periods (default: schemas/doctypes)"))(
      "matches", po::value(&matches),
      N_("CSV record_id,source linking register rows to input paths (default: the matches the ledger "
         "recorded)"))("list-limit", po::value(&list_limit)->default_value(1000),
                       N_("records listed as not digitized, awaiting review and quarantined (their totals "
                          "are always counted)"))("help,h", kHelpText);
  auto usage = [&](std::ostream& out) {
    out << CommandHelp(lang,
                       N_("usage: sohoa report --archive DIR | --ledger postgresql://… [options]\n\n"
                 "Share of still-valid results digitized (overall, per type, per year of issue) as of a\n"
                 "date, beside the yearly targets, with forecasts, review/quarantine lists, runs, and the\n"
                 "register rows not yet digitized. Review documents do not count as digitized.\n"
                 "Register books: per kind and year, books scanned, entries found, archived / in review /\n"
                 "keyed by a person, and the pace in entries a day.\n\n"),
                       d, N_("Exit codes: 0 report written, 2 usage error or unreadable archive/inventory."));
  };
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    po::notify(vm);
    if (vm.count("lang") && lang_name.empty()) lang_name = vm["lang"].as<std::string>();
  } catch (const po::error& e) {
    std::cerr << "sohoa report: " << OptionError(e, lang) << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  if (vm.count("help")) {
    usage(std::cout);
    return kExitOk;
  }
  if (as_of.empty()) as_of = NowUtcIso8601().substr(0, 10);
  std::string problem;
  int64_t day;
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && !IsSharedLedger(location))
    problem = Tr(lang, N_("--archive (or --ledger postgresql://…) is required"));
  else if (!ParseReportDate(as_of, &day))
    problem = Tr(lang, N_("--as-of must be YYYY-MM-DD"));
  else if (format != "text" && format != "json" && format != "csv" && format != "html")
    problem = Tr(lang, N_("--format must be text, json, csv or html"));
  else if (!lang_name.empty() && !ParseUiLang(lang_name, &lang))
    problem = Tr(lang, N_("--ui-lang must be vi or en"));
  else if (list_limit < 0)
    problem = Tr(lang, N_("--list-limit must be 0 or more"));
  StatusOr<std::vector<Target>> parsed_targets = ParseTargets(targets);
  if (problem.empty() && !parsed_targets.ok()) problem = ErrorInLang(parsed_targets.status().message(), lang);
  if (!problem.empty()) {
    std::cerr << "sohoa report: " << problem << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  auto fail = [lang](const Status& s) {
    std::cerr << "sohoa report: " << ErrorInLang(s.message(), lang) << "\n";
    return kExitUsage;
  };
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kRead);
  if (!ledger.ok()) return fail(ledger.status());
  ReportInput input;
  input.as_of = as_of;
  input.targets = *parsed_targets;
  input.forecast_runs = forecast_runs;
  // Validity periods come from the doc-type catalog (e.g. a marital-status
  // certificate: 6 months), so a new type needs no code here either.
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(doctypes.empty() ? DefaultDocTypesDir() : doctypes);
  if (!catalog.ok()) return fail(catalog.status());
  std::map<std::string, int> validity_months;
  for (const DocTypeSpec& type : catalog->types()) validity_months[type.key] = type.validity.months;
  input.list_limit = list_limit;
  const Status no_register = Status::NotFound(Fill(
      Tr(lang, N_("the archive has no register of issued results: import it with `sohoa inventory import "
                  "--archive {archive} FILE.csv` (or pass --inventory)")),
      {{"archive", archive.empty() ? std::string("DIR") : archive}}));
  // The interim CSV inputs (a commune's own files) are loaded whole.
  auto from_files = [&]() -> StatusOr<Report> {
    StatusOr<std::vector<InventoryItem>> items = inventory.empty()
                                                     ? LoadInventoryFromLedger(**ledger, validity_months)
                                                     : LoadInventoryCsv(inventory, validity_months);
    if (!items.ok()) return items.status();
    if (items->empty()) return no_register;
    input.inventory = std::move(*items);
    StatusOr<std::vector<DigitizedMatch>> found =
        matches.empty() ? LoadMatchesFromLedger(**ledger) : LoadMatchesCsv(matches, **ledger);
    if (!found.ok()) return found.status();
    input.matches = std::move(*found);
    SOHOA_RETURN_IF_ERROR(LoadLedgerFacts(**ledger, &input));
    StatusOr<Report> computed = ComputeReport(input);
    if (computed.ok() && !inventory.empty() && matches.empty()) {
      // Matching happens at `sohoa inventory import`: say how many archived
      // documents this file's records leave unmatched rather than show 0%
      // beside them without a word.
      StatusOr<LedgerSummary> summary = (*ledger)->Summarize();
      if (!summary.ok()) return summary.status();
      std::set<std::string> records, matched;
      for (const InventoryItem& item : input.inventory) records.insert(item.record_id);
      for (const DigitizedMatch& m : input.matches)
        if (m.status == "archived" && records.count(m.record_id)) matched.insert(m.sha256);
      auto archived = summary->documents.find("archived");
      const int64_t total = archived == summary->documents.end() ? 0 : archived->second;
      computed->archived_unmatched = std::max<int64_t>(0, total - static_cast<int64_t>(matched.size()));
    }
    return computed;
  };
  const bool in_ledger = inventory.empty() && matches.empty();
  // The register and the matches in the ledger: aggregated from a cursor,
  // in memory independent of the ledger's size (issue 22).
  StatusOr<Report> report = in_ledger ? ComputeLedgerReport(**ledger, validity_months, input) : from_files();
  // Register books (issue 17) are counted whether or not a register of
  // issued results was imported: a commune whose backlog is its books gets
  // their figures, with a coverage of 0 of 0 until a register is imported.
  Report books;
  if (Status counted = CountRegisterBooks(**ledger, &books); !counted.ok()) return fail(counted);
  if (in_ledger && !report.ok() && report.status().code() == StatusCode::kNotFound) {
    if (books.registers.empty()) return fail(no_register);
    if (Status loaded = LoadLedgerFacts(**ledger, &input); !loaded.ok()) return fail(loaded);
    report = ComputeReport(input);
  }
  if (!report.ok()) return fail(report.status());
  report->registers = std::move(books.registers);
  if (Status keyed = CountKeying(**ledger, &*report); !keyed.ok()) return fail(keyed);
  const ReportLang language = lang == UiLang::kEn ? ReportLang::kEn : ReportLang::kVi;
  if (format == "json")
    WriteReportJson(*report, std::cout);
  else if (format == "csv")
    WriteReportCsv(*report, std::cout);
  else if (format == "html")
    WriteReportHtml(*report, language, std::cout);
  else
    WriteReportText(*report, language, std::cout);
  return kExitOk;
}

}  // namespace sohoa::cli
