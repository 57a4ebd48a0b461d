// The CMS inside a PAdES signature: detached SignedData over the bytes the
// /ByteRange covers, SHA-256, RSA/ECDSA with the signer's key, the signer
// certificate and chain embedded, and the signed attributes content-type,
// message-digest and ESS signing-certificate-v2 (CAdES, via OpenSSL's
// CMS_CADES flag) — no signing-time: PAdES baseline forbids it (the time is
// the signature dictionary's /M), so the one OpenSSL 3.0 always adds is
// removed and the attributes are signed again. With a TSA, an RFC 3161 token over the
// signature value is added as the unsigned attribute
// id-aa-signatureTimeStampToken (PAdES B-T); without one the result is B-B.
#pragma once

#include <string>

#include "pipeline/core/status.h"
#include "stages/signing/signing_key.h"
#include "stages/signing/tsa_client.h"

namespace sohoa {

// Whether the CMS carries the chain's self-signed root. A verifier has to
// hold the root itself (its trust store) for the chain to mean anything, so
// a B-B signature leaves it out (issue 19: 883 bytes, 1.8 kB of hex in the
// file, per signature). Signatures that get validation data (B-LT) keep it:
// the DSS collector walks each chain to its root from the certificates the
// signatures carry (validation_data.h), and the time-stamped levels are
// the ones that can be resealed later.
enum class TrustAnchor { kInclude, kOmit };

// Signs `content` (the covered bytes) with `key`, holding key.mutex() only
// around the private-key operation. `tsa` may be null. Returns DER.
// kInternal on OpenSSL failures (message carries OpenSSL's error queue),
// TSA errors as RequestTimestamp reports them.
StatusOr<std::string> BuildCadesSignature(const SigningKey& key, const std::string& content,
                                          const TsaOptions* tsa, TrustAnchor root = TrustAnchor::kInclude);

}  // namespace sohoa
