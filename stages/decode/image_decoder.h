// PNG and JPEG for the ingest stage: headers parsed here, pixels through
// libpng (png_reader.h) and libjpeg (jpeg_check.h).
//
// ReadImageHeader() parses the few header bytes ingest needs (dimensions,
// bit depth, colour type, resolution) without any library, so a caller can
// refuse a size before anything is allocated. DecodeImage() then decodes and
// converts to a Raster (16 -> 8 bits with rounding, alpha composited on white,
// a JPEG's EXIF orientation applied). A JPEG is decoded once: the damage check
// and the pixels come from the same pass. (OpenCV's imdecode did this before;
// its codec library pulled ~140 shared libraries into every run, GDAL and
// GDCM among them, and the damage check decoded each JPEG a second time.)
//
// Threading: free functions without shared state; safe to call concurrently.
// Memory: the caller's file bytes and the decoded samples; the samples become
// the Raster's pixels without a copy when no conversion is needed.
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
// InvalidInput when the data cannot be decoded or a JPEG's data is damaged
// (the message names the decoder's reason).
Status DecodeImage(const std::string& bytes, const ImageHeader& header, Raster* raster);

}  // namespace sohoa
