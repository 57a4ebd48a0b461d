#include "stages/signing/tsa_client.h"

#include "stages/signing/http_fetch.h"
#include "stages/signing/openssl_errors.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include <memory>

namespace sohoa {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using TsReq = std::unique_ptr<TS_REQ, Deleter<TS_REQ, TS_REQ_free>>;
using TsResp = std::unique_ptr<TS_RESP, Deleter<TS_RESP, TS_RESP_free>>;
using Asn1Int = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using VerifyCtx = std::unique_ptr<TS_VERIFY_CTX, Deleter<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;

}  // namespace

StatusOr<std::string> RequestTimestamp(const TsaOptions& options, const std::string& digest) {
  if (digest.size() != 32) return Status::Internal("time-stamp request needs a SHA-256 digest");
  TsReq request(TS_REQ_new());
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* algorithm = X509_ALGOR_new();
  X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint, algorithm);
  TS_MSG_IMPRINT_set_msg(imprint, reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())),
                         static_cast<int>(digest.size()));
  TS_REQ_set_version(request.get(), 1);
  TS_REQ_set_msg_imprint(request.get(), imprint);
  X509_ALGOR_free(algorithm);
  TS_MSG_IMPRINT_free(imprint);
  unsigned char nonce_bytes[8];
  RAND_bytes(nonce_bytes, sizeof nonce_bytes);
  nonce_bytes[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(nonce_bytes, sizeof nonce_bytes, nullptr);
  Asn1Int nonce(BN_to_ASN1_INTEGER(bn, nullptr));
  BN_free(bn);
  TS_REQ_set_nonce(request.get(), nonce.get());
  TS_REQ_set_cert_req(request.get(), 1);

  unsigned char* der = nullptr;
  const int der_len = i2d_TS_REQ(request.get(), &der);
  if (der_len <= 0) return Status::Internal("cannot encode the time-stamp request");
  const std::string body(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);

  if (!options.trust_store) return Status::Internal("time-stamp request without a TSA trust store");
  HttpRequest post;
  post.url = options.url;
  post.content_type = "application/timestamp-query";
  post.body = body;
  post.timeout_seconds = options.timeout_seconds;
  post.max_bytes = 256 * 1024;  // a token with its chain is a few KB
  post.what = "time-stamp authority";
  StatusOr<std::string> answer = HttpFetch(post);
  if (!answer.ok()) return answer.status();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(answer->data());
  TsResp response(d2i_TS_RESP(nullptr, &p, static_cast<long>(answer->size())));
  if (!response) {
    ERR_clear_error();
    return Status::IoError("time-stamp authority " + options.url +
                           " did not answer with an RFC 3161 response");
  }
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get())));
  if (status != 0 && status != 1) {  // granted, grantedWithMods
    return Status::IoError("time-stamp authority " + options.url + " refused (status " +
                           std::to_string(status) + ")");
  }
  VerifyCtx verify(TS_REQ_to_TS_VERIFY_CTX(request.get(), nullptr));
  // The context frees its store: it gets its own reference.
  X509_STORE_up_ref(options.trust_store.get());
  TS_VERIFY_CTX_set_store(verify.get(), options.trust_store.get());
  // TS_VFY_SIGNATURE: the token's signature, its signer's chain to the trust
  // (purpose timestamp signing: the extended key usage timeStamping, critical)
  // and the ESS signing-certificate attribute naming that signer.
  TS_VERIFY_CTX_set_flags(verify.get(),
                          TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE | TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  ERR_clear_error();
  if (TS_RESP_verify_response(verify.get(), response.get()) != 1) {
    const std::string why = DrainOpenSslErrors();
    return Status::IoError("time-stamp response from " + options.url + " refused: " + why);
  }
  PKCS7* token = TS_RESP_get_token(response.get());
  unsigned char* token_der = nullptr;
  const int token_len = i2d_PKCS7(token, &token_der);
  if (token_len <= 0) return Status::Internal("cannot encode the time-stamp token");
  std::string result(reinterpret_cast<char*>(token_der), static_cast<size_t>(token_len));
  OPENSSL_free(token_der);
  return result;
}

}  // namespace sohoa
