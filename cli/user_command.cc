// `sohoa user add|remove|passwd|unlock|list --archive DIR [NAME] [--role reviewer|arbiter|admin|clerk]`:
// the review station's accounts (pipeline/review/accounts.h). A password is never
// an option (it would sit in the shell history and the process list): it is
// typed twice on a terminal without echo, or read as the first line of stdin.
#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/review/accounts.h"

namespace sohoa::cli {
namespace po = boost::program_options;
namespace {

std::string ReadLine(bool echo) {
  termios old_mode{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty && !echo) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty && !echo) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool ReadNewPassword(std::string* password, UiLang lang) {
  if (!isatty(STDIN_FILENO)) {
    *password = ReadLine(false);
    return true;
  }
  std::cerr << Tr(lang, N_("new password: "));
  *password = ReadLine(false);
  std::cerr << Tr(lang, N_("again: "));
  if (ReadLine(false) != *password) {
    std::cerr << "sohoa user: " << Tr(lang, N_("the two passwords differ; nothing changed")) << "\n";
    return false;
  }
  return true;
}

// Who ran the command, for the audit log.
std::string Operator() {
  const char* user = std::getenv("USER");
  if (user != nullptr && *user) return std::string("cli:") + user;
  const passwd* entry = getpwuid(getuid());
  return std::string("cli:") + (entry != nullptr ? entry->pw_name : "uid " + std::to_string(getuid()));
}

}  // namespace

int UserMain(int argc, char** argv) {
  std::string action, name, archive, role_text = "reviewer";
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa user options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "role", po::value(&role_text),
      N_("reviewer (default), arbiter (also settles double-keying disagreements) admin (both, and sees the "
         "audit log) or clerk (only searches citizens' records and hands out extracts)"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("name", po::value(&name));
  po::options_description all;
  all.add(d).add(hidden);
  po::positional_options_description positional;
  positional.add("action", 1).add("name", 1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang,
                      N_("usage: sohoa user add    --archive DIR NAME [--role reviewer|arbiter|admin|clerk]\n"
                         "       sohoa user passwd --archive DIR NAME\n"
                         "       sohoa user remove --archive DIR NAME\n"
                         "       sohoa user unlock --archive DIR NAME   (clear its failed logins)\n"
                         "       sohoa user list   --archive DIR\n"
                         "Accounts of the review station (sohoa review), kept in DIR/review.sqlite.\n"
                         "The password is typed twice without echo, or read as the first line of stdin.\n"))
                << OptionTable(d);
      return kExitOk;
    }
    po::notify(vm);
    if (const std::string problem = UiLangProblem(vm, lang); !problem.empty()) {
      std::cerr << "sohoa user: " << problem << "\n";
      return kExitUsage;
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa user: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  if (archive.empty()) {
    std::cerr << "sohoa user: " << Tr(lang, N_("--archive is required")) << "\n";
    return kExitUsage;
  }
  if (action != "add" && action != "remove" && action != "passwd" && action != "unlock" && action != "list") {
    std::cerr << "sohoa user: "
              << Fill(Tr(lang, N_("unknown action '{action}' (add, remove, passwd, unlock or list)")),
                      {{"action", action}})
              << "\n";
    return kExitUsage;
  }
  if (action != "list" && name.empty()) {
    std::cerr << "sohoa user " << action << ": " << Tr(lang, N_("name the account")) << "\n";
    return kExitUsage;
  }
  Role role;
  if (!ParseRole(role_text, &role)) {
    std::cerr << "sohoa user: "
              << Fill(Tr(lang, N_("--role must be reviewer, arbiter, admin or clerk, not '{role}'")),
                      {{"role", role_text}})
              << "\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(archive + "/ledger.sqlite")) {
    std::cerr << "sohoa user: "
              << Fill(Tr(lang, N_("no sohoa archive at {archive} (no ledger.sqlite there)")),
                      {{"archive", archive}})
              << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<AccountStore>> store = OpenAccountStore(AccountStorePath(archive));
  if (!store.ok()) {
    std::cerr << "sohoa user: " << ErrorInLang(store.status().message(), lang) << "\n";
    return kExitUsage;
  }
  AccountStore& accounts = **store;
  Status s;
  if (action == "list") {
    StatusOr<std::vector<Account>> users = accounts.Users();
    if (!users.ok()) {
      std::cerr << "sohoa user: " << ErrorInLang(users.status().message(), lang) << "\n";
      return kExitUsage;
    }
    for (const Account& a : *users)
      std::cout << a.name << "\t" << RoleName(a.role) << "\t" << a.created_at << "\n";
    return kExitOk;
  }
  std::string password;
  if (action == "add" || action == "passwd") {
    if (!ReadNewPassword(&password, lang)) return kExitUsage;
  }
  if (action == "add") {
    s = accounts.AddUser(name, password, role);
    if (s.ok()) s = accounts.Audit(Operator(), "user_add", name, std::string("role=") + RoleName(role));
  } else if (action == "passwd") {
    s = accounts.SetPassword(name, password);
    if (s.ok()) s = accounts.Audit(Operator(), "user_passwd", name, "");
  } else if (action == "unlock") {
    s = accounts.Unlock(name);
    if (s.ok()) s = accounts.Audit(Operator(), "user_unlock", name, "");
  } else {
    s = accounts.RemoveUser(name);
    if (s.ok()) s = accounts.Audit(Operator(), "user_remove", name, "");
  }
  if (!s.ok()) {
    std::cerr << "sohoa user " << action << ": " << ErrorInLang(s.message(), lang) << "\n";
    return kExitUsage;
  }
  std::cerr << "sohoa user " << action << ": " << Fill(Tr(lang, N_("{name} done")), {{"name", name}}) << "\n";
  return kExitOk;
}

}  // namespace sohoa::cli
