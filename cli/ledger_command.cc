// `sohoa ledger check|backup|rebuild` (issue 26): keeping the ledger safe,
// and getting it back from the bags when it is lost.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_backup.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/run/ledger_rebuild.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    N_("usage: sohoa ledger check   --archive DIR | --ledger LOCATION [--quick]\n"
       "       sohoa ledger backup  --archive DIR | --ledger sqlite:PATH --to FILE\n"
       "       sohoa ledger rebuild --archive DIR [--into LOCATION] [--replace] [--doctypes DIR]\n"
       "check:   SQLite's integrity check and the ledger's own invariants; exit 0 healthy,\n"
       "         2 damaged (or no ledger). For the nightly job, before it runs.\n"
       "backup:  a consistent copy of the SQLite ledger while runs and the review station go on,\n"
       "         written atomically to FILE. PostgreSQL ledgers: use pg_dump.\n"
       "rebuild: a new ledger from the archive's bags and kept registers; into the archive's\n"
       "         ledger.sqlite unless --into (a file or postgresql://…, which must be empty).\n"
       "         A healthy SQLite ledger is replaced only with --replace (and kept aside).\n");

// Parses `argv` with `options`; -1 to go on, else the exit code.
int Parse(int argc, char** argv, po::options_description& options, po::variables_map* vm, const char* action,
          UiLang lang) {
  try {
    po::store(po::parse_command_line(argc, argv, options), *vm);
    if (vm->count("help")) {
      std::cout << Tr(lang, kUsage);
      return kExitOk;
    }
    po::notify(*vm);
    if (const std::string problem = UiLangProblem(*vm, lang); !problem.empty()) {
      std::cerr << "sohoa ledger " << action << ": " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa ledger " << action << ": " << OptionError(e, lang) << "\n" << Tr(lang, kUsage);
    return kExitUsage;
  }
  return -1;
}

int Check(int argc, char** argv) {
  std::string archive, ledger_flag;
  bool quick = false;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa ledger check options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag), N_("ledger location (or SOHOA_LEDGER)"))(
      "quick", po::bool_switch(&quick), N_("PRAGMA quick_check instead of integrity_check"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  if (int rc = Parse(argc, argv, d, &vm, "check", lang); rc >= 0) return rc;
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && location.empty()) {
    std::cerr << "sohoa ledger check: " << Tr(lang, N_("--archive or --ledger is required")) << "\n"
              << Tr(lang, kUsage);
    return kExitUsage;
  }
  const std::string name = DescribeLedger(location, archive);
  std::vector<std::string> problems;
  if (!IsSharedLedger(location)) {
    StatusOr<std::vector<std::string>> file =
        CheckSqliteLedgerFile(SqliteLedgerPath(location, archive), quick);
    if (!file.ok()) {
      std::cerr << "sohoa ledger check: " << ErrorInLang(file.status().message(), lang) << "\n";
      return kExitUsage;
    }
    problems = *file;
  }
  if (problems.empty()) {  // a damaged file is not opened (opening migrates, i.e. writes)
    StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kExisting);
    StatusOr<std::vector<std::string>> invariants =
        ledger.ok() ? CheckLedgerInvariants(**ledger) : ledger.status();
    if (!invariants.ok())
      problems.push_back(ErrorInLang(invariants.status().message(), lang));
    else
      problems = *invariants;
  }
  // The problems are errors of the table (error_text.h), SQLite's words kept as their detail.
  for (const std::string& p : problems)
    std::cout << Tr(lang, N_("DAMAGED")) << "  " << ErrorInLang(p, lang) << "\n";
  if (!problems.empty()) {
    const long n = static_cast<long>(problems.size());
    std::cout
        << Fill(TrN(lang,
                    "ledger {ledger}: {n} problem; restore a backup (`sohoa ledger backup`) or rebuild it "
                    "from the bags (`sohoa ledger rebuild`)",
                    "ledger {ledger}: {n} problems; restore a backup (`sohoa ledger backup`) or rebuild it "
                    "from the bags (`sohoa ledger rebuild`)",
                    n),
                {{"ledger", name}, {"n", std::to_string(n)}})
        << "\n";
    return kExitUsage;
  }
  std::cout << Fill(Tr(lang, N_("ledger {ledger}: healthy")), {{"ledger", name}}) << "\n";
  return kExitOk;
}

