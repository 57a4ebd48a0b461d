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

// Signs `content` (the covered bytes) with `key`, holding key.mutex() only
// around the private-key operation. `tsa` may be null. Returns DER.
// kInternal on OpenSSL failures (message carries OpenSSL's error queue),
// TSA errors as RequestTimestamp reports them.
StatusOr<std::string> BuildCadesSignature(const SigningKey& key, const std::string& content,
                                          const TsaOptions* tsa);

}  // namespace sohoa
