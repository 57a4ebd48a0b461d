#include "stages/signing/pdf_revision.h"

#include <podofo/podofo.h>

#include <fstream>
#include <sstream>

#include "pipeline/core/file_util.h"
#include "stages/pdf/pdf_metadata.h"
#include "stages/signing/pdf_long_term.h"
#include "stages/signing/pdf_update.h"
#include "stages/signing/signing_cms.h"
#include "stages/signing/signing_pdf.h"

namespace sohoa {
namespace {

using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfString;

PdfString TextString(const std::string& utf8) {
  for (unsigned char c : utf8) {
    if (c >= 0x80) return PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(utf8.c_str()));
  }
  return PdfString(utf8);
}

std::string InfoText(const PdfDictionary& info, const char* key) {
  const PdfObject* o = info.GetKey(key);
  return o != nullptr && o->IsString() ? o->GetString().GetStringUtf8() : "";
}

// "D:20210728140509+07'00'" -> "2021-07-28T14:05:09+07:00" (the same instant,
// as PDF/A wants Info and XMP to agree); "" when not in that form.
std::string XmpFromPdfDate(const std::string& pdf) {
  if (pdf.size() < 23 || pdf.compare(0, 2, "D:") != 0) return "";
  const std::string d = pdf.substr(2);
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" + d.substr(8, 2) + ":" +
         d.substr(10, 2) + ":" + d.substr(12, 2) + d.substr(14, 3) + ":" + d.substr(18, 2);
}

// The PDF/A part the archived file declares in its XMP ("1" or "2").
int PdfaPartOf(PoDoFo::PdfMemDocument& document) {
  PdfObject* metadata = document.GetCatalog()->GetIndirectKey("Metadata");
  if (metadata == nullptr || !metadata->HasStream()) return 2;
  char* buffer = nullptr;
  PoDoFo::pdf_long length = 0;
  metadata->GetStream()->GetFilteredCopy(&buffer, &length);
  const std::string xmp(buffer, static_cast<size_t>(length));
  PoDoFo::podofo_free(buffer);
  for (const char* marker : {"pdfaid:part=\"1\"", "<pdfaid:part>1<"}) {
    if (xmp.find(marker) != std::string::npos) return 1;
  }
  return 2;
}

StatusOr<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput("cannot read the archived PDF " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Status Revise(const PdfRevision& r, const ReviewSigner* signer) {
  StatusOr<std::string> original = ReadAll(r.source_pdf);
  if (!original.ok()) return original.status();
  StatusOr<std::vector<XmpProperty>> extra = ExtraXmpPropertiesFromMetadata(r.metadata);
  if (!extra.ok()) return extra.status();
  std::string updated;
  try {
    PoDoFo::PdfMemDocument document;
    SOHOA_RETURN_IF_ERROR(
        LoadPdfForUpdate(document, *original, "cannot parse the archived PDF " + r.source_pdf));
    PdfDictionary& info = document.GetInfo()->GetObject()->GetDictionary();
    constexpr int kVietnam = 7 * 60;
    XmpFields xmp;
    xmp.pdfa_part = PdfaPartOf(document);
    xmp.title = InfoText(info, "Title");
    xmp.creator_tool = InfoText(info, "Creator");
    xmp.producer = InfoText(info, "Producer");
    const PdfObject* created = info.GetKey("CreationDate");
    const std::string created_pdf =
        created != nullptr && created->IsString() ? created->GetString().GetStringUtf8() : "";
    xmp.create_date = XmpFromPdfDate(created_pdf);
    if (xmp.create_date.empty()) xmp.create_date = XmpDate(r.unix_time, kVietnam);
    xmp.modify_date = XmpDate(r.unix_time, kVietnam);
    xmp.document_id = UuidFromSeed("sohoa-document:" + r.sha256);
    xmp.instance_id = UuidFromSeed("sohoa-review:" + r.target_pdf + ":" + std::to_string(r.unix_time));
    xmp.extra = std::move(extra).value();
    StatusOr<std::string> packet = BuildXmp(xmp);
    if (!packet.ok()) return packet.status();

    PdfObject* stream = document.GetObjects().CreateObject("Metadata");
    stream->GetStream()->Set(packet->data(), static_cast<PoDoFo::pdf_long>(packet->size()),
                             PoDoFo::TVecFilters());
    stream->GetDictionary().AddKey("Subtype", PdfName("XML"));
    // This revision changes what the document says, so it is modified now:
    // a new XMP packet (xmp:ModifyDate = xmp:MetadataDate = the review's
    // time) and the same instant in /ModDate, both in this update. The
    // signature that may follow (AddPdfSignature) changes no content and
    // keeps these dates (pdf_update.h).
    document.GetCatalog()->GetDictionary().AddKey("Metadata", stream->Reference());
    if (!created_pdf.empty()) info.AddKey("CreationDate", PdfString(created_pdf));
    info.AddKey("ModDate", PdfString(PdfDate(r.unix_time, kVietnam)));
    if (!xmp.title.empty()) info.AddKey("Title", TextString(xmp.title));

    updated = WritePdfUpdate(document);
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("PoDoFo failed to write the new version: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
  if (updated.size() < original->size() || updated.compare(0, original->size(), *original) != 0) {
    return Status::Internal("PoDoFo rewrote the archived revision instead of appending to it");
  }
  if (signer != nullptr) {
    constexpr int kVietnam = 7 * 60;
    PdfSignatureRequest request;
    request.field_name = "ReviewSignature" + std::to_string(r.unix_time);
    request.signer_name = signer->name;
    request.reason = "Xác nhận dữ liệu đã hiệu đính (reviewed and corrected by " + r.reviewer + ")";
    request.signing_time = r.unix_time;
    request.utc_offset_minutes = kVietnam;
    request.appearance.rect = PdfBox{12, 12, 220, 36};
    request.appearance.lines = {signer->name, "Người xác nhận: " + r.reviewer,
                                "Hiệu đính: " + XmpDate(r.unix_time, kVietnam)};
    StatusOr<std::string> signed_pdf =
        SignAsOrganisation(updated, request, *signer, "ReviewTimeStamp" + std::to_string(r.unix_time));
    if (!signed_pdf.ok()) return signed_pdf.status().WithContext("signing the new version");
    updated = std::move(signed_pdf).value();
  }
  return WriteFileAtomically(r.target_pdf, updated);
}

}  // namespace

StatusOr<std::string> SignAsOrganisation(const std::string& pdf, PdfSignatureRequest request,
                                         const ReviewSigner& signer, const std::string& timestamp_field) {
  const TsaOptions* tsa = signer.level == SignatureLevel::kB ? nullptr : &signer.tsa;
  request.contents_bytes = tsa != nullptr ? 20480 : 8192;  // as the signing stage
  std::string signature_value;
  StatusOr<std::string> signed_pdf = AddPdfSignature(pdf, request, [&](const std::string& covered) {
    StatusOr<std::string> cms = BuildCadesSignature(*signer.key, covered, tsa);
    if (cms.ok()) signature_value = *cms;
    return cms;
  });
  if (!signed_pdf.ok()) return signed_pdf.status();
  if (signer.level != SignatureLevel::kLT && signer.level != SignatureLevel::kLTA) return signed_pdf;
  return AddLongTermRevisions(*signed_pdf, {signature_value},
                              signer.level == SignatureLevel::kLTA ? timestamp_field : "", signer.tsa,
                              signer.revocation, request.contents_bytes);
}

PdfReviser NewPdfReviser(std::shared_ptr<const ReviewSigner> signer) {
  return [signer](const PdfRevision& r) { return Revise(r, signer.get()); };
}

}  // namespace sohoa
