// The one door to HTTP for signing: the time-stamp authority (POST an RFC 3161
// query), OCSP responders (POST an OCSP request) and CRL distribution points
// (GET), through libcurl. Every fetch is bounded — a total time limit, a
// connect limit, a cap on the answer's size, no redirects, http and https
// only — because each URL but the TSA's comes from a certificate, that is
// from outside.
#pragma once

#include <cstddef>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

struct HttpRequest {
  std::string url;           // http(s)://host[:port]/path
  std::string content_type;  // with a body: POST, else GET
  std::string body;
  int timeout_seconds = 30;
  size_t max_bytes = 1 << 20;  // a longer answer is refused
  std::string what;            // "time-stamp authority", "OCSP responder": for messages
};

// The answer's body when the server answered HTTP 200. kIoError naming
// `what` and the URL otherwise (unreachable, timed out, other status, answer
// over max_bytes, a scheme other than http/https).
StatusOr<std::string> HttpFetch(const HttpRequest& request);

}  // namespace sohoa
