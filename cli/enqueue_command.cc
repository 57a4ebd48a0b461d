// `sohoa enqueue --ledger URL --input DIR` (issue 8): registers every file of
// the folder, by content hash, as work in the shared PostgreSQL ledger for
// `sohoa worker` to take. Enqueuing the same folder again adds nothing.
#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_name.h"
#include "pipeline/core/input_walk.h"
#include "pipeline/core/messages.h"
#include "pipeline/core/sha256.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/ledger/postgres_ledger.h"

namespace sohoa::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

// --ledger, else SOHOA_LEDGER; a usage error when neither names PostgreSQL.
bool ResolveLedgerUrl(const std::string& command, std::string* url, UiLang lang) {
  if (url->empty()) {
    if (const char* env = std::getenv("SOHOA_LEDGER")) *url = env;
  }
  if (url->empty()) {
    std::cerr << "sohoa " << command << ": " << Tr(lang, N_("--ledger postgresql://… (or SOHOA_LEDGER) is required"))
              << "\n";
    return false;
  }
  if (!IsPostgresUrl(*url)) {
    std::cerr << "sohoa " << command << ": "
              << Fill(Tr(lang, N_("--ledger must be a postgresql:// URL (got {url})")), {{"url", RedactPostgresUrl(*url)}})
              << "\n";
    return false;
  }
  return true;
}

int EnqueueMain(int argc, char** argv) {
  std::string url, input;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa enqueue options")), kUnwrapped);
  OptionsIn(d, lang)("ledger", po::value(&url),
                     N_("postgresql://user:password@host:port/db (or SOHOA_LEDGER)"))(
      "input", po::value(&input)->required(), N_("folder of scans (on the workers' shared filesystem)"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang, N_("usage: sohoa enqueue --ledger URL --input DIR\n")) << OptionTable(d);
      return kExitOk;
    }
    po::notify(vm);
    if (const std::string problem = UiLangProblem(vm, lang); !problem.empty()) {
      std::cerr << "sohoa enqueue: " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa enqueue: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  if (!ResolveLedgerUrl("enqueue", &url, lang)) return kExitUsage;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(input, ec);
  StatusOr<InputWalk> walk = WalkInputs(root.string(), {});
  if (!walk.ok()) {
    std::cerr << "sohoa enqueue: " << EscapeForLog(walk.status().message()) << "\n";
    return kExitUsage;
  }
  int unreadable = 0;
  for (const PassedOver& p : walk->passed_over) {
    std::cerr << "sohoa enqueue: " << EscapeForLog(PassedOverLine(p, lang)) << "\n";
    unreadable += PassedOverNeedsAttention(p.kind);
  }
  std::vector<WorkItem> items;
  for (const InputFile& file : walk->files) {
    // The shared ledger keeps names as PostgreSQL text, which must be UTF-8;
    // `sohoa run` (SQLite) keeps such a name's bytes.
    if (!IsValidUtf8(file.path)) {
      std::cerr << "sohoa enqueue: "
                << Fill(Tr(lang,
                           N_("{file}: the name is not UTF-8 (not enqueued; rename it, or archive it with "
                              "sohoa run)")),
                        {{"file", DisplayName(file.relative_name)}})
                << "\n";
      ++unreadable;
      continue;
    }
    if (!file.book_manifest.empty()) {
      // The fleet's work items are files read as one document each; a
      // book's entries are split and recorded by `sohoa run`.
      std::cerr << "sohoa enqueue: "
                << Fill(Tr(lang, N_("{file}: a register book (not enqueued; archive it with sohoa run)")),
                        {{"file", EscapeForLog(file.relative_name)}})
                << "\n";
      ++unreadable;
      continue;
    }
    StatusOr<std::string> sha = Sha256File(file.path, nullptr);
    if (!sha.ok()) {
      std::cerr << "sohoa enqueue: "
                << Fill(Tr(lang, N_("{file}: {cause} (not enqueued)")),
                        {{"file", EscapeForLog(file.relative_name)},
                         {"cause", EscapeForLog(sha.status().message())}})
                << "\n";
      ++unreadable;
      continue;
    }
    items.push_back({*sha, file.path, file.relative_name, ""});
  }
  StatusOr<std::unique_ptr<WorkLedger>> ledger = OpenPostgresLedger(url);
  if (!ledger.ok()) {
    std::cerr << "sohoa enqueue: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<int> added = (*ledger)->Enqueue(items);
  if (!added.ok()) {
    std::cerr << "sohoa enqueue: " << ErrorInLang(added.status().message(), lang) << "\n";
    return kExitUsage;
  }
  const std::string not_enqueued = unreadable > 0 ? Fill(Tr(lang, N_(", {n} not enqueued or passed over")),
                                                         {{"n", std::to_string(unreadable)}})
                                                  : "";
  const long files = static_cast<long>(walk->files.size());
  std::cout << Fill(TrN(lang, "enqueued {added} new of {n} file ({known} already known{not_enqueued})",
                        "enqueued {added} new of {n} files ({known} already known{not_enqueued})", files),
                    {{"added", std::to_string(*added)},
                     {"n", std::to_string(files)},
                     {"known", std::to_string(items.size() - *added)},
                     {"not_enqueued", not_enqueued}})
            << "\n";
  return unreadable > 0 ? kExitAttention : kExitOk;
}

}  // namespace sohoa::cli
