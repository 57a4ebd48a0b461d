#include "stages/signing/signing_pdf.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <podofo/podofo.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "stages/pdf/pdf_metadata.h"
#include "stages/signing/pdf_update.h"

namespace sohoa {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfString;
using PoDoFo::PdfVariant;

// What PdfSignatureField::SetSignature() writes for /ByteRange.
constexpr char kByteRangeBeacon[] = "[ 0 1234567890 1234567890 1234567890]";

PdfString TextString(const std::string& utf8) {
  for (unsigned char c : utf8) {
    if (c >= 0x80) return PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(utf8.c_str()));
  }
  return PdfString(utf8);
}

// The QR modules as a 1-bit DeviceGray image (0 = dark), drawn by a content
// stream appended to the page.
void AddStamp(PoDoFo::PdfMemDocument& document, PoDoFo::PdfPage* page, const PdfBox& box,
              const PageStamp& stamp) {
  const int row_bytes = (stamp.size + 7) / 8;
  std::string bits(static_cast<size_t>(row_bytes) * stamp.size, '\xff');
  for (int y = 0; y < stamp.size; ++y) {
    for (int x = 0; x < stamp.size; ++x) {
      if (stamp.modules[static_cast<size_t>(y) * stamp.size + x]) {
        bits[static_cast<size_t>(y) * row_bytes + x / 8] &= static_cast<char>(~(0x80 >> (x % 8)));
      }
    }
  }
  PoDoFo::PdfVecObjects& objects = document.GetObjects();
  PdfObject* image = objects.CreateObject("XObject");
  image->GetStream()->Set(bits.data(), static_cast<PoDoFo::pdf_long>(bits.size()));
  PdfDictionary& d = image->GetDictionary();
  d.AddKey("Subtype", PdfName("Image"));
  d.AddKey("Width", PdfVariant(static_cast<PoDoFo::pdf_int64>(stamp.size)));
  d.AddKey("Height", PdfVariant(static_cast<PoDoFo::pdf_int64>(stamp.size)));
  d.AddKey("ColorSpace", PdfName("DeviceGray"));
  d.AddKey("BitsPerComponent", PdfVariant(static_cast<PoDoFo::pdf_int64>(1)));

  PdfDictionary& page_dict = page->GetObject()->GetDictionary();
  PdfObject* resources = page->GetResources();
  if (resources == nullptr) {
    page_dict.AddKey("Resources", PdfDictionary());
    resources = page->GetResources();
  }
  if (!resources->GetDictionary().HasKey("XObject")) {
    resources->GetDictionary().AddKey("XObject", PdfDictionary());
  }
  PdfObject* xobjects = resources->GetDictionary().GetKey("XObject");
  if (xobjects->IsReference()) xobjects = objects.GetObject(xobjects->GetReference());
  xobjects->GetDictionary().AddKey("SohoaQr", image->Reference());

  char ops[160];
  std::snprintf(ops, sizeof ops, "q\n%.3f 0 0 %.3f %.3f %.3f cm\n/SohoaQr Do\nQ\n", stamp.side_pt,
                stamp.side_pt, box.x + stamp.margin_pt, box.y + box.height - stamp.margin_pt - stamp.side_pt);
  PdfObject* content = objects.CreateObject();
  content->GetStream()->Set(ops);
  PdfArray contents;
  if (PdfObject* old = page_dict.GetKey("Contents")) {
    if (old->IsArray()) {
      contents = old->GetArray();
    } else {
      contents.push_back(*old);
    }
  }
  contents.push_back(content->Reference());
  page_dict.AddKey("Contents", contents);
}

