#include "cli/ui_text.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "pipeline/core/messages.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// The value of `--name X` or `--name=X` in argv, last one given; "" if none.
std::string FlagValue(int argc, char** argv, const char* name) {
  const std::string flag = std::string("--") + name;
  std::string value;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == flag && i + 1 < argc)
      value = argv[++i];
    else if (arg.rfind(flag + "=", 0) == 0)
      value = arg.substr(flag.size() + 1);
  }
  return value;
}

// `ui-lang = X` in an INI config file; "" if the file or the key is absent.
std::string ConfigUiLang(const std::string& file) {
  std::ifstream in(file);
  std::string line, value;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos && Trim(line.substr(0, eq)) == "ui-lang") value = Trim(line.substr(eq + 1));
  }
  return value;
}

// The value of a validation error as given (Boost keeps it only for its own
// English template): the error's template swapped for the bare placeholder.
std::string GivenValue(const po::error_with_option_name& e) {
  po::error_with_option_name copy = e;
  copy.m_error_template = "%value%";
  const std::string value = copy.what();
  return value == "%value%" ? "" : value;
}

// Letters (UTF-8 code points) in `s`.
size_t Letters(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// `text` wrapped at spaces to lines of at most `width` letters, each line
// after the first indented by `indent` spaces.
std::string Wrap(const std::string& text, size_t width, size_t indent) {
  std::string out, line;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!line.empty() && Letters(line) + 1 + Letters(word) > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

std::string OptionTable(const po::options_description& d) {
  constexpr size_t kLine = 80, kMaxColumn = 34;
  std::ostringstream printed;
  printed << d;
  // What precedes each option's description: "--jobs arg (=0)".
  std::vector<std::string> heads;
  for (const auto& option : d.options()) {
    const std::string parameter = option->format_parameter();
    heads.push_back(option->format_name() + (parameter.empty() ? "" : " " + parameter));
  }
  size_t column = 0;
  for (const std::string& head : heads) column = std::max(column, 2 + Letters(head) + 2);
  column = std::min(column, kMaxColumn);
  // A table of groups only (run's) begins with the blank line Boost puts
  // before each group.
  std::istringstream lines(
      printed.str().substr(std::min(printed.str().find_first_not_of('\n'), printed.str().size())));
  std::string line, out;
  while (std::getline(lines, line)) {
    const std::string* head = nullptr;
    for (const std::string& h : heads)
      if (line.compare(0, 2 + h.size(), "  " + h) == 0 &&
          (line.size() == 2 + h.size() || line[2 + h.size()] == ' ') &&
          (head == nullptr || h.size() > head->size()))
        head = &h;
    if (head == nullptr) {
      out += line + "\n";
      continue;
    }
    const size_t start = line.find_first_not_of(' ', 2 + head->size());
    const std::string description = start == std::string::npos ? "" : line.substr(start);
    std::string left = "  " + *head;
    if (Letters(left) + 1 > column) {
      out += left + "\n";
      left.clear();
    }
    out += left + std::string(column - Letters(left), ' ') + Wrap(description, kLine - column, column) + "\n";
  }
  return out;
}

std::string CommandHelp(UiLang lang, const char* usage, const po::options_description& d, const char* exit_codes) {
  std::string help = Tr(lang, usage) + OptionTable(d);
  if (exit_codes != nullptr) help += "\n" + Tr(lang, exit_codes) + "\n";
  return help;
}

UiLang CommandLang(int argc, char** argv, bool lang_is_ui_lang) {
  UiLang lang = UiLang::kVi;
  std::string given = FlagValue(argc, argv, "ui-lang");
  if (given.empty() && lang_is_ui_lang) given = FlagValue(argc, argv, "lang");
  if (ParseUiLang(given, &lang)) return lang;
  if (const char* env = std::getenv("SOHOA_UI_LANG"); env != nullptr && ParseUiLang(env, &lang)) return lang;
  if (const std::string config = FlagValue(argc, argv, "config"); !config.empty())
    if (ParseUiLang(ConfigUiLang(config), &lang)) return lang;
  return UiLang::kVi;
}

OptionsIn::OptionsIn(po::options_description& d, UiLang lang) : d_(d), lang_(lang) {
  // Boost's one name for every option's value ("--jobs arg"); process-wide,
  // and a command speaks one language.
  po::arg = Tr(lang, N_("arg"));
}

OptionsIn& OptionsIn::operator()(const char* name, const char* msgid) {
  d_.add_options()(name, Tr(lang_, msgid).c_str());
  return *this;
}

OptionsIn& OptionsIn::operator()(const char* name, const po::value_semantic* value, const char* msgid) {
  d_.add_options()(name, value, Tr(lang_, msgid).c_str());
  return *this;
}

std::string UiLangProblem(const po::variables_map& vm, UiLang lang) {
  UiLang parsed;
  if (vm.count("ui-lang") && !ParseUiLang(vm["ui-lang"].as<std::string>(), &parsed))
    return Tr(lang, N_("--ui-lang must be vi or en"));
  return "";
}

std::string OptionError(const po::error& e, UiLang lang) {
  auto named = [&](const char* msgid, const std::string& option) {
    return Fill(Tr(lang, msgid), {{"option", option}});
  };
  if (const auto* u = dynamic_cast<const po::unknown_option*>(&e))
    return named(N_("unknown option {option}"), u->get_option_name());
  if (const auto* a = dynamic_cast<const po::ambiguous_option*>(&e))
    return named(N_("{option} is ambiguous: it begins several options' names"), a->get_option_name());
  if (const auto* r = dynamic_cast<const po::required_option*>(&e))
    return named(N_("{option} is required"), r->get_option_name());
  if (const auto* m = dynamic_cast<const po::multiple_occurrences*>(&e))
    return named(N_("{option} is given more than once"), m->get_option_name());
  if (const auto* c = dynamic_cast<const po::invalid_config_file_syntax*>(&e))
    return Fill(Tr(lang, N_("the line '{line}' is not 'name = value'")), {{"line", c->tokens()}});
  if (const auto* s = dynamic_cast<const po::invalid_syntax*>(&e)) {
    switch (s->kind()) {
      case po::invalid_syntax::missing_parameter:
      case po::invalid_syntax::empty_adjacent_parameter:
        return named(N_("{option} needs a value"), s->get_option_name());
      case po::invalid_syntax::extra_parameter:
        return named(N_("{option} takes no value"), s->get_option_name());
      default:
        return named(N_("{option} is not written as an option is"), s->get_option_name());
    }
  }
  if (const auto* v = dynamic_cast<const po::validation_error*>(&e)) {
    switch (v->kind()) {
      case po::validation_error::multiple_values_not_allowed:
        return named(N_("{option} takes one value"), v->get_option_name());
      case po::validation_error::at_least_one_value_required:
        return named(N_("{option} needs a value"), v->get_option_name());
      default:
        return Fill(Tr(lang, N_("'{value}' is not a valid value for {option}")),
                    {{"value", GivenValue(*v)}, {"option", v->get_option_name()}});
    }
  }
  if (dynamic_cast<const po::too_many_positional_options_error*>(&e) != nullptr)
    return Tr(lang, N_("too many arguments"));
  if (const auto* n = dynamic_cast<const po::error_with_option_name*>(&e))
    return named(N_("{option} could not be read"), n->get_option_name());
  return Tr(lang, N_("the command line could not be read"));
}

std::string SystemErrorText(int error, UiLang lang) {
  switch (error) {
    case ENOENT:
      return Tr(lang, N_("no such file"));
    case EACCES:
    case EPERM:
      return Tr(lang, N_("permission denied"));
    case EISDIR:
      return Tr(lang, N_("it is a folder"));
    default:
      return lang == UiLang::kEn
                 ? std::strerror(error)
                 : Fill(Tr(lang, N_("system error {code}")), {{"code", std::to_string(error)}});
  }
}

std::string StoreConfigFile(const std::string& file, const po::options_description& d,
                            bool allow_unregistered, po::variables_map* vm, UiLang lang) {
  std::ifstream in(file);
  if (!in)
    return Fill(Tr(lang, N_("cannot read the config file {file}: {cause}")),
                {{"file", file}, {"cause", SystemErrorText(errno, lang)}});
  try {
    po::store(po::parse_config_file(in, d, allow_unregistered), *vm);
  } catch (const po::error& e) {
    return ConfigFileError(file, e, lang);
  }
  return "";
}

std::string ConfigFileError(const std::string& file, const po::error& e, UiLang lang) {
  return Fill(Tr(lang, N_("config file {file}: {cause}")), {{"file", file}, {"cause", OptionError(e, lang)}});
}

std::optional<int> ParseCommandLine(int argc, char** argv, const po::options_description& d,
                                    const char* command, UiLang lang,
                                    const std::function<void(std::ostream&)>& usage, po::variables_map* vm) {
  try {
    po::store(po::parse_command_line(argc, argv, d), *vm);
    po::notify(*vm);
    if (const std::string problem = UiLangProblem(*vm, lang); !problem.empty()) {
      std::cerr << command << ": " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << command << ": " << OptionError(e, lang) << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  if (vm->count("help")) {
    usage(std::cout);
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace sohoa::cli
