// `sohoa config --print [--config FILE] [run options]`: the effective value
// of every `sohoa run` option and where it came from (flag, env, config,
// default), so an operator can see what a nightly job will really use.
#include <cstring>
#include <iostream>

#include "cli/commands.h"
#include "cli/run_options.h"
#include "cli/ui_text.h"

namespace sohoa::cli {

int ConfigMain(int argc, char** argv) {
  const UiLang lang = CommandLang(argc, argv);
  bool print = false, help = false;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--print") == 0)
      print = true;
    else
      rest.push_back(argv[i]);
    help = help || std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0;
  }
  if (!print || help) {
    (help ? std::cout : std::cerr) << Tr(
        lang, N_("usage: sohoa config --print [--config FILE] [sohoa run options]\n"
                 "Prints every option of `sohoa run` with its effective value and its source\n"
                 "(flag > SOHOA_* environment variable > config file > default).\n"));
    return help ? kExitOk : kExitUsage;
  }
  std::string text = FormatEffectiveOptions(static_cast<int>(rest.size()), rest.data());
  if (text.empty()) return kExitUsage;  // ParseRunOptions explained why
  std::cout << text;
  return kExitOk;
}

}  // namespace sohoa::cli
