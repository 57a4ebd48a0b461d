#include "pipeline/archive/signature_trust.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"

namespace sohoa {
namespace {

int64_t ToUnix(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string Subject(X509* cert) {
  char name[512];
  X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
  return name;
}

template <typename T>
std::vector<T*> ParseAll(const std::vector<std::string>& ders, T* (*d2i)(T**, const unsigned char**, long)) {
  std::vector<T*> out;
  for (const std::string& der : ders) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    if (T* value = d2i(nullptr, &p, static_cast<long>(der.size()))) out.push_back(value);
  }
  ERR_clear_error();
  return out;
}

struct StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
struct CmsFree {
  void operator()(CMS_ContentInfo* c) const { CMS_ContentInfo_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct TstFree {
  void operator()(TS_TST_INFO* t) const { TS_TST_INFO_free(t); }
};

}  // namespace

const char* TrustName(Trust trust) {
  switch (trust) {
    case Trust::kNotChecked:
      return N_("not checked");
    case Trust::kTrusted:
      return N_("trusted");
    case Trust::kUntrusted:
      return N_("untrusted");
    case Trust::kRevoked:
      return N_("revoked");
  }
  return "unknown";
}

std::string UtcTime(int64_t unix_seconds) { return FormatIso8601(unix_seconds, 0); }

struct OfflineTrust::Revocation {
  enum { kUnknown, kGood, kRevoked } status = kUnknown;
  int64_t revoked_at = 0;
  bool from_dss = false;
  std::string source;  // "OCSP" or "CRL"
};

OfflineTrust::OfflineTrust(X509_STORE* store, const DssContents& dss)
    : store_(store), pool_(sk_X509_new_null()) {
  for (X509* cert : ParseAll<X509>(dss.certs, d2i_X509)) sk_X509_push(pool_, cert);
  for (OCSP_RESPONSE* response : ParseAll<OCSP_RESPONSE>(dss.ocsps, d2i_OCSP_RESPONSE)) {
    if (OCSP_response_status(response) == OCSP_RESPONSE_STATUS_SUCCESSFUL) {
      if (OCSP_BASICRESP* basic = OCSP_response_get1_basic(response)) ocsps_.push_back(basic);
    }
    OCSP_RESPONSE_free(response);
  }
  dss_crls_ = ParseAll<X509_CRL>(dss.crls, d2i_X509_CRL);
  STACK_OF(X509_OBJECT)* objects = store_ != nullptr ? X509_STORE_get0_objects(store_) : nullptr;
  for (int i = 0; objects != nullptr && i < sk_X509_OBJECT_num(objects); ++i) {
    if (X509_CRL* crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objects, i))) {
      X509_CRL_up_ref(crl);
      store_crls_.push_back(crl);
    }
  }
  ERR_clear_error();
}

OfflineTrust::~OfflineTrust() {
  sk_X509_pop_free(pool_, X509_free);
  for (OCSP_BASICRESP* basic : ocsps_) OCSP_BASICRESP_free(basic);
  for (X509_CRL* crl : dss_crls_) X509_CRL_free(crl);
  for (X509_CRL* crl : store_crls_) X509_CRL_free(crl);
}

OfflineTrust::Revocation OfflineTrust::Lookup(X509* cert, X509* issuer) const {
  Revocation found;
  auto note = [&](Revocation r) {
    // A "revoked" answer outweighs a "good" one; the DSS's outweighs the store's.
    if (r.status > found.status || (r.status == found.status && r.from_dss && !found.from_dss)) found = r;
  };
  for (OCSP_BASICRESP* basic : ocsps_) {
    for (int k = 0; k < OCSP_resp_count(basic); ++k) {
      OCSP_SINGLERESP* single = OCSP_resp_get0(basic, k);
      const OCSP_CERTID* id = OCSP_SINGLERESP_get0_id(single);
      ASN1_OBJECT* digest = nullptr;
      OCSP_id_get0_info(nullptr, &digest, nullptr, nullptr, const_cast<OCSP_CERTID*>(id));
      const EVP_MD* md = digest != nullptr ? EVP_get_digestbyobj(digest) : nullptr;
      OCSP_CERTID* mine = md != nullptr ? OCSP_cert_to_id(md, cert, issuer) : nullptr;
      const bool same = mine != nullptr && OCSP_id_cmp(mine, id) == 0;
      OCSP_CERTID_free(mine);
      if (!same) continue;
      // Signed by the issuer, or by a delegate the issuer certified for
      // OCSP signing and valid when it answered.
      X509* responder = nullptr;
      if (OCSP_basic_verify(basic, pool_, store_, OCSP_NOVERIFY) != 1 ||
          OCSP_resp_get0_signer(basic, &responder, pool_) != 1) {
        continue;
      }
      if (X509_cmp(responder, issuer) != 0) {
        const int64_t produced = ToUnix(OCSP_resp_get0_produced_at(basic));
        if (X509_check_issued(issuer, responder) != X509_V_OK ||
            X509_verify(responder, X509_get0_pubkey(issuer)) != 1 ||
            (X509_get_extended_key_usage(responder) & XKU_OCSP_SIGN) == 0 ||
            ToUnix(X509_get0_notBefore(responder)) > produced ||
            ToUnix(X509_get0_notAfter(responder)) < produced) {
          continue;
        }
      }
      int reason = 0;
      ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
      const int status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
      if (status == V_OCSP_CERTSTATUS_GOOD) note({Revocation::kGood, 0, true, "OCSP"});
      if (status == V_OCSP_CERTSTATUS_REVOKED) note({Revocation::kRevoked, ToUnix(revoked), true, "OCSP"});
    }
  }
  for (const auto* crls : {&dss_crls_, &store_crls_}) {
    for (X509_CRL* crl : *crls) {
      if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0 ||
          X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
        continue;
      }
      X509_REVOKED* entry = nullptr;
      if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1) {
        note({Revocation::kRevoked, ToUnix(X509_REVOKED_get0_revocationDate(entry)), crls == &dss_crls_,
              "CRL"});
      } else {
        note({Revocation::kGood, 0, crls == &dss_crls_, "CRL"});
      }
    }
  }
  ERR_clear_error();
  return found;
}

