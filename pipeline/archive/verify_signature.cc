#include "pipeline/archive/verify_signature.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <optional>

#include "pipeline/archive/pdf_dss.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/trust_store.h"

namespace sohoa {
namespace {

// The one checker for OpenSSL errors here: the queued error text, cleared.
std::string OpenSslError(const std::string& what) {
  std::string message = what;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += std::string(message == what ? ": " : "; ") + text;
  }
  return message;
}

struct ByteRange {
  uint64_t a = 0, b = 0, c = 0, d = 0;
};

// Parses "[a b c d]" after /ByteRange at `pos`; false if malformed.
bool ParseByteRange(const std::string& pdf, size_t pos, ByteRange* range) {
  size_t i = pos;
  while (i < pdf.size() && std::isspace(static_cast<unsigned char>(pdf[i]))) ++i;
  if (i >= pdf.size() || pdf[i] != '[') return false;
  ++i;
  uint64_t values[4];
  for (uint64_t& v : values) {
    while (i < pdf.size() && std::isspace(static_cast<unsigned char>(pdf[i]))) ++i;
    if (i >= pdf.size() || !std::isdigit(static_cast<unsigned char>(pdf[i]))) return false;
    v = 0;
    while (i < pdf.size() && std::isdigit(static_cast<unsigned char>(pdf[i]))) {
      v = v * 10 + static_cast<uint64_t>(pdf[i] - '0');
      if (v > (1ull << 40)) return false;
      ++i;
    }
  }
  *range = {values[0], values[1], values[2], values[3]};
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

StatusOr<std::vector<SignatureResult>> SignatureChecker::Check(const std::string& pdf_path) const {
  std::ifstream in(pdf_path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + pdf_path);
  std::string pdf;
  if (!ReadStream(in, &pdf)) return Status::IoError("cannot read " + pdf_path);
  return CheckBytes(pdf);
}

namespace {

// One /ByteRange's signature: its CMS and what it covers.
struct SignedPiece {
  std::string der;      // the /Contents bytes
  std::string covered;  // bytes [a, a+b) + [c, c+d)
  uint64_t end = 0;     // c + d
  int64_t claimed = 0;  // the dictionary's /M, 0 when absent
};

// "D:YYYYMMDDHHmmSS+HH'mm'" (any tail may be missing) as Unix time; 0 if malformed.
int64_t ParsePdfDate(const std::string& text) {
  if (text.size() < 6 || text.compare(0, 2, "D:") != 0) return 0;
  int fields[6] = {0, 1, 1, 0, 0, 0};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  size_t i = 2;
  for (int f = 0; f < 6 && i + widths[f] <= text.size(); ++f) {
    int v = 0;
    for (int k = 0; k < widths[f]; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[i + k]))) return f == 0 ? 0 : -1;
      v = v * 10 + (text[i + k] - '0');
    }
    fields[f] = v;
    i += widths[f];
  }
  std::tm tm{};
  tm.tm_year = fields[0] - 1900;
  tm.tm_mon = fields[1] - 1;
  tm.tm_mday = fields[2];
  tm.tm_hour = fields[3];
  tm.tm_min = fields[4];
  tm.tm_sec = fields[5];
  int64_t t = static_cast<int64_t>(timegm(&tm));
  if (i + 3 <= text.size() && (text[i] == '+' || text[i] == '-') &&
      std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
    const int hours = (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
    int minutes = 0;
    if (i + 6 <= text.size() && text[i + 3] == '\'' && std::isdigit(static_cast<unsigned char>(text[i + 4])))
      minutes = (text[i + 4] - '0') * 10 + (text[i + 5] - '0');
    t -= (text[i] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  }
  return t;
}

// The /M (D:...) of the signature dictionary around [from, to), 0 if none.
int64_t ClaimedTime(const std::string& pdf, size_t from, size_t to) {
  const std::string region = pdf.substr(from, to - from);
  for (size_t at = region.find("/M"); at != std::string::npos; at = region.find("/M", at + 1)) {
    size_t i = at + 2;
    while (i < region.size() && std::isspace(static_cast<unsigned char>(region[i]))) ++i;
    if (i >= region.size() || region[i] != '(') continue;
    const size_t close = region.find(')', i);
    if (close == std::string::npos) return 0;
    return std::max<int64_t>(0, ParsePdfDate(region.substr(i + 1, close - i - 1)));
  }
  return 0;
}

class PdfSignatureChecker final : public SignatureChecker {
 public:
  explicit PdfSignatureChecker(TrustStore store) : store_(std::move(store)) {}

  std::vector<SignatureResult> CheckBytes(const std::string& pdf) const override {
    return CheckDocument(pdf).signatures;
  }

  DocumentSignatures CheckDocument(const std::string& pdf) const override {
    DocumentSignatures doc;
    DssContents dss;
    if (store_) dss = ReadDss(pdf);
    const OfflineTrust trust(store_.get(), dss);
    std::vector<uint64_t> ends;
    static const std::string kKey = "/ByteRange";
    for (size_t pos = pdf.find(kKey); pos != std::string::npos; pos = pdf.find(kKey, pos + 1)) {
      SignatureResult result;
      result.index = static_cast<int>(doc.signatures.size()) + 1;
      SignedPiece piece;
      if (Extract(pdf, pos, pos + kKey.size(), &piece, &result)) CheckOne(piece, trust, &result);
      ends.push_back(piece.end);
      doc.signatures.push_back(std::move(result));
      doc.values.push_back(std::move(piece.der));
    }
    if (store_) AssessLevel(dss, ends, &doc);
    return doc;
  }

 private:
  bool Extract(const std::string& pdf, size_t key_at, size_t pos, SignedPiece* piece,
               SignatureResult* result) const {
    ByteRange r;
    if (!ParseByteRange(pdf, pos, &r)) {
      result->error = "malformed /ByteRange";
      return false;
    }
    const uint64_t size = pdf.size();
    if (r.a != 0 || r.a + r.b > r.c || r.c + r.d > size) {
      result->error = "/ByteRange [" + std::to_string(r.a) + " " + std::to_string(r.b) + " " +
                      std::to_string(r.c) + " " + std::to_string(r.d) + "] does not fit the file (" +
                      std::to_string(size) + " bytes)";
      return false;
    }
    result->covers_whole_file = r.c + r.d == size;
    piece->end = r.c + r.d;
    // The gap between the two ranges is the /Contents hex string.
    std::string& der = piece->der;
    bool in_hex = false, done = false;
    int high = -1;
    for (uint64_t i = r.a + r.b; i < r.c && !done; ++i) {
      const char ch = pdf[i];
      if (!in_hex) {
        if (ch == '<')
          in_hex = true;
        else if (!std::isspace(static_cast<unsigned char>(ch)))
          break;
        continue;
      }
      if (ch == '>') {
        done = true;
        break;
      }
      if (std::isspace(static_cast<unsigned char>(ch))) continue;
      const int v = HexValue(ch);
      if (v < 0) break;
      if (high < 0)
        high = v;
      else {
        der.push_back(static_cast<char>(high * 16 + v));
        high = -1;
      }
    }
    if (!done || der.empty()) {
      result->error = "no signature value (/Contents hex string) between the signed byte ranges";
      return false;
    }
    piece->covered = pdf.substr(r.a, r.b) + pdf.substr(r.c, r.d);
    if (store_) {
      // The signature dictionary: from its "obj" to the /Contents, and from
      // after it to "endobj" (bounded: a dictionary is small).
      const size_t from = key_at > 4096 ? key_at - 4096 : 0;
      const size_t obj = pdf.rfind(" obj", key_at);
      const size_t head = obj == std::string::npos || obj < from ? from : obj;
      const size_t endobj = pdf.find("endobj", r.c);
      const size_t tail =
          endobj == std::string::npos || endobj > r.c + 4096 ? std::min<uint64_t>(size, r.c + 4096) : endobj;
      piece->claimed = std::max(ClaimedTime(pdf, head, r.a + r.b), ClaimedTime(pdf, r.c, tail));
    }
    return true;
  }

  void CheckOne(const SignedPiece& piece, const OfflineTrust& trust, SignatureResult* result) const {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(piece.der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(piece.der.size()));
    if (cms == nullptr) {
      result->error = OpenSslError("the signature value is not a CMS (PKCS #7) structure");
      return;
    }
    result->chain_checked = store_ != nullptr;
    if (OBJ_obj2nid(CMS_get0_eContentType(cms)) == NID_id_smime_ct_TSTInfo) {
      // A document time-stamp: the token embeds its TSTInfo, whose imprint
      // is over the covered bytes (not a detached signature of them).
      CMS_ContentInfo_free(cms);
      CheckDocumentTimestamp(piece, trust, result);
      return;
    }
    BIO* content = BIO_new_mem_buf(piece.covered.data(), static_cast<int>(piece.covered.size()));
    ERR_clear_error();
    // The chain is checked below at the signing time, not by CMS_verify at
    // the present one.
    if (CMS_verify(cms, nullptr, nullptr, content, nullptr,
                   CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
      result->valid = true;
    } else {
      result->error = OpenSslError("CMS signature does not verify");
    }
    STACK_OF(X509)* signers = CMS_get0_signers(cms);
    X509* signer = signers != nullptr && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : nullptr;
    if (signer != nullptr) {
      char name[512];
      X509_NAME_oneline(X509_get_subject_name(signer), name, sizeof name);
      result->signer = name;
    }
    if (store_ && result->valid && signer != nullptr) CheckTrust(cms, signer, piece, trust, result);
    RefuseUntrusted(result);
    sk_X509_free(signers);
    ERR_clear_error();
    BIO_free(content);
    CMS_ContentInfo_free(cms);
  }

  void CheckDocumentTimestamp(const SignedPiece& piece, const OfflineTrust& trust,
                              SignatureResult* result) const {
    result->document_timestamp = true;
    const TimestampCheck ts = trust.CheckTimestamp(piece.der, piece.covered);
    if (!ts.valid) {
      result->error = "document time-stamp: " + ts.error;
      return;
    }
    result->valid = true;
    result->signer = ts.tsa;
    result->tsa = ts.tsa;
    result->tsa_not_after = ts.tsa_not_after;
    if (!store_) return;
    result->checked_at = ts.gen_time;
    result->time_source = N_("time-stamp");
    Judge(ts.chain, "", result);
    result->revocation_in_dss = ts.chain.revocation_in_dss;
    RefuseUntrusted(result);
  }

  // An untrusted or revoked chain makes the signature not valid, its detail the error.
  static void RefuseUntrusted(SignatureResult* result) {
    if (!result->valid || (result->trust != Trust::kUntrusted && result->trust != Trust::kRevoked)) return;
    result->valid = false;
    result->error = std::string(TrustName(result->trust)) + ": " + result->trust_detail;
  }

  // The signer's chain at the signing time: its signature time-stamp's
  // genTime when it has a valid one, else the claimed time, else now.
  void CheckTrust(CMS_ContentInfo* cms, X509* signer, const SignedPiece& piece, const OfflineTrust& trust,
                  SignatureResult* result) const {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    std::optional<TimestampCheck> ts;
    const int at = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    ASN1_TYPE* value = at >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, at), 0) : nullptr;
    if (value != nullptr && value->type == V_ASN1_SEQUENCE) {
      const ASN1_OCTET_STRING* signature = CMS_SignerInfo_get0_signature(si);
      ts = trust.CheckTimestamp(std::string(reinterpret_cast<const char*>(value->value.sequence->data),
                                            static_cast<size_t>(value->value.sequence->length)),
                                std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(signature)),
                                            static_cast<size_t>(ASN1_STRING_length(signature))));
    }
    if (ts && !ts->valid) {
      result->valid = false;
      result->error = "signature time-stamp: " + ts->error;
      return;
    }
    int64_t claimed = piece.claimed;
    const int signing_time = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (claimed == 0 && signing_time >= 0) {
      ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, signing_time), 0);
      std::tm tm{};
      if (t != nullptr && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) &&
          ASN1_TIME_to_tm(t->value.utctime, &tm) == 1) {
        claimed = static_cast<int64_t>(timegm(&tm));
      }
    }
    if (ts) {
      result->timestamped = true;
      result->checked_at = ts->gen_time;
      result->time_source = N_("time-stamp");
      result->tsa = ts->tsa;
      result->tsa_not_after = ts->tsa_not_after;
    } else if (claimed > 0) {
      result->checked_at = claimed;
      result->time_source = N_("claimed signing time");
    } else {
      result->checked_at = NowUnixSeconds();
      result->time_source = N_("verification time");
    }
    STACK_OF(X509)* carried = CMS_get1_certs(cms);
    const ChainCheck chain =
        trust.CheckChain(signer, carried, result->checked_at, ts.has_value(), X509_PURPOSE_ANY);
    sk_X509_pop_free(carried, X509_free);
    Judge(chain, "", result);
    if (ts) Judge(ts->chain, "its time-stamp's TSA: ", result);
    result->revocation_in_dss = chain.revocation_in_dss && (!ts || ts->chain.revocation_in_dss);
  }

  // Folds a chain's verdict into the result: revoked > untrusted > trusted.
  static void Judge(const ChainCheck& chain, const std::string& what, SignatureResult* result) {
    if (result->trust == Trust::kNotChecked) result->trust = Trust::kTrusted;
    if (chain.trust == Trust::kRevoked ||
        (chain.trust == Trust::kUntrusted && result->trust == Trust::kTrusted))
      result->trust = chain.trust;
    if (!chain.detail.empty())
      result->trust_detail += (result->trust_detail.empty() ? "" : "; ") + what + chain.detail;
  }

  static void AssessLevel(const DssContents& dss, const std::vector<uint64_t>& ends,
                          DocumentSignatures* doc) {
    bool any = false, all_timestamped = true, all_in_dss = true;
    const SignatureResult* last_seal = nullptr;
    uint64_t last_seal_end = 0;
    for (size_t i = 0; i < doc->signatures.size(); ++i) {
      const SignatureResult& s = doc->signatures[i];
      if (s.document_timestamp) {
        // Its token verifies (trusted or not: the level is what the file holds).
        if ((s.valid || s.trust != Trust::kNotChecked) && ends[i] >= last_seal_end) {
          last_seal = &s;
          last_seal_end = ends[i];
        }
        continue;
      }
      any = true;
      all_timestamped = all_timestamped && s.timestamped;
      all_in_dss = all_in_dss && s.revocation_in_dss;
    }
    if (!any) return;
    doc->level = "B-B";
    if (!all_timestamped) return;
    doc->level = "B-T";
    if (!dss.present || !all_in_dss) {
      for (const SignatureResult& s : doc->signatures)
        if (!s.document_timestamp) doc->sealing_tsa.emplace_back(s.tsa, s.tsa_not_after);
      return;
    }
    doc->level = "B-LT";
    if (last_seal != nullptr && last_seal_end > dss.offset) {
      doc->level = "B-LTA";
      doc->sealing_tsa.emplace_back(last_seal->tsa, last_seal->tsa_not_after);
      return;
    }
    for (const SignatureResult& s : doc->signatures)
      if (!s.document_timestamp) doc->sealing_tsa.emplace_back(s.tsa, s.tsa_not_after);
  }

  TrustStore store_;  // null: no chain check
};

}  // namespace

StatusOr<std::unique_ptr<SignatureChecker>> NewPdfSignatureChecker(const std::string& trust_store) {
  TrustStore store;
  if (!trust_store.empty()) {
    StatusOr<TrustStore> loaded = LoadTrustStore(trust_store);
    if (!loaded.ok()) return loaded.status();
    store = std::move(*loaded);
  }
  return std::unique_ptr<SignatureChecker>(new PdfSignatureChecker(std::move(store)));
}

}  // namespace sohoa
