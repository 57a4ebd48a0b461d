// A throwaway PgBouncer in front of a test cluster (tests/support/postgres_cluster.h):
// session pooling, trust authentication, a free local port, its log in a
// scratch folder (tests read it: one "new connection to server" line per
// server connection the pooler opened). Debian's /usr/sbin/pgbouncer
// (package `pgbouncer`); as root it runs as the `postgres` system user,
// since it refuses to run as root. Stopped when the object dies.
//
// Nothing is skipped: if it cannot start, ok() is false and error() says why.
#pragma once

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/support/free_port.h"
#include "tests/test_support.h"

namespace sohoa::testing {

class PgBouncer {
 public:
  // Pools connections to database `db` of the cluster listening on 127.0.0.1:`server_port`.
  PgBouncer(int server_port, const std::string& db) : dir_("pgbouncer"), db_(db) {
    error_ = Start(server_port);
  }
  ~PgBouncer() {
    const std::string pid = ReadPid();
    if (!pid.empty()) ::kill(std::stoi(pid), SIGINT);  // SIGINT: PgBouncer's fast shutdown
  }
  PgBouncer(const PgBouncer&) = delete;
  PgBouncer& operator=(const PgBouncer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::string Url() const { return "postgresql://sohoa@127.0.0.1:" + std::to_string(port_) + "/" + db_; }
  std::string Log() const { return ReadFile(dir_ / "pgbouncer.log"); }

 private:
  std::string ReadPid() const {
    const std::filesystem::path file = dir_ / "pgbouncer.pid";
    if (!std::filesystem::exists(file)) return "";
    std::string pid = ReadFile(file);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.find_first_not_of("0123456789") == std::string::npos ? pid : "";
  }

  std::string Start(int server_port) {
    const std::string binary = "/usr/sbin/pgbouncer";
    if (!std::filesystem::exists(binary)) return "no " + binary + " (install package pgbouncer)";
    const std::string dir = dir_.path().string();
    WriteFile(dir_ / "users.txt", "\"sohoa\" \"\"\n");
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = FreeLocalPort();
      WriteFile(dir_ / "pgbouncer.ini",
                "[databases]\n" + db_ + " = host=127.0.0.1 port=" + std::to_string(server_port) + " dbname=" +
                    db_ + " user=sohoa\n"
                    "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " + std::to_string(port_) +
                    "\nunix_socket_dir =\nauth_type = trust\nauth_file = " + dir + "/users.txt\n"
                    "pool_mode = session\ndefault_pool_size = 4\nserver_reset_query = DISCARD ALL\n"
                    "logfile = " + dir + "/pgbouncer.log\npidfile = " + dir + "/pgbouncer.pid\n");
      if (::geteuid() == 0) RunCommand("chown -R postgres: " + Quote(dir));
      const std::string run = binary + " -d " + Quote(dir + "/pgbouncer.ini");
      CommandResult started = RunCommand(::geteuid() == 0 ? "runuser -u postgres -- " + run : run);
      if (started.exit_code != 0) return "pgbouncer did not start: " + started.output;
      if (Answers()) return "";
      const std::string pid = ReadPid();
      if (!pid.empty()) ::kill(std::stoi(pid), SIGINT);
    }
    return "pgbouncer never answered on its port:\n" + Log();
  }

  // Whether the pooler takes connections (it daemonizes before it listens).
  bool Answers() const {
    for (int i = 0; i < 100; ++i) {
      if (PQping(Url().c_str()) == PQPING_OK) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  ScratchDir dir_;
  std::string db_, error_;
  int port_ = 0;
};

}  // namespace sohoa::testing
