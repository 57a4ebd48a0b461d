// Checking the signatures inside an archived PDF, for `sohoa verify`.
//
// The check is an interface so `verify` does not depend on how documents are
// signed; NewPdfSignatureChecker() is the default: it finds every signature
// dictionary by its /ByteRange [a b c d], takes the CMS (PKCS #7) blob from
// the gap the byte range leaves (the /Contents hex string), and verifies it
// with OpenSSL as a detached signature over bytes [a, a+b) + [c, c+d) — the
// PAdES / adbe.pkcs7.detached layout — and, when a trust store is given, the
// signer's certificate chain against it. It reads the file itself: no PDF
// library, so a PDF too damaged for one is still checked.
//
// With a trust store (issue 21, `sohoa verify --trust-store`) each signature
// and each time-stamp is validated as PAdES long-term validation wants, from
// what the file holds and offline (signature_trust.h): a signature's chain at
// its signature time-stamp's genTime, else at the signing time it claims
// (the /M of its dictionary, or the CMS signing-time attribute), else now;
// each time-stamp's TSA chain at its own genTime; revocation from the DSS
// (pdf_dss.h). CheckDocument() adds the PAdES baseline level the file
// really holds:
//   B-B    signed;
//   B-T    every signature carries a valid signature time-stamp;
//   B-LT   and the DSS answers (OCSP or CRL) for every certificate of their
//          chains and of their time-stamps' chains but the trust anchors;
//   B-LTA  and a valid document time-stamp (ETSI.RFC3161) covers the DSS.
//
// Thread-safety: Check() is const and may run on several threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/archive/signature_trust.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct SignatureResult {
  int index = 0;                   // 1-based, in file order
  bool valid = false;              // CMS verifies over the byte range (and chain, if checked)
  bool chain_checked = false;      // a trust store was used
  bool covers_whole_file = false;  // the byte range reaches the end of the file
  std::string signer;              // subject of the signer's certificate, if found
  std::string error;               // why not valid
  // With a trust store:
  bool document_timestamp = false;  // an ETSI.RFC3161 document time-stamp, not a signature
  bool timestamped = false;         // a signature with a valid signature time-stamp
  Trust trust = Trust::kNotChecked;
  std::string trust_detail;        // why untrusted or revoked; notes (a later revocation)
  int64_t checked_at = 0;          // the time the chain was validated at
  std::string time_source;         // "time-stamp", "claimed signing time" or "verification time" (msgids)
  bool revocation_in_dss = false;  // the DSS answers for every certificate it needs
  // The TSA certificate of its time-stamp (signature or document time-stamp).
  std::string tsa;
  int64_t tsa_not_after = 0;
};

struct DocumentSignatures {
  std::vector<SignatureResult> signatures;
  std::string level;  // "B-B", "B-T", "B-LT", "B-LTA"; empty: unsigned or no trust store
  // The time-stamps whose expiry ends the file's proof (the last document
  // time-stamp, else the signature time-stamps): re-seal before then.
  std::vector<std::pair<std::string, int64_t>> sealing_tsa;  // subject, not after
  // Each signature's value as the file holds it (the /Contents DER: a CMS, or
  // a time-stamp token for a document time-stamp), in the order of
  // `signatures`; empty where none could be read. What `sohoa reseal` gathers
  // validation data for (pipeline/archive/reseal.h).
  std::vector<std::string> values;
};

class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;
  // The signatures of the PDF whose bytes are `pdf` (an archive store hands
  // out bytes, not paths). Empty vector: the PDF is unsigned.
  virtual std::vector<SignatureResult> CheckBytes(const std::string& pdf) const = 0;
  // The same with the document's level (assessed only with a trust store).
  virtual DocumentSignatures CheckDocument(const std::string& pdf) const { return {CheckBytes(pdf), "", {}}; }
  // The same for a file on the local disk. A non-OK Status: the file could
  // not be read at all (the caller reports that as a fault of the file).
  StatusOr<std::vector<SignatureResult>> Check(const std::string& pdf_path) const;
};

// `trust_store`: a PEM file, or a folder of them, of trusted (root and
// intermediate) certificates and CRLs (trust_store.h); empty = check the
// signature only, not the chain. Fails (kConfiguration) when the trust store
// cannot be read.
StatusOr<std::unique_ptr<SignatureChecker>> NewPdfSignatureChecker(const std::string& trust_store_pem);

}  // namespace sohoa
