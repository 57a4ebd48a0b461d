#include "cli/commands.h"

#include <pwd.h>
#include <unistd.h>

// The `sohoa` program (SOHOA_READERS_ONLY) runs the ledger's readers itself
// and hands every other command to sohoa-engine (cli/engine.h); the engine
// runs them all. One table, so both programs know the same commands.
#ifdef SOHOA_READERS_ONLY
#define SOHOA_ENGINE_COMMAND(main) nullptr
#else
#define SOHOA_ENGINE_COMMAND(main) &main
#endif

namespace sohoa::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"run", SOHOA_ENGINE_COMMAND(RunMain)},
      {"export", &ExportMain},
      {"find", &FindMain},
      {"inventory", SOHOA_ENGINE_COMMAND(InventoryMain)},
      {"verify", SOHOA_ENGINE_COMMAND(VerifyMain)},
      {"report", &ReportMain},
      {"status", &StatusMain},
      {"config", SOHOA_ENGINE_COMMAND(ConfigMain)},
      {"enqueue", SOHOA_ENGINE_COMMAND(EnqueueMain)},
      {"worker", SOHOA_ENGINE_COMMAND(WorkerMain)},
      {"review", SOHOA_ENGINE_COMMAND(ReviewMain)},
      {"user", SOHOA_ENGINE_COMMAND(UserMain)},
      {"ledger", SOHOA_ENGINE_COMMAND(LedgerMain)},
      {"handover", SOHOA_ENGINE_COMMAND(HandoverMain)},
      {"reseal", SOHOA_ENGINE_COMMAND(ResealMain)},
      {"extract", SOHOA_ENGINE_COMMAND(ExtractMain)},
  };
  return commands;
}

std::string OsUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
  return "uid " + std::to_string(geteuid());
}

}  // namespace sohoa::cli
