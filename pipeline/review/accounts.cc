#include "pipeline/review/accounts.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <mutex>

#include "pipeline/core/error_text.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/sha256.h"
#include "pipeline/ledger/sqlite_db.h"

namespace sohoa {
namespace {

// Append-only: PRAGMA user_version counts the entries applied.
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE users (
      name          TEXT PRIMARY KEY,
      role          TEXT NOT NULL CHECK (role IN ('reviewer','admin')),
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sessions (
      token_sha256  TEXT PRIMARY KEY,
      user          TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      csrf_token    TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    );
    CREATE TABLE audit (
      id      INTEGER PRIMARY KEY AUTOINCREMENT,
      at      TEXT NOT NULL,
      user    TEXT NOT NULL,
      action  TEXT NOT NULL,
      target  TEXT NOT NULL DEFAULT '',
      detail  TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    )sql",
    // Issue 15: backoff per account and per client address instead of the
    // users' hard lock (failed_logins/locked_until are no longer used), and
    // refused logins counted apart from the audit log.
    R"sql(
    CREATE TABLE login_backoff (
      key          TEXT PRIMARY KEY,      -- 'account:<sha256 of name>' | 'address:<ip>'
      failures     INTEGER NOT NULL,
      next_allowed INTEGER NOT NULL,      -- unix seconds
      last_failure INTEGER NOT NULL
    );
    CREATE TABLE login_failures (
      hour     TEXT NOT NULL,
      address  TEXT NOT NULL,
      account  TEXT NOT NULL,
      count    INTEGER NOT NULL,
      first_at TEXT NOT NULL,
      last_at  TEXT NOT NULL,
      PRIMARY KEY (hour, address, account)
    );
    )sql",
    // Issue 18: the arbiter role (double keying). SQLite cannot change a
    // CHECK, so the table is rebuilt; the sessions that reference it are set
    // aside and put back (with foreign keys on, a rename or drop of "users"
    // would rewrite or cascade into them).
    R"sql(
    CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;
    DROP TABLE sessions;
    CREATE TABLE users_v3 (
      name          TEXT PRIMARY KEY,
      role          TEXT NOT NULL CHECK (role IN ('reviewer','arbiter','admin')),
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until  INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO users_v3 SELECT name, role, password_hash, created_at, failed_logins, locked_until FROM users;
    DROP TABLE users;
    ALTER TABLE users_v3 RENAME TO users;
    CREATE TABLE sessions (
      token_sha256  TEXT PRIMARY KEY,
      user          TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      csrf_token    TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    );
    INSERT INTO sessions SELECT * FROM temp.sessions_kept;
    DROP TABLE temp.sessions_kept;
    )sql",
    // Issue 22: the clerk role (searches citizens' records, nothing else).
    // The same rebuild as for the arbiter: accounts and sessions are kept.
    R"sql(
    CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;
    DROP TABLE sessions;
    CREATE TABLE users_v4 (
      name          TEXT PRIMARY KEY,
      role          TEXT NOT NULL CHECK (role IN ('reviewer','arbiter','admin','clerk')),
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until  INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO users_v4 SELECT name, role, password_hash, created_at, failed_logins, locked_until FROM users;
    DROP TABLE users;
    ALTER TABLE users_v4 RENAME TO users;
    CREATE TABLE sessions (
      token_sha256  TEXT PRIMARY KEY,
      user          TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      csrf_token    TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    );
    INSERT INTO sessions SELECT * FROM temp.sessions_kept;
    DROP TABLE temp.sessions_kept;
    )sql",
};

// One answer for an unknown name, a wrong password and a wait (no hint of which).
std::string RefusedLogin() { return ErrorText("accounts.refused_login", {}); }

std::string AccountKey(const std::string& name) { return "account:" + Sha256Hex(name); }
std::string AddressKey(const std::string& address) { return "address:" + address; }

// The wait after `failures` wrong passwords in a row.
int64_t BackoffSeconds(int64_t failures, const LoginPolicy& policy, int64_t max_delay) {
  if (failures <= policy.free_failures) return 0;
  const int64_t doublings = std::min<int64_t>(failures - policy.free_failures - 1, 30);
  return std::min(max_delay, policy.first_delay_seconds << doublings);
}

using sqlite::Statement;

// A duplicate account name is the caller's (AddUser says so); any other
// failure goes through the one mapping (pipeline/ledger/sqlite_db.h).
Status Check(sqlite3* db, int rc, const std::string& what) { return sqlite::Check(db, rc, "accounts", what); }

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  return hex;
}

Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > 64) return Status::InvalidInput(ErrorText("accounts.name_length", {}));
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Status::InvalidInput(ErrorText("accounts.name_characters", {{"name", name}}));
    }
  }
  return Status::Ok();
}

