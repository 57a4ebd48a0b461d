// BagIt packaging of the archive (RFC 8493, BagIt 1.0).
//
// Each run's archived documents form one bag at <archive>/bags/<bag>/, where
// the bag name is the run id (`sohoa run`) or the worker id (`sohoa worker`,
// one bag per worker process, closed when it exits; see pipeline/run/worker_run.h):
//
//   bags/<bag>/bagit.txt               "BagIt-Version: 1.0" + encoding
//   bags/<bag>/data/<sha[0:2]>/<sha>.<ext>   the payload (written by ArchiveSink)
//   bags/<bag>/manifest-sha256.txt     every payload file
//   bags/<bag>/bag-info.txt            the run's facts (see BagFacts)
//   bags/<bag>/tagmanifest-sha256.txt  the three tag files above
//
// Where the hashes come from: ArchiveSink hashes each output as it moves it
// into data/ and records {path, sha256, bytes} in the ledger's details of the
// document. The manifest is written from those recorded values, never by
// re-reading the archive, so a file damaged between archiving and bagging is
// caught by the first `sohoa verify` instead of being blessed by the bag.
//
// When: RunBatch completes the bags at the end of its run, and at the start
// of the next run for a run that crashed or failed before its bag was done
// (everything needed is in the ledger). A payload file a crashed run moved
// into data/ but never recorded in the ledger is not part of any document:
// it is moved aside to <archive>/unrecorded/<bag>/ (its input is processed
// again by the next run) so the bag stays valid.
//
// Immutability: tagmanifest-sha256.txt is written last; its presence means
// the bag is complete, and a complete bag is never written again (WriteBag
// refuses; CompleteBags skips it). Nothing under bags/ is modified in place.
// Versions: an input is archived once (the ledger refuses to claim archived
// content again), so a re-digitized paper result is a *new* input — a new
// scan with its own hash — archived in the bag of the run that read it; the
// old version stays in its own completed bag. The two are linked through the
// inventory record both match (pipeline/inventory*, issue 3), which is how
// the report counts a record once however many versions it has.
//
// Thread-safety: functions here are called by one thread holding the
// archive's run lock (or, read-only, by `sohoa verify`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/archive_layout.h"
#include "pipeline/core/run_log.h"
#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// One payload file: its path relative to the bag ("data/ab/ab12....pdf").
struct BagFile {
  std::string path;
  std::string sha256;  // lower-case hex
  uint64_t bytes = 0;
};

// What bag-info.txt says (RFC 8493 §2.2.2 reserved labels where they fit).
struct BagFacts {
  std::string source_organization;           // Source-Organization (omitted if empty)
  std::string contact_name;                  // Contact-Name: the operator (omitted if empty)
  std::string contact_email;                 // Contact-Email (omitted if empty)
  std::string external_identifier;           // External-Identifier: the run id
  std::string bagging_date;                  // Bagging-Date, YYYY-MM-DD
  std::string software_agent;                // Bag-Software-Agent, "sohoa 0.1.0"
  std::string run_started, run_finished;     // Sohoa-Run-Started / -Finished
  int documents = 0, review = 0, pages = 0;  // Sohoa-Documents / -Review / -Pages
};

// Who is bagging, from the run's configuration.
struct BagOptions {
  std::string organization;
  std::string operator_name;
  std::string operator_email;
};

inline constexpr const char* kTagManifest = "tagmanifest-sha256.txt";
inline constexpr const char* kManifest = "manifest-sha256.txt";

// A bag (bags/<name> in the store) is complete when its tag manifest exists.
StatusOr<bool> IsBagComplete(ArchiveStore& store, const std::string& name);

// A tag file beyond the standard three: name (bag-relative, no '/') and bytes.
struct TagFile {
  std::string name;
  std::string bytes;
};

// Writes bagit.txt, manifest-sha256.txt, bag-info.txt, the `extra` tag files
// and, last, tagmanifest-sha256.txt (listing them all), each atomically, for
// a payload that is already in bags/<name>/data/ of the store (an empty
// payload gets an empty data/). Fails (kConfiguration) on a complete bag, or
// on a payload path outside data/.
Status WriteBag(ArchiveStore& store, const std::string& name, std::vector<BagFile> payload,
                const BagFacts& facts, const std::vector<TagFile>& extra = {});

// "Payload-Oxum": "<octets>.<files>".
std::string PayloadOxum(const std::vector<BagFile>& payload);

// A manifest line's path with CR, LF and '%' percent-encoded (RFC 8493 §2.1.3),
// and back.
std::string EncodeManifestPath(const std::string& path);
std::string DecodeManifestPath(const std::string& encoded);

// The payload of one bag as the ledger knows it: the outputs of archived and
// review records recorded under "bags/<name>/data/...", found through the
// ledger's per-bag index. Records without recorded hashes are an error.
struct LedgerBag {
  std::string name;
  std::vector<BagFile> payload;
  std::vector<std::string> documents;  // input sha256 of each document
  int review = 0, pages = 0;
};
StatusOr<LedgerBag> BagFromLedger(Ledger& ledger, const std::string& name);

// Bags completed from the ledger also carry the ledger's account of their run
// (pipeline/archive/bag_ledger.h, sohoa-ledger.jsonl): every outcome it recorded,
// quarantines included, so a lost ledger can be rebuilt from the bags. A run
// that recorded outcomes but archived nothing gets a bag with an empty
// payload for that account.
//
// Completes the one bag bags/<name> of the store from the ledger, whatever
// its run's state (the caller knows the bag is no longer being filled: a
// worker closing its own bag as it exits, or the bag of a worker found dead).
// Unrecorded payload files are moved aside first; a bag with no recorded
// payload is removed if empty. Nothing happens to a complete bag. `written`
// (if not null) says whether the tag files were written now. With many
// workers on one archive the caller serialises closings of one bag (a
// WorkLedger lock), since two closers would race on the tag files.
Status CompleteBag(Ledger& ledger, ArchiveStore& store, const std::string& name, const BagOptions& options,
                   RunLog* log, bool* written = nullptr);

// Completes every incomplete bag under bags/ of the store whose run is not
// still running (runs in `ledger`), from the ledger, moving unrecorded
// payload files aside first. `completed` (if not null) receives the names of
// the bags written.
// `serialise` (if set) runs each bag's completion, e.g. under a database lock
// of that bag when several processes share the archive.
Status CompleteBags(
    Ledger& ledger, ArchiveStore& store, const BagOptions& options, RunLog* log,
    std::vector<std::string>* completed = nullptr,
    const std::function<Status(const std::string& bag, const std::function<Status()>&)>& serialise = nullptr);

}  // namespace sohoa
