#include "pipeline/run/archive_sink.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/core/file_name.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/sha256.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {

std::string ExtensionFor(const OutputFile& out) {
  std::string ext = fs::path(out.staged_path).extension().string();
  return ext.empty() ? "." + out.role : ext;
}

// Facts a person or a later tool may want about how the document was read.
nlohmann::json Details(const Document& doc) {
  nlohmann::json pages = nlohmann::json::array();
  for (const Page& p : doc.pages) {
    nlohmann::json page = {{"index", p.index + 1},
                           {"kind", PixelKindName(p.source_kind)},
                           {"bits", p.source_bits},
                           {"rotation", p.rotation_degrees},
                           {"skew", p.skew_degrees},
                           {"blank", p.blank},
                           {"dpi", {p.image.dpi_x, p.image.dpi_y}},
                           {"dpi_source", ResolutionSourceName(p.resolution_source)},
                           {"ocr_confidence", p.ocr.mean_confidence}};
    if (!p.status.ok()) page["error"] = p.status.message();
    pages.push_back(page);
  }
  nlohmann::json timings = nlohmann::json::object();
  for (const StageTiming& t : doc.timings) timings[t.stage] = timings.value(t.stage, 0.0) + t.seconds;
  for (const Page& p : doc.pages)
    for (const StageTiming& t : p.timings) timings[t.stage] = timings.value(t.stage, 0.0) + t.seconds;
  nlohmann::json outputs = nlohmann::json::object();
  for (const OutputFile& o : doc.outputs)
    if (!o.archive_path.empty())
      outputs[o.role] = {{"path", o.archive_path}, {"sha256", o.sha256}, {"bytes", o.bytes}};
  nlohmann::json details = {{"format", doc.format},
                            {"bytes", doc.size_bytes},
                            {"pages", pages},
                            {"stage_seconds", timings},
                            {"outputs", outputs}};
  SetReviewReasons(CollectReviewReasons(doc), &details);
  // A name that is not UTF-8 is recorded by its escape (pipeline/core/file_name.h);
  // its bytes are kept here so the export can give them back.
  if (!doc.relative_path_bytes.empty()) details["source_bytes"] = HexOfBytes(doc.relative_path_bytes);
  if (!doc.metadata.empty()) details["metadata"] = doc.metadata;
  if (!doc.fields.empty()) {  // issue 3: extracted fields, for export
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, f] : doc.fields) {
      fields[key] = {{"value", f.value}, {"confidence", f.confidence}};
      if (!f.problem.empty()) fields[key]["problem"] = f.problem;
      if (!f.corrected_from.empty()) fields[key]["corrected_from"] = f.corrected_from;
    }
    details["fields"] = fields;
  }
  return details;
}

// A book's own facts: its entries in the order of the book, whatever order
// they were settled in, and the problems found in its pages.
nlohmann::json BookDetails(const Document& book, std::vector<SettledEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const SettledEntry& a, const SettledEntry& b) { return a.position < b.position; });
  nlohmann::json listed = nlohmann::json::array();
  for (const SettledEntry& e : entries)
    listed.push_back(
        {{"position", e.position}, {"sha256", e.sha256}, {"entry_no", e.entry_no}, {"page_no", e.page_no}});
  nlohmann::json problems = nlohmann::json::array();
  for (const std::string& reason : book.review_reasons) problems.push_back(reason);
  return {{"entries", listed}, {"problems", problems}};
}

double TotalSeconds(const Document& doc) {
  double total = 0;
  for (const StageTiming& t : doc.timings) total += t.seconds;
  for (const Page& p : doc.pages)
    for (const StageTiming& t : p.timings) total += t.seconds;
  return total;
}

void RemoveStaged(const Document& doc) {
  for (const OutputFile& out : doc.outputs) {
    if (out.archive_path.empty() && !out.staged_path.empty()) ::unlink(out.staged_path.c_str());
  }
}

}  // namespace

std::vector<std::string> CollectReviewReasons(const Document& doc) {
  std::vector<std::string> reasons = doc.review_reasons;
  for (const Page& p : doc.pages)
    reasons.insert(reasons.end(), p.review_reasons.begin(), p.review_reasons.end());
  return reasons;
}

std::string JoinReviewReasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (const std::string& r : reasons) {
    if (!joined.empty()) joined += "; ";
    joined += r;
  }
  return joined;
}

