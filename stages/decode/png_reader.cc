#include "stages/decode/png_reader.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <memory>
#include <vector>

namespace sohoa {
namespace {

// Everything that lives across setjmp/longjmp is on the heap, made before
// setjmp, so no local with a destructor is skipped by the jump.
struct PngRead {
  const std::string* bytes = nullptr;
  size_t at = 0;
  std::string problem;
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::vector<uint8_t> wide;  // 16-bit rows before rounding
  std::vector<png_bytep> rows;
  ~PngRead() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

void OnError(png_structp png, png_const_charp message) {
  auto* read = static_cast<PngRead*>(png_get_error_ptr(png));
  if (read->problem.empty()) read->problem = message;
  png_longjmp(png, 1);
}

// Warnings (a bad CRC in an ancillary chunk, an odd colour profile) leave the
// pixels intact; libpng would print them on stderr.
void OnWarning(png_structp, png_const_charp) {}

void ReadFromMemory(png_structp png, png_bytep into, size_t length) {
  auto* read = static_cast<PngRead*>(png_get_io_ptr(png));
  if (length > read->bytes->size() - read->at) png_error(png, "the file ends early (truncated)");
  std::memcpy(into, read->bytes->data() + read->at, length);
  read->at += length;
}

// Nearest 8-bit value of a big-endian 16-bit sample: round(v / 257), which
// never falls on a tie.
uint8_t Round16To8(const uint8_t* be) {
  const unsigned v = (unsigned{be[0]} << 8) | be[1];
  return static_cast<uint8_t>((v * 255 + 32767) / 65535);
}

}  // namespace

std::string ReadPng(const std::string& png_bytes, SampleImage* out) {
  auto read = std::make_unique<PngRead>();
  read->bytes = &png_bytes;
  read->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, read.get(), &OnError, &OnWarning);
  if (read->png == nullptr) return "libpng could not start";
  read->info = png_create_info_struct(read->png);
  if (read->info == nullptr) return "libpng could not start";
  if (setjmp(png_jmpbuf(read->png)) != 0) {
    return read->problem.empty() ? "the PNG data cannot be decoded" : read->problem;
  }
  png_set_read_fn(read->png, read.get(), &ReadFromMemory);
  png_read_info(read->png, read->info);
  const int color_type = png_get_color_type(read->png, read->info);
  const int depth = png_get_bit_depth(read->png, read->info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(read->png);  // tRNS -> alpha too
  if (color_type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(read->png);
  if (color_type == PNG_COLOR_TYPE_RGB && png_get_valid(read->png, read->info, PNG_INFO_tRNS)) {
    png_set_tRNS_to_alpha(read->png);
  }
  png_set_interlace_handling(read->png);
  png_read_update_info(read->png, read->info);

  out->width = static_cast<int>(png_get_image_width(read->png, read->info));
  out->height = static_cast<int>(png_get_image_height(read->png, read->info));
  out->channels = png_get_channels(read->png, read->info);
  out->orientation = 1;
  const bool sixteen = png_get_bit_depth(read->png, read->info) == 16;
  const size_t row_bytes = png_get_rowbytes(read->png, read->info);
  const size_t out_stride = static_cast<size_t>(out->width) * out->channels;
  if (row_bytes != out_stride * (sixteen ? 2 : 1)) png_error(read->png, "unexpected row layout after expansion");
  out->samples.resize(out_stride * out->height);
  // 16-bit images are decoded whole (interlaced ones need every row), then
  // rounded into the 8-bit samples.
  if (sixteen) read->wide.resize(row_bytes * out->height);
  uint8_t* base = sixteen ? read->wide.data() : out->samples.data();
  read->rows.resize(out->height);
  for (int y = 0; y < out->height; ++y) read->rows[y] = base + row_bytes * y;
  png_read_image(read->png, read->rows.data());
  png_read_end(read->png, nullptr);
  if (sixteen) {
    for (size_t i = 0; i < out->samples.size(); ++i) out->samples[i] = Round16To8(&read->wide[2 * i]);
  }
  return "";
}

}  // namespace sohoa
