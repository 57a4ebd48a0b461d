#include "pipeline/archive/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sohoa {

StatusOr<RunLock> RunLock::Acquire(const std::string& archive_dir, const std::string& run_id) {
  const std::string path = archive_dir + "/.sohoa.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Status::IoError("cannot open lock file " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[256] = {0};
    ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "unknown";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    return Status::Busy("another sohoa run is already working on archive " + archive_dir + " (" + who +
                        "); wait for it to finish");
  }
  std::string me = "pid " + std::to_string(::getpid()) + ", run " + run_id + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, me.data(), me.size(), 0);
  return RunLock(fd);
}

bool RunLock::IsHeld(const std::string& archive_dir, std::string* holder) {
  const std::string path = archive_dir + "/.sohoa.lock";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // never run
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  if (held && holder != nullptr) {
    char text[256] = {0};
    ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    *holder = n > 0 ? std::string(text, static_cast<size_t>(n)) : "";
    while (!holder->empty() && holder->back() == '\n') holder->pop_back();
  }
  ::close(fd);  // releases the lock if we took it
  return held;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace sohoa
