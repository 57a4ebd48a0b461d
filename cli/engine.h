// sohoa is two programs (issue 22). `sohoa` itself answers the ledger's
// readers (find, status, export, report) and links only the engine's ledger
// and report libraries, so a clerk's lookup starts in milliseconds. Every
// other command needs the imaging, OCR and PDF libraries: some 150 shared
// objects whose dynamic linking alone took 0.4-1.6 s per process on the
// 2-core VM (perf: symbol lookup and page mapping, before main), whatever the
// command. Those commands run in `sohoa-engine`, installed beside `sohoa`,
// which sohoa replaces itself with: same process, arguments, output and exit
// code, and with the malloc settings pipeline/core/malloc_settings.h gives it.
#pragma once

#include "pipeline/core/catalog.h"

namespace sohoa::cli {

inline constexpr const char* kEngineProgram = "sohoa-engine";

// Replaces this process by the sohoa-engine beside the running program, with
// `argv` as main received it. Returns only when that fails: kExitUsage, after
// saying in `lang` which file could not be started and why (the cause is
// strerror's words).
int RunInEngine(char** argv, UiLang lang);

}  // namespace sohoa::cli
