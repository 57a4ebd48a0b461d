// `sohoa find --holder ID | --name "…" [--birth-date D] [--type T]
// --purpose "…" [--format text|json]`: a citizen's digitized results, every
// search recorded in the ledger's access log (pipeline/report/find.h).
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/find.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int FindMain(int argc, char** argv) {
  std::string archive, ledger_flag, format = "text";
  FindRequest request;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa find options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "holder", po::value(&request.holder_id), N_("the holder's personal ID (or organisation code)"))(
      "name", po::value(&request.name), N_("a person's full name; case and accents do not matter"))(
      "birth-date", po::value(&request.birth_date), N_("with --name: YYYY-MM-DD or DD/MM/YYYY"))(
      "type", po::value(&request.doc_type), N_("only this document type (khai_sinh, ket_hon, ...)"))(
      "purpose", po::value(&request.purpose), N_("why you are looking (required; kept in the access log)"))(
      "limit", po::value(&request.limit)->default_value(100), N_("at most this many records (1-1000)"))(
      "format", po::value(&format)->default_value("text"), N_("text or json"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  auto usage = [&](std::ostream& out) {
    out << Tr(lang, N_("usage: sohoa find (--holder ID | --name \"NAME\" [--birth-date D]) [--type T] "
                       "--purpose \"WHY\"\n"
                       "                  --archive DIR | --ledger postgresql://…\n\n"
                       "A citizen's archived and in-review records: type, result code, register number and\n"
                       "book, dates, status and the current PDF. Every search is recorded in the ledger's\n"
                       "access log (who, when, purpose, kind of query, records shown; not the values "
                       "searched).\n\n"))
        << OptionTable(d);
  };
  po::variables_map vm;
  if (const std::optional<int> ended = ParseCommandLine(argc, argv, d, "sohoa find", lang, usage, &vm))
    return *ended;
  if (format != "text" && format != "json") {
    std::cerr << "sohoa find: " << Tr(lang, N_("--format must be text or json")) << "\n";
    return kExitUsage;
  }
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && !IsSharedLedger(location)) {
    std::cerr << "sohoa find: " << Tr(lang, N_("--archive (or --ledger postgresql://…) is required")) << "\n";
    return kExitUsage;
  }
  request.who = OsUser();
  request.via = "cli";
  // Checked before the ledger is opened, so a search without a purpose
  // touches nothing.
  if (request.purpose.find_first_not_of(" \t\r\n") == std::string::npos) {
    std::cerr
        << "sohoa find: "
        << Tr(lang,
              N_("--purpose is required: every search of personal data is recorded with why it was made"))
        << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kRead);
  if (!ledger.ok()) {
    std::cerr << "sohoa find: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<FindResult> found = FindCitizenRecords(**ledger, request);
  if (!found.ok()) {
    std::cerr << "sohoa find: " << ErrorInLang(found.status().message(), lang) << "\n";
    return kExitUsage;
  }
  if (format == "json")
    WriteFindJson(*found, std::cout);
  else
    WriteFindText(*found, lang, std::cout);
  return kExitOk;
}

}  // namespace sohoa::cli
