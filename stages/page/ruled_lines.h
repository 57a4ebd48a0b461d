// Ruled lines taken out before recognition (issue 14). A form's table draws
// its rows and columns in rules, and a typed value often sits on the rule
// above it or starts against the one on its left: Tesseract reads the rule
// and the glyphs it touches as one shape ("J94/09/2917" for 04/09/2017 with
// the row's top rule across the digits' tops; "ột quy" for "Đột quỵ" with
// the Đ against the cell's left rule), or a rule's piece as a letter.
//
// A rule is a run of ink at least kAcrossMm long straight across the page
// or kDownMm straight down: a letter's longest stroke is a few millimetres.
// The copy handed to the recognizer has the rules' ink, and a pixel of
// anti-aliased rim all round it, painted white; a glyph that overlaps a
// rule loses the overlap. The page's own pixels (what the PDF shows, and
// what the table stage finds its rows in) are not touched.
//
// Thread-safety: pure functions.
#pragma once

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"
#include "stages/page/leptonica_raster.h"

namespace sohoa {

inline constexpr double kAcrossMm = 15;
inline constexpr double kDownMm = 8;
// Below this resolution (recorded or estimated) a letter's strokes are a
// pixel or two apart and joining a rule's dashes joins a bold heading's
// letters too (a screenshot's "THÔNG BÁO" went): pages are read as they are.
inline constexpr double kMinRuledLinesDpi = 150;

// The pixels of `page`'s ruled lines and their rim, as a 1-bpp mask of the
// page's size; null when it has none or is below kMinRuledLinesDpi (then
// nothing need be copied or painted). kInvalidInput for an inconsistent
// raster.
StatusOr<PixPtr> RuledLinesOf(const Raster& page);

// Paints the pixels set in `mask` (RuledLinesOf) white in `page`.
void PaintOut(Raster& page, Pix* mask);

}  // namespace sohoa
