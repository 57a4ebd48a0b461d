#include "pipeline/review/assignments.h"

#include "pipeline/core/error_text.h"

#include <algorithm>
#include <map>
#include <vector>

namespace sohoa {

Assignments::Assignments(Ledger* ledger, ReviewService* service, DoubleKeying* keying, int lease_seconds)
    : ledger_(ledger), service_(service), keying_(keying), lease_seconds_(lease_seconds) {}

StatusOr<int> Assignments::HoldersAllowed(const std::string& sha256, const std::string& user, Role role) {
  if (keying_ == nullptr) return 1;
  StatusOr<KeyingState> state = keying_->State(sha256, user, role);
  if (!state.ok()) return state.status();
  if (state->step != "key" && state->step != "arbitrate") return 0;
  // Both blind keyers of a double-keyed entry may hold it side by side.
  return state->double_keyed && state->keyings == 0 ? 2 : 1;
}

Status Assignments::Take(const std::string& sha256, const std::string& user, Role role) {
  StatusOr<int> allowed = HoldersAllowed(sha256, user, role);
  if (!allowed.ok()) return allowed.status();
  if (*allowed == 0) return Status::Unsupported(ErrorText("review.not_yours", {}));
  StatusOr<bool> taken = ledger_->TakeReviewLease(sha256, user, lease_seconds_, *allowed);
  if (!taken.ok()) return taken.status();
  if (!*taken) return Status::Busy(ErrorText("review.taken", {}));
  return Status::Ok();
}

StatusOr<std::optional<std::string>> Assignments::Next(const std::string& user, Role role) {
  StatusOr<std::vector<ReviewQueueItem>> queue = service_->Queue();
  if (!queue.ok()) return queue.status();
  StatusOr<std::map<std::string, std::vector<std::string>>> holders = ledger_->ReviewLeaseHolders();
  if (!holders.ok()) return holders.status();
  auto holds = [&](const std::string& sha256) {
    const std::vector<std::string>& who = (*holders)[sha256];
    return std::find(who.begin(), who.end(), user) != who.end();
  };
  // An entry this person holds already first (a reloaded browser resumes it).
  for (const ReviewQueueItem& item : *queue) {
    if (holds(item.sha256) && Take(item.sha256, user, role).ok()) return std::optional<std::string>(item.sha256);
  }
  // Who keyed what, in one read: entries this person cannot key or settle
  // now are passed over without a query each.
  std::map<std::string, std::vector<std::string>> keyers;
  if (keying_ != nullptr) {
    StatusOr<std::map<std::string, std::vector<std::string>>> read = keying_->Keyers();
    if (!read.ok()) return read.status();
    keyers = std::move(*read);
  }
  for (const ReviewQueueItem& item : *queue) {
    // Taken by another already (as far as these reads saw), or not this
    // person's: cheap to skip. Take decides for the rest, in one
    // transaction, so a race is lost cleanly and the next entry tried.
    if ((*holders)[item.sha256].size() >= 2) continue;
    if (keying_ != nullptr) {
      LedgerRecord facts;
      facts.sha256 = item.sha256;
      const std::string step = keying_->StepOf(facts, keyers[item.sha256], user, role);
      if (step != "key" && step != "arbitrate") continue;
    }
    Status taken = Take(item.sha256, user, role);
    if (taken.ok()) return std::optional<std::string>(item.sha256);
    if (taken.code() != StatusCode::kBusy && taken.code() != StatusCode::kUnsupported) return taken;
  }
  return std::optional<std::string>();
}

Status Assignments::Release(const std::string& sha256, const std::string& user) {
  return ledger_->ReleaseReviewLease(sha256, user);
}

}  // namespace sohoa