ArchiveSink::ArchiveSink(ArchiveStore* store, std::string bag, std::string run_id, Ledger* ledger,
                         RunLog* log)
    : store_(store), bag_(std::move(bag)), run_id_(std::move(run_id)), ledger_(ledger), log_(log) {}

Status ArchiveSink::CommitOutputs(Document& doc) {
  if (doc.FindOutput("pdf") == nullptr) {
    return Status::Internal("no PDF was produced (is the PDF writer in the stage list?)");
  }
  const std::string relative_dir = "bags/" + bag_ + "/data/" + doc.sha256.substr(0, 2);
  for (OutputFile& out : doc.outputs) {
    const std::string relative = relative_dir + "/" + doc.sha256 + ExtensionFor(out);
    uint64_t bytes = 0;
    // Hashed before publishing: the ledger records what was staged, so a
    // file damaged on its way into the store is caught by `sohoa verify`.
    StatusOr<std::string> sha = Sha256File(out.staged_path, &bytes);
    if (!sha.ok()) return sha.status();
    SOHOA_RETURN_IF_ERROR(store_->Publish(out.staged_path, relative));
    out.archive_path = relative;
    out.sha256 = *sha;
    out.bytes = bytes;
  }
  return Status::Ok();
}

void ArchiveSink::TakeBackPublished(const Document& doc) {
  if (store_ == nullptr) return;
  for (const OutputFile& out : doc.outputs) {
    if (!out.archive_path.empty()) (void)store_->Remove(out.archive_path);
  }
}

void ArchiveSink::Defer(Document& doc, const std::string& why) {
  doc.outcome = Outcome::kDeferred;
  doc.skip_reason = why + "; left for the next run";
  RemoveStaged(doc);
  log_->DocumentOutcome(doc, doc.skip_reason, TotalSeconds(doc));
}

void ArchiveSink::Stop(const Status& cause) {
  if (!fatal_.ok()) return;
  fatal_ = cause;
  stop_requested_.store(true);
  log_->Error(cause.message());
}

void ArchiveSink::Accept(Document& doc) {
  if (doc.is_entry()) {
    AcceptEntry(doc);
  } else if (doc.is_book() && doc.entry_count > 0 && !doc.decided() && doc.status.ok()) {
    BookProgress& progress = books_[doc.sha256];
    progress.expected = doc.entry_count;
    progress.parked = &doc;
    if (progress.settled == progress.expected) SettleBook(doc, progress);
    // else: the last of its entries settles it (the run keeps the document).
  } else {
    AcceptFile(doc);
  }
}

void ArchiveSink::AcceptFile(Document& doc) {
  if (doc.decided()) {  // skipped or deferred before any work (admission, a stopped run)
    if (doc.skipped())
      ++counts_.skipped;
    else
      ++counts_.deferred;
    log_->DocumentOutcome(doc, doc.skip_reason, 0);
    if (observer_) observer_(counts_);
    return;
  }
  CountFile(doc, Settle(doc));
  if (observer_) observer_(counts_);
}

void ArchiveSink::CountFile(const Document& doc, bool recorded) {
  if (!recorded) {
    ++counts_.deferred;
  } else if (doc.outcome == Outcome::kArchived || doc.outcome == Outcome::kReview) {
    ++(doc.outcome == Outcome::kArchived ? counts_.archived : counts_.review);
    counts_.pages += doc.page_count();
  } else {
    ++counts_.quarantined;
  }
}

