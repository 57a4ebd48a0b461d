// A trust store for checking signatures and time-stamps: trusted (root and,
// if wanted, intermediate) certificates and any CRLs, from one PEM file or
// every file of a folder (PEM, one or more objects each). Used by
// `sohoa verify --trust-store` and by the signing stage for the time-stamp
// authority's certificate (`--tsa-trust`).
#pragma once

#include <openssl/x509.h>

#include <memory>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

using TrustStore = std::shared_ptr<X509_STORE>;

// `file_or_dir` empty: OpenSSL's default trust (the system's CA bundle).
// kConfiguration naming the file when something cannot be read or holds no
// certificate. A folder's files are read in name order, at most 10,000.
// The store may be used from several threads.
StatusOr<TrustStore> LoadTrustStore(const std::string& file_or_dir);

}  // namespace sohoa