// Whether two /W arrays give some glyph widths more than half a unit apart
// (or different glyphs).
bool WidthsDiffer(const PdfArray& a, const PdfArray& b) {
  auto flatten = [](const PdfArray& w) {
    std::vector<std::pair<long, double>> out;
    for (size_t i = 0; i < w.size(); ++i) {
      if (!w[i].IsNumber()) continue;
      const long first = static_cast<long>(w[i].GetNumber());
      if (i + 1 < w.size() && w[i + 1].IsArray()) {
        const PdfArray& run = w[i + 1].GetArray();
        for (size_t k = 0; k < run.size(); ++k) {
          out.emplace_back(first + static_cast<long>(k), run[k].IsReal() ? run[k].GetReal() : run[k].GetNumber());
        }
        ++i;
      } else if (i + 2 < w.size()) {
        const double width = w[i + 2].IsReal() ? w[i + 2].GetReal() : w[i + 2].GetNumber();
        for (long g = first; g <= static_cast<long>(w[i + 1].GetNumber()); ++g) out.emplace_back(g, width);
        i += 2;
      }
    }
    return out;
  };
  const auto x = flatten(a), y = flatten(b);
  if (x.size() != y.size()) return true;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].first != y[i].first || std::abs(x[i].second - y[i].second) > 0.5) return true;
  }
  return false;
}

// PoDoFo 0.9.8 writes /W from hinted, rounded advances (635 where the font
// says 633.79); PDF/A validators compare /W with the font program. Rewrite
// each width of our subset font from the unscaled advance (CID = GID, the
// CIDToGIDMap is Identity).
void FixCidWidths(PoDoFo::PdfMemDocument& document, const std::string& font_path) {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  if (FT_Init_FreeType(&library) != 0) return;
  if (FT_New_Face(library, font_path.c_str(), 0, &face) != 0) {
    FT_Done_FreeType(library);
    return;
  }
  const double scale = 1000.0 / face->units_per_EM;
  auto width = [&](long gid) -> double {
    if (FT_Load_Glyph(face, static_cast<FT_UInt>(gid), FT_LOAD_NO_SCALE) != 0) return -1;
    return face->glyph->advance.x * scale;
  };
  for (PdfObject* object : document.GetObjects()) {
    if (!object->IsDictionary()) continue;
    PdfDictionary& d = object->GetDictionary();
    const PdfObject* subtype = d.GetKey("Subtype");
    const PdfObject* base = d.GetKey("BaseFont");
    if (subtype == nullptr || !subtype->IsName() || subtype->GetName() != PdfName("CIDFontType2") ||
        base == nullptr || !base->IsName() ||
        base->GetName().GetName().find("DejaVuSans") == std::string::npos || !d.HasKey("W")) {
      continue;
    }
    const PdfArray& old = d.GetKey("W")->GetArray();
    PdfArray fixed;
    // Forms: c [w1 w2 ...]  or  c_first c_last w.
    for (size_t i = 0; i < old.size(); ++i) {
      if (!old[i].IsNumber()) continue;
      const long first = static_cast<long>(old[i].GetNumber());
      if (i + 1 < old.size() && old[i + 1].IsArray()) {
        const size_t n = old[i + 1].GetArray().size();
        for (size_t k = 0; k < n; ++k) {
          PdfArray one;
          one.push_back(PdfVariant(width(first + static_cast<long>(k))));
          fixed.push_back(PdfVariant(static_cast<PoDoFo::pdf_int64>(first + static_cast<long>(k))));
          fixed.push_back(one);
        }
        ++i;
      } else if (i + 2 < old.size()) {
        const long last = static_cast<long>(old[i + 1].GetNumber());
        for (long g = first; g <= last; ++g) {
          PdfArray one;
          one.push_back(PdfVariant(width(g)));
          fixed.push_back(PdfVariant(static_cast<PoDoFo::pdf_int64>(g)));
          fixed.push_back(one);
        }
        i += 2;
      }
    }
    // Only a font whose widths are off: rewriting an earlier revision's
    // font (one the document's signatures share) would copy it into this one.
    if (WidthsDiffer(old, fixed)) d.AddKey("W", fixed);
  }
  FT_Done_Face(face);
  FT_Done_FreeType(library);
}

std::string Hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

}  // namespace

