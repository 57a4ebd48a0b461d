// cpp-httplib's server with the review station's connection limits (issue
// 15). httplib 0.11 re-arms its read timeout with every byte (one byte a
// second keeps a worker forever), reads a chunked body without its payload
// limit, and has 8 workers for everyone; this subclass serves each connection
// itself, over a stream that enforces:
//  - deadlines that do not restart per byte: the request line and headers
//    within `header_seconds` of the request's first byte, the whole request
//    and its answer within `request_seconds`; a kept-alive connection waits
//    `idle_seconds` for its next request;
//  - a byte budget per request (headers `max_header_bytes`, then the body and
//    its chunk framing at most twice `max_body_bytes`), whatever the
//    Transfer-Encoding, and `requests_per_connection` requests per connection;
//  - at most `connections_per_address` connections from one client address
//    (more are answered 503 and closed at once), on `workers` threads.
// The handlers learn from CurrentRefusal() (same thread) why a request was cut.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace sohoa::cli {

struct HttpLimits {
  size_t max_body_bytes = 1 << 20;     // a request body, Content-Length or chunked
  size_t max_header_bytes = 64 << 10;  // request line and headers
  int max_json_depth = 32;             // nested arrays/objects in a JSON body
  int header_seconds = 10;
  int request_seconds = 60;
  int idle_seconds = 5;
  int requests_per_connection = 100;
  int connections_per_address = 16;
  int workers = 64;
};

enum class Refusal { kNone, kTooLarge, kTooSlow };

class BoundedHttpServer final : public httplib::Server {
 public:
  // `on_refused_connection` (may be empty) hears the address of each
  // connection refused for being one too many.
  BoundedHttpServer(HttpLimits limits, std::function<void(const std::string&)> on_refused_connection);

  // After binding: a listen backlog of SOMAXCONN instead of the library's 5,
  // so a burst of connections is accepted (and judged) instead of having its
  // SYNs dropped and retried seconds later.
  void WidenBacklog();

  // Called by the pre-routing handler: the headers are in, the body deadline
  // and budget apply from now on.
  static void HeadersRead();
  // Why the current request (this thread's connection) was cut, if it was.
  static Refusal CurrentRefusal();

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool Admit(const std::string& address);
  void Release(const std::string& address);

  const HttpLimits limits_;
  std::function<void(const std::string&)> on_refused_connection_;
  std::mutex mutex_;
  std::map<std::string, int> connections_;  // per client address
};

}  // namespace sohoa::cli
