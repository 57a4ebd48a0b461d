// Pixels as the PNG and JPEG readers hand them over, before image_decoder
// turns them into a Raster (alpha composited, EXIF orientation applied).
#pragma once

#include <cstdint>
#include <vector>

namespace sohoa {

struct SampleImage {
  int width = 0;
  int height = 0;
  int channels = 0;  // 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA; 8 bits each
  // EXIF orientation 1..8 (1: stored as seen; 2..8 as in the TIFF/EXIF tag).
  int orientation = 1;
  std::vector<uint8_t> samples;  // rows packed, width * channels bytes each
};

}  // namespace sohoa
