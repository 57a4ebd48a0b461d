// `sohoa verify --archive DIR [--sample F] [--seed N] [--trust-store FILE|DIR]
// [--format text|json]`: is the archive intact? (pipeline/archive/verify.h)
//
// Exit codes: 0 intact; 1 problems found (each listed); 2 usage error or the
// archive could not be examined at all.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/archive/verify.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int VerifyMain(int argc, char** argv) {
  std::string archive, ledger_flag, trust_store, format = "text";
  double sample = 1.0;
  uint64_t seed = 0;
  bool no_signatures = false;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa verify options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger the archive was written with: postgresql://… (or SOHOA_LEDGER); default its ledger.sqlite"))(
      "sample", po::value(&sample)->default_value(1.0),
      N_("fraction (0, 1] of payload files to re-hash; presence, extras and the ledger are always checked in "
         "full"))("seed", po::value(&seed)->default_value(0), N_("seed of the reproducible sample"))(
      "trust-store", po::value(&trust_store),
      N_("PEM file, or folder of PEM files, of trusted certificates (and CRLs): validate every signature and "
         "time-stamp at its signing time, offline, with the file's own validation data; report each PDF's "
         "PAdES level and time-stamp certificates ending within a year (without it, signatures are checked, "
         "chains not)"))("no-signatures", po::bool_switch(&no_signatures),
                         N_("do not look at PDF signatures"))(
      "format", po::value(&format)->default_value("text"), N_("text or json"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  auto usage = [&](std::ostream& out) {
    out << CommandHelp(lang,
                       N_("usage: sohoa verify --archive DIR [options]\n\n"
                 "Re-hashes the archive's payload against every bag manifest and the ledger, checks the\n"
                 "bags, the ledger's consistency with the files and every PDF signature, and lists every\n"
                 "problem (missing, altered, extra, bad signature, ledger mismatch, bad bag) with its file\n"
                 "and bag, then a summary.\n\n"),
                       d, N_("Exit codes: 0 intact, 1 problems found, 2 usage error or archive unreadable."));
  };
  po::variables_map vm;
  if (const std::optional<int> ended = ParseCommandLine(argc, argv, d, "sohoa verify", lang, usage, &vm))
    return *ended;
  std::string problem;
  if (archive.empty())
    problem = Tr(lang, N_("--archive is required"));
  else if (!(sample > 0 && sample <= 1))
    problem = Tr(lang, N_("--sample must be a fraction in (0, 1]"));
  else if (format != "text" && format != "json")
    problem = Tr(lang, N_("--format must be text or json"));
  if (!problem.empty()) {
    std::cerr << "sohoa verify: " << problem << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  std::unique_ptr<SignatureChecker> checker;
  if (!no_signatures) {
    StatusOr<std::unique_ptr<SignatureChecker>> made = NewPdfSignatureChecker(trust_store);
    if (!made.ok()) {
      std::cerr << "sohoa verify: " << ErrorInLang(made.status().message(), lang) << "\n";
      return kExitUsage;
    }
    checker = std::move(*made);
  }
  const std::string location = ResolveLedgerLocation(ledger_flag);
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kExisting);
  if (!ledger.ok()) {
    std::cerr << "sohoa verify: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  VerifyOptions options{archive, sample, seed, checker.get(), ledger->get()};
  StatusOr<VerifyReport> report = VerifyArchive(options);
  if (!report.ok()) {
    std::cerr << "sohoa verify: " << ErrorInLang(report.status().message(), lang) << "\n";
    return kExitUsage;
  }
  if (format == "json")
    WriteVerifyJson(*report, std::cout);
  else
    WriteVerifyText(*report, std::cout, lang);
  return report->intact() ? kExitOk : kExitProblems;
}

}  // namespace sohoa::cli
