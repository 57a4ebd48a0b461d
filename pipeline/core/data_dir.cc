#include "pipeline/core/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "pipeline/core/catalog.h"

namespace sohoa {
namespace fs = std::filesystem;

// /proc/self/exe names the file the kernel executed, so a symlinked
// install still finds its own share/.
std::string ProgramPath() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

DataDirLookup FindDataDir() {
  if (const char* env = std::getenv("SOHOA_SCHEMAS"); env != nullptr && *env != '\0') {
    return {env, "SOHOA_SCHEMAS"};
  }
  const std::string program = ProgramPath();
  if (program.empty()) return {"/usr/share/sohoa/schemas", N_("the default: /proc/self/exe cannot be read")};
  const fs::path prefix = fs::path(program).parent_path().parent_path();
  return {(prefix / "share" / "sohoa" / "schemas").string(), "beside the program " + program};
}

std::string DataDirProblem(const DataDirLookup& lookup) {
  return "sohoa's data folder " + lookup.path + " (" + lookup.how +
         ") does not exist: install sohoa with its data (share/sohoa/schemas next to bin/), or set "
         "SOHOA_SCHEMAS to a folder holding doctypes/, lexicons/ and registers/";
}

StatusOr<std::string> DataDir() {
  const DataDirLookup lookup = FindDataDir();
  std::error_code ec;
  if (!fs::is_directory(lookup.path, ec)) return Status::Configuration(DataDirProblem(lookup));
  return lookup.path;
}

}  // namespace sohoa
