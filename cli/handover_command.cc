// `sohoa handover --archive DIR --book ID --out DIR --purpose "…"`: one
// register book's handover package, recorded in the ledger's access log
// (pipeline/report/handover.h).
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/archive/archive_store.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/handover.h"
#include "pipeline/report/register_template.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int HandoverMain(int argc, char** argv) {
  std::string archive, ledger_flag, doctypes;
  HandoverRequest request;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa handover options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive),
                     N_("archive folder (its files; and its ledger by default)"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "book", po::value(&request.book),
      N_("the book: its sha256, 12+ hex digits of it, or the path it was read from"))(
      "out", po::value(&request.out_dir), N_("folder the zip is written to (created if missing)"))(
      "purpose", po::value(&request.purpose),
      N_("why the book is handed over (required; kept in the access log)"))(
      "registers", po::value(&request.registers_dir),
      N_("import templates folder (default: schemas/registers)"))(
      "doctypes", po::value(&doctypes), N_("document-type folder (default: schemas/doctypes)"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  auto usage = [&](std::ostream& out) {
    out << CommandHelp(lang,
                       N_("usage: sohoa handover --archive DIR --book ID --out DIR --purpose \"WHY\"\n\n"
                 "One zip for the register book: a PDF/A per entry (named by book and entry number), the\n"
                 "whole book's PDF/A, and a workbook with one row per entry in the import template's "
                 "columns\n"
                 "(second sheet: the entries a person must still check or key in). Every handover is\n"
                 "recorded in the ledger's access log (who, when, purpose, the records handed over).\n\n"),
                       d, N_("Exit codes: 0 package written, 2 usage error, unknown book, missing file or unwritable "
                 "--out."));
  };
  po::variables_map vm;
  if (const std::optional<int> ended = ParseCommandLine(argc, argv, d, "sohoa handover", lang, usage, &vm))
    return *ended;
  std::string problem;
  if (archive.empty())
    problem = Tr(lang, N_("--archive is required (the entries' PDFs are read from it)"));
  else if (request.book.empty())
    problem = Tr(lang, N_("--book is required"));
  else if (request.out_dir.empty())
    problem = Tr(lang, N_("--out is required"));
  else if (request.purpose.find_first_not_of(" \t\r\n") == std::string::npos)
    problem = Tr(
        lang, N_("--purpose is required: every handover of personal data is recorded with why it was made"));
  if (!problem.empty()) {
    std::cerr << "sohoa handover: " << problem << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  auto fail = [lang](const Status& s) {
    std::cerr << "sohoa handover: " << ErrorInLang(s.message(), lang) << "\n";
    return kExitUsage;
  };
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(doctypes.empty() ? DefaultDocTypesDir() : doctypes);
  if (!catalog.ok()) return fail(catalog.status());
  if (request.registers_dir.empty()) request.registers_dir = DefaultRegistersDir();
  StatusOr<std::unique_ptr<Ledger>> ledger =
      OpenLedger(ResolveLedgerLocation(ledger_flag), archive, LedgerAccess::kExisting);
  if (!ledger.ok()) return fail(ledger.status());
  // Read-only: a person handing a book over needs no write access to the archive's files.
  StatusOr<std::unique_ptr<ArchiveStore>> store = OpenFilesystemStoreForReading(archive);
  if (!store.ok()) return fail(store.status());
  request.who = OsUser();
  request.via = "cli";
  StatusOr<HandoverResult> done = MakeHandover(**ledger, **store, *catalog, request);
  if (!done.ok()) return fail(done.status());
  // Counts and the package's name only: no value of an entry.
  const long entries = static_cast<long>(done->entries);
  std::cout
      << done->zip_path << "\n  "
      << Fill(TrN(lang,
                  "{n} entry ({archived} archived, of which {keyed} keyed by a person; {review} in review; "
                  "{quarantined} quarantined), {pdfs} entry PDFs + the book PDF + the workbook",
                  "{n} entries ({archived} archived, of which {keyed} keyed by a person; {review} in review; "
                  "{quarantined} quarantined), {pdfs} entry PDFs + the book PDF + the workbook",
                  entries),
              {{"n", std::to_string(entries)},
               {"archived", std::to_string(done->archived)},
               {"keyed", std::to_string(done->keyed)},
               {"review", std::to_string(done->review)},
               {"quarantined", std::to_string(done->quarantined)},
               {"pdfs", std::to_string(done->entry_pdfs)}})
      << "\n";
  if (done->to_check > 0)
    std::cout << "  "
              << Fill(TrN(lang, "{n} row still needs a person: see the workbook's sheet kiem_tra",
                          "{n} rows still need a person: see the workbook's sheet kiem_tra",
                          static_cast<long>(done->to_check)),
                      {{"n", std::to_string(done->to_check)}})
              << "\n";
  return kExitOk;
}

}  // namespace sohoa::cli
