#include "pipeline/graph/stage_stats.h"

#include <algorithm>

namespace sohoa {

void StageStatsTable::Record(const std::string& stage, double seconds, double waited, bool failed) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(stage);
  if (inserted) order_.push_back(stage);
  it->second.durations.push_back(seconds);
  it->second.wait += waited;
  if (failed) ++it->second.failures;
}

std::vector<StageStatsSnapshot> StageStatsTable::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<StageStatsSnapshot> out;
  for (const std::string& name : order_) {
    const Entry& e = entries_.at(name);
    StageStatsSnapshot s;
    s.stage = name;
    s.items = e.durations.size();
    s.failures = e.failures;
    s.wait_seconds = e.wait;
    for (double d : e.durations) s.busy_seconds += d;
    if (s.items > 0) {
      s.mean_seconds = s.busy_seconds / static_cast<double>(s.items);
      std::vector<double> sorted = e.durations;
      size_t k = (sorted.size() * 95 + 99) / 100;  // nearest-rank p95
      k = std::clamp<size_t>(k, 1, sorted.size()) - 1;
      std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
      s.p95_seconds = sorted[k];
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace sohoa
