#include "cli/review/rate_limit.h"

#include <algorithm>

namespace sohoa::cli {

int64_t RateLimiter::Take(const std::string& key, int64_t now_seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::deque<int64_t>& times = events_[key];
  while (!times.empty() && times.front() <= now_seconds - window_) times.pop_front();
  if (static_cast<int>(times.size()) < limit_) {
    times.push_back(now_seconds);
    return 0;
  }
  return std::max<int64_t>(1, times.front() + window_ - now_seconds);
}

}  // namespace sohoa::cli
