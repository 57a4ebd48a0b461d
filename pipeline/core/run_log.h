// The run's log: one line per document outcome plus run-level messages, on
// stderr. Human-readable by default; JSON Lines for log collectors.
// Thread-safe. Personal data never goes into the log: documents are named by
// their input path, not by their content. Every message, name and reason is
// escaped (EscapeForLog, pipeline/core/text_safety.h): one event, one line.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/messages.h"

namespace sohoa {

enum class LogFormat { kHuman, kJson };

class RunLog {
 public:
  // `terminal`: `out` is an interactive terminal, so a live status line
  // (Status()) is kept at the bottom and redrawn after every log line.
  // Writing to std::cerr when stderr is systemd's journal (JOURNAL_STREAM),
  // each line starts with its syslog priority (sd-daemon(3)): see
  // set_journal_priorities.
  RunLog(std::ostream& out, LogFormat format, bool terminal = false, UiLang lang = UiLang::kEn);

  void Info(const std::string& message) { Write("info", message); }
  void Warning(const std::string& message) { Write("warning", message); }
  void Error(const std::string& message) { Write("error", message); }
  // "archived  scans/a.tif  3 pages  4.2 s" / "quarantined  x.tif: page 2: ..."
  void DocumentOutcome(const Document& doc, const std::string& reason, double seconds);
  // Replaces the live status line (terminal only; empty clears it).
  void SetStatusLine(const std::string& line);
  bool is_terminal() const { return terminal_; }
  // Prefix every line with "<3>" (error), "<4>" (warning, a quarantined
  // document), "<5>" (a document for review) or "<6>" (info), which journald
  // takes as the line's priority and strips: `journalctl -p warning` then
  // shows what needs a person. Set by the constructor for std::cerr.
  void set_journal_priorities(bool on) { journal_ = on; }
  UiLang lang() const { return lang_; }

 private:
  void Write(const std::string& level, const std::string& message);
  void ClearStatusLocked();
  void RedrawStatusLocked();
  std::mutex mutex_;
  std::ostream& out_;
  LogFormat format_;
  bool terminal_;
  UiLang lang_;
  bool journal_ = false;
  std::string status_line_;
};

}  // namespace sohoa
