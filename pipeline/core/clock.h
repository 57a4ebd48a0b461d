// Wall-clock helpers in one place, so `--deterministic` runs can pin time.
#pragma once

#include <cstdint>
#include <string>

namespace sohoa {

// "2026-11-30T01:02:03Z". Honors a pinned time (see PinClockForTesting).
std::string NowUtcIso8601();
int64_t NowUnixSeconds();
// Formats a Unix time as ISO 8601 with an offset in minutes, e.g. +07:00.
std::string FormatIso8601(int64_t unix_seconds, int utc_offset_minutes);
// Pins the clock (deterministic runs, golden tests); 0 unpins.
void PinClock(int64_t unix_seconds);

}  // namespace sohoa
