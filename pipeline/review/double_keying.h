// Double keying with arbitration (issue 18): for the inputs its scope names,
// two operators key the same entry independently and blind; the fields they
// typed alike are accepted, the others are settled by a third person with
// the arbiter role, who sees both values (and the crop) and picks or types
// the final one. Inputs outside the scope are keyed once, as before.
//
// Rules, enforced here whatever the browser does:
//  - one person never keys an input twice (the second keying must be
//    someone else's) and never settles an input they keyed;
//  - a keyer never sees the other keyer's values: they are kept apart in a
//    KeyingStore (the archive's draft file, or the shared ledger's keyings
//    when stations share a PostgreSQL ledger), out of the ledger's records
//    and of the document's facts, and shown only to an arbiter once both
//    are in;
//  - values are compared as the pipeline's checks make them canonical
//    (ReviewService::CheckedValues), so 13/11/2020 and 2020-11-13 agree;
//  - once settled (both agree, or the arbiter has spoken) the input is
//    confirmed through ReviewService::Confirm, and the ledger keeps who keyed
//    what, the agreement of each field, what the arbiter chose and the
//    keying figures (the details' and the review history's "keying", below).
//
// "keying" JSON, in the ledger's details and review history of every
// confirmation made by the station:
//   {"mode": "single" | "double",
//    "keyings": [{"by", "role": "single" | "first" | "second", "at",
//                 "keystrokes", "seconds", "field_seconds": {key: s},
//                 "fields": {key: value} (double only),
//                 "corrected": [keys whose final value differs from this keying's] (double only)}],
//    "agreed": [keys], "disagreed": [keys]  (double only),
//    "arbiter": {"by", "at", "fields": {key: final}, "keystrokes", "seconds"}  (when settled by one)}
// Keystrokes and seconds are what the operator's browser counted (-1 when
// unknown): productivity figures, never a check on the values.
//
// Errors: kUnsupported for a request that is not this person's to make
// (same person twice, an arbiter who keyed, no arbiter role, a keyer asking
// for the values): the station answers 403. kBusy when the input changed or
// is not at that step; kInvalidInput for a value the pipeline refuses.
//
// Thread-safety: as the ReviewService and KeyingStore it is given.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/ledger/ledger.h"
#include "pipeline/review/accounts.h"
#include "pipeline/ledger/keying_store.h"
#include "pipeline/review/review.h"

namespace sohoa {

// Which inputs in review are keyed twice (`sohoa review --double-keying`).
struct DoubleKeyingScope {
  bool all = false;               // every input in review
  bool handwritten = false;       // register entries marked handwritten
  std::set<std::string> batches;  // run ids
  std::set<std::string> books;    // "01/2018" (a book of any kind) or "khai_sinh:01/2018"
  bool empty() const { return !all && !handwritten && batches.empty() && books.empty(); }
};
// Adds one --double-keying value: "all", "handwritten", "batch=RUN_ID" or
// "book=[KIND:]BOOK_NO". kConfiguration for anything else.
Status AddDoubleKeyingScope(const std::string& text, DoubleKeyingScope* scope);

// What the operator's browser counted while keying (-1: not counted).
struct KeyingStats {
  int64_t keystrokes = -1;
  double seconds = -1;
  std::map<std::string, double> field_seconds;  // time with each field focused
};
// From the JSON the browser sent ({keystrokes, seconds, field_seconds});
// values out of bounds (negative, over a day, over a million keys, more than
// 200 fields) are dropped, never an error: figures, not values.
KeyingStats ParseKeyingStats(const std::string& json_text);

// Where an input stands for one person.
struct KeyingState {
  bool double_keyed = false;
  int keyings = 0;         // blind keyings in (0-2)
  bool you_keyed = false;  // this person is one of them
  // "key" (key it: single, first or second keying), "wait" (you keyed it,
  // the second keyer has not), "arbitrate" (both in, yours to settle),
  // "awaits_arbiter" (both in, someone else's to settle).
  std::string step;
};

struct KeyingOutcome {
  // "confirmed" (single keying, or both keyings agreed: archived),
  // "first" (kept; a second person keys it next), "arbitration" (both in,
  // `disagreements` fields for an arbiter).
  std::string step;
  int disagreements = 0;
  ReviewOutcome confirmed;  // when step == "confirmed"
};

class DoubleKeying {
 public:
  // All must outlive this object.
  DoubleKeying(Ledger* ledger, ReviewService* service, KeyingStore* keyings, DoubleKeyingScope scope);

  StatusOr<KeyingState> State(const std::string& sha256, const std::string& user, Role role);
  // Who keyed each input with keyings waiting (the queue's one read).
  StatusOr<std::map<std::string, std::vector<std::string>>> Keyers() { return keyings_->KeyersByInput(); }
  // Step of an input for `user`, from Keyers() and the input's facts.
  std::string StepOf(const LedgerRecord& record, const std::vector<std::string>& keyers,
                     const std::string& user, Role role) const;

  // A keyer's submission (the confirm route): confirmed at once when the
  // input is single-keyed, else kept blind, then compared when it is the
  // second.
  StatusOr<KeyingOutcome> Submit(const ReviewSubmission& submission, const KeyingStats& stats);
  // Both keyings for an arbiter: {doc_type, keyings: [{by, at, doc_type,
  // fields, record_id}], agreed: [keys], disagreed: [keys], version}.
  StatusOr<std::string> ArbitrationJson(const std::string& sha256, const std::string& user, Role role);
  // The arbiter's final values: the agreed fields stay as keyed, each
  // disagreed one takes `submission.fields[key]` (required: kInvalidInput
  // naming it when absent).
  StatusOr<ReviewOutcome> Arbitrate(const ReviewSubmission& submission, Role role, const KeyingStats& stats);

 private:
  bool InScope(const LedgerRecord& record) const;
  StatusOr<std::vector<Keying>> BothKeyings(const std::string& sha256, const std::string& user, Role role);
  // Confirms a settled entry, then drops its keyings from the store.
  StatusOr<ReviewOutcome> ConfirmSettled(const ReviewSubmission& settled);

  Ledger* ledger_;
  ReviewService* service_;
  KeyingStore* keyings_;
  DoubleKeyingScope scope_;
};

}  // namespace sohoa
