// `sohoa verify`: is the archive intact? Checked without trusting the
// pipeline's word, and never stopping at the first problem.
//
// For every bag under <archive>/bags/ (pipeline/archive/bag.h):
//  - bagit.txt is present and declares BagIt 1.0 / UTF-8; the bag is complete
//    (a tag manifest exists); every tag file the tag manifest lists has its
//    hash; Payload-Oxum in bag-info.txt matches the payload on disk;
//  - every payload file the manifest lists exists (always all of them) and,
//    if it is in the sample, re-hashes to the manifest's SHA-256;
//  - nothing unlisted sits in data/ (always all of it).
// Against the ledger (which records each output's hash as it was archived):
//  - every archived/review record's outputs exist with the recorded hash,
//    and the bag's manifest agrees with the ledger (a payload file and its
//    manifest line rewritten together are still caught);
//  - every payload file is known to the ledger.
// Access: files and folders readable by every account are listed as a
// warning (they should be 0640/0750, pipeline/archive/archive_access.h).
// Signatures: every sampled PDF's signatures are checked (verify_signature.h);
// an unsigned PDF is counted and reported as unsigned in the summary, not as
// a problem (signing is optional in the pipeline).
// With a trust store (issue 21) every signature and time-stamp is validated
// at its signing time against it, offline, from the file's own validation
// data: an untrusted or revoked chain is a bad signature; each signed PDF's
// PAdES level is reported, and the certificates of the time-stamps that seal
// a document when they expire within a year (re-seal before then; not for an
// older version the ledger keeps as "pdf_v<N>": a newer one replaced it).
//
// Sampling: with fraction f < 1, the sample is the ceil(f × N) payload files
// whose SHA-256 of "<seed>:<archive-relative path>" is smallest — the same
// archive, fraction and seed always give the same sample, on any machine,
// and an auditor can recompute it by hand. Only re-hashing and signature
// checks are sampled; presence, extras and ledger consistency are checked in
// full (they cost no reading).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/verify_signature.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

enum class Fault {
  kMissing,         // listed (manifest or ledger) but not on disk
  kAltered,         // on disk but its hash differs from the manifest's
  kExtra,           // in data/ but in no manifest
  kBadSignature,    // a PDF signature does not verify
  kLedgerMismatch,  // the ledger and the files / manifests disagree
  kBadBag,          // bag structure: bagit.txt, incomplete bag, Payload-Oxum
};
const char* FaultName(Fault fault);  // "missing", "altered", "extra", ... (JSON's "fault")

struct Problem {
  std::string file;  // archive-relative path
  std::string bag;   // bag name, empty if none
  Fault fault;
  std::string detail;  // for a person, in English: what was expected, what was found
  // The same detail as a message of the catalogue (issue 20): `what` is the
  // English msgid with {placeholders}, `params` their values (names, hashes,
  // counts; a {cause} is a library's own words). detail == Fill(what, params).
  const char* what = nullptr;
  MessageParams params;
};

struct VerifyOptions {
  std::string archive_dir;
  double sample = 1.0;  // fraction of payload files to re-hash, (0, 1]
  uint64_t seed = 0;
  const SignatureChecker* signatures = nullptr;  // null: signatures not checked
  // The ledger to check against (not owned); null: the archive's own SQLite
  // ledger. A fleet's archive passes its shared PostgreSQL ledger (issue 8).
  Ledger* ledger = nullptr;
  // Where the archive's files are read (not owned); null: the folder at
  // archive_dir, opened for reading only.
  ArchiveStore* store = nullptr;
};

struct VerifySummary {
  int bags = 0, bags_complete = 0;
  int payload_files = 0;   // distinct payload files listed or present
  int payload_hashed = 0;  // re-hashed (the sample)
  uint64_t bytes_hashed = 0;
  int ledger_records = 0;  // archived + review records checked
  int pdfs_checked = 0;    // sampled PDFs whose signatures were looked at
  int pdfs_unsigned = 0;
  int signatures_valid = 0, signatures_invalid = 0;
  bool chain_checked = false;  // a trust store was used
  std::map<std::string, int> levels;  // "B-LTA" -> documents (with a trust store)
};

// A signed PDF as judged with a trust store.
struct SignedPdf {
  std::string file, bag;
  std::string level;  // "B-B", "B-T", "B-LT", "B-LTA"
  std::vector<SignatureResult> signatures;
};

// A time-stamp certificate that seals a document and ends within a year.
struct ExpiringTimestamp {
  std::string file, bag;
  std::string tsa;  // the certificate's subject
  int64_t not_after = 0;
};

struct VerifyReport {
  std::vector<Problem> problems;  // sorted by bag, file
  std::vector<SignedPdf> signed_pdfs;                   // with a trust store, in file order
  std::vector<ExpiringTimestamp> expiring_timestamps;  // with a trust store
  VerifySummary summary;
  double sample = 1.0;
  uint64_t seed = 0;
  // A warning, not a fault of the archive's integrity: files and folders
  // every account on the server may read (pipeline/archive/archive_access.h), the
  // first few by name and how many in all.
  std::vector<std::string> readable_by_others;
  size_t readable_by_others_count = 0;
  bool intact() const { return problems.empty(); }
};

// Non-OK only when the archive cannot be examined at all (no ledger, an
// unreadable folder); every fault of a file is a Problem in the report.
StatusOr<VerifyReport> VerifyArchive(const VerifyOptions& options);

// "ALTERED  bags/r1/data/ab/ab….pdf  [bag r1]  …" lines, then a summary, in
// `lang` (the fault tags and labels too: "BỊ SỬA … [gói r1]"); file names,
// hashes and PAdES levels (B-LT) as they are. Scripts read --format json.
void WriteVerifyText(const VerifyReport& report, std::ostream& out, UiLang lang = UiLang::kEn);
// One JSON object: {"intact", "problems": [{file, bag, fault, detail}], "summary": {...}}.
void WriteVerifyJson(const VerifyReport& report, std::ostream& out);

}  // namespace sohoa
