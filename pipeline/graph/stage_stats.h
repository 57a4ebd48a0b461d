// Per-stage counters the graph keeps for `--profile`, the metrics file and
// the benchmarks: how busy each stage was and how long items waited for it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sohoa {

struct StageStatsSnapshot {
  std::string stage;
  size_t items = 0;
  size_t failures = 0;
  double busy_seconds = 0;  // sum of Process() durations
  double mean_seconds = 0;
  double p95_seconds = 0;
  double wait_seconds = 0;  // sum of time items spent queued before it
};

// Thread-safe; one Record() per item per stage.
class StageStatsTable {
 public:
  void Record(const std::string& stage, double seconds, double waited, bool failed);
  // In first-recorded order (which is graph order for a normal run).
  std::vector<StageStatsSnapshot> Snapshot() const;

 private:
  struct Entry {
    std::vector<double> durations;
    size_t failures = 0;
    double wait = 0;
  };
  mutable std::mutex mutex_;
  std::vector<std::string> order_;
  std::map<std::string, Entry> entries_;
};

}  // namespace sohoa
