#include <iostream>

#include "cli/commands.h"

namespace sohoa::cli {

int RunMain(int argc, char** argv) {
  std::cerr << "sohoa run: not built yet\n";
  return kExitUsage;
}

int ExportMain(int argc, char** argv) {
  std::cerr << "sohoa export: not built yet\n";
  return kExitUsage;
}

}  // namespace sohoa::cli
