// Staff accounts, login sessions and the audit log of the review station
// (issue 9). Kept in their own SQLite file beside the ledger,
// <archive>/review.sqlite, so the ledger's schema (shared with PostgreSQL
// fleets) carries no passwords.
//
// Passwords: libsodium's crypto_pwhash_str (Argon2id, a random salt per
// password, the "interactive" cost: ~64 MiB and a fraction of a second), so a
// stolen file gives no password back cheaply. A login for an unknown name
// still spends one hash verification, so timing does not tell which names
// exist.
//
// Guessing is slowed per account name and per client address (issue 15),
// never stopped hard for everyone: after `free_failures` wrong passwords
// each further attempt must wait, 2 s, 4 s, 8 s ... up to
// `account_max_delay_seconds` for the name (so an attacker cannot keep its
// owner out for long) and `address_max_delay_seconds` for the address (which
// bears the real cost). The failure is counted before the password is
// verified, in one transaction, so a burst of simultaneous guesses cannot
// outrun the counter. Names that do not exist are counted the same way, and
// a refusal while waiting says exactly what a wrong password says: nothing
// tells which names exist. A correct login, a new password or `Unlock`
// clears an account's count.
//
// Sessions: a random 256-bit token given to the browser once (in an
// HttpOnly, SameSite=Strict cookie); only its SHA-256 is stored. A session
// expires after `idle_seconds` without a request and at most
// `max_seconds` after login, and when its account is removed, its password
// changed, or the person logs out. Each session carries its own random CSRF
// token that every state-changing request must echo.
//
// Audit log: every login, logout, account change and review is appended
// with who, when, what and on which input; the table refuses UPDATE and
// DELETE (SQLite triggers). Refused logins are not audit entries (anyone can
// make them, and they would push the reviews out of view): they are counted
// per hour, client address and account in their own table. Entries name inputs by hash and fields
// by key, never by personal data (names, ID numbers): values stay in the
// ledger's review history, where the archive already keeps them.
//
// Thread-safety: all methods may be called from several threads at once (one
// connection serialised by a mutex; several processes may share the file).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// A reviewer reviews and keys; an arbiter also settles the fields two
// keyers typed differently (double keying, issue 18); an admin may do
// both and reads the audit log. A clerk (issue 22) only searches citizens'
// records and hands out extracts: no review queue, no documents in review
// beyond what a search shows; no other role searches.
enum class Role { kReviewer, kAdmin, kArbiter, kClerk };
const char* RoleName(Role role);                      // "reviewer" / "arbiter" / "admin" / "clerk"
bool ParseRole(const std::string& text, Role* role);  // false if none of them
bool CanArbitrate(Role role);                         // arbiter or admin

struct Account {
  std::string name;
  Role role = Role::kReviewer;
  std::string created_at;  // ISO 8601 UTC
};

struct Session {
  std::string user;
  Role role = Role::kReviewer;
  std::string csrf_token;  // 64 hex digits
  int64_t expires_at = 0;  // unix seconds (idle expiry, already extended)
};

struct NewSession {
  std::string token;  // give to the browser; not stored anywhere
  Session session;
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;      // ISO 8601 UTC
  std::string user;    // "" for a refused login of an unknown name
  std::string action;  // "login", "login_refused", "logout", "user_add", "review_confirm", ...
  std::string target;  // input sha256, account name, ...
  std::string detail;  // field keys changed, reason refused; never personal data
};

// Refused logins of one hour from one client address for one account
// ("" when no such account: the name typed may have been a password).
struct LoginFailureSummary {
  std::string hour;     // "2026-11-30T03" (UTC)
  std::string address;  // client IP address
  std::string account;
  int64_t count = 0;
  std::string first_at, last_at;  // ISO 8601 UTC
};

// Which audit entries to read: newest first, `limit` at most (1-500), older
// than entry `before_id` when > 0, only `action` / `user` when not empty.
struct AuditQuery {
  int limit = 100;
  int64_t before_id = 0;
  std::string action;
  std::string user;
};

struct LoginPolicy {
  int free_failures = 5;                        // wrong passwords before any wait
  int64_t first_delay_seconds = 2;              // then 2, 4, 8, ... seconds
  int64_t account_max_delay_seconds = 60;       // per account name
  int64_t address_max_delay_seconds = 15 * 60;  // per client address
};

struct SessionPolicy {
  int64_t idle_seconds = 30 * 60;
  int64_t max_seconds = 10 * 60 * 60;
  LoginPolicy login;
};

inline constexpr size_t kMinPasswordLength = 10;
inline constexpr int kMaxAuditPage = 500;

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Account names: 1-64 of [a-z0-9._-] (they appear in logs and the ledger).
  // kInvalidInput for a bad name, a password shorter than kMinPasswordLength
  // or an existing name.
  virtual Status AddUser(const std::string& name, const std::string& password, Role role) = 0;
  // kNotFound for an unknown name. Ends the account's sessions.
  virtual Status RemoveUser(const std::string& name) = 0;
  // kNotFound / kInvalidInput (short password). Ends the account's sessions.
  virtual Status SetPassword(const std::string& name, const std::string& password) = 0;
  virtual StatusOr<std::vector<Account>> Users() = 0;

  // Checks the password of a login from `client_address` and opens a
  // session. kInvalidInput "wrong user name or password" for an unknown name
  // and a wrong password; kBusy, with the same message, when the name or the
  // address must still wait (the password was not checked). Every refusal is
  // counted in LoginFailures().
  virtual StatusOr<NewSession> Login(const std::string& name, const std::string& password,
                                     const std::string& client_address, const SessionPolicy& policy) = 0;
  // Clears the account's failed-login count (`sohoa user unlock`).
  // kNotFound for an unknown name.
  virtual Status Unlock(const std::string& name) = 0;
  // The live session of `token`, its idle expiry extended. kNotFound when
  // unknown, expired or ended.
  virtual StatusOr<Session> Authenticate(const std::string& token, const SessionPolicy& policy) = 0;
  virtual Status Logout(const std::string& token) = 0;

  // Appends one entry (at = now).
  virtual Status Audit(const std::string& user, const std::string& action, const std::string& target,
                       const std::string& detail) = 0;
  // Entries as `query` asks, newest first.
  virtual StatusOr<std::vector<AuditEntry>> AuditLog(const AuditQuery& query) = 0;
  // Refused logins, newest hour first: `limit` rows (1-500) after skipping `offset`.
  virtual StatusOr<std::vector<LoginFailureSummary>> LoginFailures(int limit, int offset) = 0;
};

// <archive_dir>/review.sqlite.
std::string AccountStorePath(const std::string& archive_dir);

// Opens (creating and migrating if needed) the store at `path`, a file only
// its owner may read (0600: it holds password hashes). kConfiguration
// when libsodium cannot be initialised; kUnavailable when the file cannot be opened
// or written (a full or read-only disk, as for the ledger).
StatusOr<std::unique_ptr<AccountStore>> OpenAccountStore(const std::string& path);

}  // namespace sohoa
