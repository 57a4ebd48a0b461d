// The Document Security Store of a signed PDF (PAdES B-LT, ISO 32000-2
// 12.8.4.3), read from the file's bytes for `sohoa verify --trust-store`:
// the DER of every certificate, OCSP response and CRL its /Certs, /OCSPs and
// /CRLs arrays name. Like the signature checker (verify_signature.h) it uses
// no PDF library: it follows the newest catalog's "/DSS N G R" to the newest
// "N G obj" of that number, then each array's "N G R" to its stream. What it
// cannot follow is left out and said in `unreadable` (a stream inside an
// object stream, a filtered stream: sohoa writes neither), so the document
// simply counts as holding less validation data.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sohoa {

struct DssContents {
  bool present = false;
  size_t offset = 0;                            // where the DSS dictionary's object starts in the file
  std::vector<std::string> certs, ocsps, crls;  // DER, in array order
  std::vector<std::string> unreadable;          // for a person: what could not be read and why
};

// Bounded: at most 10,000 entries per array, streams up to 10 MB each.
DssContents ReadDss(const std::string& pdf);

}  // namespace sohoa
