// The review station's search page for the `clerk` role (issue 22, part 2):
// `sohoa find`'s search (pipeline/report/find.h), its access log, and the
// citizen's extract (pipeline/report/extract.h), over HTTP.
//
//   POST /api/clerk/search {holder | name [, birth_date], type?, purpose}
//        -> find's JSON ({query_kind, count, truncated, records}); 422 without
//        a purpose or with a malformed value (the value is never repeated);
//        429 with Retry-After (seconds) past `searches_per_minute`
//   GET  /api/clerk/records/<sha>/pdf[?download=1]
//        -> the record's current PDF, inline or as an attachment
//   GET  /api/clerk/records/<sha>/extract
//        -> a zip: the archived PDF/A as archived and, when the station has
//        the organisation's key (--org-key), the signed certified cover
//
// A clerk opens only what their own latest search showed (403 otherwise:
// "search for it first"), and every opening, download and extract is
// logged in the ledger's access log with that search's purpose, the account
// and the record's sha256 — and in the station's audit log by sha256 and
// kind; searched values appear in neither, nor in the request log (the
// search is a POST body). Only clerks reach these routes, and clerks reach
// nothing else (server.cc's Require). Bodies and JSON depth are bounded by
// the station's limits; find bounds each value.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "cli/review/rate_limit.h"
#include "pipeline/report/extract.h"
#include "pipeline/review/accounts.h"

namespace sohoa::cli {

struct ClerkDeskOptions {
  int searches_per_minute = 10;  // per account
  // Makes the certified cover of an extract (the station's --org-key);
  // empty: extracts hold the original alone.
  CoverMaker cover;
};

// What the station's server lends the desk's routes: its session check
// (answers 401/403 itself), its bounded JSON body reader (400/413), its
// error answer and its audit log.
struct ClerkRouteContext {
  std::function<std::optional<Session>(const httplib::Request&, httplib::Response&)> require;
  std::function<std::optional<nlohmann::json>(const httplib::Request&, httplib::Response&)> body;
  std::function<void(httplib::Response&, const Status&)> send_status;
  AccountStore* accounts = nullptr;
};

class ClerkDesk {
 public:
  // `ledger` must outlive the desk; `archive_dir` holds the PDFs.
  ClerkDesk(Ledger* ledger, std::string archive_dir, ClerkDeskOptions options);

  // Adds the routes above to `http`; `context` is copied.
  void AddRoutes(httplib::Server& http, const ClerkRouteContext& context);

 private:
  struct Disclosed {  // a clerk's latest search
    std::string purpose;
    std::set<std::string> records;
  };
  void Search(const httplib::Request& req, httplib::Response& res);
  void Pdf(const httplib::Request& req, httplib::Response& res);
  void Extract(const httplib::Request& req, httplib::Response& res);
  // The purpose of the caller's latest search that showed `sha256`, or
  // nullopt after answering 403.
  std::optional<std::string> PurposeFor(const std::string& user, const std::string& sha256,
                                        httplib::Response& res);

  Ledger* ledger_;
  std::string archive_dir_;
  ClerkDeskOptions options_;
  ClerkRouteContext context_;
  RateLimiter searches_;
  std::mutex mutex_;
  std::map<std::string, Disclosed> disclosed_;  // account -> its latest search
};

}  // namespace sohoa::cli
