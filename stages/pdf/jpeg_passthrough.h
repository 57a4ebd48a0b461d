// Pass-through of a scanner's JPEG (issue 19, part 2): with --image-mode
// jpeg, a page that came from a JPEG file and was not changed on its way
// (no rotation, no deskew, no EXIF turn, no conversion) is stored as the
// file's own JPEG bytes instead of a second, lossier JPEG of its pixels.
//
// "Not changed" is checked, not assumed: the file's JPEG is decoded again
// with libjpeg the way the ingest decoder (OpenCV, on the same libjpeg)
// decoded it, and every scanline must equal the page's raster as it reaches
// the encode stage. Any stage that touched a pixel makes them differ.
//
// Only JPEGs a PDF/A reader draws as DCTDecode the same way qualify:
// 8-bit, gray or YCbCr/RGB (1 or 3 components), Huffman-coded (PDF has no
// arithmetic-coded DCT), baseline or progressive. The colour space written
// is DeviceGray/DeviceRGB under the document's sRGB OutputIntent, the same
// reading the re-encoding path gives the pixels (an ICC profile inside the
// JPEG is ignored by both).
//
// Thread safety: pure function of its arguments.
#pragma once

#include <string>

#include "pipeline/core/raster.h"

namespace sohoa {

// True when `jpeg` (a whole JPEG file) decodes to exactly `raster`'s pixels
// and can be embedded as it is. False for damaged or unsuitable data.
bool JpegDecodesTo(const std::string& jpeg, const Raster& raster);

}  // namespace sohoa
