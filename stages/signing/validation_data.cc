#include "stages/signing/validation_data.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include <map>
#include <memory>
#include <set>

#include "stages/signing/http_fetch.h"
#include "stages/signing/openssl_errors.h"

namespace sohoa {
namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using OcspRequest = std::unique_ptr<OCSP_REQUEST, Deleter<OCSP_REQUEST, OCSP_REQUEST_free>>;
using OcspResponse = std::unique_ptr<OCSP_RESPONSE, Deleter<OCSP_RESPONSE, OCSP_RESPONSE_free>>;
using OcspBasic = std::unique_ptr<OCSP_BASICRESP, Deleter<OCSP_BASICRESP, OCSP_BASICRESP_free>>;
using OcspId = std::unique_ptr<OCSP_CERTID, Deleter<OCSP_CERTID, OCSP_CERTID_free>>;
using Crl = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;

struct CertsFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using Certs = std::unique_ptr<STACK_OF(X509), CertsFree>;

constexpr int kMaxChainDepth = 10;
constexpr int kMaxNestedTokens = 8;

std::string Der(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string Subject(X509* cert) {
  char name[512];
  X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
  return name;
}

bool SelfSigned(X509* cert) { return X509_check_issued(cert, cert) == X509_V_OK; }

// What one document's CMS blobs hold: every embedded certificate (the pool
// chains are built from) and the signer certificates to validate.
struct Collected {
  Certs pool{sk_X509_new_null()};
  std::vector<X509*> signers;  // owned by pool
};

void AddToPool(Collected* c, X509* cert) {
  for (int i = 0; i < sk_X509_num(c->pool.get()); ++i) {
    if (X509_cmp(sk_X509_value(c->pool.get(), i), cert) == 0) return;
  }
  X509_up_ref(cert);
  sk_X509_push(c->pool.get(), cert);
}

X509* FindInPool(const Collected& c, X509* cert) {
  for (int i = 0; i < sk_X509_num(c.pool.get()); ++i) {
    if (X509_cmp(sk_X509_value(c.pool.get(), i), cert) == 0) return sk_X509_value(c.pool.get(), i);
  }
  return nullptr;
}

Status CollectCms(const std::string& der, int depth, Collected* c) {
  if (depth > kMaxNestedTokens) return Status::InvalidInput("time-stamp tokens nested too deep");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) return Status::Internal("a signature is not a CMS structure: " + DrainOpenSslErrors());
  Certs certs(CMS_get1_certs(cms.get()));
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) AddToPool(c, sk_X509_value(certs.get(), i));
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  for (int i = 0; i < sk_CMS_SignerInfo_num(infos); ++i) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, i);
    X509* signer = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, &signer, nullptr, nullptr);
    if (signer == nullptr) {
      return Status::IoError("a signer's certificate is not embedded in its signature: no chain to validate");
    }
    c->signers.push_back(FindInPool(*c, signer));
    for (int at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1); at >= 0;
         at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, at)) {
      ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0);
      if (value == nullptr || value->type != V_ASN1_SEQUENCE) continue;
      const std::string token(reinterpret_cast<const char*>(value->value.sequence->data),
                              static_cast<size_t>(value->value.sequence->length));
      SOHOA_RETURN_IF_ERROR(CollectCms(token, depth + 1, c));
    }
  }
  ERR_clear_error();
  return Status::Ok();
}

// The first http(s) URI of the certificate's CRL distribution points.
std::string CrlUrl(X509* cert) {
  std::string url;
  auto* points = static_cast<STACK_OF(DIST_POINT)*>(
      X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
  for (int i = 0; points && url.empty() && i < sk_DIST_POINT_num(points); ++i) {
    DIST_POINT* point = sk_DIST_POINT_value(points, i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int k = 0; url.empty() && k < sk_GENERAL_NAME_num(names); ++k) {
      GENERAL_NAME* name = sk_GENERAL_NAME_value(names, k);
      if (name->type != GEN_URI) continue;
      const std::string uri(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.uniformResourceIdentifier)),
          static_cast<size_t>(ASN1_STRING_length(name->d.uniformResourceIdentifier)));
      if (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0) url = uri;
    }
  }
  sk_DIST_POINT_pop_free(points, DIST_POINT_free);
  return url;
}

