#include "cli/commands.h"

namespace sohoa::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"run", &RunMain},         {"export", &ExportMain},
      {"find", &FindMain},       {"inventory", &InventoryMain},
      {"verify", &VerifyMain},   {"report", &ReportMain},
      {"status", &StatusMain},   {"config", &ConfigMain},
      {"enqueue", &EnqueueMain}, {"worker", &WorkerMain},
      {"review", &ReviewMain},   {"user", &UserMain},
      {"ledger", &LedgerMain},
  };
  return commands;
}

}  // namespace sohoa::cli
