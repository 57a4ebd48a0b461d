#include "stages/signing/pdf_long_term.h"

#include <openssl/sha.h>
#include <podofo/podofo.h>

#include "stages/signing/pdf_update.h"
#include "stages/signing/signing_pdf.h"

namespace sohoa {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;

// The array `key` of the DSS, with the references it already holds.
PdfArray Existing(PoDoFo::PdfMemDocument& document, const PdfObject* dss, const char* key) {
  if (dss == nullptr || !dss->IsDictionary()) return PdfArray();
  const PdfObject* value = dss->GetDictionary().GetKey(key);
  if (value != nullptr && value->IsReference())
    value = document.GetObjects().GetObject(value->GetReference());
  return value != nullptr && value->IsArray() ? value->GetArray() : PdfArray();
}

}  // namespace

StatusOr<std::string> AppendDss(const std::string& pdf, const ValidationData& data) {
  std::string out;
  try {
    PoDoFo::PdfMemDocument document;
    SOHOA_RETURN_IF_ERROR(LoadPdfForUpdate(document, pdf, "cannot parse the signed PDF"));
    PdfObject* catalog = document.GetCatalog();
    PdfObject* old = catalog->GetIndirectKey("DSS");
    // Created empty and filled in place: PoDoFo 0.9.8 leaves an object made
    // by CreateObject(variant) out of an incremental update.
    PdfObject* dss_object = document.GetObjects().CreateObject();
    PdfDictionary& dss = dss_object->GetDictionary();
    const std::pair<const char*, const std::vector<std::string>*> arrays[] = {
        {"Certs", &data.certs}, {"OCSPs", &data.ocsps}, {"CRLs", &data.crls}};
    for (const auto& [key, blobs] : arrays) {
      PdfArray refs = Existing(document, old, key);
      for (const std::string& der : *blobs) {
        PdfObject* stream = document.GetObjects().CreateObject();
        // Unfiltered: DER does not compress, and a reader needs no inflater.
        stream->GetStream()->Set(der.data(), static_cast<PoDoFo::pdf_long>(der.size()),
                                 PoDoFo::TVecFilters());
        refs.push_back(stream->Reference());
      }
      if (!refs.empty()) dss.AddKey(key, refs);
    }
    catalog->GetDictionary().AddKey("DSS", dss_object->Reference());
    out = WritePdfUpdate(document);
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("PoDoFo failed to write the DSS: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
  if (out.size() < pdf.size() || out.compare(0, pdf.size(), pdf) != 0) {
    return Status::Internal("PoDoFo rewrote the signed revision instead of appending the DSS");
  }
  return out;
}

StatusOr<std::string> AddDocumentTimestamp(const std::string& pdf, const std::string& field_name,
                                           const TsaOptions& tsa, size_t contents_bytes) {
  std::string out;
  try {
    PoDoFo::PdfMemDocument document;
    SOHOA_RETURN_IF_ERROR(LoadPdfForUpdate(document, pdf, "cannot parse the signed PDF"));
    if (document.GetPageCount() < 1) return Status::InvalidInput("the PDF to time-stamp has no pages");
    PoDoFo::PdfPage* page = document.GetPage(0);
    document.GetAcroForm(true, PoDoFo::ePdfAcroFormDefaultAppearance_None);
    const PoDoFo::PdfRect none(0, 0, 0, 0);
    PoDoFo::PdfXObject empty(none, &document);
    // An appearance stream with no drawing: PDF/A wants /AP /N to be a stream.
    empty.GetContents()->GetStream()->Set(" ");
    PoDoFo::PdfSignatureField field(page, none, &document);
    field.SetFieldName(PoDoFo::PdfString(field_name));
    field.SetAppearanceStream(&empty);
    field.GetWidgetAnnotation()->SetFlags(PoDoFo::ePdfAnnotationFlags_Print);
    const std::string beacon(contents_bytes * 2, '0');
    field.SetSignature(PoDoFo::PdfData(beacon.c_str()));
    PdfDictionary& sig = field.GetSignatureObject()->GetDictionary();
    sig.AddKey("Type", PdfName("DocTimeStamp"));
    sig.AddKey("SubFilter", PdfName("ETSI.RFC3161"));
    out = WritePdfUpdate(document);
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("PoDoFo failed to add the document time-stamp field: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
  return FillSignaturePlaceholders(pdf, std::move(out), contents_bytes, [&](const std::string& covered) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(covered.data()), covered.size(), digest);
    return RequestTimestamp(tsa, std::string(reinterpret_cast<char*>(digest), sizeof digest));
  });
}

StatusOr<std::string> AddLongTermRevisions(const std::string& pdf, const std::vector<std::string>& cms_der,
                                           const std::string& document_timestamp_field, const TsaOptions& tsa,
                                           const RevocationFetchOptions& revocation, size_t contents_bytes) {
  StatusOr<ValidationData> data = CollectValidationData(cms_der, revocation, tsa.trust_store.get());
  if (!data.ok()) {
    return data.status().WithContext(document_timestamp_field.empty() ? "validation data for B-LT"
                                                                      : "validation data for B-LTA");
  }
  StatusOr<std::string> with_dss = AppendDss(pdf, *data);
  if (!with_dss.ok() || document_timestamp_field.empty()) return with_dss;
  StatusOr<std::string> stamped = AddDocumentTimestamp(*with_dss, document_timestamp_field, tsa, contents_bytes);
  if (!stamped.ok()) return stamped.status().WithContext("document time-stamp");
  return stamped;
}

}  // namespace sohoa
