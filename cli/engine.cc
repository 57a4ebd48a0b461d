#include "cli/engine.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "pipeline/core/data_dir.h"

namespace sohoa::cli {

int RunInEngine(char** argv) {
  const std::string program = ProgramPath();
  if (program.empty()) {
    std::cerr << "sohoa: " << argv[1] << " runs in " << kEngineProgram
              << " beside this program, and /proc/self/exe cannot be read to find it\n";
    return kExitUsage;
  }
  const std::string engine = (std::filesystem::path(program).parent_path() / kEngineProgram).string();
  ::execv(engine.c_str(), argv);
  const int error = errno;
  std::cerr << "sohoa: " << argv[1] << " runs in " << engine
            << ", which could not be started: " << std::strerror(error) << " (install " << kEngineProgram
            << " beside sohoa)\n";
  return kExitUsage;
}

}  // namespace sohoa::cli