std::string OcspUrl(X509* cert) {
  std::string url;
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(cert);
  for (int i = 0; urls && url.empty() && i < sk_OPENSSL_STRING_num(urls); ++i) {
    const std::string u = sk_OPENSSL_STRING_value(urls, i);
    if (u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0) url = u;
  }
  X509_email_free(urls);
  return url;
}

class Collector {
 public:
  Collector(const RevocationFetchOptions& options, Collected* c) : options_(options), c_(c) {
    for (int i = 0; i < sk_X509_num(c->pool.get()); ++i) {
      X509* cert = sk_X509_value(c->pool.get(), i);
      if (SelfSigned(cert)) X509_STORE_add_cert(roots_.get(), cert);
    }
  }

  Status Run(ValidationData* out) {
    for (X509* signer : c_->signers) {
      X509* cert = signer;
      for (int depth = 0;; ++depth) {
        if (depth > kMaxChainDepth) return Status::IoError("certificate chain too long: " + Subject(signer));
        AddCert(cert, out);
        if (SelfSigned(cert)) break;
        X509* issuer = Issuer(cert);
        if (issuer == nullptr) {
          return Status::IoError("the issuer of " + Subject(cert) +
                                 " is not embedded in the signature: its chain and revocation cannot be "
                                 "collected (give the key's file its chain)");
        }
        if (done_.insert(Der(cert)).second) SOHOA_RETURN_IF_ERROR(Revocation(cert, issuer, out));
        cert = issuer;
      }
    }
    return Status::Ok();
  }

 private:
  X509* Issuer(X509* cert) const {
    for (int i = 0; i < sk_X509_num(c_->pool.get()); ++i) {
      X509* candidate = sk_X509_value(c_->pool.get(), i);
      if (candidate != cert && X509_check_issued(candidate, cert) == X509_V_OK) return candidate;
    }
    return nullptr;
  }

  void AddCert(X509* cert, ValidationData* out) {
    std::string der = Der(cert);
    if (certs_.insert(der).second) out->certs.push_back(std::move(der));
  }

  Status Revocation(X509* cert, X509* issuer, ValidationData* out) {
    const std::string ocsp = OcspUrl(cert);
    if (!ocsp.empty()) return Ocsp(ocsp, cert, issuer, out);
    const std::string crl = CrlUrl(cert);
    if (!crl.empty()) return FetchCrl(crl, cert, issuer, out);
    return Status::IoError(Subject(cert) +
                           " names neither an OCSP responder nor a CRL distribution point: no revocation "
                           "data can be had for it");
  }

