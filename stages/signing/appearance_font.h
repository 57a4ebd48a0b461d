// The font of a document's signature appearances, embedded once (issue 19).
//
// A Type0 font (Identity-H, CIDFontType2, CIDToGIDMap /Identity: the CIDs
// are the TrueType font's own glyph ids) whose program is a subset with the
// glyphs of every appearance the document will get (font_subset.h), with
// exact /W widths from the font's unscaled advances, a ToUnicode CMap (so
// pdftotext reads the appearance) and a CIDSet (PDF/A-1).
//
// Shared between revisions: the subset's name is a tag derived from its
// glyph set ("ABCDEF+DejaVuSans"), so the second signature's revision finds
// the font the first one embedded (same text, same glyphs, same name) and
// refers to it instead of embedding it again. Two signatures with
// PoDoFo's per-signature subsets carried 33 KB of font; one shared subset
// is a few kB.
#pragma once

#include <podofo/podofo.h>

#include <cstdint>
#include <map>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

class AppearanceFont {
 public:
  // The font for `text` (UTF-8: every character the document's appearances
  // will draw) from the TrueType file `font_path`: found in `document` when
  // an earlier revision embedded it, else embedded now. kConfiguration when
  // the font file cannot be read or is not TrueType.
  static StatusOr<AppearanceFont> ForText(PoDoFo::PdfMemDocument& document, const std::string& font_path,
                                          const std::string& text);

  const PoDoFo::PdfReference& reference() const { return reference_; }

  // `utf8` as a PDF hex string of 2-byte CIDs for Tj; its advance in
  // thousandths of the font size. Characters the font lacks draw .notdef.
  std::string Encode(const std::string& utf8, double* width) const;

 private:
  PoDoFo::PdfReference reference_;
  std::map<char32_t, uint16_t> glyph_of_;
  std::map<uint16_t, double> advance_of_;  // 1/1000 em
};

}  // namespace sohoa