ChainCheck OfflineTrust::CheckChain(X509* cert, STACK_OF(X509) * extra, int64_t at, bool time_proven,
                                    int purpose) const {
  ChainCheck check;
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(X509_chain_up_ref(pool_));
  for (int i = 0; extra != nullptr && i < sk_X509_num(extra); ++i) {
    X509_up_ref(sk_X509_value(extra, i));
    sk_X509_push(untrusted.get(), sk_X509_value(extra, i));
  }
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  std::unique_ptr<STACK_OF(X509), StackFree> chain;
  bool verified = false;
  std::string error;
  if (ctx != nullptr && X509_STORE_CTX_init(ctx, store_, cert, untrusted.get()) == 1) {
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at));
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_USE_CHECK_TIME);
    X509_STORE_CTX_set_purpose(ctx, purpose);
    verified = X509_verify_cert(ctx) == 1;
    error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    chain.reset(X509_STORE_CTX_get1_chain(ctx));
  } else {
    error = "cannot set up the chain check";
  }
  X509_STORE_CTX_free(ctx);
  ERR_clear_error();
  if (!verified) {
    check.trust = Trust::kUntrusted;
    check.detail = "certificate chain not trusted at " + UtcTime(at) + ": " + error;
  } else {
    check.trust = Trust::kTrusted;
  }
  // Revocation of every certificate but the last (the anchor, or where the
  // chain stopped).
  check.revocation_in_dss = chain != nullptr && sk_X509_num(chain.get()) > 0;
  for (int i = 0; chain && i + 1 < sk_X509_num(chain.get()); ++i) {
    X509* c = sk_X509_value(chain.get(), i);
    if (X509_get_ext_by_NID(c, NID_id_pkix_OCSP_noCheck, -1) >= 0) continue;
    const Revocation r = Lookup(c, sk_X509_value(chain.get(), i + 1));
    check.revocation_in_dss = check.revocation_in_dss && r.status != Revocation::kUnknown && r.from_dss;
    if (r.status != Revocation::kRevoked) continue;
    const std::string what = Subject(c) + " revoked on " + UtcTime(r.revoked_at) + " (" + r.source + ")";
    if (!time_proven || r.revoked_at <= at) {
      if (check.trust != Trust::kRevoked) check.detail.clear();
      check.trust = Trust::kRevoked;
      check.detail += (check.detail.empty() ? "" : "; ") + what +
                      (time_proven ? ", before the time-stamp " + UtcTime(at)
                                   : "; the signing time " + UtcTime(at) +
                                         " is only claimed, no time-stamp proves it came first");
    } else if (check.trust == Trust::kTrusted) {
      check.detail += (check.detail.empty() ? "" : "; ") + what + ", after the time-stamp: still valid";
    }
  }
  return check;
}

