// sohoa: the command-line entry point. Parses the subcommand and hands off;
// no pipeline logic lives in cli/.
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/engine.h"
#include "cli/ui_text.h"
#include "pipeline/archive/archive_access.h"
#include "pipeline/core/data_dir.h"
#include "pipeline/core/malloc_settings.h"

using sohoa::N_;

namespace {

// The commands as the top-level help lists them (packaging/command_docs.sh
// reads this list, in English, for the man pages and bash completion).
struct CommandLine {
  const char* name;
  const char* what;  // msgid
};
constexpr CommandLine kCommandLines[] = {
    {"run     ", N_("process a batch folder of scans into the archive")},
    {"export  ", N_("print the archive's ledger as JSON Lines")},
    {"find    ", N_("a citizen's records by personal ID or name, for a stated purpose (audited)")},
    {"extract ", N_("a citizen's copy of a record: the archived PDF/A as is, a signed cover (audited)")},
    {"handover", N_("a register book's package: entry PDFs, book PDF, import workbook (audited)")},
    {"verify  ", N_("check the archive's bags, files, ledger and signatures")},
    {"reseal  ", N_("renew the archive time-stamps of documents whose time-stamp certificate ends soon")},
    {"report  ", N_("progress toward the digitization targets (text, json, csv, html)")},
    {"status  ", N_("last runs, a run going now, documents awaiting a person")},
    {"config  ", N_("--print: every run option's effective value and its source")},
    {"inventory import ", N_("load the register of issued results (the targets' denominator)")},
    {"enqueue ", N_("register a folder's scans as work in a shared PostgreSQL ledger")},
    {"worker  ", N_("process enqueued work (many workers, many machines, one ledger)")},
    {"review  ", N_("serve the review station: staff confirm and correct doubtful records")},
    {"user    ", N_("add|remove|passwd|list the review station's accounts")},
    {"ledger  ", N_("check|backup|rebuild: the ledger's health, an online backup, a rebuild from the bags")},
    {"version ", N_("print the version")},
};

void PrintUsage(std::ostream& out, sohoa::UiLang lang) {
  using sohoa::Tr;
  out << "sohoa " SOHOA_VERSION " — " << Tr(lang, N_("digitize paper administrative-procedure results"))
      << "\n\n"
      << Tr(lang, N_("usage: sohoa <command> [options]")) << "\n\n"
      << Tr(lang, N_("commands:")) << "\n";
  for (const CommandLine& c : kCommandLines) out << "  " << c.name << " " << Tr(lang, c.what) << "\n";
  out << "\n"
      << Tr(lang, N_("'sohoa <command> --help' shows a command's options; --ui-lang en|vi (or SOHOA_UI_LANG) "
                     "chooses the language of messages."))
      << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  sohoa::LimitMallocArenas(1);    // before any thread exists (pipeline/core/malloc_settings.h)
  ::umask(sohoa::kArchiveUmask);  // archive 0640/0750 whatever the caller's umask
  const sohoa::UiLang lang = sohoa::cli::CommandLang(argc, argv);
  const bool help_asked =
      argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
                    std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--ui-lang") == 0);
  if (argc < 2 || help_asked) {
    PrintUsage(argc < 2 ? std::cerr : std::cout, lang);
    return argc < 2 ? sohoa::cli::kExitUsage : 0;
  }
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    // Where the data are read from, so an operator can tell which install
    // (or which SOHOA_SCHEMAS) a program uses.
    const sohoa::DataDirLookup data = sohoa::FindDataDir();
    // The first line is data (program and version); the second names the
    // folder and, in words, how it was chosen (SOHOA_SCHEMAS is a name).
    std::string how = data.how;  // SOHOA_SCHEMAS is a name
    if (how.rfind("beside the program ", 0) == 0)
      how = sohoa::Fill(sohoa::Tr(lang, N_("beside the program {program}")),
                        {{"program", sohoa::ProgramPath()}});
    else if (how != "SOHOA_SCHEMAS")
      how = sohoa::Tr(lang, how.c_str());  // data_dir.cc's other msgid
    std::cout << "sohoa " SOHOA_VERSION "\n"
              << sohoa::Fill(sohoa::Tr(lang, N_("data: {path} ({how})")), {{"path", data.path}, {"how", how}})
              << "\n";
    return 0;
  }
  for (const sohoa::cli::Command& c : sohoa::cli::Commands()) {
    if (command == c.name)
      return c.main != nullptr ? c.main(argc - 1, argv + 1) : sohoa::cli::RunInEngine(argv, lang);
  }
  std::cerr << "sohoa: "
            << sohoa::Fill(sohoa::Tr(lang, N_("unknown command '{command}'")), {{"command", command}})
            << "\n\n";
  PrintUsage(std::cerr, lang);
  return sohoa::cli::kExitUsage;
}
