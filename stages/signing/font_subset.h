// A TrueType font program cut down to the glyphs a few lines of text need,
// for embedding in a PDF (/FontFile2) — issue 19.
//
// PoDoFo 0.9.8's subsetter keeps GPOS, kern, post, name and the other
// tables a PDF never reads: 57 KB of DejaVu Sans for a signature's few dozen
// glyphs, once per signature. This one keeps only the tables a PDF
// renderer needs (head, hhea, maxp, hmtx, loca, glyf) and, of glyf, only the
// glyphs asked for plus .notdef and the parts of composite glyphs
// (Vietnamese letters such as ệ are a base and accents), without their
// hinting instructions (most of DejaVu's bytes; the hinting programs cvt,
// fpgm and prep go with them). Glyph ids are kept: every other glyph is empty
// and has no advance, so a PDF can use the font's own glyph ids as CIDs
// (CIDToGIDMap /Identity) and the long runs of repeated offsets compress
// to almost nothing.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

struct TrueTypeSubset {
  std::string program;       // the subset font, a complete TrueType file
  std::set<uint16_t> glyphs;  // every glyph it keeps (asked for, .notdef, composite parts)
};

// kConfiguration naming `what` when `font` is not a TrueType font (glyf
// outlines) or is malformed; never reads outside `font`.
StatusOr<TrueTypeSubset> SubsetTrueType(const std::string& font, const std::set<uint16_t>& glyphs,
                                        const std::string& what);

}  // namespace sohoa
