// Signing stage: signs each document's PDF/A (output role "pdf") as a
// digitized copy — the staff member's signature first, then the
// organisation's, each a PAdES signature in its own incremental update (see
// signing_pdf.h), so the staff signature stays valid under the organisation's
// and the file stays PDF/A-2b (or -1b).
//
// Runs after the PDF writer. Per document:
//  1. reads the staged PDF;
//  2. staff signature (when staff.key_spec is set): appearance top-left of
//     page 1 with the staff name, the scan time (the input file's mtime) and
//     the converted-from-paper note; with `qr`, the QR code is stamped
//     top-left in the same revision and the staff appearance moves right of it;
//  3. organisation signature (when org.key_spec is set): appearance top-right
//     with the seal PNG at actual size, the organisation name and the signing
//     time as ISO 8601 at utc_offset_minutes (+07:00);
//  4. at level B-LT or B-LTA (issue 21): the validation data of both
//     signatures and their time-stamps — chains and OCSP responses or CRLs
//     fetched now (validation_data.h) — in a DSS revision; at B-LTA then a
//     document time-stamp over the whole file (pdf_long_term.h);
//  5. replaces the staged PDF atomically and updates the output's size;
//  6. records the signers in Document::metadata["signed"] as a JSON array of
//     names in signing order (e.g. ["Nguyễn Văn An","UBND xã Xuân Thành"]) —
//     the archive step copies metadata into the ledger's details — and the
//     level reached in metadata["signature_level"] ("B-B" … "B-LTA").
//
// QR content (UTF-8, one field per line):
//   <result code>\n<document-type code>\n<holder id>\n<system name>\n<ISO time>
// read from Document::metadata as the field extraction stage sets it: result
// code "result_code" (else "code", else "xmp:sohoa:ResultCode"), document-type
// code "doc_type_code" (else "xmp:sohoa:DocumentTypeCode", else "doc_type"),
// holder "holder_id" (else "xmp:sohoa:HolderId"); a missing value leaves its
// line empty.
//
// Keys: loaded once per run by OpenSigningStage() (one token session, one
// PKCS#12 parse), checked (validity period, key usage) before any document is
// touched. Workers share the keys; the private-key operation is serialised per
// key (SigningKey::mutex()), everything else (PDF parsing, appearance, hashing,
// the TSA round trip) runs in parallel.
//
// Errors: no "pdf" output -> kInvalidInput; PDF/signing failures -> the
// document is quarantined with the cause; a TSA that cannot be reached ->
// kIoError for that document (the unsigned file is not archived as signed);
// so does a time-stamp response that fails its checks (tsa_client.h) and, at
// B-LT/B-LTA, validation data that cannot be had (a responder down, a
// certificate revoked or naming no responder): the document is left for the
// next run, never archived at a lower level than asked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/core/stage.h"
#include "stages/signing/signature_appearance.h"
#include "stages/signing/tsa_client.h"
#include "stages/signing/validation_data.h"

namespace sohoa {

struct SignerOptions {
  std::string key_spec;        // PKCS#12 path or pkcs11: URI; empty = signature off
  std::string secret;          // password / PIN; never logged
  std::string name;            // shown in the appearance; default: certificate CN
  std::optional<PdfBox> rect;  // explicit appearance rectangle (points)
};

// PAdES baseline levels (ETSI EN 319 142-1). kDefault: B-LTA when a TSA is
// configured, B-B when not (README "Signature levels" says why).
enum class SignatureLevel { kDefault, kB, kT, kLT, kLTA };
// "b", "t", "lt", "lta" (as `--signature-level` takes them); false otherwise.
bool ParseSignatureLevel(const std::string& text, SignatureLevel* level);
// "B-B", "B-T", "B-LT", "B-LTA" (kDefault: "default").
const char* SignatureLevelName(SignatureLevel level);

struct SigningOptions {
  SignerOptions staff;
  SignerOptions org;
  std::string org_seal_png;  // optional; drawn at its pHYs size
  std::string location;      // /Location of both signatures, optional
  TsaOptions tsa;            // url and trust (TSA certificates); trust_store is loaded here
  SignatureLevel level = SignatureLevel::kDefault;  // B-T and above need tsa.url
  RevocationFetchOptions revocation;                // B-LT, B-LTA
  bool qr = false;
  std::string system_name = "sohoa";
  int pdfa_part = 2;  // 1: seal without soft mask
  double margin_pt = 12;
  // CMS room per signature; 0: each key's CMS size measured once per worker
  // (a probe signature) plus 1/8, at least 256 bytes; the B-LTA document
  // time-stamp keeps 20 KiB.
  size_t contents_bytes = 0;
  std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  bool deterministic = false;
  int64_t deterministic_unix_time = 1627455909;
  int utc_offset_minutes = 7 * 60;
};

// Loads and checks the keys, the seal and the font now. kConfiguration with
// a clear message (wrong password/PIN, expired certificate, key usage, seal
// without resolution, no key configured at all, a level above B-B without a
// TSA, an unreadable TSA trust) — the caller stops the run
// with exit 2 before any document is processed. Name() is "sign".
// `names`, when given, receives the resolved signer names (option, else the
// certificate's CN), e.g. for the converted-from-paper XMP.
struct SignerNames {
  std::string staff, org;
};
StatusOr<std::unique_ptr<DocumentStage>> OpenSigningStage(const SigningOptions& options,
                                                          SignerNames* names = nullptr);

// As OpenSigningStage, but the keys are loaded by the first NewWorker() (so a
// key problem surfaces as a worker-creation failure, which also stops the run
// before it starts). Prefer OpenSigningStage in a CLI.
std::unique_ptr<DocumentStage> NewSigningStage(const SigningOptions& options);

}  // namespace sohoa
