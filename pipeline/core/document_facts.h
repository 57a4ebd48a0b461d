// The facts a document carries in Document::metadata, by name (issue 16).
//
// Metadata is a string map every floor reads: the field-extraction stage
// writes what it read, the inventory match the register row it linked, the
// PDF writer puts the "xmp:…" entries in the PDF's XMP packet
// (stages/pdf/pdf_metadata.h), the ledger keeps the whole map in the
// record's details (export, find and the report read it back), and a review
// or a ledger rebuild rewrites it. The writers all go through the functions
// here, so a key cannot be spelt two ways and each plain fact always has its
// XMP twin.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace sohoa::facts {

using Metadata = std::map<std::string, std::string>;

// Plain keys (the ledger, export, find, report).
inline constexpr const char* kDocType = "doc_type";           // catalog key, e.g. "khai_sinh"
inline constexpr const char* kDocTypeCode = "doc_type_code";  // e.g. "KS"
inline constexpr const char* kHolderId = "holder_id";         // the holder's personal ID
inline constexpr const char* kResultCode = "result_code";     // holder ID + separator + type code
inline constexpr const char* kRecordId = "record_id";         // the register row linked
inline constexpr const char* kRecordValid = "record_valid";   // "1" while that result is valid
inline constexpr const char* kReviewedBy = "reviewed_by";
inline constexpr const char* kReviewedAt = "reviewed_at";

// XMP namespaces of the document's facts and of its field values.
inline constexpr const char* kXmpDocumentNamespace = "http://ns.sohoa.vn/xmp/1.0/";
inline constexpr const char* kXmpFieldNamespace = "http://ns.sohoa.vn/xmp/fields/1.0/";
inline constexpr const char* kXmpDocumentType = "xmp:sohoa:DocumentType";
inline constexpr const char* kXmpDocumentTypeCode = "xmp:sohoa:DocumentTypeCode";
inline constexpr const char* kXmpHolderId = "xmp:sohoa:HolderId";
inline constexpr const char* kXmpResultCode = "xmp:sohoa:ResultCode";
inline constexpr const char* kXmpReviewedBy = "xmp:sohoa:ReviewedBy";
inline constexpr const char* kXmpReviewedAt = "xmp:sohoa:ReviewedAt";
// A field's value lives under this prefix + the field's key.
inline constexpr const char* kXmpFieldPrefix = "xmp:sohoaf:";

// The XMP twins of plain facts, {XMP key, plain key}: WriteIdentity and
// WriteReview write both (a field's twin is kXmpFieldPrefix + its key, with
// the field's value).
inline constexpr std::pair<const char*, const char*> kXmpTwins[] = {
    {kXmpDocumentType, kDocType},  {kXmpDocumentTypeCode, kDocTypeCode}, {kXmpHolderId, kHolderId},
    {kXmpResultCode, kResultCode}, {kXmpReviewedBy, kReviewedBy},        {kXmpReviewedAt, kReviewedAt},
};

// What a document is: its type, its holder, its result code and its fields.
struct DocumentIdentity {
  std::string doc_type, doc_type_code, holder_id, result_code;
  Metadata fields;  // field key -> value
};

// Writes the identity's plain keys and their XMP twins, declares the two
// namespaces (keeping a URI already there), and replaces every field value
// the metadata held (a review may change the type, and with it the fields).
void WriteIdentity(const DocumentIdentity& identity, Metadata* metadata);

// Links the document to a register row, or removes the link when
// `record_id` is empty. A link to another row than before drops the old
// row's validity (kRecordValid), which only the inventory match can say.
void WriteRecordLink(const std::string& record_id, Metadata* metadata);

// Who confirmed the document's facts, and when (ISO 8601), plain and XMP.
void WriteReview(const std::string& reviewer, const std::string& at, Metadata* metadata);

// The metadata of a document a person confirmed, as the review station
// writes it and a ledger rebuild replays it: `before` (the record's metadata
// as the ledger keeps it, a JSON object; anything else counts as empty, and
// entries that are not strings are dropped) with the confirmed identity,
// register link (`record_id`) and review written over it.
Metadata Confirmed(const nlohmann::json& before, const DocumentIdentity& identity,
                   const std::string& record_id, const std::string& reviewer, const std::string& at);

}  // namespace sohoa::facts
