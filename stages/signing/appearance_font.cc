#include "stages/signing/appearance_font.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <unicode/utf8.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "pipeline/core/file_util.h"
#include "stages/pdf/type0_font.h"
#include "stages/signing/font_subset.h"

namespace sohoa {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfVariant;

PdfVariant Int(long long v) { return PdfVariant(static_cast<PoDoFo::pdf_int64>(v)); }

std::string Hex4(uint32_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "%04X", v & 0xffff);
  return text;
}

// Six capital letters from the glyph set, as PDF names a font subset: the
// same set gives the same name, which is how a later revision finds it.
std::string SubsetTag(const std::set<uint16_t>& glyphs) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (uint16_t g : glyphs) {
    for (int shift : {0, 8}) hash = (hash ^ ((g >> shift) & 0xff)) * 1099511628211ull;
  }
  std::string tag;
  for (int i = 0; i < 6; ++i, hash /= 26) tag.push_back(static_cast<char>('A' + hash % 26));
  return tag;
}

std::string ToUnicodeCMap(const std::map<char32_t, uint16_t>& glyph_of) {
  std::map<uint16_t, char32_t> text_of;  // the first character drawn by each glyph
  for (const auto& [c, g] : glyph_of) text_of.emplace(g, c);
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  auto it = text_of.begin();
  while (it != text_of.end()) {
    std::string block;
    int n = 0;
    for (; it != text_of.end() && n < 100; ++it, ++n) {  // at most 100 entries a block
      const char32_t c = it->second;
      const std::string utf16 = c < 0x10000 ? Hex4(c)
                                            : Hex4(0xD800 + ((c - 0x10000) >> 10)) + Hex4(0xDC00 + (c & 0x3ff));
      block += "<" + Hex4(it->first) + "> <" + utf16 + ">\n";
    }
    cmap += std::to_string(n) + " beginbfchar\n" + block + "endbfchar\n";
  }
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

struct FreeTypeFace {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  ~FreeTypeFace() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
};

PoDoFo::PdfReference FindFont(PoDoFo::PdfMemDocument& document, const std::string& base_font) {
  for (PdfObject* object : document.GetObjects()) {
    if (!object->IsDictionary()) continue;
    const PdfDictionary& d = object->GetDictionary();
    const PdfObject* subtype = d.GetKey("Subtype");
    const PdfObject* name = d.GetKey("BaseFont");
    if (subtype && subtype->IsName() && subtype->GetName() == PdfName("Type0") && name && name->IsName() &&
        name->GetName().GetName() == base_font) {
      return object->Reference();
    }
  }
  return PoDoFo::PdfReference();
}

}  // namespace

