#include "pipeline/core/clock.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace sohoa {
namespace {
std::atomic<int64_t> pinned{0};
}  // namespace

void PinClock(int64_t unix_seconds) { pinned = unix_seconds; }

int64_t NowUnixSeconds() {
  if (int64_t p = pinned.load(); p != 0) return p;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatIso8601(int64_t unix_seconds, int utc_offset_minutes) {
  std::time_t t = static_cast<std::time_t>(unix_seconds + int64_t{utc_offset_minutes} * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (utc_offset_minutes == 0) return out + "Z";
  int m = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", utc_offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
  return out + buf;
}

std::string NowUtcIso8601() { return FormatIso8601(NowUnixSeconds(), 0); }

}  // namespace sohoa
