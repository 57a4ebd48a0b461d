// The new version of a reviewed document's PDF (issue 9): the archived file's
// bytes kept verbatim, followed by an incremental update whose XMP packet and
// Info dictionary carry the corrected document type, result code, holder ID,
// field values and who reviewed it when (stages/pdf_metadata.h builds the
// packet, as the writer does). Earlier signatures keep verifying (their byte
// ranges are untouched); when signing keys are configured the signing stage
// then signs the new revision, so the signature covers the corrected data.
//
// Errors: unreadable or unparsable PDF -> kInvalidInput naming the file;
// write failures -> kIoError; PoDoFo exceptions -> kInternal.
#pragma once

#include "pipeline/review.h"
#include "pipeline/stage.h"

namespace sohoa::cli {

// `signing`: the signing stage (OpenSigningStage), or null when no keys are
// configured. The returned function is safe to call from several threads.
PdfReviser NewPdfReviser(std::shared_ptr<DocumentStage> signing);

}  // namespace sohoa::cli
