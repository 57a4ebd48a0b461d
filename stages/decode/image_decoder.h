// PNG and JPEG for the ingest stage: headers parsed here, pixels via OpenCV.
//
// ReadImageHeader() parses the few header bytes ingest needs (dimensions,
// bit depth, colour type, resolution) without any library, because OpenCV
// neither reports resolution nor lets a caller refuse a size before it
// allocates. DecodeImage() then lets OpenCV decode and converts to a Raster
// (BGR -> RGB, 16 -> 8 bits with rounding, alpha composited on white).
// This file pair is the only caller of OpenCV in ingest; cv::Exception never
// escapes it.
//
// Threading: free functions without shared state; safe to call concurrently.
// Memory: the caller's file bytes, OpenCV's decoded cv::Mat and the Raster
// coexist briefly (the Mat is freed before returning).
#pragma once

#include <string>

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct ImageHeader {
  std::string format;  // "png" or "jpeg"
  // As stored (a JPEG's EXIF orientation may swap them when decoded).
  int width = 0;
  int height = 0;
  // PNG pHYs with unit metre, JPEG JFIF APP0 with unit inch or cm, in dots
  // per inch; 0 when the file records none (or only an aspect ratio).
  double dpi_x = 0;
  double dpi_y = 0;
  // 1-bit gray PNG -> kBilevel; gray (+alpha) PNG or 1-component JPEG ->
  // kGray; everything else (palette PNGs included) -> kRgb.
  PixelKind kind = PixelKind::kRgb;
  int bits_per_sample = 8;
};

// `bytes` is the whole file; its format is recognised by its signature.
// InvalidInput when the header is damaged or truncated.
StatusOr<ImageHeader> ReadImageHeader(const std::string& bytes);

// Decodes `bytes` (whose header is `header`, checked by the caller against
// its limits) into `raster`, of kind header.kind, with the header's dpi.
// InvalidInput when OpenCV cannot decode the data (damaged, truncated).
Status DecodeImage(const std::string& bytes, const ImageHeader& header, Raster* raster);

}  // namespace sohoa
