// RFC 3161 time-stamp client: asks a TSA to stamp a SHA-256 digest over HTTP
// (POST application/timestamp-query, libcurl) and returns the TimeStampToken.
//
// The response is checked before it is used: status granted, a token present,
// the token's message imprint equal to what we asked for and the nonce echoed.
// The TSA's own signature is verified by whoever validates the PDF (the
// token embeds the TSA certificate: certReq is set).
#pragma once

#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

struct TsaOptions {
  std::string url;  // http(s)://host[:port]/path
  int timeout_seconds = 30;
};

// `digest` is the 32-byte SHA-256 of the data to stamp. Returns the DER
// TimeStampToken (a CMS ContentInfo). kIoError when the TSA cannot be reached
// or answers HTTP != 200; kInvalidInput when its answer is not a granted,
// matching time-stamp response.
StatusOr<std::string> RequestTimestamp(const TsaOptions& options, const std::string& digest);

}  // namespace sohoa
