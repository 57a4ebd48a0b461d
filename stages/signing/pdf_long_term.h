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
#include <vector>

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

// Both steps for a signed PDF, as the signing stage, the review station and
// `sohoa reseal` take it to B-LT or B-LTA: the validation data of `cms_der`
// (signatures and time-stamp tokens, collected with the TSA trust's
// certificates as a source: validation_data.h) in a DSS revision, then, when
// `document_timestamp_field` is not empty, a document time-stamp of that name
// (`contents_bytes` of room). Errors as CollectValidationData and
// AddDocumentTimestamp report them, with context saying which step failed.
StatusOr<std::string> AddLongTermRevisions(const std::string& pdf, const std::vector<std::string>& cms_der,
                                           const std::string& document_timestamp_field, const TsaOptions& tsa,
                                           const RevocationFetchOptions& revocation, size_t contents_bytes);

}  // namespace sohoa
