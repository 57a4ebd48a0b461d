#include "pipeline/core/document_facts.h"

namespace sohoa::facts {

void WriteIdentity(const DocumentIdentity& identity, Metadata* metadata) {
  Metadata& m = *metadata;
  for (auto it = m.begin(); it != m.end();) {
    if (it->first.rfind(kXmpFieldPrefix, 0) == 0)
      it = m.erase(it);
    else
      ++it;
  }
  m[kDocType] = identity.doc_type;
  m[kDocTypeCode] = identity.doc_type_code;
  m[kHolderId] = identity.holder_id;
  m[kResultCode] = identity.result_code;
  m.try_emplace("xmp:ns:sohoa", kXmpDocumentNamespace);
  m[kXmpDocumentType] = identity.doc_type;
  m[kXmpDocumentTypeCode] = identity.doc_type_code;
  m[kXmpResultCode] = identity.result_code;
  m[kXmpHolderId] = identity.holder_id;
  m.try_emplace("xmp:ns:sohoaf", kXmpFieldNamespace);
  for (const auto& [key, value] : identity.fields) m[kXmpFieldPrefix + key] = value;
}

void WriteRecordLink(const std::string& record_id, Metadata* metadata) {
  auto linked = metadata->find(kRecordId);
  // The validity was the old row's: a new link (or none) does not inherit it.
  if (linked == metadata->end() || linked->second != record_id) metadata->erase(kRecordValid);
  if (record_id.empty()) {
    metadata->erase(kRecordId);
  } else {
    (*metadata)[kRecordId] = record_id;
  }
}

void WriteReview(const std::string& reviewer, const std::string& at, Metadata* metadata) {
  Metadata& m = *metadata;
  m[kReviewedBy] = reviewer;
  m[kReviewedAt] = at;
  m[kXmpReviewedBy] = reviewer;
  m[kXmpReviewedAt] = at;
}

Metadata Confirmed(const nlohmann::json& before, const DocumentIdentity& identity,
                   const std::string& record_id, const std::string& reviewer, const std::string& at) {
  Metadata metadata;
  if (before.is_object()) {
    for (const auto& [key, value] : before.items()) {
      if (value.is_string()) metadata[key] = value.get<std::string>();
    }
  }
  WriteIdentity(identity, &metadata);
  WriteRecordLink(record_id, &metadata);
  WriteReview(reviewer, at, &metadata);
  return metadata;
}

}  // namespace sohoa::facts
