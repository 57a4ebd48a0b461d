#include "stages/signing/signing_cms.h"

#include "stages/signing/openssl_errors.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <vector>

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

struct ChainFree {  // the stack only: its certificates belong to the key
  void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
};

struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

// The DER the signature covers: the signed attributes as a SET OF (tag 0x31,
// RFC 5652 §5.4), elements in DER order (sorted by their encodings), which
// is also how OpenSSL writes the SET into the SignerInfo.
StatusOr<std::string> SignedAttributesDer(CMS_SignerInfo* signer) {
  std::vector<std::string> elements;
  for (int i = 0; i < CMS_signed_get_attr_count(signer); ++i) {
    unsigned char* der = nullptr;
    const int length = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(signer, i), &der);
    if (length <= 0) return OpenSslFailure("cannot encode a signed attribute");
    elements.emplace_back(reinterpret_cast<char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
  }
  std::sort(elements.begin(), elements.end());
  std::string content;
  for (const std::string& e : elements) content += e;
  std::string der = "\x31";
  if (content.size() < 0x80) {
    der += static_cast<char>(content.size());
  } else {
    std::string length;
    for (size_t n = content.size(); n > 0; n >>= 8)
      length.insert(length.begin(), static_cast<char>(n & 0xFF));
    der += static_cast<char>(0x80 | length.size());
    der += length;
  }
  return der + content;
}

// PAdES baseline signatures must not carry the CMS signing-time attribute
// (ETSI EN 319 142-1: the time is the signature dictionary's /M), but
// OpenSSL 3.0 adds it whenever it signs. So it is removed afterwards and
// the signed attributes are signed again, here, with the same key. Call
// with key.mutex() held.
Status SignWithoutSigningTime(const SigningKey& key, CMS_SignerInfo* signer) {
  const int at = CMS_signed_get_attr_by_NID(signer, NID_pkcs9_signingTime, -1);
  if (at < 0) return Status::Ok();
  X509_ATTRIBUTE_free(CMS_signed_delete_attr(signer, at));
  StatusOr<std::string> attributes = SignedAttributesDer(signer);
  if (!attributes.ok()) return attributes.status();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.private_key()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(attributes->data()),
                     attributes->size()) != 1) {
    return OpenSslFailure("signing with " + key.description() + " failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(attributes->data()), attributes->size()) != 1) {
    return OpenSslFailure("signing with " + key.description() + " failed");
  }
  if (ASN1_STRING_set(CMS_SignerInfo_get0_signature(signer), signature.data(), static_cast<int>(length)) !=
      1) {
    return OpenSslFailure("cannot store the signature value");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> BuildCadesSignature(const SigningKey& key, const std::string& content,
                                          const TsaOptions* tsa, TrustAnchor root) {
  const int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  std::unique_ptr<STACK_OF(X509), ChainFree> chain(sk_X509_new_null());
  for (int i = 0; key.chain() && i < sk_X509_num(key.chain()); ++i) {
    X509* cert = sk_X509_value(key.chain(), i);
    const bool self_signed = X509_check_issued(cert, cert) == X509_V_OK;
    if (root == TrustAnchor::kInclude || !self_signed) sk_X509_push(chain.get(), cert);  // not owned
  }
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(CMS_sign(nullptr, nullptr, chain.get(), nullptr, flags));
  if (!cms) return OpenSslFailure("CMS_sign");
  CMS_SignerInfo* signer =
      CMS_add1_signer(cms.get(), key.certificate(), key.private_key(), EVP_sha256(), flags | CMS_CADES);
  if (signer == nullptr) return OpenSslFailure("CMS_add1_signer");
  std::unique_ptr<BIO, BioFree> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  {
    // The private-key operation: one at a time per key (a token is serial).
    std::lock_guard<std::mutex> lock(key.mutex());
    if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) {
      return OpenSslFailure("signing with " + key.description() + " failed");
    }
    SOHOA_RETURN_IF_ERROR(SignWithoutSigningTime(key, signer));
  }
  if (tsa != nullptr && !tsa->url.empty()) {
    ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(signer);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(ASN1_STRING_get0_data(value), static_cast<size_t>(ASN1_STRING_length(value)), digest);
    StatusOr<std::string> token =
        RequestTimestamp(*tsa, std::string(reinterpret_cast<char*>(digest), sizeof digest));
    if (!token.ok()) return token.status();
    if (CMS_unsigned_add1_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token->data(),
                                      static_cast<int>(token->size())) != 1) {
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
