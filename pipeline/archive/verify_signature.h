// Checking the signatures inside an archived PDF, for `sohoa verify`.
//
// The check is an interface so `verify` does not depend on how documents are
// signed; NewPdfSignatureChecker() is the default: it finds every signature
// dictionary by its /ByteRange [a b c d], takes the CMS (PKCS #7) blob from
// the gap the byte range leaves (the /Contents hex string), and verifies it
// with OpenSSL as a detached signature over bytes [a, a+b) + [c, c+d) — the
// PAdES / adbe.pkcs7.detached layout — and, when a trust store is given, the
// signer's certificate chain against it. It reads the file itself: no PDF
// library, so a PDF too damaged for one is still checked.
//
// Thread-safety: Check() is const and may run on several threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct SignatureResult {
  int index = 0;                   // 1-based, in file order
  bool valid = false;              // CMS verifies over the byte range (and chain, if checked)
  bool chain_checked = false;      // a trust store was used
  bool covers_whole_file = false;  // the byte range reaches the end of the file
  std::string signer;              // subject of the signer's certificate, if found
  std::string error;               // why not valid
};

class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;
  // The signatures of the PDF whose bytes are `pdf` (an archive store hands
  // out bytes, not paths). Empty vector: the PDF is unsigned.
  virtual std::vector<SignatureResult> CheckBytes(const std::string& pdf) const = 0;
  // The same for a file on the local disk. A non-OK Status: the file could
  // not be read at all (the caller reports that as a fault of the file).
  StatusOr<std::vector<SignatureResult>> Check(const std::string& pdf_path) const;
};

// `trust_store_pem`: a PEM file of trusted (root and intermediate)
// certificates; empty = check the signature only, not the chain. Fails
// (kConfiguration) when the trust store cannot be read.
StatusOr<std::unique_ptr<SignatureChecker>> NewPdfSignatureChecker(const std::string& trust_store_pem);

}  // namespace sohoa
