// An archive store that fails on purpose (issue 16), in the way LevelDB's
// fault-injection test wraps its Env: every call goes to the real store
// underneath (a memory store or a folder), except where the plan says a
// write fails. So the tests can have a full disk, one failed write or a
// write the disk lost after saying yes, at an exact point, without `ulimit`
// or a real failing disk.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"

namespace sohoa::testing {

struct StoreFaults {
  // The Nth write (Publish, Put, Move, MakeFolder; counted from 1) fails as
  // a write error of the disk would; 0 = never.
  int fail_write = 0;
  // Bytes the store may take in all (Publish and Put count their sizes);
  // the write that would pass it fails with "No space left on device" and so
  // does every later one. Negative = unlimited.
  int64_t capacity = -1;
  // From the Nth write on, writes answer OK and keep nothing: a disk that
  // lost what it acknowledged (a lost fsync). 0 = never.
  int lose_from_write = 0;
  // Only the Nth write answers OK and keeps nothing. 0 = never.
  int lose_write = 0;
};

class FaultInjectingStore final : public ArchiveStore {
 public:
  FaultInjectingStore(std::unique_ptr<ArchiveStore> base, StoreFaults faults)
      : base_(std::move(base)), faults_(faults) {}

  std::string Describe() const override { return "faulty:" + base_->Describe(); }

  Status Publish(const std::string& staged, const std::string& key) override {
    struct stat st {};
    const int64_t bytes = ::stat(staged.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
    return Write(key, bytes, [&] { return base_->Publish(staged, key); });
  }

  Status Put(const std::string& key, const std::string& bytes) override {
    return Write(key, static_cast<int64_t>(bytes.size()), [&] { return base_->Put(key, bytes); });
  }

  Status Move(const std::string& from_key, const std::string& to_key) override {
    return Write(to_key, 0, [&] { return base_->Move(from_key, to_key); });
  }

  Status MakeFolder(const std::string& key) override {
    return Write(key, 0, [&] { return base_->MakeFolder(key); });
  }

  StatusOr<bool> Exists(const std::string& key) override { return base_->Exists(key); }
  StatusOr<uint64_t> SizeOf(const std::string& key) override { return base_->SizeOf(key); }
  StatusOr<std::unique_ptr<std::istream>> OpenForRead(const std::string& key) override {
    return base_->OpenForRead(key);
  }
  StatusOr<std::vector<std::string>> List(const std::string& prefix) override { return base_->List(prefix); }
  StatusOr<std::vector<std::string>> ListChildren(const std::string& prefix) override {
    return base_->ListChildren(prefix);
  }
  Status PruneEmptyFolders(const std::string& prefix) override { return base_->PruneEmptyFolders(prefix); }
  Status Remove(const std::string& key) override { return base_->Remove(key); }

  // Writes attempted so far, and the keys of those that failed or were lost.
  int writes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return writes_;
  }
  std::vector<std::string> failed_keys() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_;
  }
  std::vector<std::string> lost_keys() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lost_;
  }

 private:
  enum class Verdict { kPass, kFail, kLose };

  // One write of `bytes` under `key`: failed, lost, or done by `write`.
  template <typename WriteFn>
  Status Write(const std::string& key, int64_t bytes, WriteFn write) {
    Status failure;
    switch (Next(key, bytes, &failure)) {
      case Verdict::kFail:
        return failure;
      case Verdict::kLose:
        return Status::Ok();
      case Verdict::kPass:
        break;
    }
    return write();
  }

  Verdict Next(const std::string& key, int64_t bytes, Status* failure) {
    std::lock_guard<std::mutex> lock(mutex_);
    const int n = ++writes_;
    if (faults_.fail_write == n) {
      *failure = Status::Unavailable("cannot write " + key + ": Input/output error (injected)");
      failed_.push_back(key);
      return Verdict::kFail;
    }
    if (faults_.capacity >= 0 && (full_ || used_ + bytes > faults_.capacity)) {
      full_ = true;
      *failure = Status::Unavailable("cannot write " + key + ": No space left on device (injected)");
      failed_.push_back(key);
      return Verdict::kFail;
    }
    if ((faults_.lose_from_write > 0 && n >= faults_.lose_from_write) || faults_.lose_write == n) {
      lost_.push_back(key);
      return Verdict::kLose;
    }
    used_ += bytes;
    return Verdict::kPass;
  }

  std::unique_ptr<ArchiveStore> base_;
  const StoreFaults faults_;
  mutable std::mutex mutex_;
  int writes_ = 0;
  int64_t used_ = 0;
  bool full_ = false;
  std::vector<std::string> failed_, lost_;
};

}  // namespace sohoa::testing
