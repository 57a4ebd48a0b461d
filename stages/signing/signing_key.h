// A signing key and its certificate, whatever holds it (a PKCS#12 file or a
// PKCS#11 token), and the checks made on it before a run starts.
//
// Loading: LoadSigningKey(spec, secret) picks the loader from the spec — a
// `pkcs11:` URI (RFC 7512, see pkcs11_key.h) or a PKCS#12 file path (see
// pkcs12_key.h). The secret (password or PIN) comes from the caller, who read
// it from the environment or a file; it is never logged, never put in a
// Status message, and the buffers holding it are cleansed after use.
//
// Thread safety: a SigningKey is shared by every signing worker of a run.
// certificate(), chain() and description() are read-only. Sign() through
// private_key() must be serialised with mutex(): a token does one operation at
// a time (and OpenSSL key objects backed by a token are not reentrant). A
// PKCS#12 key has its own mutex too, so callers treat both alike; the lock is
// held only for the signature itself, not for building the PDF.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

class SigningKey {
 public:
  virtual ~SigningKey() = default;
  // The signer's certificate (owned by the key).
  virtual X509* certificate() const = 0;
  // Other certificates to embed in the CMS (issuers); may be empty, owned.
  virtual STACK_OF(X509) * chain() const = 0;
  // The private key as OpenSSL sees it (software key, or a libp11 key whose
  // operations run on the token). Use only while holding mutex().
  virtual EVP_PKEY* private_key() const = 0;
  virtual std::mutex& mutex() const = 0;
  // "PKCS#12 /path/org.p12" or "PKCS#11 token 'x' object 'y'": for messages.
  virtual std::string description() const = 0;
};

// Loads from a PKCS#12 path or a pkcs11: URI. Errors are kConfiguration with
// a message naming the key and the cause ("wrong password", "wrong PIN",
// "token not found"), never containing the secret.
StatusOr<std::shared_ptr<SigningKey>> LoadSigningKey(const std::string& spec, const std::string& secret);

// Checks the certificate for signing at `unix_time`: inside its validity
// period, and, when it has a keyUsage extension, digitalSignature or
// nonRepudiation set. kConfiguration naming the subject and the problem.
Status CheckSigningCertificate(const SigningKey& key, int64_t unix_time);

// The certificate subject's commonName (UTF-8), or the whole subject line
// when it has none. Used as the default signer name in appearances.
std::string CertificateCommonName(X509* certificate);

}  // namespace sohoa
