#include "stages/signing/pkcs12_key.h"

#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "stages/signing/openssl_errors.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>


namespace sohoa {
namespace {

class Pkcs12Key : public SigningKey {
 public:
  Pkcs12Key(std::string path, EVP_PKEY* key, X509* cert, STACK_OF(X509) * chain)
      : path_(std::move(path)), key_(key), cert_(cert), chain_(chain) {}
  ~Pkcs12Key() override {
    EVP_PKEY_free(key_);
    X509_free(cert_);
    sk_X509_pop_free(chain_, X509_free);
  }
  X509* certificate() const override { return cert_; }
  STACK_OF(X509) * chain() const override { return chain_; }
  EVP_PKEY* private_key() const override { return key_; }
  std::mutex& mutex() const override { return mutex_; }
  std::string description() const override { return "PKCS#12 " + path_; }

 private:
  const std::string path_;
  EVP_PKEY* const key_;
  X509* const cert_;
  STACK_OF(X509) * const chain_;
  mutable std::mutex mutex_;
};

}  // namespace

StatusOr<std::shared_ptr<SigningKey>> LoadPkcs12Key(const std::string& path, const std::string& password) {
  const std::string what = "PKCS#12 key " + path;
  constexpr size_t kMaxPkcs12Bytes = 1024 * 1024;  // a key and its chain: a few kB
  std::string bytes;
  const Status read = ReadFileBounded(path, kMaxPkcs12Bytes, &bytes);
  if (!read.ok()) return Status::Configuration("PKCS#12 key " + read.message());
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size()));
  if (p12 == nullptr) {
    ERR_clear_error();
    return Status::Configuration(ErrorText("key.not_pkcs12", {{"path", path}}));
  }
  if (PKCS12_mac_present(p12) &&
      !PKCS12_verify_mac(p12, password.c_str(), static_cast<int>(password.size()))) {
    PKCS12_free(p12);
    ERR_clear_error();
    return Status::Configuration(ErrorText("key.wrong_password", {{"path", path}}));
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  int ok = PKCS12_parse(p12, password.c_str(), &key, &cert, &chain);
  if (!ok) {
    // Old RC2-40 files: retry once with the legacy provider. The password is
    // already known to be right (the MAC verified), so this is no PIN retry.
    ERR_clear_error();
    static OSSL_PROVIDER* legacy = OSSL_PROVIDER_load(nullptr, "legacy");
    static OSSL_PROVIDER* fallback = OSSL_PROVIDER_load(nullptr, "default");
    (void)fallback;
    if (legacy != nullptr) ok = PKCS12_parse(p12, password.c_str(), &key, &cert, &chain);
  }
  PKCS12_free(p12);
  if (!ok) {
    return Status::Configuration(what + ": cannot decrypt: " + DrainOpenSslErrors());
  }
  if (key == nullptr || cert == nullptr) {
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    return Status::Configuration(what + ": holds no private key with its certificate");
  }
  if (chain == nullptr) chain = sk_X509_new_null();
  return std::shared_ptr<SigningKey>(new Pkcs12Key(path, key, cert, chain));
}

}  // namespace sohoa
