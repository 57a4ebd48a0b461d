// The new version of a reviewed document's PDF (issue 9): the archived file's
// bytes kept verbatim, followed by an incremental update whose XMP packet and
// Info dictionary carry the corrected document type, result code, holder ID,
// field values and who reviewed it when (stages/pdf/pdf_metadata.h builds the
// packet, as the writer does). Earlier signatures keep verifying (their byte
// ranges are untouched); when a key is configured the new revision is signed
// too (stages/signing/signing_pdf.h), so a signature covers the corrected data.
//
// Errors: unreadable or unparsable PDF -> kInvalidInput naming the file;
// write failures -> kIoError; PoDoFo exceptions -> kInternal.
#pragma once

#include <memory>
#include <string>

#include "pipeline/review/review.h"
#include "stages/signing/signing_key.h"
#include "stages/signing/signing_pdf.h"
#include "stages/signing/signing_stage.h"

namespace sohoa {

// Who signs the corrected versions (the organisation's key, loaded once).
// The signature goes in its own field ("ReviewSignature<time>") with an
// appearance at the bottom left of page 1: the signer, the reviewer and the
// time; the pipeline's staff (top-left) and organisation (top-right)
// signatures of the earlier revision stay where they are, and valid.
// With a TSA (issue 21) the signature is made at `level` as the signing stage
// makes it: B-T a signature time-stamp, B-LT then a DSS with the validation
// data of the new signature, B-LTA then a document time-stamp
// ("ReviewTimeStamp<time>"); a TSA or responder that cannot be reached
// refuses the confirmation (nothing is archived at a lower level than asked).
struct ReviewSigner {
  std::shared_ptr<SigningKey> key;
  std::string name;  // shown in the appearance and /Name
  int pdfa_part = 2;
  SignatureLevel level = SignatureLevel::kB;  // resolved: never kDefault
  TsaOptions tsa;                             // url and loaded trust_store, above B-B
  RevocationFetchOptions revocation;
};

// Signs `pdf` as `signer` at its level (a new revision; B-LT/B-LTA add the
// validation data and, for B-LTA, a document time-stamp in
// `timestamp_field`): the corrected versions here and the certified cover of
// a citizen's extract (extract_cover.h). `request` gives the field, reason
// and appearance; its CMS room and PDF/A part come from `signer`.
StatusOr<std::string> SignAsOrganisation(const std::string& pdf, PdfSignatureRequest request,
                                         const ReviewSigner& signer, const std::string& timestamp_field);

// `signer` null: the new version carries the corrected metadata unsigned (the
// earlier signatures still verify but do not cover it). The returned
// function is safe to call from several threads.
PdfReviser NewPdfReviser(std::shared_ptr<const ReviewSigner> signer);

}  // namespace sohoa
