#include "stages/pdf/type0_font.h"

namespace sohoa {

PoDoFo::PdfDictionary IdentityCidSystemInfo() {
  PoDoFo::PdfDictionary info;
  info.AddKey("Registry", PoDoFo::PdfString("Adobe"));
  info.AddKey("Ordering", PoDoFo::PdfString("Identity"));
  info.AddKey("Supplement", PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(0)));
  return info;
}

PoDoFo::PdfObject* AddType0Font(PoDoFo::PdfVecObjects& objects, const std::string& base_font,
                                const PoDoFo::PdfObject& cid_font, const PoDoFo::PdfObject& to_unicode) {
  PoDoFo::PdfObject* type0 = objects.CreateObject("Font");
  PoDoFo::PdfDictionary& t = type0->GetDictionary();
  t.AddKey("Subtype", PoDoFo::PdfName("Type0"));
  t.AddKey("BaseFont", PoDoFo::PdfName(base_font));
  t.AddKey("Encoding", PoDoFo::PdfName("Identity-H"));
  PoDoFo::PdfArray descendants;
  descendants.push_back(cid_font.Reference());
  t.AddKey("DescendantFonts", descendants);
  t.AddKey("ToUnicode", to_unicode.Reference());
  return type0;
}

}  // namespace sohoa
