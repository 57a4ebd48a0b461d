#include "pipeline/archive/verify_signature.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cctype>
#include <fstream>

#include "pipeline/core/file_util.h"

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

class PdfSignatureChecker final : public SignatureChecker {
 public:
  explicit PdfSignatureChecker(X509_STORE* store) : store_(store) {}
  ~PdfSignatureChecker() override { X509_STORE_free(store_); }

  std::vector<SignatureResult> CheckBytes(const std::string& pdf) const override {
    std::vector<SignatureResult> results;
    static const std::string kKey = "/ByteRange";
    for (size_t pos = pdf.find(kKey); pos != std::string::npos; pos = pdf.find(kKey, pos + 1)) {
      SignatureResult result;
      result.index = static_cast<int>(results.size()) + 1;
      CheckOne(pdf, pos + kKey.size(), &result);
      results.push_back(std::move(result));
    }
    return results;
  }

 private:
  void CheckOne(const std::string& pdf, size_t pos, SignatureResult* result) const {
    ByteRange r;
    if (!ParseByteRange(pdf, pos, &r)) {
      result->error = "malformed /ByteRange";
      return;
    }
    const uint64_t size = pdf.size();
    if (r.a != 0 || r.a + r.b > r.c || r.c + r.d > size) {
      result->error = "/ByteRange [" + std::to_string(r.a) + " " + std::to_string(r.b) + " " +
                      std::to_string(r.c) + " " + std::to_string(r.d) + "] does not fit the file (" +
                      std::to_string(size) + " bytes)";
      return;
    }
    result->covers_whole_file = r.c + r.d == size;
    // The gap between the two ranges is the /Contents hex string.
    std::string der;
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
      return;
    }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    if (cms == nullptr) {
      result->error = OpenSslError("the signature value is not a CMS (PKCS #7) structure");
      return;
    }
    std::string signed_bytes = pdf.substr(r.a, r.b) + pdf.substr(r.c, r.d);
    BIO* content = BIO_new_mem_buf(signed_bytes.data(), static_cast<int>(signed_bytes.size()));
    unsigned int flags = CMS_BINARY | CMS_DETACHED;
    if (store_ == nullptr) flags |= CMS_NO_SIGNER_CERT_VERIFY;
    result->chain_checked = store_ != nullptr;
    ERR_clear_error();
    if (CMS_verify(cms, nullptr, store_, content, nullptr, flags) == 1) {
      result->valid = true;
    } else {
      result->error = OpenSslError("CMS signature does not verify");
    }
    STACK_OF(X509)* signers = CMS_get0_signers(cms);
    if (signers != nullptr && sk_X509_num(signers) > 0) {
      char name[512];
      X509_NAME_oneline(X509_get_subject_name(sk_X509_value(signers, 0)), name, sizeof name);
      result->signer = name;
    }
    sk_X509_free(signers);
    ERR_clear_error();
    BIO_free(content);
    CMS_ContentInfo_free(cms);
  }

  X509_STORE* store_;  // null: no chain check
};

}  // namespace

StatusOr<std::unique_ptr<SignatureChecker>> NewPdfSignatureChecker(const std::string& trust_store_pem) {
  X509_STORE* store = nullptr;
  if (!trust_store_pem.empty()) {
    store = X509_STORE_new();
    if (store == nullptr || X509_STORE_load_file(store, trust_store_pem.c_str()) != 1) {
      X509_STORE_free(store);
      return Status::Configuration(OpenSslError("cannot load trust store " + trust_store_pem));
    }
    // Signing certificates are not S/MIME certificates: accept any purpose,
    // the chain and validity still count.
    X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
  }
  return std::unique_ptr<SignatureChecker>(new PdfSignatureChecker(store));
}

}  // namespace sohoa
