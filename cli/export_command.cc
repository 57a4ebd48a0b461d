// `sohoa export --archive DIR | --ledger URL`: the ledger as JSON Lines on stdout.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/export.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int ExportMain(int argc, char** argv) {
  std::string archive, ledger_flag;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa export options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang, N_("usage: sohoa export --archive DIR | --ledger postgresql://…\n"
                               "Prints one JSON object per input the archive's ledger knows "
                               "(schema: schemas/export.schema.json).\n"));
      return kExitOk;
    }
    po::notify(vm);
    if (const std::string problem = UiLangProblem(vm, lang); !problem.empty()) {
      std::cerr << "sohoa export: " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa export: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && !IsSharedLedger(location)) {
    std::cerr << "sohoa export: " << Tr(lang, N_("--archive (or --ledger postgresql://…) is required"))
              << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kRead);
  if (!ledger.ok()) {
    std::cerr << "sohoa export: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  Status s = ExportJsonLines(**ledger, std::cout);
  if (!s.ok()) {
    std::cerr << "sohoa export: " << ErrorInLang(s.message(), lang) << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace sohoa::cli