StatusOr<std::string> HashPassword(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidInput(
        ErrorText("accounts.password_short", {{"n", std::to_string(kMinPasswordLength)}}));
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal(ErrorText("accounts.hashing_memory", {}));
  }
  return std::string(hash);
}

class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(sqlite3* db) : db_(db) {}
  ~SqliteAccountStore() override { sqlite3_close_v2(db_); }

  Status Initialise() {
    SOHOA_RETURN_IF_ERROR(sqlite::Migrate(db_, "accounts", kMigrations, std::size(kMigrations)));
    // A dummy hash for logins of unknown names (same cost as a real one).
    StatusOr<std::string> dummy = HashPassword(RandomHex(16));
    if (!dummy.ok()) return dummy.status();
    dummy_hash_ = *dummy;
    return Status::Ok();
  }

  Status AddUser(const std::string& name, const std::string& password, Role role) override {
    SOHOA_RETURN_IF_ERROR(CheckName(name));
    StatusOr<std::string> hash = HashPassword(password);
    if (!hash.ok()) return hash.status();
    std::lock_guard<std::mutex> lock(mutex_);
    Statement insert(db_, "INSERT INTO users(name, role, password_hash, created_at) VALUES(?1, ?2, ?3, ?4)");
    insert.Bind(1, name).Bind(2, std::string(RoleName(role))).Bind(3, *hash).Bind(4, NowUtcIso8601());
    const int rc = insert.Step();
    if (rc == SQLITE_CONSTRAINT) return Status::InvalidInput(ErrorText("accounts.exists", {{"name", name}}));
    return Check(db_, rc, "adding account " + name);
  }

  Status RemoveUser(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement sessions(db_, "DELETE FROM sessions WHERE user=?1");
    sessions.Bind(1, name);
    SOHOA_RETURN_IF_ERROR(Check(db_, sessions.Step(), "ending sessions of " + name));
    Statement remove(db_, "DELETE FROM users WHERE name=?1");
    remove.Bind(1, name);
    SOHOA_RETURN_IF_ERROR(Check(db_, remove.Step(), "removing account " + name));
    if (sqlite3_changes(db_) != 1) return Status::NotFound(ErrorText("accounts.none", {{"name", name}}));
    return Status::Ok();
  }

  Status SetPassword(const std::string& name, const std::string& password) override {
    StatusOr<std::string> hash = HashPassword(password);
    if (!hash.ok()) return hash.status();
    std::lock_guard<std::mutex> lock(mutex_);
    Statement update(db_, "UPDATE users SET password_hash=?2 WHERE name=?1");
    update.Bind(1, name).Bind(2, *hash);
    SOHOA_RETURN_IF_ERROR(Check(db_, update.Step(), "changing the password of " + name));
    if (sqlite3_changes(db_) != 1) return Status::NotFound(ErrorText("accounts.none", {{"name", name}}));
    SOHOA_RETURN_IF_ERROR(ClearBackoffLocked(AccountKey(name)));
    Statement sessions(db_, "DELETE FROM sessions WHERE user=?1");
    sessions.Bind(1, name);
    return Check(db_, sessions.Step(), "ending sessions of " + name);
  }

  StatusOr<std::vector<Account>> Users() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT name, role, created_at FROM users ORDER BY name");
    std::vector<Account> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Account a;
      a.name = q.Text(0);
      ParseRole(q.Text(1), &a.role);
      a.created_at = q.Text(2);
      out.push_back(std::move(a));
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "listing accounts"));
    return out;
  }

  StatusOr<NewSession> Login(const std::string& name, const std::string& password,
                             const std::string& client_address, const SessionPolicy& policy) override {
    const std::string account_key = AccountKey(name), address_key = AddressKey(client_address);
    std::string hash = dummy_hash_, role_text;
    bool known = false, waiting = false;
    int64_t now = NowUnixSeconds();
    {
      // Check and count the attempt in one transaction, before verifying:
      // simultaneous guesses each see the count the others left.
      std::lock_guard<std::mutex> lock(mutex_);
      SOHOA_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
      Status s = [&]() -> Status {
        Statement q(db_, "SELECT password_hash, role FROM users WHERE name=?1");
        q.Bind(1, name);
        const int rc = q.Step();
        if (rc == SQLITE_ROW) {
          known = true;
          hash = q.Text(0);
          role_text = q.Text(1);
        } else {
          SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up account"));
        }
        StatusOr<Backoff> by_account = ReadBackoffLocked(account_key);
        if (!by_account.ok()) return by_account.status();
        StatusOr<Backoff> by_address = ReadBackoffLocked(address_key);
        if (!by_address.ok()) return by_address.status();
        waiting = by_account->next_allowed > now || by_address->next_allowed > now;
        if (waiting) return CountFailureLocked(client_address, known ? name : "");
        SOHOA_RETURN_IF_ERROR(WriteBackoffLocked(account_key, by_account->failures + 1, now, policy.login,
                                                 policy.login.account_max_delay_seconds));
        return WriteBackoffLocked(address_key, by_address->failures + 1, now, policy.login,
                                  policy.login.address_max_delay_seconds);
      }();
      if (!s.ok()) {
        (void)Exec("ROLLBACK");
        return s;
      }
      SOHOA_RETURN_IF_ERROR(Exec("COMMIT"));
      if (waiting) return Status::Busy(RefusedLogin());  // the password is not even checked
    }
    // Verify outside the lock: it takes a fraction of a second by design.
    const bool match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0 && known;
    now = NowUnixSeconds();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!match) {
      SOHOA_RETURN_IF_ERROR(CountFailureLocked(client_address, known ? name : ""));
      return Status::InvalidInput(RefusedLogin());
    }
    SOHOA_RETURN_IF_ERROR(ClearBackoffLocked(account_key));
    SOHOA_RETURN_IF_ERROR(ClearBackoffLocked(address_key));
    NewSession out;
    out.token = RandomHex(32);
    out.session.user = name;
    ParseRole(role_text, &out.session.role);
    out.session.csrf_token = RandomHex(32);
    out.session.expires_at = now + policy.idle_seconds;
    Statement insert(db_,
                     "INSERT INTO sessions(token_sha256, user, csrf_token, created_at, expires_at) "
                     "VALUES(?1, ?2, ?3, ?4, ?5)");
    insert.Bind(1, Sha256Hex(out.token))
        .Bind(2, name)
        .Bind(3, out.session.csrf_token)
        .Bind(4, now)
        .Bind(5, out.session.expires_at);
    SOHOA_RETURN_IF_ERROR(Check(db_, insert.Step(), "opening a session"));
    Statement purge(db_, "DELETE FROM sessions WHERE expires_at < ?1");
    purge.Bind(1, now);
    SOHOA_RETURN_IF_ERROR(Check(db_, purge.Step(), "purging expired sessions"));
    SOHOA_RETURN_IF_ERROR(AuditLocked(name, "login", name, ""));
    return out;
  }

  Status Unlock(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "SELECT 1 FROM users WHERE name=?1");
    q.Bind(1, name);
    const int rc = q.Step();
    if (rc != SQLITE_ROW) {
      SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up account " + name));
      return Status::NotFound(ErrorText("accounts.none", {{"name", name}}));
    }
    return ClearBackoffLocked(AccountKey(name));
  }

  StatusOr<Session> Authenticate(const std::string& token, const SessionPolicy& policy) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = NowUnixSeconds();
    Statement q(db_,
                "SELECT s.user, u.role, s.csrf_token, s.created_at, s.expires_at FROM sessions s "
                "JOIN users u ON u.name = s.user WHERE s.token_sha256=?1");
    q.Bind(1, Sha256Hex(token));
    const int rc = q.Step();
    if (rc != SQLITE_ROW) {
      SOHOA_RETURN_IF_ERROR(Check(db_, rc, "looking up session"));
      return Status::NotFound(ErrorText("accounts.not_logged_in", {}));
    }
    Session s;
    s.user = q.Text(0);
    ParseRole(q.Text(1), &s.role);
    s.csrf_token = q.Text(2);
    const int64_t created = q.Int(3);
    if (q.Int(4) < now || created + policy.max_seconds < now)
      return Status::NotFound(ErrorText("accounts.session_expired", {}));
    s.expires_at = std::min(now + policy.idle_seconds, created + policy.max_seconds);
    Statement touch(db_, "UPDATE sessions SET expires_at=?2 WHERE token_sha256=?1");
    touch.Bind(1, Sha256Hex(token)).Bind(2, s.expires_at);
    SOHOA_RETURN_IF_ERROR(Check(db_, touch.Step(), "extending session"));
    return s;
  }

  Status Logout(const std::string& token) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_, "DELETE FROM sessions WHERE token_sha256=?1 RETURNING user");
    q.Bind(1, Sha256Hex(token));
    const int rc = q.Step();
    if (rc == SQLITE_ROW) {
      const std::string user = q.Text(0);
      while (q.Step() == SQLITE_ROW) {
      }
      return AuditLocked(user, "logout", user, "");
    }
    return Check(db_, rc, "ending session");
  }

  Status Audit(const std::string& user, const std::string& action, const std::string& target,
               const std::string& detail) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return AuditLocked(user, action, target, detail);
  }

  StatusOr<std::vector<AuditEntry>> AuditLog(const AuditQuery& query) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT id, at, user, action, target, detail FROM audit WHERE (?2<=0 OR id<?2) "
                "AND (?3='' OR action=?3) AND (?4='' OR user=?4) ORDER BY id DESC LIMIT ?1");
    q.Bind(1, static_cast<int64_t>(std::clamp(query.limit, 1, kMaxAuditPage)))
        .Bind(2, query.before_id)
        .Bind(3, query.action)
        .Bind(4, query.user);
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back(AuditEntry{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5)});
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading the audit log"));
    return out;
  }

  StatusOr<std::vector<LoginFailureSummary>> LoginFailures(int limit, int offset) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement q(db_,
                "SELECT hour, address, account, count, first_at, last_at FROM login_failures "
                "ORDER BY hour DESC, last_at DESC LIMIT ?1 OFFSET ?2");
    q.Bind(1, static_cast<int64_t>(std::clamp(limit, 1, kMaxAuditPage)))
        .Bind(2, static_cast<int64_t>(std::max(offset, 0)));
    std::vector<LoginFailureSummary> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back(LoginFailureSummary{q.Text(0), q.Text(1), q.Text(2), q.Int(3), q.Text(4), q.Text(5)});
    }
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading refused logins"));
    return out;
  }

 private:
  Status AuditLocked(const std::string& user, const std::string& action, const std::string& target,
                     const std::string& detail) {
    Statement insert(db_, "INSERT INTO audit(at, user, action, target, detail) VALUES(?1, ?2, ?3, ?4, ?5)");
    insert.Bind(1, NowUtcIso8601()).Bind(2, user).Bind(3, action).Bind(4, target).Bind(5, detail);
    return Check(db_, insert.Step(), "appending to the audit log");
  }

  struct Backoff {
    int64_t failures = 0;
    int64_t next_allowed = 0;
  };

  StatusOr<Backoff> ReadBackoffLocked(const std::string& key) {
    Statement q(db_, "SELECT failures, next_allowed FROM login_backoff WHERE key=?1");
    q.Bind(1, key);
    const int rc = q.Step();
    if (rc == SQLITE_ROW) return Backoff{q.Int(0), q.Int(1)};
    SOHOA_RETURN_IF_ERROR(Check(db_, rc, "reading failed logins"));
    return Backoff{};
  }

  Status WriteBackoffLocked(const std::string& key, int64_t failures, int64_t now, const LoginPolicy& policy,
                            int64_t max_delay) {
    Statement upsert(
        db_,
        "INSERT INTO login_backoff(key, failures, next_allowed, last_failure) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(key) DO UPDATE SET failures=?2, next_allowed=?3, last_failure=?4");
    upsert.Bind(1, key)
        .Bind(2, failures)
        .Bind(3, now + BackoffSeconds(failures, policy, max_delay))
        .Bind(4, now);
    SOHOA_RETURN_IF_ERROR(Check(db_, upsert.Step(), "counting a failed login"));
    // Counts of a day ago are forgotten: the table cannot grow without end.
    Statement forget(db_, "DELETE FROM login_backoff WHERE last_failure < ?1");
    forget.Bind(1, now - 24 * 3600);
    return Check(db_, forget.Step(), "forgetting old failed logins");
  }

  Status ClearBackoffLocked(const std::string& key) {
    Statement clear(db_, "DELETE FROM login_backoff WHERE key=?1");
    clear.Bind(1, key);
    return Check(db_, clear.Step(), "clearing failed logins");
  }

  // One more refused login this hour from `address` for `account`.
  Status CountFailureLocked(const std::string& address, const std::string& account) {
    const std::string at = NowUtcIso8601();
    Statement upsert(db_,
                     "INSERT INTO login_failures(hour, address, account, count, first_at, last_at) "
                     "VALUES(?1, ?2, ?3, 1, ?4, ?4) ON CONFLICT(hour, address, account) "
                     "DO UPDATE SET count=count+1, last_at=?4");
    upsert.Bind(1, at.substr(0, 13)).Bind(2, address).Bind(3, account).Bind(4, at);
    return Check(db_, upsert.Step(), "counting a refused login");
  }

  Status Exec(const std::string& sql) { return sqlite::Exec(db_, "accounts", sql); }

  std::mutex mutex_;
  sqlite3* db_;
  std::string dummy_hash_;
};

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kArbiter:
      return "arbiter";
    case Role::kClerk:
      return "clerk";
    default:
      return "reviewer";
  }
}

