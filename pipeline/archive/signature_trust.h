// Trust in a signature's or time-stamp's certificate at the time it was made
// (issue 21), offline: for `sohoa verify --trust-store`.
//
// A chain is built from the certificate, the certificates the file carries
// (the CMS, its DSS) and the trust store, and verified with
// X509_V_FLAG_USE_CHECK_TIME at the given time — so an archive still
// verifies after its certificates expired. Each certificate of the chain but
// the trust anchor is then looked up in the revocation data: OCSP responses
// (signature checked with OCSP_basic_verify; the responder must be the
// issuer or a delegate it certified with extended key usage OCSPSigning,
// valid when it answered) and CRLs (signed by the issuer) from the DSS, then
// CRLs of the trust store. A certificate is revoked for the check when a
// response or CRL says so and either the time is only claimed (no time-stamp
// proves the signature existed before the revocation) or the revocation is
// at or before the proven time. Freshness of "good" answers is not judged:
// the DSS is written right after signing (stages/signing/validation_data.h).
// Nothing is fetched.
#pragma once

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/archive/pdf_dss.h"

namespace sohoa {

enum class Trust { kNotChecked, kTrusted, kUntrusted, kRevoked };
const char* TrustName(Trust trust);  // "not checked", "trusted", "untrusted", "revoked" (msgids)

struct ChainCheck {
  Trust trust = Trust::kNotChecked;
  std::string detail;              // why untrusted or revoked; a later revocation as a note
  bool revocation_in_dss = false;  // the DSS answers for every certificate but the anchor
};

struct TimestampCheck {
  bool valid = false;  // the token's signature and imprint verify
  std::string error;
  int64_t gen_time = 0;
  std::string tsa;            // the TSA certificate's subject
  int64_t tsa_not_after = 0;  // when it expires
  ChainCheck chain;           // the TSA's chain at gen_time
};

// "2026-12-05T02:49:16Z"
std::string UtcTime(int64_t unix_seconds);

// Built once per PDF from its DSS and the trust store (null: time-stamp
// tokens are checked, chains not); one per document check, the store is
// shared read-only.
class OfflineTrust {
 public:
  OfflineTrust(X509_STORE* store, const DssContents& dss);
  ~OfflineTrust();
  OfflineTrust(const OfflineTrust&) = delete;
  OfflineTrust& operator=(const OfflineTrust&) = delete;

  // `extra`: certificates the signature itself carries (may be null).
  // `purpose`: X509_PURPOSE_ANY for signers, X509_PURPOSE_TIMESTAMP_SIGN for TSAs.
  ChainCheck CheckChain(X509* cert, STACK_OF(X509) * extra, int64_t at, bool time_proven, int purpose) const;

  // An RFC 3161 token (CMS SignedData of a TSTInfo) over `stamped`: its
  // signature, the message imprint, then (with a store) the TSA's chain at its genTime.
  TimestampCheck CheckTimestamp(const std::string& token_der, const std::string& stamped) const;

 private:
  struct Revocation;
  Revocation Lookup(X509* cert, X509* issuer) const;

  X509_STORE* store_;
  STACK_OF(X509) * pool_;  // DSS certificates
  std::vector<OCSP_BASICRESP*> ocsps_;
  std::vector<X509_CRL*> dss_crls_, store_crls_;
};

}  // namespace sohoa
