// `sohoa reseal --archive DIR --trust-store FILE|DIR --tsa URL [--before DATE]`
// (issue 21, PAdES B-LTA): a new DSS and archive time-stamp for every
// archived document whose sealing time-stamp certificate ends before DATE,
// each as a new version in a new bag (pipeline/archive/reseal.h).
#include <boost/program_options.hpp>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/signing_options.h"
#include "cli/ui_text.h"
#include "pipeline/archive/reseal.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"
#include "stages/signing/pdf_long_term.h"

namespace sohoa::cli {
namespace po = boost::program_options;
namespace {

// "YYYY-MM-DD" as 00:00 UTC that day; false when not a real date.
bool ParseDay(const std::string& text, int64_t* unix_seconds) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  if (text.size() != 10 || end == nullptr || *end != '\0') return false;
  const int day = tm.tm_mday, month = tm.tm_mon;
  const time_t t = timegm(&tm);  // normalises 2027-02-30 to March: refused below
  std::tm back{};
  gmtime_r(&t, &back);
  if (back.tm_mday != day || back.tm_mon != month) return false;
  *unix_seconds = static_cast<int64_t>(t);
  return true;
}

}  // namespace

int ResealMain(int argc, char** argv) {
  RunOptions o;  // --tsa and --tsa-trust, as `sohoa run` takes them
  std::string archive, ledger_flag, trust_store, before_text, config;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa reseal options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger the archive was written with: postgresql://… (or SOHOA_LEDGER); default its ledger.sqlite"))(
      "before", po::value(&before_text),
      N_("YYYY-MM-DD: reseal the documents whose sealing time-stamp certificate ends before this day "
         "(default: one year from now)"))(
      "trust-store", po::value(&trust_store),
      N_("PEM file or folder of the CA certificates (and CRLs) the signatures and time-stamps chain to, as "
         "for sohoa verify"))("operator", po::value(&o.operator_name),
                              N_("named in each new bag's bag-info.txt"))(
      "config", po::value(&config), N_("INI file of `sohoa run` options; reseal takes tsa and tsa-trust"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  d.add(DescribeTsaOptions(&o, lang));
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout
          << Tr(lang,
                N_("usage: sohoa reseal --archive DIR --trust-store FILE|DIR --tsa URL [--before "
                   "YYYY-MM-DD]\n"
                   "Adds a new DSS and archive time-stamp to every archived document whose newest\n"
                   "time-stamp certificate ends before the day given, each as a new version in a new bag\n"
                   "(the old one kept). A second run with the same day does nothing.\n"
                   "Exit codes: 0 every due document resealed (or none due), 3 some could not be\n"
                   "(each named with the cause, left as it was), 2 usage or configuration.\n\n"))
          << OptionTable(d);
      return kExitOk;
    }
    if (vm.count("config")) {
      if (const std::string problem =
              StoreConfigFile(vm["config"].as<std::string>(), d, /*allow_unregistered=*/true, &vm, lang);
          !problem.empty()) {
        std::cerr << "sohoa reseal: " << problem << "\n";
        return kExitUsage;
      }
    }
    po::notify(vm);
    if (const std::string problem = UiLangProblem(vm, lang); !problem.empty()) {
      std::cerr << "sohoa reseal: " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa reseal: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  int64_t before = NowUnixSeconds() + 365 * 86400;
  std::string problem;
  if (archive.empty())
    problem = Tr(lang, N_("--archive is required"));
  else if (trust_store.empty())
    problem =
        Tr(lang, N_("--trust-store is required (the time-stamps' certificates are read from their chains)"));
  else if (o.tsa.empty())
    problem = Tr(lang, N_("--tsa is required (the authority that signs the new archive time-stamps)"));
  else if (!before_text.empty() && !ParseDay(before_text, &before))
    problem =
        Fill(Tr(lang, N_("--before must be a day, YYYY-MM-DD (got '{value}')")), {{"value", before_text}});
  if (!problem.empty()) {
    std::cerr << "sohoa reseal: " << problem << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<SignatureChecker>> checker = NewPdfSignatureChecker(trust_store);
  if (!checker.ok()) {
    std::cerr << "sohoa reseal: " << ErrorInLang(checker.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<TsaOptions> loaded_tsa = TsaOptionsFrom(o);
  if (!loaded_tsa.ok()) {
    std::cerr << "sohoa reseal: " << ErrorInLang(loaded_tsa.status().message(), lang) << "\n";
    return kExitUsage;
  }
  const TsaOptions tsa = *loaded_tsa;
  StatusOr<std::unique_ptr<Ledger>> ledger =
      OpenLedger(ResolveLedgerLocation(ledger_flag), archive, LedgerAccess::kExisting);
  if (!ledger.ok()) {
    std::cerr << "sohoa reseal: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  ResealOptions options;
  options.archive_dir = archive;
  options.ledger = ledger->get();
  options.checker = checker->get();
  options.before = before;
  options.operator_name = o.operator_name;
  options.resealer = [tsa](const std::string& pdf, const std::vector<std::string>& answer_for) {
    // A field name new in the file: one archive time-stamp per reseal.
    return AddLongTermRevisions(pdf, answer_for, "ArchiveTimeStamp" + std::to_string(NowUnixSeconds()), tsa,
                                RevocationFetchOptions{}, 20480);
  };
  StatusOr<ResealReport> report = ResealArchive(options);
  if (!report.ok()) {
    std::cerr << "sohoa reseal: " << ErrorInLang(report.status().message(), lang) << "\n";
    return kExitUsage;
  }
  for (const ResealedDocument& r : report->resealed) {
    std::cout << Fill(Tr(lang,
                         N_("RESEALED  {pdf}  (was {old_pdf}, sealed by {old_tsa} until {old_until}; now "
                            "by {new_tsa} until {new_until})")),
                      {{"pdf", r.new_pdf},
                       {"old_pdf", r.old_pdf},
                       {"old_tsa", r.old_tsa},
                       {"old_until", UtcTime(r.old_not_after)},
                       {"new_tsa", r.new_tsa},
                       {"new_until", UtcTime(r.new_not_after)}})
              << "\n";
  }
  // The cause is the signature check's or the time-stamp authority's own words.
  for (const ResealFailure& f : report->failed) {
    std::cout << Fill(Tr(lang, N_("FAILED    {pdf}  {cause}")),
                      {{"pdf", f.pdf.empty() ? f.sha256 : f.pdf}, {"cause", ErrorInLang(f.cause, lang)}})
              << "\n";
  }
  const long examined = static_cast<long>(report->examined);
  std::cout
      << Fill(
             TrN(lang,
                 "reseal before {day}: {n} archived document examined — {resealed} resealed, {failed} could "
                 "not be, {not_due} sealed past that day, {not_timestamped} without a time-stamp to renew; "
                 "{in_review} in review left for the review station",
                 "reseal before {day}: {n} archived documents examined — {resealed} resealed, {failed} could "
                 "not be, {not_due} sealed past that day, {not_timestamped} without a time-stamp to renew; "
                 "{in_review} in review left for the review station",
                 examined),
             {{"day", UtcTime(before).substr(0, 10)},
              {"n", std::to_string(examined)},
              {"resealed", std::to_string(report->resealed.size())},
              {"failed", std::to_string(report->failed.size())},
              {"not_due", std::to_string(report->not_due)},
              {"not_timestamped", std::to_string(report->not_timestamped)},
              {"in_review", std::to_string(report->in_review)}})
      << "\n";
  return report->failed.empty() ? kExitOk : kExitAttention;
}

}  // namespace sohoa::cli
