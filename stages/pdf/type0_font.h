// The top of a Type0 font (Identity-H over one CIDFontType2), shared by the
// text layer's glyphless font (pdf_writer_stage) and the signature
// appearances' font (stages/signing/appearance_font.h).
#pragma once

#include <podofo/podofo.h>

#include <string>

namespace sohoa {

// /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>
PoDoFo::PdfDictionary IdentityCidSystemInfo();

// The Type0 font object: /BaseFont `base_font`, /Encoding /Identity-H, the
// one descendant `cid_font` and the ToUnicode CMap stream `to_unicode`.
PoDoFo::PdfObject* AddType0Font(PoDoFo::PdfVecObjects& objects, const std::string& base_font,
                                const PoDoFo::PdfObject& cid_font, const PoDoFo::PdfObject& to_unicode);

}  // namespace sohoa
