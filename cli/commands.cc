#include "cli/commands.h"

#include <pwd.h>
#include <unistd.h>

namespace sohoa::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"run", &RunMain},         {"export", &ExportMain},
      {"find", &FindMain},       {"inventory", &InventoryMain},
      {"verify", &VerifyMain},   {"report", &ReportMain},
      {"status", &StatusMain},   {"config", &ConfigMain},
      {"enqueue", &EnqueueMain}, {"worker", &WorkerMain},
      {"review", &ReviewMain},   {"user", &UserMain},
      {"ledger", &LedgerMain},   {"handover", &HandoverMain},
      {"reseal", &ResealMain},   {"extract", &ExtractMain},
  };
  return commands;
}

std::string OsUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
  return "uid " + std::to_string(geteuid());
}

}  // namespace sohoa::cli
