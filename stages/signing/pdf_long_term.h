// The two revisions that take a signed PDF from PAdES B-T to B-LT and B-LTA
// (issue 21), each an incremental update (PoDoFo 0.9.8) after the
// signatures, which stay valid since their bytes are never rewritten:
//  - AppendDss: the Document Security Store — the catalog's /DSS with
//    /Certs, /OCSPs and /CRLs arrays of streams holding the DER the
//    validation data collector fetched (validation_data.h). No /VRI: the
//    validators we check against (pdfsig, pyHanko, EU DSS) find the data
//    without it. An existing DSS is extended, not replaced.
//  - AddDocumentTimestamp: a document time-stamp over the whole file so far —
//    a signature field with an empty appearance (zero rectangle, printed
//    flag: PDF/A wants both) whose value has /Type /DocTimeStamp, /SubFilter
//    /ETSI.RFC3161 and as /Contents an RFC 3161 token over the SHA-256 of the
//    bytes its /ByteRange covers.
#pragma once

#include <cstddef>
#include <string>

#include "pipeline/core/status.h"
#include "stages/signing/tsa_client.h"
#include "stages/signing/validation_data.h"

namespace sohoa {

// kInvalidInput when `pdf` cannot be parsed; kInternal on PoDoFo failures.
StatusOr<std::string> AppendDss(const std::string& pdf, const ValidationData& data);

// `field_name` must be new in the document. `contents_bytes`: room for the
// token. TSA errors as RequestTimestamp reports them.
StatusOr<std::string> AddDocumentTimestamp(const std::string& pdf, const std::string& field_name,
                                           const TsaOptions& tsa, size_t contents_bytes);

}  // namespace sohoa
