// One signature added to a PDF as an incremental update (PoDoFo 0.9.8), the
// PAdES way: the original bytes are kept verbatim, a new revision adds the
// signature field (widget on page 1 with its appearance), the signature
// dictionary (/Filter Adobe.PPKLite, /SubFilter ETSI.CAdES.detached, /M) and,
// when first needed, the AcroForm with /SigFlags 3. /ByteRange covers the
// whole file except the /Contents hex string, which holds the CMS.
//
// Because earlier revisions are never rewritten, a signature applied before
// stays valid: the staff signs first, the organisation's signature then
// covers the staff one.
//
// PDF/A-2b: the widget has /F 4 (print) and a normal appearance only; no
// /NeedAppearances, no JavaScript; the AcroForm gets no /DA font (PoDoFo's
// default would add a non-embedded Helvetica).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/core/status.h"
#include "stages/signing/signature_appearance.h"

namespace sohoa {

// Turns the bytes the signature covers into a detached CMS (DER).
using CmsSigner = std::function<StatusOr<std::string>(const std::string& covered)>;

// A black-and-white square image (QR code) stamped top-left on page 1 in the
// same revision, before the signature covers it.
struct PageStamp {
  std::vector<uint8_t> modules;  // size*size, 1 = dark, row-major from the top
  int size = 0;                  // modules per side, quiet zone included
  double side_pt = 56;           // drawn size (quiet zone included)
  double margin_pt = 12;         // from the top and left page edges
};

struct PdfSignatureRequest {
  std::string field_name;    // unique in the document, e.g. "Staff1"
  std::string signer_name;   // /Name
  std::string reason;        // /Reason
  std::string location;      // /Location
  int64_t signing_time = 0;  // /M, unix seconds
  int utc_offset_minutes = 420;
  AppearanceSpec appearance;
  const PageStamp* stamp = nullptr;
  // Room reserved for the CMS, in bytes (hex doubles it in the file). The
  // CMS must fit or the signature fails with kInternal naming both sizes.
  size_t contents_bytes = 16384;
};

// Returns the signed file: `pdf` followed by the new revision. kInvalidInput
// when `pdf` cannot be parsed; whatever the signer returns when it fails.
StatusOr<std::string> AddPdfSignature(const std::string& pdf, const PdfSignatureRequest& request,
                                      const CmsSigner& signer);

// The second half of AddPdfSignature, shared with the document time-stamp
// (pdf_long_term.h): `out` is `pdf` followed by a revision that PoDoFo wrote
// with PdfSignatureField::SetSignature() placeholders (a /ByteRange beacon and
// a /Contents of contents_bytes zero bytes). Fills in the byte range, hands
// the covered bytes to `signer` and writes its answer into /Contents.
StatusOr<std::string> FillSignaturePlaceholders(const std::string& pdf, std::string out,
                                                size_t contents_bytes, const CmsSigner& signer);

}  // namespace sohoa
