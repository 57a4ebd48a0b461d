// The archive's run lock: one `sohoa run` per archive at a time. An flock()
// on <archive>/.sohoa.lock, which the kernel drops when the process dies, so a
// crashed run never leaves the archive locked.
#pragma once

#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

class RunLock {
 public:
  // kBusy (naming the holder's pid and run) when another run holds it.
  static StatusOr<RunLock> Acquire(const std::string& archive_dir, const std::string& run_id);
  // Whether a live process holds the lock, and its "pid N, run R" note.
  // Takes and drops the lock at once if nobody holds it (never blocks).
  static bool IsHeld(const std::string& archive_dir, std::string* holder);
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sohoa
