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
// The keying station (issue 18):
//   GET  /api/codelists                   -> the type-ahead lists (code_lists.h)
//   GET  /api/documents/<sha>/pages/<n>/region.png?x=&y=&w=&h=
//        -> that part of page n (thousandths of the page), at most 1600 px a side
//   GET  /api/documents/<sha>/draft       -> {draft: null | {doc_type, fields, saved_at}}
//   POST /api/documents/<sha>/draft {doc_type, fields} -> {saved: true}
//        (the caller's own draft, only while the input is in review: 409
//        after; audited when made and when restored, by input and field
//        count only; a confirmation removes the input's drafts)
// Double keying (issue 18, double_keying.h), when the station has a DoubleKeying:
//   GET  /api/documents/<sha> and /api/queue items carry keying: {double_keyed,
//        keyings, you_keyed, step} / keying_step for the caller
//   POST /api/documents/<sha>/confirm also takes stats {keystrokes, seconds,
//        field_seconds}; a blind keying answers 202 {keyed: "first" |
//        "arbitration", disagreements}; the same person twice: 403
//   GET  /api/documents/<sha>/keyings     -> both keyings, for an arbiter who keyed
//        neither, once both are in (403 otherwise; 409 before both are in)
//   POST /api/documents/<sha>/arbitrate {version, doc_type, fields, record_id, stats}
//        -> 200 {pdf, bag, changed}: the disagreed fields settled, the entry archived
// Many operators (issue 18, assignments.h), when the station has Assignments:
//   POST /api/next                        -> {sha256: the entry now leased to the caller | null
//        when none is left, lease_seconds}
//   POST /api/documents/<sha>/take        -> 200 {held, lease_seconds}: taken or renewed (the
//        open entry's heartbeat) | 409 another operator holds it | 403 not the caller's to key
//   confirm and arbitrate take the lease too (409 when another operator holds
//   the entry) and end it once keyed
//   GET  /api/audit?before=&limit=&action=&user= (admin)
//        -> {entries (newest first, at most limit<=500), next_before}
//   GET  /api/audit/logins?offset=&limit= (admin)
//        -> {failures: [{hour, address, account, count, first_at, last_at}]}
// The clerk's search (issue 22, clerk_desk.h), when the station has a
// ClerkDesk: /api/clerk/... for accounts with the clerk role only, and a
// clerk is refused (403) every route but those, /api/session and /api/logout.
// Errors: {"error": message, "code": "login_required" | "wrong_password" |
// "forbidden" | "csrf" | "conflict" | "invalid" | "not_found" | "too_large" |
// "too_slow" | "misdirected" | "busy" | "too_many" | "internal"}. Messages never hold an
// absolute path; internal errors say only that (the details go to the log).
//
// Security: the session cookie is HttpOnly and SameSite=Strict; POSTs must
// carry the CSRF token and a JSON body (a cross-site form cannot send either);
// a request whose Origin is not this server is refused, and so is one whose
// Host is not a name of this station (the --listen address, loopback names,
// the address the connection came to, the public URL's host: a DNS-rebinding
// page cannot reach it); responses forbid framing, sniffing and caching and
// allow only this server's scripts; the cookie is Secure when the public URL
// is https. Bodies, headers, connections and JSON depth are bounded
// (bounded_http.h, json_body.h). The request log names method, path, status
// and account, never a query, body or personal data, with control characters
// escaped (one line per request).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "cli/review/bounded_http.h"
#include "cli/review/clerk_desk.h"
#include "pipeline/review/accounts.h"
#include "pipeline/review/assignments.h"
#include "pipeline/review/double_keying.h"
#include "pipeline/review/drafts.h"
#include "pipeline/review/review.h"

namespace sohoa::cli {

struct ReviewServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port (tests)
  std::string ui_lang = "vi";  // default interface language: vi | en
  // The address people open behind a TLS proxy, e.g.
  // "https://review.example.vn": its host joins the Host allow-list; https
  // makes the session cookie Secure. "" for none.
  std::string public_url;
  SessionPolicy sessions;
  HttpLimits limits;
  // The keying station's type-ahead lists (CodeListsJson); "" serves {}.
  std::string code_lists_json;
  // Operators' drafts; nullptr: the draft routes answer 503 and the
  // browser keeps working without them. Must outlive the server.
  DraftStore* drafts = nullptr;
  // The clerk's search page (issue 22); nullptr: no /api/clerk routes.
  // Must outlive the server.
  ClerkDesk* clerk = nullptr;
  // Double keying and the keying figures; nullptr: every confirmation is
  // final at once (and no figures are kept). Must outlive the server.
  DoubleKeying* keying = nullptr;
  // Who keys which entry (leases in the ledger); nullptr: any operator may
  // key any entry, as before. Must outlive the server.
  Assignments* assignments = nullptr;
};

// The host (lower case, without port) and scheme of a --public-url; false
// when it is not http(s)://HOST[:PORT][/...].
bool ParsePublicUrl(const std::string& url, std::string* host, bool* https);

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
