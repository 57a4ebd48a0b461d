// Drafts of the keying station (issue 18): what an operator has typed into
// an entry's form and not yet confirmed, kept on the server per operator and
// input, so nothing is lost when a browser closes mid-entry. The next time
// the same operator opens the entry, the form comes back as they left it.
//
// Kept in their own SQLite file beside the ledger, <archive>/drafts.sqlite,
// readable by its owner only (0600): drafts hold personal values (names,
// dates) that are not yet vouched for, so they belong neither in the ledger
// (which holds what was confirmed) nor in the accounts file (which auditors
// read). A confirmation removes every draft of its input. Values never reach
// a log; the station's audit log names who saved or restored a draft of
// which input, never what it held.
//
// Double keying (issue 18) keeps its blind keyings here too (KeyingStore,
// pipeline/ledger/keying_store.h) when the station's ledger is the archive's
// own; on a shared PostgreSQL ledger they live in the ledger. Until the entry
// is settled: each operator's submitted values, which the other keyer
// must never see and which are no more vouched for than a draft. Once both
// agree or an arbiter settles them, all of it goes into the ledger with the
// final values and RemoveAll drops it from here.
//
// Bounds: a draft holds at most kMaxDraftFields fields of kMaxDraftValueBytes
// each (kInvalidInput beyond); an operator keeps at most kMaxDraftsPerUser
// drafts, the oldest dropped when a new one would pass that.
//
// Thread-safety: all methods may be called from several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/status.h"
#include "pipeline/ledger/keying_store.h"

namespace sohoa {

inline constexpr size_t kMaxDraftFields = 200;
inline constexpr size_t kMaxDraftValueBytes = 4096;
inline constexpr int kMaxDraftsPerUser = 500;

struct Draft {
  std::string doc_type;
  std::map<std::string, std::string> fields;
  std::string saved_at;  // ISO 8601 UTC
};

class DraftStore : public KeyingStore {
 public:
  virtual ~DraftStore() = default;
  // Saves (replacing) `user`'s draft of input `sha256`. Returns true when
  // the draft is new (the caller audits that, not every save).
  virtual StatusOr<bool> Save(const std::string& user, const std::string& sha256, const Draft& draft) = 0;
  // `user`'s draft of `sha256`, nullopt when none.
  virtual StatusOr<std::optional<Draft>> Load(const std::string& user, const std::string& sha256) = 0;
  // Removes every operator's draft and keying of `sha256` (it was confirmed).
  virtual Status RemoveAll(const std::string& sha256) = 0;

  // Double keying's keyings (KeyingStore): AddKeying, Keyings,
  // KeyersByInput, RemoveKeyings, for a station whose ledger keeps none.
};

// <archive_dir>/drafts.sqlite.
std::string DraftStorePath(const std::string& archive_dir);

// Opens (creating and migrating if needed) the store at `path`, made 0600.
// kUnavailable when the file cannot be opened or written.
StatusOr<std::unique_ptr<DraftStore>> OpenDraftStore(const std::string& path);

}  // namespace sohoa