StatusOr<AppearanceFont> AppearanceFont::ForText(PoDoFo::PdfMemDocument& document, const std::string& font_path,
                                                 const std::string& text) {
  const std::string what = "signature appearance font " + font_path;
  constexpr size_t kMaxFontBytes = 32 * 1024 * 1024;
  std::string program;
  const Status read = ReadFileBounded(font_path, kMaxFontBytes, &program);
  if (!read.ok()) return Status::Configuration("signature appearance font " + read.message());
  FreeTypeFace ft;
  if (FT_Init_FreeType(&ft.library) != 0 ||
      FT_New_Memory_Face(ft.library, reinterpret_cast<const FT_Byte*>(program.data()),
                         static_cast<FT_Long>(program.size()), 0, &ft.face) != 0) {
    return Status::Configuration(what + ": FreeType cannot open it");
  }
  FT_Face face = ft.face;
  const double scale = 1000.0 / face->units_per_EM;

  AppearanceFont font;
  std::set<uint16_t> used;
  for (int32_t i = 0, length = static_cast<int32_t>(text.size()); i < length;) {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0x20) continue;  // controls and invalid bytes draw nothing
    const uint16_t glyph = static_cast<uint16_t>(FT_Get_Char_Index(face, static_cast<FT_ULong>(c)));
    font.glyph_of_[static_cast<char32_t>(c)] = glyph;
    if (used.insert(glyph).second) {
      const bool loaded = FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE) == 0;
      font.advance_of_[glyph] = loaded ? face->glyph->advance.x * scale : 0;
    }
  }
  const char* postscript = FT_Get_Postscript_Name(face);
  const std::string base_font = SubsetTag(used) + "+" + (postscript ? postscript : "Font");
  font.reference_ = FindFont(document, base_font);
  if (font.reference_.ObjectNumber() != 0) return font;

  StatusOr<TrueTypeSubset> subset = SubsetTrueType(program, used, what);
  if (!subset.ok()) return subset.status();
  PoDoFo::PdfVecObjects& objects = document.GetObjects();

  PdfObject* file = objects.CreateObject();
  file->GetStream()->Set(subset->program.data(), static_cast<PoDoFo::pdf_long>(subset->program.size()));
  file->GetDictionary().AddKey("Length1", Int(static_cast<long long>(subset->program.size())));

  const uint16_t last = *subset->glyphs.rbegin();
  std::string cid_set(last / 8 + 1, '\0');
  for (uint16_t g : subset->glyphs) cid_set[g / 8] = static_cast<char>(cid_set[g / 8] | (0x80 >> (g % 8)));
  PdfObject* cid_set_object = objects.CreateObject();
  cid_set_object->GetStream()->Set(cid_set.data(), static_cast<PoDoFo::pdf_long>(cid_set.size()));

  const TT_OS2* os2 = static_cast<const TT_OS2*>(FT_Get_Sfnt_Table(face, FT_SFNT_OS2));
  const double cap_height = os2 && os2->version >= 2 ? os2->sCapHeight : face->ascender;
  PdfObject* descriptor = objects.CreateObject("FontDescriptor");
  PdfDictionary& fd = descriptor->GetDictionary();
  fd.AddKey("FontName", PdfName(base_font));
  fd.AddKey("Flags", Int(4));  // symbolic: glyphs outside the standard Latin set
  PdfArray bbox;
  for (FT_Pos v : {face->bbox.xMin, face->bbox.yMin, face->bbox.xMax, face->bbox.yMax}) {
    bbox.push_back(Int(static_cast<long long>(v * scale)));
  }
  fd.AddKey("FontBBox", bbox);
  fd.AddKey("ItalicAngle", Int(0));
  fd.AddKey("Ascent", Int(static_cast<long long>(face->ascender * scale)));
  fd.AddKey("Descent", Int(static_cast<long long>(face->descender * scale)));
  fd.AddKey("CapHeight", Int(static_cast<long long>(cap_height * scale)));
  fd.AddKey("StemV", Int(80));
  fd.AddKey("FontFile2", file->Reference());
  fd.AddKey("CIDSet", cid_set_object->Reference());

  // c [w1 w2 ...] for each run of consecutive glyph ids; whole units, within
  // the half unit of the font program's advance that validators allow.
  PdfArray widths;
  for (auto it = font.advance_of_.begin(); it != font.advance_of_.end();) {
    const uint16_t first = it->first;
    PdfArray run;
    for (uint16_t next = first; it != font.advance_of_.end() && it->first == next; ++it, ++next) {
      run.push_back(Int(std::llround(it->second)));
    }
    widths.push_back(Int(first));
    widths.push_back(run);
  }
  PdfObject* cid_font = objects.CreateObject("Font");
  PdfDictionary& cf = cid_font->GetDictionary();
  cf.AddKey("Subtype", PdfName("CIDFontType2"));
  cf.AddKey("BaseFont", PdfName(base_font));
  cf.AddKey("CIDSystemInfo", IdentityCidSystemInfo());
  cf.AddKey("FontDescriptor", descriptor->Reference());
  cf.AddKey("W", widths);
  cf.AddKey("CIDToGIDMap", PdfName("Identity"));

  PdfObject* to_unicode = objects.CreateObject();
  const std::string cmap = ToUnicodeCMap(font.glyph_of_);
  to_unicode->GetStream()->Set(cmap.data(), static_cast<PoDoFo::pdf_long>(cmap.size()));

  font.reference_ = AddType0Font(objects, base_font, *cid_font, *to_unicode)->Reference();
  return font;
}

std::string AppearanceFont::Encode(const std::string& utf8, double* width) const {
  std::string hex = "<";
  *width = 0;
  for (int32_t i = 0, length = static_cast<int32_t>(utf8.size()); i < length;) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, length, c);
    if (c < 0x20) continue;
    auto it = glyph_of_.find(static_cast<char32_t>(c));
    const uint16_t glyph = it == glyph_of_.end() ? 0 : it->second;
    hex += Hex4(glyph);
    if (auto a = advance_of_.find(glyph); a != advance_of_.end()) *width += a->second;
  }
  return hex + ">";
}

}  // namespace sohoa
