// PNG pixels through libpng, the one caller of libpng in ingest.
//
// Palette and 1/2/4-bit gray are expanded to 8 bits, 16-bit samples are
// rounded to 8, a palette's or an RGB image's transparency (tRNS) becomes an
// alpha channel; a gray image's tRNS is ignored (as OpenCV did before, so
// such pages decode as they always have).
//
// Threading: no shared state; safe to call concurrently.
#pragma once

#include <string>

#include "stages/decode/sample_image.h"

namespace sohoa {

// "" and `out` filled, or libpng's reason the data cannot be decoded
// (damaged chunk, bad CRC in a critical chunk, file ends early, ...).
std::string ReadPng(const std::string& png_bytes, SampleImage* out);

}  // namespace sohoa
