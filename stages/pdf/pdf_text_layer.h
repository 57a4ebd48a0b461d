// The invisible text layer of a searchable PDF page, and the glyphless font
// it is drawn with. Plain bytes and strings only: the PDF writer turns them
// into objects, so PoDoFo stays in one file.
//
// The font is Tesseract's glyphless TrueType (<tessdata>/pdf.ttf): every
// glyph is blank, so the text can never show, whatever a viewer does with
// render mode 3. It is embedded as a Type0 font, Identity-H, whose CIDs are
// the UTF-16 code units of the text (Vietnamese is entirely in the BMP):
//   - CIDToGIDMap maps every CID to the font's one real glyph, and
//   - the ToUnicode CMap maps every CID to itself as UTF-16,
// so copy/paste and pdftotext give back exactly the (NFC) OCR text.
// Characters outside the BMP are written as U+FFFD (a surrogate half would
// need a two-code ToUnicode entry; none occur in our documents).
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct GlyphlessFont {
  std::string program;  // the TrueType bytes (FontFile2)
  int glyph_id = 1;     // the glyph every CID maps to
  int units_per_em = 0;
  // Advance of glyph_id in PDF glyph space (1/1000 em): the CIDFont /DW,
  // which validators check against the font's hmtx table.
  int default_width = 0;
  int bbox[4] = {0, 0, 0, 0};  // head.{xMin,yMin,xMax,yMax} in 1/1000 em
};

// Reads and checks the font file: a TrueType with head, hhea, hmtx, maxp and
// at least two glyphs. kConfiguration naming the path when it is missing or
// not such a font (it is configuration: the tessdata directory is wrong).
StatusOr<GlyphlessFont> LoadGlyphlessFont(const std::string& path);

// The ToUnicode CMap stream text (identity from 2-byte codes to UTF-16,
// surrogate range excluded).
std::string IdentityToUnicodeCMap();

// The CIDToGIDMap stream contents: 65536 big-endian uint16, all `glyph_id`.
std::string ConstantCidToGidMap(int glyph_id);

// Page placement: the page is image pixels / dpi * 72 points.
struct PageGeometry {
  double width_pt = 0, height_pt = 0;
  double pt_per_px_x = 0, pt_per_px_y = 0;
};

// Content-stream operators (BT ... ET) drawing `ocr` invisibly (Tr 3) with
// font resource `font_name` (e.g. "F1"). For each line, in the given order:
// font size from LineFontSizesPx (in points); each word starts at its box's left edge
// on the line's baseline (rotated by the baseline slope), horizontally
// scaled (Tz) so that its advance equals its box width; every word but the
// last is followed by a space so extractors see the word break. Words are
// NFC-normalised. Returns "" when there is no text.
// The font size (pixels) each OCR line is drawn at: one size for all lines
// of a Tesseract block, so that text extractors which group lines into
// blocks by font size and baseline spacing in units of it (poppler's
// pdftotext: sizes within 5%, baselines under 1.5 sizes apart) keep a
// block's lines together and its columns apart, giving reading order. A
// line's own box height would vary with its diacritics (Ủ is taller than
// A) and split a column line by line. The size is the block's median line
// height, raised to (widest line step / 1.4) when the lines are spaced
// wider, at most 1.5 median heights. Lines with empty boxes get 0.
std::vector<double> LineFontSizesPx(const OcrResult& ocr);

std::string TextLayerOperators(const OcrResult& ocr, const PageGeometry& geometry,
                               const std::string& font_name, int default_width);

// UTF-8 -> NFC (ICU). Invalid UTF-8 sequences become U+FFFD.
std::string NormalizeNfc(const std::string& utf8);

}  // namespace sohoa
