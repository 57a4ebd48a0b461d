#include "stages/signing/extract_cover.h"

#include <podofo/podofo.h>

#include "stages/pdf/pdf_metadata.h"
#include "stages/pdf/srgb_profile.h"
#include "stages/signing/signature_appearance.h"

namespace sohoa {
namespace {

using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfString;

constexpr int kVietnam = 7 * 60;
constexpr double kMargin = 56;  // points (about 2 cm)
constexpr const char* kTitle = "Trang xác nhận bản sao điện tử (certified cover of an electronic copy)";

PdfString Utf8(const std::string& text) {
  return PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(text.c_str()));
}

// `text` cut into lines no wider than `width` at the font's size, between
// words (a word wider than a line stands alone on its line).
std::vector<std::string> Wrap(const std::string& text, PoDoFo::PdfFont* font, double width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    const std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && font->GetFontMetrics()->StringWidth(Utf8(longer)) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string OrDash(const std::string& s) { return s.empty() ? "—" : s; }

// The unsigned one-page PDF/A.
StatusOr<std::string> CoverPdf(const CoverFacts& f, int pdfa_part) {
  StatusOr<std::string> icc = SrgbIccProfile();
  if (!icc.ok()) return icc.status();
  const std::string when = XmpDate(f.issued_at, kVietnam);
  XmpFields xmp;
  xmp.pdfa_part = pdfa_part;
  xmp.title = kTitle;
  xmp.creator_tool = "sohoa extract";
  xmp.producer = "sohoa (PoDoFo)";
  xmp.create_date = when;
  xmp.modify_date = when;
  xmp.document_id =
      UuidFromSeed("sohoa-extract-cover:" + f.record_sha256 + ":" + std::to_string(f.issued_at));
  xmp.instance_id = xmp.document_id;
  StatusOr<std::string> packet = BuildXmp(xmp);
  if (!packet.ok()) return packet.status();
  try {
    PoDoFo::PdfMemDocument document;
    document.SetPdfVersion(pdfa_part == 1 ? PoDoFo::ePdfVersion_1_4 : PoDoFo::ePdfVersion_1_7);
    PoDoFo::PdfPage* page =
        document.CreatePage(PoDoFo::PdfPage::CreateStandardPageSize(PoDoFo::ePdfPageSize_A4));
    const AppearanceSpec defaults;
    PoDoFo::PdfFont* font = document.CreateFontSubset(
        "DejaVu Sans", false, false, false, PoDoFo::PdfEncodingFactory::GlobalIdentityEncodingInstance(),
        defaults.font_path.c_str());
    if (font == nullptr)
      return Status::Configuration("extract cover: cannot load font " + defaults.font_path);
    const double width = page->GetPageSize().GetWidth() - 2 * kMargin;
    double y = page->GetPageSize().GetHeight() - kMargin;
    PoDoFo::PdfPainter painter;
    painter.SetPage(page);
    painter.SetColor(0, 0, 0);
    auto write = [&](const std::string& text, double size, double gap_after = 0) {
      font->SetFontSize(static_cast<float>(size));
      painter.SetFont(font);
      for (const std::string& line : Wrap(text, font, width)) {
        y -= size * 1.35;
        painter.DrawText(kMargin, y, Utf8(line));
      }
      y -= gap_after;
    };
    write("TRANG XÁC NHẬN BẢN SAO ĐIỆN TỬ", 15);
    write("Certified cover of an electronic copy of an archived record", 10, 14);
    write("Cơ quan cấp (issued by): " + OrDash(f.issued_by), 11);
    write("Người cấp (clerk): " + OrDash(f.clerk), 11);
    write("Thời điểm cấp (issued at): " + when, 11);
    write("Mục đích (purpose): " + f.purpose, 11, 10);
    write("Loại giấy tờ (document type): " + OrDash(f.doc_type), 11);
    write("Số (number): " + OrDash(f.number) + "   Quyển số (book): " + OrDash(f.book), 11);
    write("Ngày đăng ký (registered on): " + OrDash(f.registered_on), 11, 10);
    write(
        "Bản gốc (original): " + f.original_name + " — phiên bản (version) " + std::to_string(f.pdf_version),
        11);
    write("SHA-256 của bản gốc (the original's SHA-256):", 11);
    write(f.original_sha256, 9.5, 4);
    write("Mã hồ sơ lưu trữ (archive record):", 11);
    write(f.record_sha256, 9.5, 14);
    write(
        "Bản gốc kèm theo là tệp PDF/A lưu trữ, giữ nguyên từng byte: các chữ ký số trên đó vẫn kiểm tra "
        "được. "
        "Trang này không thay thế bản gốc; nó được cơ quan cấp ký số và gắn với bản gốc bằng mã SHA-256 "
        "trên.",
        9.5, 4);
    write(
        "The attached original is the archived PDF/A, byte for byte: its digital signatures still verify. "
        "This page does not replace it; it is signed by the issuer and bound to the original by the SHA-256 "
        "above.",
        9.5);
    painter.FinishPage();

    PdfDictionary& info = document.GetInfo()->GetObject()->GetDictionary();
    const std::string pdf_date = PdfDate(f.issued_at, kVietnam);
    info.AddKey("Title", Utf8(xmp.title));
    info.AddKey("Creator", PdfString(xmp.creator_tool));
    info.AddKey("Producer", PdfString(xmp.producer));
    info.AddKey("CreationDate", PdfString(pdf_date));
    info.AddKey("ModDate", PdfString(pdf_date));

    PdfDictionary& catalog = document.GetCatalog()->GetDictionary();
    PdfObject* metadata = document.GetObjects().CreateObject("Metadata");
    metadata->GetStream()->Set(packet->data(), static_cast<PoDoFo::pdf_long>(packet->size()),
                               PoDoFo::TVecFilters());
    metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
    catalog.AddKey("Metadata", metadata->Reference());
    PdfObject* profile = document.GetObjects().CreateObject();
    profile->GetStream()->Set(icc->data(), static_cast<PoDoFo::pdf_long>(icc->size()));
    AddSrgbOutputIntent(profile, catalog);

    PoDoFo::PdfRefCountedBuffer buffer;
    PoDoFo::PdfOutputDevice device(&buffer);
    document.SetWriteMode(PoDoFo::ePdfWriteMode_Clean);  // "N 0 obj" then an end of line, as PDF/A asks
    document.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("extract cover: PoDoFo: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
}

}  // namespace

StatusOr<std::string> MakeExtractCover(const CoverFacts& facts, const ReviewSigner& signer) {
  StatusOr<std::string> cover = CoverPdf(facts, signer.pdfa_part);
  if (!cover.ok()) return cover.status();
  PdfSignatureRequest request;
  request.field_name = "ExtractCover" + std::to_string(facts.issued_at);
  request.signer_name = signer.name;
  request.reason = "Xác nhận bản sao điện tử (certified copy)";
  request.signing_time = facts.issued_at;
  request.utc_offset_minutes = kVietnam;
  request.appearance.rect = PdfBox{kMargin, kMargin, 260, 36};
  request.appearance.font_size_pt = 8;
  request.appearance.lines = {signer.name, "Người cấp: " + facts.clerk,
                              "Ký số: " + XmpDate(facts.issued_at, kVietnam)};
  return SignAsOrganisation(*cover, request, signer, "ExtractTimeStamp" + std::to_string(facts.issued_at));
}

CoverMaker NewCoverMaker(std::shared_ptr<const ReviewSigner> signer) {
  return [signer](const CoverFacts& facts) {
    CoverFacts named = facts;
    named.issued_by = signer->name;
    return MakeExtractCover(named, *signer);
  };
}

}  // namespace sohoa