StatusOr<std::string> AddPdfSignature(const std::string& pdf, const PdfSignatureRequest& request,
                                      const CmsSigner& signer) {
  std::string out;
  try {
    PoDoFo::PdfMemDocument document;
    SOHOA_RETURN_IF_ERROR(LoadPdfForUpdate(document, pdf, "cannot parse the PDF to sign"));
    if (document.GetPageCount() < 1) return Status::InvalidInput("the PDF to sign has no pages");
    PoDoFo::PdfPage* page = document.GetPage(0);
    const PoDoFo::PdfRect media = page->GetMediaBox();
    const PdfBox page_box{media.GetLeft(), media.GetBottom(), media.GetWidth(), media.GetHeight()};

    // Created first, without PoDoFo's default /DA + Helvetica in /DR.
    PoDoFo::PdfAcroForm* form = document.GetAcroForm(true, PoDoFo::ePdfAcroFormDefaultAppearance_None);
    PdfDictionary& form_dict = form->GetObject()->GetDictionary();
    form_dict.AddKey("SigFlags", PdfVariant(static_cast<PoDoFo::pdf_int64>(3)));
    if (form_dict.HasKey("NeedAppearances")) form_dict.RemoveKey("NeedAppearances");

    if (request.stamp != nullptr) AddStamp(document, page, page_box, *request.stamp);

    StatusOr<PlacedAppearance> appearance = DrawSignatureAppearance(document, page_box, request.appearance);
    if (!appearance.ok()) return appearance.status();
    const PdfBox& r = appearance->rect;

    PoDoFo::PdfSignatureField field(page, PoDoFo::PdfRect(r.x, r.y, r.width, r.height), &document);
    field.SetFieldName(TextString(request.field_name));
    field.SetAppearanceStream(appearance->xobject.get());
    field.GetWidgetAnnotation()->SetFlags(PoDoFo::ePdfAnnotationFlags_Print);
    PdfDictionary& sig = field.GetSignatureObject()->GetDictionary();
    sig.AddKey("SubFilter", PdfName("ETSI.CAdES.detached"));
    if (!request.signer_name.empty()) sig.AddKey("Name", TextString(request.signer_name));
    if (!request.reason.empty()) sig.AddKey("Reason", TextString(request.reason));
    if (!request.location.empty()) sig.AddKey("Location", TextString(request.location));
    sig.AddKey("M", PdfString(PdfDate(request.signing_time, request.utc_offset_minutes)));
    const std::string beacon(request.contents_bytes * 2, '0');
    field.SetSignature(PoDoFo::PdfData(beacon.c_str()));

    document.EmbedSubsetFonts();
    FixCidWidths(document, request.appearance.font_path);
    out = WritePdfUpdate(document);
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("PoDoFo failed to add the signature field: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }

  return FillSignaturePlaceholders(pdf, std::move(out), request.contents_bytes, signer);
}

StatusOr<std::string> FillSignaturePlaceholders(const std::string& pdf, std::string out,
                                                size_t contents_bytes, const CmsSigner& signer) {
  // Locate the placeholders in the new revision only.
  if (out.size() < pdf.size() || out.compare(0, pdf.size(), pdf) != 0) {
    return Status::Internal("PoDoFo rewrote the earlier revision instead of appending");
  }
  const std::string contents_beacon = "<" + std::string(contents_bytes * 2, '0') + ">";
  const size_t contents_at = out.find(contents_beacon, pdf.size());
  const size_t range_at = out.find(kByteRangeBeacon, pdf.size());
  if (contents_at == std::string::npos || range_at == std::string::npos) {
    return Status::Internal("signature placeholders not found in the written update");
  }
  const size_t gap_end = contents_at + contents_beacon.size();
  char range[64];
  const int n =
      std::snprintf(range, sizeof range, "[0 %zu %zu %zu]", contents_at, gap_end, out.size() - gap_end);
  std::string range_text(range, static_cast<size_t>(n));
  const size_t beacon_len = sizeof kByteRangeBeacon - 1;
  if (range_text.size() > beacon_len) return Status::Internal("file too large for /ByteRange");
  range_text.append(beacon_len - range_text.size(), ' ');
  out.replace(range_at, beacon_len, range_text);

  std::string covered;
  covered.reserve(out.size() - contents_beacon.size());
  covered.append(out, 0, contents_at).append(out, gap_end, std::string::npos);
  StatusOr<std::string> cms = signer(covered);
  if (!cms.ok()) return cms.status();
  if (cms->size() > contents_bytes) {
    return Status::Internal("the CMS signature (" + std::to_string(cms->size()) +
                            " bytes) does not fit the " + std::to_string(contents_bytes) + " bytes reserved");
  }
  const std::string hex = Hex(*cms);
  out.replace(contents_at + 1, hex.size(), hex);
  return out;
}

}  // namespace sohoa