int Backup(int argc, char** argv) {
  std::string archive, ledger_flag, to;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa ledger backup options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag), N_("SQLite ledger location (or SOHOA_LEDGER)"))(
      "to", po::value(&to)->required(), N_("backup file to write"))("ui-lang", po::value<std::string>(),
                                                                    kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  if (int rc = Parse(argc, argv, d, &vm, "backup", lang); rc >= 0) return rc;
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (IsSharedLedger(location)) {
    std::cerr << "sohoa ledger backup: "
              << Tr(lang, N_("a PostgreSQL ledger is backed up with pg_dump (pg_dump -Fc -f FILE DATABASE; restore "
                             "with pg_restore), see the README"))
              << "\n";
    return kExitUsage;
  }
  if (archive.empty() && location.empty()) {
    std::cerr << "sohoa ledger backup: " << Tr(lang, N_("--archive or --ledger is required")) << "\n"
              << Tr(lang, kUsage);
    return kExitUsage;
  }
  Status s = BackupSqliteLedger(SqliteLedgerPath(location, archive), to);
  if (!s.ok()) {
    std::cerr << "sohoa ledger backup: " << ErrorInLang(s.message(), lang) << "\n";
    return kExitUsage;
  }
  std::cout << Fill(Tr(lang, N_("ledger {ledger} backed up to {file}")),
                    {{"ledger", DescribeLedger(location, archive)}, {"file", to}})
            << "\n";
  return kExitOk;
}

int Rebuild(int argc, char** argv) {
  RebuildRequest request;
  std::string doctypes;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa ledger rebuild options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&request.archive_dir)->required(), N_("archive folder (its bags)"))(
      "into", po::value(&request.location),
      N_("ledger to build: a file, sqlite:PATH or postgresql://… (default: the archive's ledger.sqlite)"))(
      "replace", po::bool_switch(&request.replace), N_("replace a healthy SQLite ledger (kept aside)"))(
      "doctypes", po::value(&doctypes), N_("document-type folder (default: schemas/doctypes)"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  if (int rc = Parse(argc, argv, d, &vm, "rebuild", lang); rc >= 0) return rc;
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(doctypes.empty() ? DefaultDocTypesDir() : doctypes);
  if (!catalog.ok()) {
    std::cerr << "sohoa ledger rebuild: " << ErrorInLang(catalog.status().message(), lang) << "\n";
    return kExitUsage;
  }
  request.catalog = &*catalog;
  StatusOr<RebuildResult> result = RebuildArchiveLedger(request);
  if (!result.ok()) {
    std::cerr << "sohoa ledger rebuild: " << ErrorInLang(result.status().message(), lang) << "\n";
    return kExitUsage;
  }
  const RebuildSummary& s = result->summary;
  // The notes are errors of the table (error_text.h) about one bag or register.
  for (const std::string& note : s.notes)
    std::cerr << Fill(Tr(lang, N_("note: {note}")), {{"note", ErrorInLang(note, lang)}}) << "\n";
  const long run_bags = static_cast<long>(s.run_bags);
  std::cout
      << Fill(TrN(lang,
                  "ledger {ledger} rebuilt from {n} run bag ({without} without a ledger account), {reviews} "
                  "reviews, {registers} registers: {archived} archived, {review} in review ({unsettled} "
                  "unsettled), {quarantined} quarantined",
                  "ledger {ledger} rebuilt from {n} run bags ({without} without a ledger account), {reviews} "
                  "reviews, {registers} registers: {archived} archived, {review} in review ({unsettled} "
                  "unsettled), {quarantined} quarantined",
                  run_bags),
              {{"ledger", DescribeLedger(request.location, request.archive_dir)},
               {"n", std::to_string(run_bags)},
               {"without", std::to_string(s.bags_without_account)},
               {"reviews", std::to_string(s.review_bags)},
               {"registers", std::to_string(s.registers)},
               {"archived", std::to_string(s.archived)},
               {"review", std::to_string(s.review)},
               {"unsettled", std::to_string(s.unsettled)},
               {"quarantined", std::to_string(s.quarantined)}})
      << "\n";
  if (!result->kept_aside.empty())
    std::cout << Fill(Tr(lang, N_("the ledger it replaced is kept as {file}")),
                      {{"file", result->kept_aside}})
              << "\n";
  std::cout << Fill(Tr(lang, N_("next: `sohoa verify --archive {archive}`")),
                    {{"archive", request.archive_dir}})
            << "\n";
  return s.unsettled > 0 || !s.notes.empty() ? kExitAttention : kExitOk;
}

}  // namespace

int LedgerMain(int argc, char** argv) {
  const UiLang lang = CommandLang(argc, argv);
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::cout << Tr(lang, kUsage);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  const std::string action = argv[1];
  if (action == "check") return Check(argc - 1, argv + 1);
  if (action == "backup") return Backup(argc - 1, argv + 1);
  if (action == "rebuild") return Rebuild(argc - 1, argv + 1);
  std::cerr << "sohoa ledger: " << Fill(Tr(lang, N_("unknown action '{action}'")), {{"action", action}})
            << "\n"
            << Tr(lang, kUsage);
  return kExitUsage;
}

}  // namespace sohoa::cli
