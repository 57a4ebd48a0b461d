// The copy of a colour page Tesseract reads, with red ink dropped (issue
// 14). Certificates carry the commune's red seal, stamped over the
// signature and often over the last rows of the table; read in luminance
// the seal's ring and star are as dark as print, and Tesseract merges the
// rows it crosses, reads its lettering into the values and loses the words
// under it (measured on the tuning layouts: 43% of sealed documents had a
// wrong field against 25% of the others).
//
// Scanners drop a colour the same way ("colour dropout"): the page is read
// through a red filter where the ink is red. A pixel whose red channel
// exceeds both green and blue by more than kRedInkMargin takes its red
// channel as its gray (seal ink and its pink rim read as near paper, text
// under the seal as the red filter shows it); every other pixel keeps its
// luminance (RecognitionLuminance, the gray the page is otherwise read
// from), so black print, blue or black signatures and handwriting, and
// print overlapping the seal (dark in all three channels) stay dark.
//
// Only a page that holds red ink in a body — a seal's ring and star, at
// least kMinSolidRedInkMm2 of pixels that are red with their four
// neighbours — gets the copy. Black text drawn with subpixel smoothing (a
// web screenshot) has red fringes a pixel wide and no red body: lifting
// them thinned the letters of a real web form until "Kính" read "Kinh".
// Only the recognizer's copy changes: the page, its PDF image and the
// seal's colour there are untouched.
#pragma once

#include <cstddef>
#include <optional>

#include "pipeline/core/raster.h"

namespace sohoa {

// Red above green and blue by more than this (0-255) is red ink. Paper
// (even yellowed: red a few tens above blue) and gray print stay below it;
// a seal's ink, thin or thick, is 80-150 above.
inline constexpr int kRedInkMargin = 50;
// The red body a page must hold to be read without its red ink, in square
// millimetres at the page's resolution (300 dpi when it records none): a
// 32 mm seal's ring alone is about 70.
inline constexpr double kMinSolidRedInkMm2 = 5;

// A kGray copy of an RGB page with red ink dropped as described above;
// nullopt for a page that is not RGB or holds no red body.
std::optional<Raster> WithoutRedInk(const Raster& page);

// Pixels of `page` (RGB) that are red ink with their four neighbours red
// ink too (0 for other pages).
size_t CountSolidRedInk(const Raster& page);

}  // namespace sohoa
