#include "stages/signing/signing_key.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "stages/signing/pkcs11_key.h"
#include "stages/signing/pkcs12_key.h"

namespace sohoa {

StatusOr<std::shared_ptr<SigningKey>> LoadSigningKey(const std::string& spec, const std::string& secret) {
  if (spec.rfind("pkcs11:", 0) == 0) return LoadPkcs11Key(spec, secret);
  return LoadPkcs12Key(spec, secret);
}

std::string CertificateCommonName(X509* certificate) {
  X509_NAME* subject = X509_get_subject_name(certificate);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index >= 0) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length >= 0) {
      std::string name(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
      OPENSSL_free(utf8);
      return name;
    }
  }
  char* line = X509_NAME_oneline(subject, nullptr, 0);
  std::string name = line ? line : "";
  OPENSSL_free(line);
  return name;
}

Status CheckSigningCertificate(const SigningKey& key, int64_t unix_time) {
  X509* cert = key.certificate();
  const std::string what = key.description() + ": certificate '" + CertificateCommonName(cert) + "'";
  time_t now = static_cast<time_t>(unix_time);
  if (X509_cmp_time(X509_get0_notBefore(cert), &now) > 0) {
    return Status::Configuration(what + " is not valid yet");
  }
  if (X509_cmp_time(X509_get0_notAfter(cert), &now) < 0) {
    return Status::Configuration(what + " has expired");
  }
  // X509_get_key_usage() caches extensions; UINT32_MAX means "no extension".
  const uint32_t usage = X509_get_key_usage(cert);
  if (usage != UINT32_MAX && !(usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
    return Status::Configuration(what +
                                 " does not allow signing (key usage lacks digitalSignature "
                                 "and nonRepudiation)");
  }
  if (X509_check_private_key(cert, key.private_key()) != 1) {
    ERR_clear_error();
    return Status::Configuration(what + " does not match its private key");
  }
  return Status::Ok();
}

}  // namespace sohoa
