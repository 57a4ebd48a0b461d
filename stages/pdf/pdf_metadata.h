// PDF/A document metadata: the XMP packet, the matching Info dictionary
// values, PDF and XMP date strings, and document UUIDs.
//
// PDF/A wants the same facts in two places (the Info dictionary and the XMP
// packet in the catalog's /Metadata) and PDF/A-1 validators compare them
// field by field. Everything here is plain strings, no PDF library, so the
// writer, a later signing stage (which rewrites the XMP in an incremental
// update) and the tests all build the packet from the same function.
//
// Extending the XMP (the choice made for later stages): a document stage
// that runs before the PDF writer puts entries in Document::metadata:
//   "xmp:ns:<prefix>"      -> the namespace URI for <prefix>
//   "xmp:<prefix>:<name>"  -> a Text property value (UTF-8)
// e.g. {"xmp:ns:sohoa", "https://sohoa.example/ns/fields/1.0/"} and
// {"xmp:sohoa:DocumentTypeCode", "KS"}. ExtraXmpPropertiesFromMetadata()
// collects them; BuildXmp() writes the properties and, because PDF/A forbids
// undeclared schemas, also the pdfaExtension schema description for each
// custom namespace. Prefixes we write ourselves (dc, xmp, pdf, pdfaid, xmpMM,
// rdf, x, pdfaExtension, pdfaSchema, pdfaProperty) are refused, so a stage
// cannot silently contradict the Info dictionary. A stage that runs after
// the writer (signing) calls BuildXmp() itself with its own extras.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// One custom XMP property: prefix:name = value in namespace `ns_uri`.
struct XmpProperty {
  std::string prefix;
  std::string ns_uri;
  std::string name;
  std::string value;  // UTF-8 text; escaped on output
};

struct XmpFields {
  int pdfa_part = 2;  // 1 or 2
  std::string pdfa_conformance = "B";
  std::string title;               // dc:title (x-default) == Info /Title
  std::string creator_tool;        // xmp:CreatorTool == Info /Creator
  std::string producer;            // pdf:Producer == Info /Producer
  std::string create_date;         // ISO 8601 (XmpDate()) == Info /CreationDate
  std::string modify_date;         // xmp:ModifyDate and xmp:MetadataDate == /ModDate
  std::string document_id;         // "uuid:..." (xmpMM:DocumentID)
  std::string instance_id;         // "uuid:..." (xmpMM:InstanceID)
  std::vector<XmpProperty> extra;  // custom properties, any order
};

// The complete packet (<?xpacket begin ... end="w"?>), UTF-8, with the BOM
// inside the begin attribute as the XMP spec asks. Fails with kInvalidInput
// when an extra property uses a reserved prefix, has a name that is not an
// XML name, or two extras give one prefix different namespace URIs.
StatusOr<std::string> BuildXmp(const XmpFields& fields);

// Collects the "xmp:..." entries of Document::metadata (see above). Fails
// with kInvalidInput naming the key when a property's prefix has no
// "xmp:ns:<prefix>" entry or a key is malformed.
StatusOr<std::vector<XmpProperty>> ExtraXmpPropertiesFromMetadata(
    const std::map<std::string, std::string>& metadata);

// Dates for a moment `unix_seconds` shown at UTC offset `utc_offset_minutes`
// (Vietnam is +420). Both strings denote the same instant, as PDF/A requires.
std::string PdfDate(int64_t unix_seconds, int utc_offset_minutes);  // D:YYYYMMDDHHmmSS+07'00'
std::string XmpDate(int64_t unix_seconds, int utc_offset_minutes);  // YYYY-MM-DDTHH:mm:SS+07:00

// "uuid:xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx" from the first 16 bytes of
// SHA-256(`seed`), with version/variant bits set (name-based, stable).
std::string UuidFromSeed(const std::string& seed);

}  // namespace sohoa