TimestampCheck OfflineTrust::CheckTimestamp(const std::string& token_der, const std::string& stamped) const {
  TimestampCheck check;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(token_der.data());
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(
      d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(token_der.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_eContentType(cms.get())) != NID_id_smime_ct_TSTInfo) {
    ERR_clear_error();
    check.error = "not an RFC 3161 time-stamp token";
    return check;
  }
  std::unique_ptr<BIO, BioFree> content(BIO_new(BIO_s_mem()));
  if (CMS_verify(cms.get(), pool_, nullptr, nullptr, content.get(), CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) !=
      1) {
    ERR_clear_error();
    check.error = "the time-stamp token's signature does not verify";
    return check;
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(content.get(), &data);
  const unsigned char* q = reinterpret_cast<const unsigned char*>(data);
  std::unique_ptr<TS_TST_INFO, TstFree> info(d2i_TS_TST_INFO(nullptr, &q, size));
  if (!info) {
    ERR_clear_error();
    check.error = "the time-stamp token holds no readable TSTInfo";
    return check;
  }
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info.get());
  const EVP_MD* md = EVP_get_digestbyobj(TS_MSG_IMPRINT_get_algo(imprint)->algorithm);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  const ASN1_OCTET_STRING* expected = TS_MSG_IMPRINT_get_msg(imprint);
  if (md == nullptr || EVP_Digest(stamped.data(), stamped.size(), digest, &digest_size, md, nullptr) != 1 ||
      static_cast<int>(digest_size) != ASN1_STRING_length(expected) ||
      CRYPTO_memcmp(digest, ASN1_STRING_get0_data(expected), digest_size) != 0) {
    ERR_clear_error();
    check.error = "the time-stamp's message imprint does not match what it stamps";
    return check;
  }
  check.gen_time = ToUnix(TS_TST_INFO_get_time(info.get()));
  STACK_OF(X509)* signers = CMS_get0_signers(cms.get());
  if (signers == nullptr || sk_X509_num(signers) == 0) {
    sk_X509_free(signers);
    check.error = "the time-stamp token names no signer certificate";
    return check;
  }
  X509* tsa = sk_X509_value(signers, 0);
  check.valid = true;
  check.tsa = Subject(tsa);
  check.tsa_not_after = ToUnix(X509_get0_notAfter(tsa));
  std::unique_ptr<STACK_OF(X509), StackFree> carried(CMS_get1_certs(cms.get()));
  if (store_ != nullptr)
    check.chain = CheckChain(tsa, carried.get(), check.gen_time, true, X509_PURPOSE_TIMESTAMP_SIGN);
  sk_X509_free(signers);
  return check;
}

}  // namespace sohoa
