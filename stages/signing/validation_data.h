// Validation data for PAdES B-LT (issue 21): the certificate chain of every
// signer and every time-stamp signer of a document, and for each certificate
// but the self-signed root an answer on its revocation status fetched now —
// an OCSP response from the responder its Authority Information Access names,
// else the CRL from its CRL distribution point. They go into the PDF's DSS
// (pdf_long_term.h), so the signatures can be validated after the
// certificates expire or the responders are gone.
//
// Every answer is checked before it is kept: an OCSP response must be
// successful, signed by the certificate's issuer or a responder it delegated
// (extended key usage OCSPSigning) chaining to the same root, echo our nonce
// when it carries one, be current, and say "good"; a CRL must be signed by
// the issuer, be current, and not list the certificate.
//
// Errors are kIoError naming the certificate (its subject, never personal
// data beyond what a certificate publishes) and the cause: responder
// unreachable or answering badly, certificate revoked or unknown, issuer not
// embedded, no revocation source named. The caller does not archive the
// document at B-LT then; it is left for the next run, as with a TSA that is
// down.
#pragma once

#include <openssl/x509.h>

#include <cstddef>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct ValidationData {
  std::vector<std::string> certs;  // DER, each once
  std::vector<std::string> ocsps;  // DER OCSPResponse
  std::vector<std::string> crls;   // DER CertificateList
};

struct RevocationFetchOptions {
  int timeout_seconds = 30;
  size_t max_ocsp_bytes = 64 * 1024;
  size_t max_crl_bytes = 10 * 1024 * 1024;
};

// `cms_der`: CMS SignedData blobs — PAdES signature values and RFC 3161
// time-stamp tokens; the signature time-stamp tokens inside a signature's
// unsigned attributes are followed too. `also_from`, when given, adds the
// certificates it holds to those chains are built from (a token that omits
// the root: the TSA trust has it). Thread-safe.
StatusOr<ValidationData> CollectValidationData(const std::vector<std::string>& cms_der,
                                               const RevocationFetchOptions& options,
                                               X509_STORE* also_from = nullptr);

}  // namespace sohoa
