// The interface language of a command line (issue 20): every command's help,
// option descriptions and option errors come from the message catalogue
// (pipeline/core/catalog.h) in the language --ui-lang names. The language is
// known before the options are described, so `sohoa run --ui-lang en --help`
// and `SOHOA_UI_LANG=en sohoa run --help` are English throughout.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "pipeline/core/catalog.h"

namespace sohoa::cli {

// The language of a command's messages, from (first found wins) --ui-lang X
// or --ui-lang=X in argv (and --lang, report's older name for it, where
// `lang_is_ui_lang`), SOHOA_UI_LANG, `ui-lang = X` in the --config file
// argv names, else Vietnamese: the same order and default as `sohoa run`'s
// own options. A value that names no language is passed over here; the
// command rejects it when it reads its options.
UiLang CommandLang(int argc, char** argv, bool lang_is_ui_lang = false);

// Adds options whose descriptions are msgids (marked N_("…") for xgettext)
// looked up in `lang`:
//   OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))
// Value names print as the catalogue's word for "arg".
class OptionsIn {
 public:
  OptionsIn(boost::program_options::options_description& d, UiLang lang);
  OptionsIn& operator()(const char* name, const char* msgid);
  OptionsIn& operator()(const char* name, const boost::program_options::value_semantic* value,
                        const char* msgid);

 private:
  boost::program_options::options_description& d_;
  UiLang lang_;
};

// What --ui-lang says of itself in the commands that read it only for
// their messages (CommandLang has read it before the options).
inline constexpr const char* kUiLangText = N_("language of messages and help: vi (default) or en");

// Boost.Program_options wraps and aligns option tables counting bytes, so
// Vietnamese (two or three bytes to a letter) came out ragged, words cut.
// Every options_description is made with this line length (no wrapping
// there) and printed through OptionTable, which aligns and wraps by letters.
inline constexpr unsigned kUnwrapped = 100000;

// `d` as Boost prints it, re-aligned and wrapped to 80 letters a line.
std::string OptionTable(const boost::program_options::options_description& d);

// A command's help in `lang`: its usage text, its option table and, when
// given, its exit codes (msgids).
std::string CommandHelp(UiLang lang, const char* usage, const boost::program_options::options_description& d,
                        const char* exit_codes = nullptr);

// Empty when the --ui-lang of `vm` (if any) names a language, else the
// message saying what it must be.
std::string UiLangProblem(const boost::program_options::variables_map& vm, UiLang lang);

// What is wrong with the options, in `lang`: the option (or the config
// file's line) and the cause, from Boost.Program_options' exception rather
// than its English what().
std::string OptionError(const boost::program_options::error& e, UiLang lang);

// Reads the options of `argv` into `vm` for `command` ("sohoa find"): a bad
// option (said, then the usage) or --ui-lang value ends the command with
// kExitUsage, --help (the usage on standard output) with kExitOk; nothing
// while the command goes on.
std::optional<int> ParseCommandLine(int argc, char** argv,
                                    const boost::program_options::options_description& d, const char* command,
                                    UiLang lang, const std::function<void(std::ostream&)>& usage,
                                    boost::program_options::variables_map* vm);

// Stores the options of the INI file `file` into `vm` (those `d` does not
// describe are an error unless `allow_unregistered`). Returns "" or, in
// `lang`, why the file could not be read or which line or option is wrong.
std::string StoreConfigFile(const std::string& file, const boost::program_options::options_description& d,
                            bool allow_unregistered, boost::program_options::variables_map* vm, UiLang lang);

// Why a file could not be opened (errno `error`), in `lang`.
std::string SystemErrorText(int error, UiLang lang);

// "<file>: <cause>": an error found in the config file `file`.
std::string ConfigFileError(const std::string& file, const boost::program_options::error& e, UiLang lang);

}  // namespace sohoa::cli
