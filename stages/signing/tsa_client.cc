#include "stages/signing/tsa_client.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

#include <memory>

namespace sohoa {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using TsReq = std::unique_ptr<TS_REQ, Deleter<TS_REQ, TS_REQ_free>>;
using TsResp = std::unique_ptr<TS_RESP, Deleter<TS_RESP, TS_RESP_free>>;
using Asn1Int = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using VerifyCtx = std::unique_ptr<TS_VERIFY_CTX, Deleter<TS_VERIFY_CTX, TS_VERIFY_CTX_free>>;

StatusOr<std::string> Post(const TsaOptions& options, const std::string& body) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Status::Internal("libcurl initialisation failed");
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("libcurl: cannot create a handle");
  std::string response;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/timestamp-query");
  curl_easy_setopt(curl, CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  long http = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return Status::IoError("time-stamp authority " + options.url + ": " + curl_easy_strerror(rc));
  }
  if (http != 200) {
    return Status::IoError("time-stamp authority " + options.url + " answered HTTP " + std::to_string(http));
  }
  return response;
}

std::string DrainErrors() {
  std::string text;
  char buffer[256];
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buffer, sizeof buffer);
    text += text.empty() ? "" : "; ";
    text += buffer;
  }
  return text;
}

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

  StatusOr<std::string> answer = Post(options, body);
  if (!answer.ok()) return answer.status();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(answer->data());
  TsResp response(d2i_TS_RESP(nullptr, &p, static_cast<long>(answer->size())));
  if (!response) {
    ERR_clear_error();
    return Status::InvalidInput("time-stamp authority " + options.url +
                                " did not answer with an RFC 3161 response");
  }
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get())));
  if (status != 0 && status != 1) {  // granted, grantedWithMods
    return Status::InvalidInput("time-stamp authority " + options.url + " refused (status " +
                                std::to_string(status) + ")");
  }
  VerifyCtx verify(TS_REQ_to_TS_VERIFY_CTX(request.get(), nullptr));
  // Check version, imprint and nonce; the TSA signature is the validator's job.
  TS_VERIFY_CTX_set_flags(verify.get(), TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
  if (TS_RESP_verify_response(verify.get(), response.get()) != 1) {
    const std::string why = DrainErrors();
    return Status::InvalidInput("time-stamp response does not match the request: " + why);
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
