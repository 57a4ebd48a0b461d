#include "pipeline/run/admission.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "pipeline/core/sha256.h"

namespace sohoa {
namespace {

struct FileState {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileState&) const = default;
};

StatusOr<FileState> Stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::IoError(std::string("cannot stat: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return Status::InvalidInput("not a regular file");
  return FileState{static_cast<uint64_t>(st.st_size),
                   int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
}

struct InputState {
  std::string sha256;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool changed = false;  // written to while it was hashed
};

StatusOr<InputState> HashFile(const std::string& path) {
  StatusOr<FileState> before = Stat(path);
  if (!before.ok()) return before.status();
  uint64_t hashed_size = 0;
  StatusOr<std::string> sha = Sha256File(path, &hashed_size);
  if (!sha.ok()) return sha.status();
  StatusOr<FileState> after = Stat(path);
  if (!after.ok()) return after.status();
  return InputState{*sha, after->size, after->mtime_ns, !(*before == *after) || hashed_size != after->size};
}

// A book folder's identity: the SHA-256 of "<page file name>\t<its
// SHA-256>\n" for each page in book order, so a page changed, added,
// removed, renamed or put in another place makes it another input; its
// size is its pages' bytes, its time the latest page's.
StatusOr<InputState> HashBookFolder(const Document& doc) {
  InputState folder;
  std::string listing;
  for (const std::string& path : doc.page_files) {
    const std::string name = path.substr(path.find_last_of('/') + 1);
    StatusOr<InputState> page = HashFile(path);
    if (!page.ok()) return page.status().WithContext(name);
    listing += name + "\t" + page->sha256 + "\n";
    folder.size += page->size;
    folder.mtime_ns = std::max(folder.mtime_ns, page->mtime_ns);
    folder.changed = folder.changed || page->changed;
  }
  folder.sha256 = Sha256Hex(listing);
  return folder;
}

class AdmissionWorker final : public DocumentWorker {
 public:
  AdmissionWorker(Ledger* ledger, const AdmissionOptions& options) : ledger_(ledger), options_(options) {}

  Status Process(Document& doc) override {
    StatusOr<InputState> state = doc.page_files.empty() ? HashFile(doc.source_path) : HashBookFolder(doc);
    if (!state.ok()) return state.status();
    if (state->changed) {
      // A scanner may still be writing it: leave it for the next run rather
      // than archive half a file.
      doc.outcome = Outcome::kDeferred;
      doc.skip_reason = "file changed while being read (still being written?); left for the next run";
      return Status::Ok();
    }
    doc.sha256 = state->sha256;
    doc.size_bytes = state->size;
    doc.mtime_ns = state->mtime_ns;
    doc.staging_dir = options_.staging_dir;

    StatusOr<Claim> claim =
        ledger_->ClaimInput(doc.sha256, doc.relative_path, options_.run_id, options_.lease_seconds);
    if (!claim.ok()) return claim.status();
    switch (claim->outcome) {
      case ClaimOutcome::kClaimed:
        return Status::Ok();
      case ClaimOutcome::kAlreadyDone:
        doc.outcome = Outcome::kSkipped;
        doc.skip_reason =
            "already in the archive (" + claim->existing_status + ") as " + claim->existing_source;
        return Status::Ok();
      case ClaimOutcome::kHeldByThisRun:
        doc.outcome = Outcome::kSkipped;
        doc.skip_reason = "same content as " + claim->existing_source + " in this batch";
        return Status::Ok();
      case ClaimOutcome::kHeldElsewhere:
        doc.outcome = Outcome::kSkipped;
        doc.skip_reason = "being processed by another run; left to it";
        return Status::Ok();
    }
    return Status::Internal("unknown claim outcome");
  }

 private:
  Ledger* ledger_;
  const AdmissionOptions& options_;
};

class AdmissionStage final : public DocumentStage {
 public:
  AdmissionStage(Ledger* ledger, AdmissionOptions options) : ledger_(ledger), options_(std::move(options)) {}
  std::string Name() const override { return "admit"; }
  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    return std::unique_ptr<DocumentWorker>(std::make_unique<AdmissionWorker>(ledger_, options_));
  }

 private:
  Ledger* ledger_;
  AdmissionOptions options_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewAdmissionStage(Ledger* ledger, const AdmissionOptions& options) {
  return std::make_unique<AdmissionStage>(ledger, options);
}

}  // namespace sohoa
