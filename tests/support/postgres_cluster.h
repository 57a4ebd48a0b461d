// A throwaway PostgreSQL cluster for tests: initdb in a scratch folder, a
// postmaster on a free local port and a private socket folder, stopped and
// deleted when the object dies. Debian's server binaries
// (/usr/lib/postgresql/<version>/bin, package `postgresql`) are used; as root
// they run as the `postgres` system user (initdb refuses to run as root) via
// runuser, on a scratch folder chowned to it.
//
// Nothing is skipped: if the cluster cannot start, ok() is false and error()
// says why; tests ASSERT on it, so a machine without PostgreSQL fails.
#pragma once

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "tests/support/free_port.h"
#include "tests/test_support.h"

namespace sohoa::testing {

class PostgresCluster {
 public:
  // `password` empty: trust authentication. Otherwise scram-sha-256 with
  // that password for user "sohoa".
  explicit PostgresCluster(const std::string& password = "") : dir_("pgcluster") { error_ = Start(password); }
  ~PostgresCluster() {
    if (started_) RunCommand(AsOwner(Bin("pg_ctl") + " -D " + Quote(data_) + " -m immediate -w stop"));
  }
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // URL of database `db` for user sohoa (with `password` if given).
  std::string Url(const std::string& db, const std::string& password = "") const {
    return "postgresql://sohoa" + (password.empty() ? "" : ":" + password) +
           "@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }

  // Creates a fresh empty database; returns its URL (empty + `error` on failure).
  std::string NewDatabase(std::string* error, const std::string& password = "") {
    static std::atomic<int> counter{0};
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    PGconn* conn = PQconnectdb(Url("postgres", password).c_str());
    std::string problem;
    if (PQstatus(conn) != CONNECTION_OK) {
      problem = PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK) problem = PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(conn);
    if (!problem.empty()) {
      *error = "creating database " + name + ": " + problem;
      return "";
    }
    return Url(name, password);
  }

 private:
  static std::string BinDir() {
    std::string best;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      if (std::filesystem::exists(e.path() / "bin" / "initdb") && e.path().string() > best) {
        best = e.path().string();
      }
    }
    return best.empty() ? "" : best + "/bin";
  }
  std::string Bin(const std::string& tool) const { return Quote(bin_ + "/" + tool); }
  std::string AsOwner(const std::string& command) const {
    return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  }

  std::string Start(const std::string& password) {
    bin_ = BinDir();
    if (bin_.empty()) return "no PostgreSQL server under /usr/lib/postgresql (install package postgresql)";
    data_ = (dir_ / "data").string();
    const std::string sockets = (dir_ / "sock").string();
    std::filesystem::create_directories(sockets);
    if (::geteuid() == 0) {
      if (::getpwnam("postgres") == nullptr) return "no postgres system user (install package postgresql)";
      CommandResult chown = RunCommand("chown -R postgres: " + Quote(dir_.path().string()));
      if (chown.exit_code != 0) return "chown of the cluster folder failed: " + chown.output;
    }
    std::string auth = "--auth=trust";
    if (!password.empty()) {
      const std::string pwfile = (dir_ / "pwfile").string();
      WriteFile(pwfile, password + "\n");
      if (::geteuid() == 0) RunCommand("chown postgres: " + Quote(pwfile));
      auth = "--auth=scram-sha-256 --pwfile=" + Quote(pwfile);
    }
    CommandResult init =
        RunCommand(AsOwner(Bin("initdb") + " -D " + Quote(data_) + " -U sohoa -E UTF8 --no-sync " + auth));
    if (init.exit_code != 0) return "initdb failed: " + init.output;
    // A free port can be taken between probing and binding: retry a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = FreeLocalPort();
      const std::string options = "-p " + std::to_string(port_) + " -k " + sockets +
                                  " -c listen_addresses=127.0.0.1 -c fsync=off"
                                  " -c max_connections=50";
      CommandResult start =
          RunCommand(AsOwner(Bin("pg_ctl") + " -D " + Quote(data_) + " -o " + Quote(options) + " -l " +
                             Quote((dir_ / "server.log").string()) + " -w -t 60 start"));
      if (start.exit_code == 0) {
        started_ = true;
        return "";
      }
      if (attempt == 4) {
        return "pg_ctl start failed: " + start.output + "\n" + ReadFile(dir_ / "server.log");
      }
    }
    return "pg_ctl start failed";
  }

  ScratchDir dir_;
  std::string bin_, data_, error_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace sohoa::testing
