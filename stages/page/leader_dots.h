// Dotted leaders taken out before recognition (issue 14). Forms print a row
// of dots where a value goes ("Quốc tịch: Việt Nam ..............."), and
// Tesseract's line recognizer reads a long row of dots next to a value as
// letters and digits, garbling the value with it (measured on the layout
// family: whole rows read as "SIẢI G HỆ r) 1; SS 0n: ...", and a date in
// words lost its last word, so "2018" came out as "2000").
//
// A leader is a run of at least kMinLeaderDots dots on one baseline: ink
// marks no bigger than a full stop at the page's resolution, roughly round,
// each at most a few dot widths from the next. Isolated dots (full stops,
// the dots of i and of Vietnamese diacritics, specks) are never in such a
// run and stay. The copy handed to the recognizer has the leaders painted
// white; the page's own pixels (what the PDF shows) are not touched.
#pragma once

#include <optional>

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

inline constexpr int kMinLeaderDots = 6;
// Below this resolution (recorded or estimated) a full stop is one or two
// pixels, no different from a speck or a diacritic: pages are read as they
// are (a low-resolution web image read "Kính" as "Kinh" once its dots were
// taken out).
inline constexpr double kMinLeaderDpi = 150;

// `page` with its dotted leaders painted white, or nullopt when it has none
// or is below kMinLeaderDpi (the caller then reads `page` itself). `dots_removed` (optional) counts the
// dots painted. kInvalidInput for an inconsistent raster.
StatusOr<std::optional<Raster>> WithoutLeaderDots(const Raster& page, int* dots_removed = nullptr);

}  // namespace sohoa
