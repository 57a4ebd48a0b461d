// Status and StatusOr: how every stage and the ledger report failure.
//
// Expected failures (a file that cannot be decoded, a disk that is full) are
// values, not exceptions: a stage returns a non-OK Status and the pipeline
// routes the document to quarantine with the message as the reason a person
// reads. Messages therefore name the thing and the cause ("page 3: LZW decode
// error at strip 12"), never internal jargon alone.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace sohoa {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the input file is damaged or not what it claims to be
  kUnsupported,   // valid input in a form we do not handle (e.g. a codec)
  kTooLarge,      // refused before allocation: absurd dimensions or size
  kIoError,       // an input or a service we read could not be read (file gone, I/O error, TSA down)
  // Where results go cannot take them: the archive, its staging area or the
  // ledger (disk full, read-only mount, permission, connection lost). Not the
  // input's fault: the document is left for the next run and the run stops,
  // since every later document would fail the same way.
  kUnavailable,
  kConfiguration,  // bad option, missing language data, unusable key
  kBusy,           // another run holds the lock / a lease is held elsewhere
  kNotFound,
  kInternal,  // a bug or an unexpected exception from a library
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status TooLarge(std::string m) { return {StatusCode::kTooLarge, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Configuration(std::string m) { return {StatusCode::kConfiguration, std::move(m)}; }
  static Status Busy(std::string m) { return {StatusCode::kBusy, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid input: page 3: ..." — for logs; users mostly want message().
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status WithContext(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) { assert(!status_.ok()); }
  StatusOr(T value) : value_(std::move(value)) {}

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

#define SOHOA_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::sohoa::Status sohoa_status_ = (expr);        \
    if (!sohoa_status_.ok()) return sohoa_status_; \
  } while (0)

}  // namespace sohoa
