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
// channel as its gray (seal ink and its pink rim read as near paper); every
// other pixel keeps its luminance, so black print, blue or black
// signatures and handwriting, and print overlapping the seal (dark in all
// three channels) stay dark. Only the recognizer's copy changes: the page,
// its PDF image and the seal's colour there are untouched.
#pragma once

#include "pipeline/core/raster.h"

namespace sohoa {

// Red above green and blue by more than this (0-255) is red ink. Paper
// (even yellowed: red a few tens above blue) and gray print stay below it;
// a seal's ink, thin or thick, is 80-150 above.
inline constexpr int kRedInkMargin = 50;

// A kGray copy of an RGB page with red ink dropped as described above.
// Gray and bilevel pages have no colour to go by: returned as they are
// (a copy).
Raster WithoutRedInk(const Raster& page);

// How many pixels of `page` (RGB) are red ink by the rule above.
size_t CountRedInk(const Raster& page);

}  // namespace sohoa
