// sohoa: the command-line entry point. Parses the subcommand and hands off;
// no pipeline logic lives in cli/.
#include <malloc.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/engine.h"
#include "pipeline/archive/archive_access.h"
#include "pipeline/core/data_dir.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "sohoa " SOHOA_VERSION
         " — digitize paper administrative-procedure results\n\n"
         "usage: sohoa <command> [options]\n\n"
         "commands:\n"
         "  run      process a batch folder of scans into the archive\n"
         "  export   print the archive's ledger as JSON Lines\n"
         "  find     a citizen's records by personal ID or name, for a stated purpose (audited)\n"
         "  extract  a citizen's copy of a record: the archived PDF/A as is, a signed cover (audited)\n"
         "  handover a register book's package: entry PDFs, book PDF, import workbook (audited)\n"
         "  verify   check the archive's bags, files, ledger and signatures\n"
         "  reseal   renew the archive time-stamps of documents whose time-stamp certificate ends soon\n"
         "  report   progress toward the digitization targets (text, json, csv, html)\n"
         "  status   last runs, a run going now, documents awaiting a person\n"
         "  config   --print: every run option's effective value and its source\n"
         "  inventory import  load the register of issued results (the targets' denominator)\n"
         "  enqueue  register a folder's scans as work in a shared PostgreSQL ledger\n"
         "  worker   process enqueued work (many workers, many machines, one ledger)\n"
         "  review   serve the review station: staff confirm and correct doubtful records\n"
         "  user     add|remove|passwd|list the review station's accounts\n"
         "  ledger   check|backup|rebuild: the ledger's health, an online backup, a rebuild from the bags\n"
         "  version  print the version\n\n"
         "'sohoa <command> --help' shows a command's options.\n";
}

// One malloc arena for the whole process. glibc gives each thread that
// contends its own arena and each keeps its own freed memory, so resident
// memory was the sum of every arena's high-water mark and grew with the
// variety of pages a run had seen: 10 vs 200 pages of the same kinds peaked
// at 235 vs 298 MB (ratio 1.27); with one arena 246-277 vs 267-277 MB (1.00-
// 1.09), for about 5% more time on the bench batch (lock contention). The
// operator's MALLOC_ARENA_MAX / GLIBC_TUNABLES still win.
void UseOneMallocArena() {
#if defined(__GLIBC__)
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr && std::getenv("GLIBC_TUNABLES") == nullptr) {
    mallopt(M_ARENA_MAX, 1);
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  UseOneMallocArena();            // before any thread exists
  ::umask(sohoa::kArchiveUmask);  // archive 0640/0750 whatever the caller's umask
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    PrintUsage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? sohoa::cli::kExitUsage : 0;
  }
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    // Where the data are read from, so an operator can tell which install
    // (or which SOHOA_SCHEMAS) a program uses.
    const sohoa::DataDirLookup data = sohoa::FindDataDir();
    std::cout << "sohoa " SOHOA_VERSION "\ndata: " << data.path << " (" << data.how << ")\n";
    return 0;
  }
  for (const sohoa::cli::Command& c : sohoa::cli::Commands()) {
    if (command == c.name)
      return c.main != nullptr ? c.main(argc - 1, argv + 1) : sohoa::cli::RunInEngine(argv);
  }
  std::cerr << "sohoa: unknown command '" << command << "'\n\n";
  PrintUsage(std::cerr);
  return sohoa::cli::kExitUsage;
}