bool CanArbitrate(Role role) { return role == Role::kArbiter || role == Role::kAdmin; }

bool ParseRole(const std::string& text, Role* role) {
  if (text == "admin") {
    *role = Role::kAdmin;
  } else if (text == "arbiter") {
    *role = Role::kArbiter;
  } else if (text == "reviewer") {
    *role = Role::kReviewer;
  } else if (text == "clerk") {
    *role = Role::kClerk;
  } else {
    return false;
  }
  return true;
}

std::string AccountStorePath(const std::string& archive_dir) { return archive_dir + "/review.sqlite"; }

StatusOr<std::unique_ptr<AccountStore>> OpenAccountStore(const std::string& path) {
  if (sodium_init() < 0) return Status::Configuration(ErrorText("accounts.no_libsodium", {}));
  Status made = MakePrivateFile(path, /*narrow_existing=*/true);
  if (!made.ok())
    return Status::Unavailable(ErrorText("accounts.store_unavailable", {{"cause", made.message()}}));
  StatusOr<sqlite3*> db = sqlite::Open(path, "account store");
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteAccountStore>(*db);
  Status s = store->Initialise();
  if (!s.ok()) return s.WithContext("account store " + path);
  return std::unique_ptr<AccountStore>(std::move(store));
}

}  // namespace sohoa
