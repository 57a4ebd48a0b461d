// RFC 3161 time-stamp client: asks a TSA to stamp a SHA-256 digest over HTTP
// (POST application/timestamp-query, libcurl) and returns the TimeStampToken.
//
// The response is checked before it is used (issue 21): status granted, a
// token present, the token's message imprint equal to what we asked for, the
// nonce echoed, the token's signature valid, and its signer certificate
// chaining to the configured TSA trust now, with the critical extended key
// usage timeStamping and the ESS signing-certificate binding (OpenSSL's
// TS_RESP_verify_response). A token that fails any of these is never used.
#pragma once

#include <string>

#include "pipeline/core/trust_store.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct TsaOptions {
  std::string url;  // http(s)://host[:port]/path
  int timeout_seconds = 30;
  // Who may sign time-stamps: a PEM file or folder of CA certificates
  // (--tsa-trust); empty = the system's CA bundle.
  std::string trust;
  // `trust` loaded (by the signing stage, once per run). Required.
  TrustStore trust_store;
};

// `digest` is the 32-byte SHA-256 of the data to stamp. Returns the DER
// TimeStampToken (a CMS ContentInfo). kIoError when the TSA cannot be reached,
// answers HTTP != 200, or answers with anything but a granted time-stamp
// response that passes every check above (the message names the check): a
// bad answer is the service's fault, not the document's, so the document is
// left for the next run like when the TSA is down.
StatusOr<std::string> RequestTimestamp(const TsaOptions& options, const std::string& digest);

}  // namespace sohoa
