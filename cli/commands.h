// The subcommands of the sohoa CLI. Each parses its own options
// (Boost.Program_options) and calls into pipeline/ with concrete stages.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/catalog.h"

namespace sohoa::cli {

// Exit codes (qpdf's convention, see STYLE.md).
inline constexpr int kExitOk = 0;         // everything archived
inline constexpr int kExitUsage = 2;      // usage, configuration or fatal error
inline constexpr int kExitAttention = 3;  // finished; some items need a person
inline constexpr int kExitProblems = 1;   // verify: the archive is not intact

// What every command's -h/--help says of itself in its option list.
inline constexpr const char* kHelpText = N_("show this help and exit");

struct Command {
  const char* name;
  int (*main)(int argc, char** argv);  // argv[0] is the command name; null: runs in sohoa-engine
};

const std::vector<Command>& Commands();

// The account the process runs as: what the access log names (find,
// handover). From the password database, not $USER, which anyone can set.
std::string OsUser();

int RunMain(int argc, char** argv);
int ExportMain(int argc, char** argv);
int FindMain(int argc, char** argv);      // issue 22: a citizen's records, audited
int ExtractMain(int argc, char** argv);   // issue 22: a citizen's copy, with a signed cover
int HandoverMain(int argc, char** argv);  // issue 17: a register book's package, audited
int InventoryMain(int argc, char** argv);
int ReportMain(int argc, char** argv);
int VerifyMain(int argc, char** argv);  // exit 0 intact, 1 problems (kExitProblems), 2 usage
int StatusMain(int argc, char** argv);
int ConfigMain(int argc, char** argv);
int EnqueueMain(int argc, char** argv);  // issue 8: shared PostgreSQL work queue
int WorkerMain(int argc, char** argv);
int ReviewMain(int argc, char** argv);  // issue 9: the review station
int UserMain(int argc, char** argv);    // issue 9: its accounts
int LedgerMain(int argc, char** argv);  // issue 26: check, backup, rebuild from the bags
int ResealMain(int argc, char** argv);  // issue 21: renew archive time-stamps before they end

}  // namespace sohoa::cli
