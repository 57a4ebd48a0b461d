// The run's own lines, in Vietnamese (the default: archive staff read them)
// or English, from the message catalogue (pipeline/core/catalog.h; review
// reasons: pipeline/core/reason.h). A cause that comes from a library
// ("LZW decode error…") stays as written. JSON logs and exports always use
// the stable English keys.
#pragma once

#include <string>

#include "pipeline/core/catalog.h"
#include "pipeline/core/document.h"
#include "pipeline/core/input_walk.h"

namespace sohoa {

// "vi" / "en" (anything else: nullopt-like false return).
bool ParseUiLang(const std::string& text, UiLang* lang);

// "đã lưu trữ" / "archived", …
std::string OutcomeLabel(Outcome outcome, UiLang lang);
// "3 trang" / "3 pages"
std::string PagesLabel(int pages, UiLang lang);
// "3 archived, 1 review, 0 quarantined, 2 already done": what became of a
// run's files or a book's entries (the run's summary, `sohoa status`).
std::string OutcomeCountsText(size_t archived, size_t review, size_t quarantined, size_t skipped,
                              UiLang lang);

struct RunSummaryFacts {
  std::string run_id;
  double wall_seconds = 0, cpu_seconds = 0;
  size_t files = 0, archived = 0, review = 0, quarantined = 0, skipped = 0, pages = 0;
  size_t deferred = 0;     // left for the next run (named only when there are some)
  size_t passed_over = 0;  // input entries that are not documents (named only when some)
  // Register-book entries (named only when a book was read).
  size_t entries_archived = 0, entries_review = 0, entries_quarantined = 0, entries_skipped = 0;
};
// The one line a nightly job's mail shows.
std::string RunSummaryLine(const RunSummaryFacts& facts, UiLang lang);
// Why a run stopped before the end of its batch (the archive or ledger could
// not keep results) and what that means for the documents not done.
std::string RunStoppedLine(const std::string& cause, size_t deferred, UiLang lang);
// "passed over: scans/pipe (named pipe (FIFO)): not a file" — one input
// entry the walk did not take (pipeline/core/input_walk.h).
std::string PassedOverLine(const PassedOver& entry, UiLang lang);
// Where the results are and how to list them.
std::string ArchiveHintLine(const std::string& archive, UiLang lang);

}  // namespace sohoa