  Status Ocsp(const std::string& url, X509* cert, X509* issuer, ValidationData* out) {
    const std::string who = "OCSP responder " + url + " for " + Subject(cert);
    OcspId id(OCSP_cert_to_id(nullptr, cert, issuer));
    OcspRequest request(OCSP_REQUEST_new());
    if (!id || !request || OCSP_request_add0_id(request.get(), OCSP_CERTID_dup(id.get())) == nullptr ||
        OCSP_request_add1_nonce(request.get(), nullptr, -1) != 1) {
      return Status::Internal("cannot build an OCSP request: " + DrainOpenSslErrors());
    }
    unsigned char* der = nullptr;
    const int n = i2d_OCSP_REQUEST(request.get(), &der);
    if (n <= 0) return Status::Internal("cannot encode an OCSP request: " + DrainOpenSslErrors());
    HttpRequest post;
    post.url = url;
    post.content_type = "application/ocsp-request";
    post.body.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    post.timeout_seconds = options_.timeout_seconds;
    post.max_bytes = options_.max_ocsp_bytes;
    post.what = "OCSP responder";
    StatusOr<std::string> answer = HttpFetch(post);
    if (!answer.ok()) return answer.status().WithContext("revocation data for " + Subject(cert));
    const unsigned char* p = reinterpret_cast<const unsigned char*>(answer->data());
    OcspResponse response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(answer->size())));
    if (!response) {
      ERR_clear_error();
      return Status::IoError(who + ": not an OCSP response");
    }
    if (OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
      return Status::IoError(who + ": " + OCSP_response_status_str(OCSP_response_status(response.get())));
    }
    OcspBasic basic(OCSP_response_get1_basic(response.get()));
    if (!basic) return Status::IoError(who + ": no basic OCSP response");
    if (OCSP_check_nonce(request.get(), basic.get()) == 0)
      return Status::IoError(who + ": nonce does not match");
    // The responder: the issuer itself or a delegate it certified, chaining
    // to the same root (OCSP_basic_verify checks both).
    if (OCSP_basic_verify(basic.get(), c_->pool.get(), roots_.get(), 0) != 1) {
      return Status::IoError(who + ": response signature not verified: " + DrainOpenSslErrors());
    }
    int status = -1, reason = -1;
    ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
    if (OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revoked_at, &this_update,
                              &next_update) != 1) {
      return Status::IoError(who + ": the response does not answer for this certificate");
    }
    if (OCSP_check_validity(this_update, next_update, 300, -1) != 1) {
      ERR_clear_error();
      return Status::IoError(who + ": the response is not current");
    }
    if (status != V_OCSP_CERTSTATUS_GOOD) {
      return Status::IoError(who + ": certificate " + OCSP_cert_status_str(status));
    }
    const STACK_OF(X509)* responders = OCSP_resp_get0_certs(basic.get());
    for (int i = 0; i < sk_X509_num(responders); ++i) AddCert(sk_X509_value(responders, i), out);
    out->ocsps.push_back(std::move(answer).value());
    return Status::Ok();
  }

  Status FetchCrl(const std::string& url, X509* cert, X509* issuer, ValidationData* out) {
    const std::string who = "CRL " + url + " for " + Subject(cert);
    // One CRL serves every certificate its issuer issued: fetched once.
    if (auto it = crls_by_url_.find(url); it != crls_by_url_.end())
      return CheckCrl(it->second, cert, issuer, who);
    HttpRequest get;
    get.url = url;
    get.timeout_seconds = options_.timeout_seconds;
    get.max_bytes = options_.max_crl_bytes;
    get.what = "CRL distribution point";
    StatusOr<std::string> answer = HttpFetch(get);
    if (!answer.ok()) return answer.status().WithContext("revocation data for " + Subject(cert));
    SOHOA_RETURN_IF_ERROR(CheckCrl(*answer, cert, issuer, who));
    crls_by_url_[url] = *answer;
    out->crls.push_back(std::move(answer).value());
    return Status::Ok();
  }

  static Status CheckCrl(const std::string& der, X509* cert, X509* issuer, const std::string& who) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    Crl crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    if (!crl) {
      ERR_clear_error();
      return Status::IoError(who + ": not a DER CRL");
    }
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0 ||
        X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer)) != 1) {
      ERR_clear_error();
      return Status::IoError(who + ": not signed by the certificate's issuer");
    }
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get());
    if (next != nullptr && X509_cmp_current_time(next) < 0) return Status::IoError(who + ": out of date");
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_cert(crl.get(), &entry, cert) == 1) {
      return Status::IoError(who + ": the certificate is revoked");
    }
    return Status::Ok();
  }

  const RevocationFetchOptions& options_;
  Collected* c_;
  Store roots_{X509_STORE_new()};
  std::set<std::string> certs_, done_;
  std::map<std::string, std::string> crls_by_url_;
};

}  // namespace

StatusOr<ValidationData> CollectValidationData(const std::vector<std::string>& cms_der,
                                               const RevocationFetchOptions& options, X509_STORE* also_from) {
  Collected collected;
  for (const std::string& der : cms_der) SOHOA_RETURN_IF_ERROR(CollectCms(der, 0, &collected));
  if (also_from != nullptr) {
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(also_from);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
      if (X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i))) AddToPool(&collected, cert);
    }
  }
  ValidationData out;
  Collector collector(options, &collected);
  SOHOA_RETURN_IF_ERROR(collector.Run(&out));
  return out;
}

}  // namespace sohoa
