// Who keys which entry (issue 18): the assignment that lets several
// operators — at one station or at several stations sharing a PostgreSQL
// ledger — work through the same queue without two of them keying the same
// entry, unless double keying asks for two keyers.
//
// An operator is given an entry with a lease in the ledger
// (Ledger::TakeReviewLease), the way `sohoa worker` is given work: the
// station renews it while the entry is open (the browser's heartbeat), ends
// it when the entry is keyed, and a lease not renewed — a closed browser, an
// operator gone home — expires after lease_seconds, and the entry goes to the
// next operator who asks. A keying or an arbitration is accepted only from
// an operator who holds the entry's lease or can take it now: the one whose
// lease ran out and was taken over is refused (kBusy), never silently
// overwritten.
//
// How many may hold an entry at once: one; two while a double-keyed entry
// has no keying yet (its two blind keyers work side by side). An entry that
// waits for its second keyer is free for anyone but its first keyer; one
// awaiting an arbiter is free for one arbiter who keyed neither keying.
//
// Thread-safety: as the Ledger, ReviewService and DoubleKeying it is given.
#pragma once

#include <optional>
#include <string>

#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"
#include "pipeline/review/accounts.h"
#include "pipeline/review/double_keying.h"
#include "pipeline/review/review.h"

namespace sohoa {

// The default lease (`sohoa review --lease-minutes`): long enough for a
// heavy entry between two heartbeats of a slow browser, short enough that
// abandoned work comes back within the hour.
inline constexpr int kDefaultReviewLeaseSeconds = 10 * 60;

class Assignments {
 public:
  // `keying` may be null (every entry keyed once). All must outlive this.
  Assignments(Ledger* ledger, ReviewService* service, DoubleKeying* keying, int lease_seconds);

  // Takes or renews `user`'s lease on `sha256`. kBusy when other operators
  // hold it or it no longer awaits review; kUnsupported when it is not this
  // person's to key or settle now (they keyed it and wait for the second
  // keyer, or it awaits an arbiter and they are none or keyed it); kNotFound
  // for an unknown input.
  Status Take(const std::string& sha256, const std::string& user, Role role);
  // The next entry for `user`, leased to them: one they hold already, else
  // the first in queue order they may key or settle and nobody else holds
  // (beyond double keying's two). nullopt when the queue has none left.
  StatusOr<std::optional<std::string>> Next(const std::string& user, Role role);
  // Gives the entry back (keyed, or left): the next operator may take it.
  Status Release(const std::string& sha256, const std::string& user);

  int lease_seconds() const { return lease_seconds_; }

 private:
  // Whether `user` may hold `sha256` now and with how many others; 0: not theirs.
  StatusOr<int> HoldersAllowed(const std::string& sha256, const std::string& user, Role role);

  Ledger* ledger_;
  ReviewService* service_;
  DoubleKeying* keying_;
  int lease_seconds_;
};

}  // namespace sohoa
