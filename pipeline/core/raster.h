// Raster: the decoded pixels of one page, independent of any image library.
//
// Ingest produces it (libtiff, OpenCV, poppler), orientation/deskew replace it,
// OCR reads it, and the page encoder turns it into compressed bytes and frees
// it. Keeping our own type here means pipeline/ depends on no image library
// and every stage converts at its own boundary (cv::Mat, PIX, Tesseract's
// SetImage all take a pointer + stride without copying or with one copy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sohoa {

enum class PixelKind {
  kBilevel,  // one byte per pixel, 0 = black, 255 = white (nothing else)
  kGray,     // one byte per pixel, 8-bit gray, 0 = black
  kRgb,      // three bytes per pixel, R G B, 8 bits each
};

const char* PixelKindName(PixelKind kind);

struct Raster {
  int width = 0;
  int height = 0;
  PixelKind kind = PixelKind::kGray;
  // Resolution as read from the file; 0 when the file records none (ingest
  // then substitutes a configured default and notes it).
  double dpi_x = 0;
  double dpi_y = 0;
  // Row-major, tightly packed: stride() bytes per row, no padding.
  std::vector<uint8_t> pixels;

  int channels() const { return kind == PixelKind::kRgb ? 3 : 1; }
  size_t stride() const { return static_cast<size_t>(width) * channels(); }
  size_t byte_size() const { return stride() * static_cast<size_t>(height); }
  bool empty() const { return pixels.empty(); }
  uint8_t* row(int y) { return pixels.data() + stride() * y; }
  const uint8_t* row(int y) const { return pixels.data() + stride() * y; }

  // Allocates width*height*channels bytes (value-initialised to white).
  void Allocate(int w, int h, PixelKind k);
  // Frees the pixel memory (not just clear(): pages in flight must let go).
  void Release();
};

// The gray value (0 = black) of pixel (x, y) of `raster`: RGB as its
// luminance (ITU-R BT.601 weights), gray and bilevel as stored.
inline uint8_t GrayAt(const Raster& raster, int x, int y) {
  const uint8_t* p = raster.row(y) + static_cast<size_t>(x) * raster.channels();
  if (raster.kind != PixelKind::kRgb) return p[0];
  return static_cast<uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
}

}  // namespace sohoa
