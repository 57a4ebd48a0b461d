// `sohoa reseal` (issue 21, PAdES B-LTA): renews the archive time-stamp of
// every archived document whose proof would otherwise end — the certificate
// of the time-stamp that seals it (its newest document time-stamp, else its
// signature time-stamps: DocumentSignatures::sealing_tsa) expires before
// `before`. Such a document gets a fresh DSS (the validation data of the
// time-stamps it already has) and a new document time-stamp over the whole
// file, as a NEW VERSION in a new bag bags/reseal-<time>-<sha8>-<rand>/, the
// way the review station writes a corrected version (version_bag.h): the old
// version stays in its bag, the ledger's details point "pdf" at the new one,
// keep the old as "pdf_v<N>" and list the reseal under "reseals".
//
// Per document, in order; any failure names the document and the cause and
// leaves it as it was (nothing written, or the new bag removed again), and
// the run goes on with the next:
//  1. its PDF is read through the archive store and checked with `checker`
//     (a trust store is needed to know the time-stamps' certificates): a
//     signature that does not verify is a failure (damaged or altered file:
//     a new time-stamp must not seal it); a document without signatures or
//     without any time-stamp (B-B) has nothing to renew and is skipped;
//  2. not due (every sealing certificate ends at or after `before`): skipped;
//  3. the resealer (passed in: pipeline/ never includes stages/, the CLI
//     wires stages/signing/pdf_reseal.h) appends the DSS and the time-stamp;
//  4. the new bytes are checked again: every signature still valid, level
//     B-LTA, and the new sealing certificate ends at or after `before` —
//     else a failure (a TSA whose certificate ends too soon would only make
//     the next run reseal again), which is also what makes a second run with
//     the same `before` do nothing;
//  5. the new version's bag, then the ledger (Ledger::RecordOutcome, the
//     record's status and run kept) — only if the record did not change since
//     step 1, else the bag is removed and the document named.
// Only "archived" records are resealed: a document awaiting review gets a new
// version (re-signed, time-stamped) when a person confirms it, and the review
// station may write it meanwhile.
//
// Runs under the archive's run lock (run_lock.h): not beside a `sohoa run`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/verify_signature.h"
#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// Returns `pdf` followed by a DSS revision answering for `answer_for` (CMS
// signatures and time-stamp tokens, DER) and a document time-stamp revision.
// Errors name the cause (a TSA or responder that cannot be reached: kIoError).
using PdfResealer =
    std::function<StatusOr<std::string>(const std::string& pdf, const std::vector<std::string>& answer_for)>;

struct ResealOptions {
  std::string archive_dir;
  Ledger* ledger = nullptr;                     // not owned
  ArchiveStore* store = nullptr;                // not owned; null: the folder at archive_dir
  const SignatureChecker* checker = nullptr;    // with a trust store; not owned
  PdfResealer resealer;
  int64_t before = 0;  // unix seconds: reseal what stops being provable before then
  std::string operator_name;                    // bag-info Contact-Name
};

struct ResealedDocument {
  std::string sha256, old_pdf, new_pdf, bag;
  std::string old_tsa;            // the certificate that was ending
  int64_t old_not_after = 0;
  std::string new_tsa;
  int64_t new_not_after = 0;
};

struct ResealFailure {
  std::string sha256, pdf;  // the document and its archived version
  std::string cause;
};

struct ResealReport {
  int examined = 0;        // archived records with a PDF
  int not_due = 0;         // sealed past `before`
  int not_timestamped = 0; // unsigned, or signed without a time-stamp (B-B)
  int in_review = 0;       // left for the review station
  std::vector<ResealedDocument> resealed;
  std::vector<ResealFailure> failed;
};

// Non-OK only when the archive cannot be resealed at all (no ledger, the run
// lock held, an unusable store); each document's failure is in the report.
StatusOr<ResealReport> ResealArchive(const ResealOptions& options);

}  // namespace sohoa
