// Where sohoa finds the data it reads at run time: the contents of the
// checkout's schemas/ folder (document types, lexicons, register templates,
// JSON Schemas). Looked for, in order:
//   1. $SOHOA_SCHEMAS, when set and not empty: an operator's own copy, or a
//      test's;
//   2. <folder of the running program>/../share/sohoa/schemas: the installed
//      /usr/bin/sohoa reads /usr/share/sohoa/schemas, and a build tree's
//      build/bin/sohoa (and every test in build/bin) reads
//      build/share/sohoa/schemas, a link to the checkout's schemas/ that CMake
//      makes. The program is found through /proc/self/exe, so a copied or
//      moved install works wherever it lies; nothing compiled in names the
//      source tree.
// Nothing here caches: each call reads the environment again.
#pragma once

#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

struct DataDirLookup {
  std::string path;  // the folder holding doctypes/, lexicons/, registers/
  std::string how;   // "SOHOA_SCHEMAS" or "beside the program /usr/bin/sohoa"
};

// The running program's own file (/proc/self/exe: links resolved, so a
// symlink /usr/local/bin/sohoa -> /opt/… names /opt/…); empty when unreadable.
std::string ProgramPath();

// The folder chosen by the rules above, whether or not it exists.
DataDirLookup FindDataDir();

// The data folder; kConfiguration naming it, how it was chosen and how to
// fix it when it is not a folder.
StatusOr<std::string> DataDir();

// "sohoa's data folder /x/share/sohoa/schemas (beside the program /x/bin/sohoa)
// does not exist: …" — appended to an error about a default folder, so the
// operator learns where sohoa looked and what overrides it.
std::string DataDirProblem(const DataDirLookup& lookup);

}  // namespace sohoa
