// Signing keys from a PKCS#12 (.p12/.pfx) file.
//
// The whole file is read and parsed once; the key then lives in memory for
// the run. A wrong password and a damaged file are told apart (PKCS12_verify_mac
// first), so the message says which. Legacy PKCS#12 files (RC2/3DES, as older
// Windows exports make) need OpenSSL's legacy provider, which is loaded on
// demand when the default one cannot decrypt the file.
#pragma once

#include <memory>
#include <string>

#include "stages/signing/signing_key.h"

namespace sohoa {

// kConfiguration: file missing/unreadable, not PKCS#12, wrong password, no
// private key or no matching certificate inside.
StatusOr<std::shared_ptr<SigningKey>> LoadPkcs12Key(const std::string& path, const std::string& password);

}  // namespace sohoa
