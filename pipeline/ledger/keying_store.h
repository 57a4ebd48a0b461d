// Where double keying (issue 18, pipeline/review/double_keying.h) keeps its
// blind keyings until an entry is settled: each operator's submitted values,
// which the other keyer must never see and which are no more vouched for
// than a draft.
//
// Two stores implement it. One station on an archive keeps them in the
// archive's draft file (pipeline/review/drafts.h). Stations that share a
// PostgreSQL ledger (`sohoa review --ledger postgresql://…`) keep them in
// that ledger (Ledger::shared_keyings()), so the second keyer and the arbiter
// may work at another station than the first keyer.
//
// Thread-safety: all methods may be called from several threads at once,
// and (the shared ledger) from several stations at once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// One operator's blind keying of an input.
struct Keying {
  int seq = 0;  // 1 or 2: first or second keyer
  std::string user;
  std::string version;  // the ledger version keyed against
  std::string doc_type;
  std::map<std::string, std::string> fields;  // canonical values (the pipeline's checks passed)
  std::string record_id;
  std::string keyed_at;           // ISO 8601 UTC
  std::string stats_json = "{}";  // KeyingStats as JSON (keystrokes, seconds, per field)
};

class KeyingStore {
 public:
  virtual ~KeyingStore() = default;
  // Appends `keying` as the next of `sha256` (its seq is set here), in one
  // transaction: kInvalidInput when its user keyed this input already,
  // kBusy when two keyings are in already. Returns its seq.
  virtual StatusOr<int> AddKeying(const std::string& sha256, const Keying& keying) = 0;
  // The keyings of `sha256`, first first.
  virtual StatusOr<std::vector<Keying>> Keyings(const std::string& sha256) = 0;
  // Who keyed each input that has keyings waiting (for the queue, in one read).
  virtual StatusOr<std::map<std::string, std::vector<std::string>>> KeyersByInput() = 0;
  // Drops the keyings of `sha256` (it was settled and confirmed).
  virtual Status RemoveKeyings(const std::string& sha256) = 0;
};

}  // namespace sohoa
