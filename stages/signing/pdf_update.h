// Loading a finished PDF to append an incremental update to it, and writing
// that update (PoDoFo 0.9.8), for every stage that adds a revision to an
// archived file: the signatures (signing_pdf.h), the DSS and document
// time-stamp (pdf_long_term.h) and the review station's corrected version
// (pdf_revision.h).
//
// Why not PdfMemDocument::LoadFromBuffer alone: on load PoDoFo re-initialises
// the Info dictionary as if the document had just been edited (PdfInfo::Init
// with ePdfInfoInitial_WriteModificationTime sets /ModDate to the current
// time), and WriteUpdate then writes that dictionary in the new revision. The
// XMP packet still carries the writer's xmp:ModifyDate, so a PDF/A validator
// (PDFBox Preflight: "ModificationDate ... doesn't match with XMP") finds the
// file invalid as soon as it is signed a second after it was written.
#pragma once

#include <podofo/podofo.h>

#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

// Loads `pdf` into `document` for an incremental update, then puts back the
// Info keys PoDoFo's load rewrote (/ModDate, and /CreationDate and /Producer
// where it invents them) as the file's newest trailer stores them, or removes
// them where the file has none: an update that does not change the document's
// content (a signature, validation data, a time-stamp) leaves its dates as
// its XMP has them. A stage that does change the content writes a new XMP
// packet and the matching /ModDate itself, after this (pdf_revision.cc).
// kInvalidInput "<what>: <PoDoFo's reason>" when the bytes do not parse.
Status LoadPdfForUpdate(PoDoFo::PdfMemDocument& document, const std::string& pdf, const std::string& what);

// The bytes of `document`'s changes as one incremental update, the loaded
// file's bytes first and untouched (so every earlier signature's byte range
// still covers what it covered). Objects are written "N 0 obj" then an end
// of line, as PDF/A asks. Throws PoDoFo::PdfError as WriteUpdate does.
std::string WritePdfUpdate(PoDoFo::PdfMemDocument& document);

}  // namespace sohoa
