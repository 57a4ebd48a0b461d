// Signing keys on a PKCS#11 token (the USB tokens agencies sign with), through
// libp11.
//
// The key is named by an RFC 7512 URI:
//   pkcs11:token=<label>;object=<label>;id=%01?module-path=/path/module.so
// Path attributes used: token, manufacturer, serial, model (to pick the
// token), object and id (to pick the certificate and its private key; the
// first certificate with a matching private key when absent). Query
// attribute module-path names the PKCS#11 module (default: p11-kit's proxy,
// which loads every module registered with p11-kit). `pin-value` and
// `pin-source` are refused: the PIN comes from the environment or the secret
// file, never from the command line.
//
// The PIN is presented exactly once per run. A wrong PIN returns
// kConfiguration "wrong PIN" at once and nothing retries it — hardware tokens
// lock after three failures, and the count is not ours to spend. A token
// that reports its PIN locked or "final try" is refused before any login.
//
// The token is opened once (one PKCS#11 context, one session) and lives as
// long as the returned SigningKey; every signing operation must hold
// SigningKey::mutex() (see signing_key.h), which serialises use of the token
// while the rest of the graph keeps working.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "stages/signing/signing_key.h"

namespace sohoa {

struct Pkcs11Uri {
  std::map<std::string, std::string> path;   // percent-decoded
  std::map<std::string, std::string> query;  // percent-decoded
};

// Parses "pkcs11:..." (kConfiguration on a malformed URI or a URI carrying a
// PIN). Exposed for tests.
StatusOr<Pkcs11Uri> ParsePkcs11Uri(const std::string& uri);

StatusOr<std::shared_ptr<SigningKey>> LoadPkcs11Key(const std::string& uri, const std::string& pin);

}  // namespace sohoa
