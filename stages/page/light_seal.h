// The copy of a gray page Tesseract reads, with a seal's light ink dropped
// (issue 14). A red seal scanned in colour is dropped by its colour
// (stages/page/red_ink.h); scanned in gray it is a disc of mid-gray ink,
// lighter than print and darker than paper, and where it is stamped over
// the text Tesseract reads its ring and lettering into the values and loses
// the letters it touches ("ại nhà" for "Tại nhà", "4ệnh già" for "Bệnh
// già"; on the tuning layouts' ruled table, gray pages had 1.4 wrong fields
// each and colour pages, their seal dropped, 0.4).
//
// Light ink is a pixel lighter than the print's dark level D (a third of
// the way from the print's typical gray to the paper's) and darker than the
// ink threshold, not within a pixel or two of dark print (a letter's
// anti-aliased rim is light too, and stays). A seal is where light ink
// makes a ring: a connected shape, once long straight rules are set aside
// (a table's rules cross a seal stamped over the table), between
// kMinSealMm and kMaxSealMm across, about as tall as wide, with few of its
// pixels in the middle half of its box (a ring; a table, a photo frame with
// content, a block of faded text has them there). A ring that print
// crosses so often that no arc of it is that long is found by the vote of
// all its pieces for one centre (a circular Hough transform), checked on
// the light ink around the circle voted for. Only inside such a ring's
// box is light ink painted in the paper's gray: faded print, a pale
// signature or pencil elsewhere on the page is read as it is. Print under
// the seal is darker than either (the stamp's ink is translucent) and stays.
//
// Pages that are not gray (bilevel scans: a seal thresholded to black is
// print to every measure here) are read as they are. Only the recognizer's
// copy changes: the page, its PDF image and the seal there are untouched.
//
// Thread-safety: a pure function.
#pragma once

#include <optional>

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

// Commune seals are 30-42 mm across (a ring box a little less where the
// stamp inked unevenly); a signature's box is wider than tall.
inline constexpr double kMinSealMm = 15;
inline constexpr double kMaxSealMm = 55;

// `page` (kGray) with the light ink of its seals painted over, or nullopt
// when it is not gray or holds no seal. `seals` (optional) counts the seals
// found. kInvalidInput for an inconsistent raster.
StatusOr<std::optional<Raster>> WithoutLightSeal(const Raster& page, int* seals = nullptr);

}  // namespace sohoa