void ArchiveSink::AcceptEntry(Document& doc) {
  BookProgress& progress = books_[doc.entry->book_sha256];
  bool recorded = false;
  if (doc.decided() || !fatal_.ok()) {
    if (!doc.decided()) Defer(doc, "not done: the run stopped");
  } else {
    // An entry exists only once its book is split: it is claimed here. An
    // earlier run killed mid-book may have recorded it already.
    StatusOr<Claim> claim = ledger_->ClaimInput(doc.sha256, doc.relative_path, run_id_, lease_seconds_);
    if (!claim.ok()) {
      if (claim.status().code() == StatusCode::kUnavailable) Stop(claim.status());
      Defer(doc, "not claimed: " + claim.status().message());
    } else if (claim->outcome == ClaimOutcome::kAlreadyDone) {
      doc.outcome = Outcome::kSkipped;
      doc.skip_reason = "recorded already (" + claim->existing_status + ")";
      RemoveStaged(doc);
      log_->DocumentOutcome(doc, doc.skip_reason, 0);
      recorded = true;
    } else if (claim->outcome != ClaimOutcome::kClaimed) {
      Defer(doc, "held by another run");
    } else {
      recorded = Settle(doc);
    }
  }
  switch (doc.outcome) {
    case Outcome::kArchived:
      ++entry_counts_.archived;
      break;
    case Outcome::kReview:
      ++entry_counts_.review;
      break;
    case Outcome::kQuarantined:
      ++entry_counts_.quarantined;
      break;
    case Outcome::kSkipped:
      ++entry_counts_.skipped;
      break;
    default:
      ++entry_counts_.deferred;
      break;
  }
  if (!recorded) progress.incomplete = true;
  const EntryInfo& e = *doc.entry;
  progress.entries.push_back({e.position, doc.sha256, doc.metadata["entry_no"], doc.metadata["page_no"]});
  ++progress.settled;
  if (progress.parked != nullptr && progress.settled == progress.expected)
    SettleBook(*progress.parked, progress);
}

void ArchiveSink::SettleBook(Document& book, BookProgress& progress) {
  progress.parked = nullptr;
  if (progress.incomplete) {
    // Its record would say "done" and the next run would never read it
    // again: the entries not recorded now would be lost.
    Defer(book, "not recorded: some of its entries could not be recorded; the book is read again");
    ++counts_.deferred;
  } else {
    CountFile(book, Settle(book, &progress));
  }
  books_.erase(book.sha256);
  if (observer_) observer_(counts_);
}

bool ArchiveSink::Settle(Document& doc, const BookProgress* book) {
  // Failures that are not the input's (pipeline/core/status.h) are never a
  // quarantine reason: nothing is recorded, so the next run takes it again.
  // kIoError (input gone, TSA down) is this document's; kUnavailable (a
  // stage could not stage its files or claim the input) stops the run.
  const StatusCode code = doc.status.code();
  if (!doc.sha256.empty() && (code == StatusCode::kIoError || code == StatusCode::kUnavailable)) {
    if (code == StatusCode::kUnavailable) Stop(doc.status);
    Defer(doc, "not done: " + doc.status.message());
    return false;
  }
  std::vector<std::string> reasons = CollectReviewReasons(doc);
  if (doc.status.ok()) {
    Status committed = CommitOutputs(doc);
    if (committed.code() == StatusCode::kUnavailable) {
      TakeBackPublished(doc);
      Stop(committed);
      Defer(doc, "not archived: " + committed.message());
      return false;
    }
    if (!committed.ok()) doc.status = committed.WithContext("could not archive");
  }
  std::string reason;
  if (!doc.status.ok()) {
    doc.outcome = Outcome::kQuarantined;
    reason = doc.status.message();
    RemoveStaged(doc);
  } else if (!reasons.empty()) {
    doc.outcome = Outcome::kReview;
    reason = JoinReviewReasons(reasons);
  } else {
    doc.outcome = Outcome::kArchived;
  }

  const double seconds = TotalSeconds(doc);
  if (!doc.sha256.empty()) {  // no hash: failed before admission claimed it
    LedgerRecord record;
    record.sha256 = doc.sha256;
    record.source = doc.relative_path;
    record.status = OutcomeName(doc.outcome);
    record.reason = reason;
    record.pages = doc.page_count();
    if (const OutputFile* pdf = doc.FindOutput("pdf")) record.pdf = pdf->archive_path;
    if (const OutputFile* text = doc.FindOutput("text")) record.text = text->archive_path;
    record.run_id = run_id_;
    record.seconds = seconds;
    nlohmann::json details = Details(doc);
    if (book != nullptr) details["book"] = BookDetails(doc, book->entries);
    record.details_json = DumpJson(details);
    Status recorded = ledger_->RecordOutcome(record);
    if (!recorded.ok()) {
      // The ledger does not say so, so nothing of it may stay in the archive
      // (its bag may be closed already if the claim was lost to another run
      // that presumed this one dead). Stop trusting this run's ledger.
      TakeBackPublished(doc);
      Stop(recorded);
      Defer(doc, "outcome not recorded: " + recorded.message());
      return false;
    }
  }
  log_->DocumentOutcome(doc, reason, seconds);
  return true;
}

}  // namespace sohoa
