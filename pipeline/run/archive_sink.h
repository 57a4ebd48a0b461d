// The archive step: the graph's sink. For each document, in one place and on
// one thread, it decides the outcome (archived / review / quarantined /
// skipped), moves the staged outputs into the archive durably (fsync of file
// and directory before the ledger says so), and records the outcome in the
// ledger in one transaction. If the archive or the ledger cannot take the
// results (disk full, read-only mount, ledger gone: kUnavailable), nothing is
// recorded for the document, what was published of it is taken back, and the
// run stops taking new documents: they are all left for the next run.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/run_log.h"
#include "pipeline/graph/graph.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct OutcomeCounts {
  size_t archived = 0, review = 0, quarantined = 0, skipped = 0;
  size_t deferred = 0;  // left for the next run, nothing recorded
  size_t pages = 0;     // pages of archived + review documents
  size_t total() const { return archived + review + quarantined + skipped + deferred; }
};

// Register books (pipeline/core/book.h) in a run: entries made from books,
// counted apart from the input files they came from.
struct EntryCounts {
  size_t archived = 0, review = 0, quarantined = 0;
  size_t skipped = 0;   // recorded already (a re-read book: an earlier run was killed mid-book)
  size_t deferred = 0;  // not recorded; their book is read again by the next run
  size_t total() const { return archived + review + quarantined + skipped + deferred; }
};

// What a register book's record lists of each of its entries.
struct SettledEntry {
  int position = 0;
  std::string sha256, entry_no, page_no;
};

class ArchiveSink final : public DocumentSink {
 public:
  // Outputs are published to `store` (not owned) under the key
  // bags/<bag>/data/<sha[0:2]>/<sha>.<ext>; `bag` names the bag the run's
  // outputs form (the run id for `sohoa run`, the worker id for a worker).
  ArchiveSink(ArchiveStore* store, std::string bag, std::string run_id, Ledger* ledger, RunLog* log);
  void Accept(Document& doc) override;
  // Called after each document's outcome is recorded (progress, metrics).
  void SetObserver(std::function<void(const OutcomeCounts&)> observer) { observer_ = std::move(observer); }
  const OutcomeCounts& counts() const { return counts_; }
  const EntryCounts& entry_counts() const { return entry_counts_; }
  // How long an entry's claim lasts (the run's lease); entries are claimed
  // here, in the sink, since they exist only after their book was split.
  void SetLeaseSeconds(int seconds) { lease_seconds_ = seconds; }
  // Set when results could no longer be kept (archive or ledger failed): the
  // run must end in an error. Its message names the cause.
  const Status& fatal() const { return fatal_; }
  bool StopRequested() const override { return stop_requested_.load(); }

 private:
  // A register book waits here until every entry of it is settled: its
  // record says "done", so it must come after theirs.
  struct BookProgress {
    int expected = -1;  // the book's entry_count, once the book arrived
    int settled = 0;
    bool incomplete = false;  // an entry was not recorded: read the book again
    Document* parked = nullptr;
    std::vector<SettledEntry> entries;  // as they were settled
  };
  void AcceptFile(Document& doc);
  void AcceptEntry(Document& doc);
  // Outcome, commit, ledger record; false when nothing was recorded (deferred).
  // A book's record also lists its entries (`book`, else null).
  bool Settle(Document& doc, const BookProgress* book = nullptr);
  void SettleBook(Document& book, BookProgress& progress);
  // An input file's outcome in the counts (`recorded`: Settle's answer).
  void CountFile(const Document& doc, bool recorded);
  Status CommitOutputs(Document& doc);
  void TakeBackPublished(const Document& doc);
  void Defer(Document& doc, const std::string& why);
  void Stop(const Status& cause);
  std::atomic<bool> stop_requested_{false};
  ArchiveStore* store_ = nullptr;
  std::string bag_, run_id_;
  Ledger* ledger_;
  RunLog* log_;
  OutcomeCounts counts_;
  EntryCounts entry_counts_;
  int lease_seconds_ = 6 * 3600;
  std::map<std::string, BookProgress> books_;  // by book sha256
  Status fatal_;
  std::function<void(const OutcomeCounts&)> observer_;
};

// All review reasons of the document and its pages, in page order.
std::vector<std::string> CollectReviewReasons(const Document& doc);

// The ledger's `reason` text for a list of review reasons ("; "-joined):
// one format for the archive step and for anything that rewrites outcomes
// later (pipeline/inventory_rematch).
std::string JoinReviewReasons(const std::vector<std::string>& reasons);

}  // namespace sohoa
