#include "stages/signing_cms.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#include <memory>

namespace sohoa {
namespace {

struct CmsFree {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};

Status OpenSslFailure(const std::string& what) {
  return Status::Internal(what + ": " + DrainOpenSslErrors());
}

}  // namespace

StatusOr<std::string> BuildCadesSignature(const SigningKey& key, const std::string& content,
                                          const TsaOptions* tsa) {
  const int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(
      CMS_sign(nullptr, nullptr, key.chain(), nullptr, flags));
  if (!cms) return OpenSslFailure("CMS_sign");
  CMS_SignerInfo* signer = CMS_add1_signer(cms.get(), key.certificate(), key.private_key(),
                                           EVP_sha256(), flags | CMS_CADES);
  if (signer == nullptr) return OpenSslFailure("CMS_add1_signer");
  std::unique_ptr<BIO, BioFree> data(
      BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  {
    // The private-key operation: one at a time per key (a token is serial).
    std::lock_guard<std::mutex> lock(key.mutex());
    if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) {
      return OpenSslFailure("signing with " + key.description() + " failed");
    }
  }
  if (tsa != nullptr && !tsa->url.empty()) {
    ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(signer);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(ASN1_STRING_get0_data(value), static_cast<size_t>(ASN1_STRING_length(value)), digest);
    StatusOr<std::string> token =
        RequestTimestamp(*tsa, std::string(reinterpret_cast<char*>(digest), sizeof digest));
    if (!token.ok()) return token.status();
    if (CMS_unsigned_add1_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      token->data(), static_cast<int>(token->size())) != 1) {
      return OpenSslFailure("cannot add the signature time-stamp");
    }
  }
  unsigned char* der = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &der);
  if (length <= 0) return OpenSslFailure("cannot encode the CMS");
  std::string result(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return result;
}

}  // namespace sohoa
