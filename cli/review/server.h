// `sohoa review`'s HTTP server (issue 9): the embedded web application and
// its JSON API, on cpp-httplib.
//
// API (JSON; every /api route but login needs a session cookie, and every
// POST but login the session's CSRF token in X-CSRF-Token):
//   POST /api/login {user, password}      -> sets the session cookie; {user, role, csrf}
//   POST /api/logout
//   GET  /api/session                     -> {user, role, csrf, ui_lang}
//   GET  /api/queue?reason=&type=&batch=  -> {items, counts: {reason, type, batch}, total}
//   GET  /api/documents/<sha>             -> the form's facts (ReviewService::DocumentJson)
//   GET  /api/documents/<sha>/pages/<n>.png, /api/documents/<sha>/words
//   POST /api/check {doc_type, fields}    -> {key: {value, problem}}
//   POST /api/documents/<sha>/confirm {version, doc_type, fields, record_id}
//        -> 200 {pdf, bag, changed} | 409 someone else confirmed first | 422 a value fails
//   GET  /api/audit (admin)               -> the newest audit entries
// Errors: {"error": message, "code": "login_required" | "forbidden" | "csrf" |
// "conflict" | "invalid" | "not_found" | "locked" | "internal"}.
//
// Security: the session cookie is HttpOnly and SameSite=Strict; POSTs must
// carry the CSRF token and a JSON body (a cross-site form cannot send either);
// a request whose Origin is not this server is refused; responses forbid
// framing, sniffing and caching and allow only this server's scripts. The
// request log names method, path, status and account, never a query, body or
// personal data.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "pipeline/accounts.h"
#include "pipeline/review.h"

namespace sohoa::cli {

struct ReviewServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;            // 0: any free port (tests)
  std::string ui_lang = "vi";  // default interface language: vi | en
  SessionPolicy sessions;
};

class ReviewServer {
 public:
  virtual ~ReviewServer() = default;
  // Binds the listening socket; returns the port. kConfiguration when the
  // address cannot be bound (in use, not local).
  virtual StatusOr<int> Bind() = 0;
  // Serves until Stop() (from another thread or a signal handler's thread).
  virtual void Serve() = 0;
  virtual void Stop() = 0;
};

// `service`, `accounts` and `log` must outlive the server.
std::unique_ptr<ReviewServer> NewReviewServer(ReviewService* service, AccountStore* accounts,
                                              const ReviewServerOptions& options, std::ostream* log);

}  // namespace sohoa::cli
