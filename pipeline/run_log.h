// The run's log: one line per document outcome plus run-level messages, on
// stderr. Human-readable by default; JSON Lines for log collectors.
// Thread-safe. Personal data never goes into the log: documents are named by
// their input path, not by their content.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include "pipeline/document.h"

namespace sohoa {

enum class LogFormat { kHuman, kJson };

class RunLog {
 public:
  RunLog(std::ostream& out, LogFormat format) : out_(out), format_(format) {}

  void Info(const std::string& message) { Write("info", message); }
  void Warning(const std::string& message) { Write("warning", message); }
  void Error(const std::string& message) { Write("error", message); }
  // "archived  scans/a.tif  3 pages  4.2 s" / "quarantined  x.tif: page 2: ..."
  void DocumentOutcome(const Document& doc, const std::string& reason, double seconds);

 private:
  void Write(const std::string& level, const std::string& message);
  std::mutex mutex_;
  std::ostream& out_;
  LogFormat format_;
};

}  // namespace sohoa
