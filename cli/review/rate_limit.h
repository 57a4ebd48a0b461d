// A per-key sliding-window rate limit (issue 22: a clerk's searches per
// minute): at most `limit` events per `window_seconds` per key. Memory is
// bounded by `limit` times the keys seen, and the keys are authenticated
// account names. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace sohoa::cli {

class RateLimiter {
 public:
  RateLimiter(int limit, int64_t window_seconds) : limit_(limit), window_(window_seconds) {}

  // 0 when `key` may act at `now_seconds` (the event is counted); else the
  // whole seconds until it may (at least 1), the event not counted.
  int64_t Take(const std::string& key, int64_t now_seconds);

 private:
  const int limit_;
  const int64_t window_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int64_t>> events_;  // key -> times within the window, oldest first
};

}  // namespace sohoa::cli
