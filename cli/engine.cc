#include "cli/engine.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/data_dir.h"
#include "pipeline/core/malloc_settings.h"

namespace sohoa::cli {

int RunInEngine(char** argv, UiLang lang) {
  const std::string program = ProgramPath();
  if (program.empty()) {
    std::cerr << "sohoa: "
              << Fill(Tr(lang, N_("{command} runs in {engine} beside this program, and /proc/self/exe cannot be "
                                  "read to find it")),
                      {{"command", argv[1]}, {"engine", kEngineProgram}})
              << "\n";
    return kExitUsage;
  }
  const std::string engine = (std::filesystem::path(program).parent_path() / kEngineProgram).string();
#if defined(__GLIBC__)
  // Read by the engine's malloc as it starts (pipeline/core/malloc_settings.h).
  ::setenv("GLIBC_TUNABLES", EngineTunables(std::getenv("GLIBC_TUNABLES")).c_str(), /*overwrite=*/1);
#endif
  ::execv(engine.c_str(), argv);
  const int error = errno;
  std::cerr << "sohoa: "
            << Fill(Tr(lang, N_("{command} runs in {engine}, which could not be started: {cause} (install "
                                "{program} beside sohoa)")),
                    {{"command", argv[1]}, {"engine", engine}, {"cause", std::strerror(error)},
                     {"program", kEngineProgram}})
            << "\n";
  return kExitUsage;
}

}  // namespace sohoa::cli
