#include "pipeline/core/run_log.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "pipeline/core/clock.h"
#include "pipeline/core/journal_stream.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/text_safety.h"

namespace sohoa {

namespace {

// syslog priorities (sd-daemon(3)): journald reads "<N>" at a line's start.
const char* JournalPrefix(const std::string& level) {
  if (level == "error") return "<3>";
  if (level == "warning") return "<4>";
  if (level == "notice") return "<5>";
  return "<6>";
}

// "warning" / "cảnh báo": the human line's level, in the log's language.
std::string LevelLabel(const std::string& level, UiLang lang) {
  if (level == "warning") return Tr(lang, N_("warning"));
  if (level == "error") return Tr(lang, N_("error"));
  if (level == "notice") return Tr(lang, N_("notice"));
  return level;
}

const char* OutcomeLevel(Outcome outcome) {
  if (outcome == Outcome::kQuarantined) return "warning";
  if (outcome == Outcome::kReview) return "notice";
  return "info";
}

}  // namespace

RunLog::RunLog(std::ostream& out, LogFormat format, bool terminal, UiLang lang)
    : out_(out),
      format_(format),
      terminal_(terminal && format == LogFormat::kHuman),
      lang_(lang),
      journal_(&out == &std::cerr && IsJournalStream(STDERR_FILENO)) {}

void RunLog::ClearStatusLocked() {
  if (terminal_ && !status_line_.empty()) out_ << "\r\033[K";
}

void RunLog::RedrawStatusLocked() {
  if (terminal_ && !status_line_.empty()) out_ << status_line_ << std::flush;
}

void RunLog::SetStatusLine(const std::string& line) {
  if (!terminal_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  ClearStatusLocked();
  status_line_ = line;
  RedrawStatusLocked();
  out_.flush();
}

// Messages carry file names, register values and library reasons: escaped
// (pipeline/core/text_safety.h), so one event stays one line whatever they hold.
void RunLog::Write(const std::string& level, const std::string& raw_message) {
  const std::string message = EscapeForLog(raw_message);
  std::lock_guard<std::mutex> lock(mutex_);
  ClearStatusLocked();
  if (journal_) out_ << JournalPrefix(level);
  if (format_ == LogFormat::kJson) {
    nlohmann::json line = {{"time", NowUtcIso8601()}, {"level", level}, {"message", message}};
    out_ << DumpJson(line) << '\n';
  } else {
    out_ << "sohoa: " << (level == "info" ? "" : LevelLabel(level, lang_) + ": ") << message << '\n';
  }
  RedrawStatusLocked();
  out_.flush();
}

void RunLog::DocumentOutcome(const Document& doc, const std::string& raw_reason, double seconds) {
  // From the raw bytes when they are not UTF-8: the display name is their
  // escape already, and escaping it again would double its backslashes.
  const std::string source =
      EscapeForLog(doc.relative_path_bytes.empty() ? doc.relative_path : doc.relative_path_bytes);
  const std::string reason =
      EscapeForLog(ReasonsForPeople(raw_reason, format_ == LogFormat::kJson ? UiLang::kEn : lang_));
  std::lock_guard<std::mutex> lock(mutex_);
  ClearStatusLocked();
  const char* outcome = OutcomeName(doc.outcome);
  if (journal_) out_ << JournalPrefix(OutcomeLevel(doc.outcome));
  if (format_ == LogFormat::kJson) {
    nlohmann::json line = {{"time", NowUtcIso8601()}, {"level", OutcomeLevel(doc.outcome)},
                           {"event", "document"},     {"source", source},
                           {"outcome", outcome},      {"pages", doc.page_count()},
                           {"seconds", seconds}};
    if (!doc.sha256.empty()) line["sha256"] = doc.sha256;
    if (!reason.empty()) {
      line["reason"] = reason;
      // The kinds of doubt (pipeline/core/reason.h), for a log collector to
      // count; their parameters may be values and stay in the ledger.
      nlohmann::json ids = nlohmann::json::array();
      for (const Reason& r : SplitReasons(raw_reason)) ids.push_back(r.id);
      line["reason_ids"] = ids;
    }
    out_ << DumpJson(line) << '\n';
  } else {
    char timing[64];
    std::snprintf(timing, sizeof timing, "%s, %.1f s", PagesLabel(doc.page_count(), lang_).c_str(), seconds);
    out_ << "sohoa: " << OutcomeLabel(doc.outcome, lang_) << ": " << source;
    if (doc.outcome == Outcome::kArchived || doc.outcome == Outcome::kReview) out_ << " (" << timing << ")";
    if (!reason.empty()) out_ << ": " << reason;
    out_ << '\n';
  }
  RedrawStatusLocked();
  out_.flush();
}

}  // namespace sohoa
