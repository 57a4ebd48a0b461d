#include "stages/decode/image_decoder.h"

#include "stages/decode/jpeg_check.h"
#include "stages/decode/orientation.h"
#include "stages/decode/png_reader.h"
#include "stages/decode/sample_image.h"

#include <cmath>
#include <cstdint>
#include <utility>

namespace sohoa {
namespace {

constexpr char kPngSignature[] = "\x89PNG\r\n\x1a\n";

uint32_t Be32(const std::string& b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 24) | (uint32_t{static_cast<uint8_t>(b[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(b[at + 2])} << 8) | uint32_t{static_cast<uint8_t>(b[at + 3])};
}
uint32_t Be16(const std::string& b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 8) | uint32_t{static_cast<uint8_t>(b[at + 1])};
}
double Round2(double v) { return std::round(v * 100) / 100; }

StatusOr<ImageHeader> ReadPngHeader(const std::string& b) {
  ImageHeader h;
  h.format = "png";
  // Signature, then IHDR: length, "IHDR", width, height, depth, colour type.
  if (b.size() < 8 + 8 + 13 || b.compare(12, 4, "IHDR") != 0) {
    return Status::InvalidInput("PNG header is damaged or truncated (no IHDR chunk)");
  }
  const uint32_t width = Be32(b, 16), height = Be32(b, 20);
  const int depth = static_cast<uint8_t>(b[24]), color_type = static_cast<uint8_t>(b[25]);
  if (width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) {
    return Status::InvalidInput("PNG header records an impossible size " + std::to_string(width) + "x" +
                                std::to_string(height));
  }
  h.width = static_cast<int>(width);
  h.height = static_cast<int>(height);
  h.bits_per_sample = depth;
  if (color_type == 0 || color_type == 4) {
    h.kind = (color_type == 0 && depth == 1) ? PixelKind::kBilevel : PixelKind::kGray;
  } else if (color_type == 2 || color_type == 3 || color_type == 6) {
    h.kind = PixelKind::kRgb;
  } else {
    return Status::InvalidInput("PNG header records an unknown colour type " + std::to_string(color_type));
  }
  // pHYs must precede the image data; stop at the first IDAT.
  for (size_t at = 8; at + 12 <= b.size();) {
    const uint32_t length = Be32(b, at);
    if (length > b.size() - at - 12) break;
    const std::string type = b.substr(at + 4, 4);
    if (type == "IDAT" || type == "IEND") break;
    if (type == "pHYs" && length == 9 && b[at + 16] == 1) {  // unit 1: per metre
      h.dpi_x = Round2(Be32(b, at + 8) * 0.0254);
      h.dpi_y = Round2(Be32(b, at + 12) * 0.0254);
    }
    at += 12 + length;
  }
  return h;
}

StatusOr<ImageHeader> ReadJpegHeader(const std::string& b) {
  ImageHeader h;
  h.format = "jpeg";
  size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<uint8_t>(b[at]) != 0xFF) {
      return Status::InvalidInput("JPEG header is damaged (no marker at byte " + std::to_string(at) + ")");
    }
    const uint8_t marker = static_cast<uint8_t>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    const size_t length = Be16(b, at + 2);
    if (length < 2 || at + 2 + length > b.size()) break;
    const size_t data = at + 4;
    if (marker == 0xE0 && length >= 16 && b.compare(data, 5, std::string("JFIF\0", 5)) == 0) {
      const int units = static_cast<uint8_t>(b[data + 7]);
      const double x = Be16(b, data + 8), y = Be16(b, data + 10);
      if ((units == 1 || units == 2) && x > 0 && y > 0) {
        const double factor = units == 2 ? 2.54 : 1.0;
        h.dpi_x = Round2(x * factor);
        h.dpi_y = Round2(y * factor);
      }
    }
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof && length >= 8) {
      h.bits_per_sample = static_cast<uint8_t>(b[data]);
      h.height = static_cast<int>(Be16(b, data + 1));
      h.width = static_cast<int>(Be16(b, data + 3));
      const int components = static_cast<uint8_t>(b[data + 5]);
      if (h.width == 0 || h.height == 0) {
        return Status::InvalidInput("JPEG header records no image size");
      }
      h.kind = components == 1 ? PixelKind::kGray : PixelKind::kRgb;
      return h;
    }
    if (marker == 0xDA || marker == 0xD9) break;  // scan data or end before a frame
    at += 2 + length;
  }
  return Status::InvalidInput("JPEG header is damaged or truncated (no frame header found)");
}

}  // namespace

StatusOr<ImageHeader> ReadImageHeader(const std::string& bytes) {
  if (bytes.compare(0, 8, kPngSignature) == 0) return ReadPngHeader(bytes);
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) return ReadJpegHeader(bytes);
  return Status::InvalidInput("neither a PNG nor a JPEG file");
}

Status DecodeImage(const std::string& bytes, const ImageHeader& header, Raster* raster) {
  SampleImage image;
  if (header.format == "png") {
    const std::string problem = ReadPng(bytes, &image);
    if (!problem.empty()) {
      return Status::InvalidInput("cannot decode the PNG data (damaged or truncated file): " + problem);
    }
  } else {
    const std::string problem = DecodeJpeg(bytes, &image);
    if (!problem.empty()) return Status::InvalidInput("damaged JPEG data: " + problem);
  }
  const bool swapped = image.orientation >= 5;  // EXIF: turned a quarter
  raster->dpi_x = swapped ? header.dpi_y : header.dpi_x;
  raster->dpi_y = swapped ? header.dpi_x : header.dpi_y;
  const int channels = image.channels;  // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  const bool has_alpha = channels == 2 || channels == 4;
  // Most scans: the decoder's rows are already the raster's.
  if (image.orientation == 1 && !has_alpha && header.kind != PixelKind::kBilevel &&
      channels == (header.kind == PixelKind::kRgb ? 3 : 1)) {
    raster->width = image.width;
    raster->height = image.height;
    raster->kind = header.kind;
    raster->pixels = std::move(image.samples);
    return Status::Ok();
  }
  const int out_w = swapped ? image.height : image.width;
  const int out_h = swapped ? image.width : image.height;
  raster->Allocate(out_w, out_h, header.kind);
  for (int y = 0; y < out_h; ++y) {
    uint8_t* dst = raster->row(y);
    for (int x = 0; x < out_w; ++x) {
      int sx = 0, sy = 0;
      StoredPosition(image.orientation, image.width, image.height, x, y, &sx, &sy);
      const uint8_t* src = image.samples.data() + (static_cast<size_t>(sy) * image.width + sx) * channels;
      unsigned rgb[3];
      if (channels <= 2) {
        rgb[0] = rgb[1] = rgb[2] = src[0];
      } else {
        rgb[0] = src[0];
        rgb[1] = src[1];
        rgb[2] = src[2];
      }
      if (has_alpha) {
        const unsigned a = src[channels - 1];
        for (unsigned& c : rgb) c = (c * a + 255 * (255 - a) + 127) / 255;
      }
      switch (header.kind) {
        case PixelKind::kRgb:
          dst[3 * x] = static_cast<uint8_t>(rgb[0]);
          dst[3 * x + 1] = static_cast<uint8_t>(rgb[1]);
          dst[3 * x + 2] = static_cast<uint8_t>(rgb[2]);
          break;
        case PixelKind::kGray:  // gray sources: all three are equal
          dst[x] = static_cast<uint8_t>(rgb[1]);
          break;
        case PixelKind::kBilevel:  // 1-bit data comes back as 0/255
          dst[x] = rgb[1] != 0 ? 255 : 0;
          break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace sohoa
