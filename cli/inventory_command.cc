// `sohoa inventory import --archive DIR FILE.csv`: loads the commune's
// register of issued results into the archive's ledger (pipeline/inventory/inventory.h,
// schemas/inventory.schema.json). Bad rows are listed with their line
// numbers on stderr; exit 0 when every row was imported, 3 when some were
// not, 2 when nothing could be (usage, unreadable file, bad header).
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/register_store.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/inventory/inventory.h"
#include "pipeline/ledger/ledger.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/run/inventory_rematch.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    N_("usage: sohoa inventory import --archive DIR | --ledger postgresql://… [--doctypes DIR] FILE.csv\n"
       "Imports the register of issued results (columns record_id, doc_type, number, book,\n"
       "issue_date, holder_id, valid; schema: schemas/inventory.schema.json). Re-importing\n"
       "updates rows by record_id. Bad rows are reported with their line numbers.\n"
       "Documents archived before the register was imported are then matched to it.\n");

int Import(int argc, char** argv) {
  std::string archive, csv, doctypes, ledger_flag;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa inventory import options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "doctypes", po::value(&doctypes), N_("document-type folder (default: schemas/doctypes)"))(
      "file", po::value(&csv)->required(), N_("register CSV"))("ui-lang", po::value<std::string>(),
                                                               kUiLangText)("help,h", kHelpText);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(d).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang, kUsage);
      return kExitOk;
    }
    po::notify(vm);
    if (const std::string problem = UiLangProblem(vm, lang); !problem.empty()) {
      std::cerr << "sohoa inventory import: " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa inventory import: " << OptionError(e, lang) << "\n" << Tr(lang, kUsage);
    return kExitUsage;
  }
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(doctypes.empty() ? DefaultDocTypesDir() : doctypes);
  if (!catalog.ok()) {
    std::cerr << "sohoa inventory import: " << ErrorInLang(catalog.status().message(), lang) << "\n";
    return kExitUsage;
  }
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (location.empty() && archive.empty()) {
    std::cerr << "sohoa inventory import: "
              << Tr(lang, N_("--archive (or --ledger postgresql://…) is required")) << "\n"
              << Tr(lang, kUsage);
    return kExitUsage;
  }
  // The register may come before the first run, so importing into a new
  // archive folder creates its ledger.
  if (location.empty()) {
    Status made = MakeDirectories(archive);
    if (!made.ok()) {
      std::cerr << "sohoa inventory import: " << ErrorInLang(made.message(), lang) << "\n";
      return kExitUsage;
    }
  }
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kCreate);
  if (!ledger.ok()) {
    std::cerr << "sohoa inventory import: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<std::string> bytes = ReadInventoryFile(csv);
  StatusOr<InventoryImportReport> report =
      bytes.ok() ? ImportInventoryBytes(**ledger, *bytes, csv, *catalog) : bytes.status();
  if (!report.ok()) {
    std::cerr << "sohoa inventory import: " << ErrorInLang(report.status().message(), lang) << "\n";
    return kExitUsage;
  }
  // The register is an input: kept in the archive so a lost ledger can be
  // rebuilt with it (issue 26, pipeline/archive/register_store.h).
  if (!archive.empty()) {
    StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(archive);
    StatusOr<std::string> kept =
        store.ok() ? KeepRegister(**store, *bytes, NowUnixSeconds()) : store.status();
    if (!kept.ok()) {
      std::cerr << "sohoa inventory import: "
                << Fill(Tr(lang, N_("imported, but the register could not be kept in the archive: {cause}")),
                        {{"cause", ErrorInLang(kept.status().message(), lang)}})
                << "\n";
      return kExitUsage;
    }
    std::cout << Fill(Tr(lang, N_("inventory: register kept as {file}")), {{"file", *kept}}) << "\n";
  } else {
    std::cerr << "sohoa inventory import: "
              << Tr(lang,
                    N_("no --archive: the register is not kept in an archive (a rebuilt ledger will not "
                       "have it)"))
              << "\n";
  }
  for (const InventoryRowError& e : report->parsed.errors) {
    std::cerr << EscapeForLog(csv) << ":" << e.line << ": " << EscapeForLog(ErrorInLang(e.message, lang))
              << "\n";
  }
  const InventoryImportCounts& c = report->counts;
  const long rows = static_cast<long>(report->parsed.rows);
  std::cout << Fill(TrN(lang,
                        "inventory: {n} row: {added} added, {updated} updated, {unchanged} unchanged, "
                        "{rejected} rejected",
                        "inventory: {n} rows: {added} added, {updated} updated, {unchanged} unchanged, "
                        "{rejected} rejected",
                        rows),
                    {{"n", std::to_string(rows)},
                     {"added", std::to_string(c.inserted)},
                     {"updated", std::to_string(c.updated)},
                     {"unchanged", std::to_string(c.unchanged)},
                     {"rejected", std::to_string(report->parsed.errors.size())}})
            << "\n";
  // Documents archived while the register was missing or partial.
  StatusOr<RematchCounts> rematch = RematchUnlinkedInputs(**ledger);
  if (!rematch.ok()) {
    std::cerr << "sohoa inventory import: " << ErrorInLang(rematch.status().message(), lang) << "\n";
    return kExitAttention;
  }
  if (rematch->examined > 0) {
    const long examined = static_cast<long>(rematch->examined);
    std::cout
        << Fill(TrN(lang,
                    "inventory: {n} archived document had no record: {matched} now matched ({released} of "
                    "them leave review), {to_review} sent to review (no confirming row)",
                    "inventory: {n} archived documents had no record: {matched} now matched ({released} of "
                    "them leave review), {to_review} sent to review (no confirming row)",
                    examined),
                {{"n", std::to_string(examined)},
                 {"matched", std::to_string(rematch->matched)},
                 {"released", std::to_string(rematch->released)},
                 {"to_review", std::to_string(rematch->to_review)}})
        << "\n";
  }
  return report->parsed.errors.empty() ? kExitOk : kExitAttention;
}

}  // namespace

int InventoryMain(int argc, char** argv) {
  const UiLang lang = CommandLang(argc, argv);
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << Tr(lang, kUsage);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  if (std::string(argv[1]) == "import") return Import(argc - 1, argv + 1);
  std::cerr << "sohoa inventory: " << Fill(Tr(lang, N_("unknown action '{action}'")), {{"action", argv[1]}})
            << "\n"
            << Tr(lang, kUsage);
  return kExitUsage;
}

}  // namespace sohoa::cli
