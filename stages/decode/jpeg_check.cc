#include "stages/decode/jpeg_check.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t first
#include <cstring>
#include <memory>

#include <jerror.h>
#include <jpeglib.h>

namespace sohoa {
namespace {

struct CheckingErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg casts back and forth
  std::jmp_buf on_fatal;
  std::string first_problem;
};

void Remember(j_common_ptr cinfo) {
  auto* mgr = reinterpret_cast<CheckingErrorManager*>(cinfo->err);
  if (!mgr->first_problem.empty()) return;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  mgr->first_problem = text;
}

void OnFatal(j_common_ptr cinfo) {
  Remember(cinfo);
  std::longjmp(reinterpret_cast<CheckingErrorManager*>(cinfo->err)->on_fatal, 1);
}

// msg_level < 0 is a warning (corrupt data libjpeg recovered from); levels
// >= 0 are trace messages, which are not problems.
void OnMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level >= 0) return;
  const bool trailing_bytes_before_eoi =
      cinfo->err->msg_code == JWRN_EXTRANEOUS_DATA && cinfo->err->msg_parm.i[1] == JPEG_EOI;
  if (!trailing_bytes_before_eoi) Remember(cinfo);
}

unsigned ExifU16(const uint8_t* p, bool big) { return big ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]); }
uint32_t ExifU32(const uint8_t* p, bool big) {
  return big ? (uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3])
             : (uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | p[0]);
}

// The Orientation tag (0x0112) of IFD0 in an "Exif\0\0" APP1 segment; 1 when
// absent, out of range or unreadable. Only the first APP1 is looked at.
int ExifOrientation(const jpeg_decompress_struct& cinfo) {
  const jpeg_saved_marker_ptr m = cinfo.marker_list;
  if (m == nullptr || m->marker != JPEG_APP0 + 1 || m->data_length < 6 + 8 ||
      std::memcmp(m->data, "Exif\0\0", 6) != 0) {
    return 1;
  }
  const uint8_t* tiff = m->data + 6;
  const size_t size = m->data_length - 6;
  const bool big = tiff[0] == 'M' && tiff[1] == 'M';
  if (!big && !(tiff[0] == 'I' && tiff[1] == 'I')) return 1;
  const uint32_t ifd = ExifU32(tiff + 4, big);
  if (ifd > size - 2) return 1;
  const unsigned entries = ExifU16(tiff + ifd, big);
  for (unsigned i = 0; i < entries; ++i) {
    const size_t at = ifd + 2 + size_t{12} * i;
    if (at + 12 > size) return 1;
    if (ExifU16(tiff + at, big) != 0x0112) continue;
    const unsigned value = ExifU16(tiff + at + 8, big);
    return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
  }
  return 1;
}

// CMYK as libjpeg hands it over (Adobe files store it inverted) to RGB, the
// conversion OpenCV's imdecode used, so such pages decode as before.
void CmykRowToRgb(const uint8_t* cmyk, int width, uint8_t* rgb) {
  for (int x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    const int k = cmyk[3];
    for (int c = 0; c < 3; ++c) rgb[c] = static_cast<uint8_t>(k - ((255 - cmyk[c]) * k >> 8));
  }
}

// One decode of the whole stream. `out` null: the check only, at libjpeg's
// cheapest settings (every Huffman symbol is still read, which is where
// damage shows); otherwise the pixels at its default (accurate) settings.
std::string Decompress(const std::string& jpeg_bytes, SampleImage* out) {
  jpeg_decompress_struct cinfo;
  // On the heap: what changes between setjmp and longjmp must not be a
  // local variable (its value would be indeterminate after the jump).
  auto mgr = std::make_unique<CheckingErrorManager>();
  cinfo.err = jpeg_std_error(&mgr->pub);
  mgr->pub.error_exit = &OnFatal;
  mgr->pub.emit_message = &OnMessage;
  // No C++ object with a destructor is made between setjmp and longjmp: the
  // CMYK row comes from libjpeg's own pool, freed by jpeg_destroy, and
  // `out->samples` is sized before the first scanline.
  if (setjmp(mgr->on_fatal) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return mgr->first_problem.empty() ? "the JPEG data cannot be decoded" : mgr->first_problem;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg_bytes.data()),
               static_cast<unsigned long>(jpeg_bytes.size()));
  if (out != nullptr) jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&cinfo, TRUE);
  const bool cmyk = cinfo.num_components == 4;
  if (out == nullptr) {
    cinfo.dct_method = JDCT_IFAST;
    cinfo.do_fancy_upsampling = FALSE;
  } else {
    cinfo.out_color_space = cmyk ? JCS_CMYK : cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  }
  jpeg_start_decompress(&cinfo);
  const JDIMENSION width = cinfo.output_width;
  JSAMPARRAY scratch = nullptr;
  if (out == nullptr || cmyk) {
    scratch = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                         width * cinfo.output_components, 1);
  }
  if (out != nullptr) {
    out->width = static_cast<int>(width);
    out->height = static_cast<int>(cinfo.output_height);
    out->channels = cmyk ? 3 : cinfo.output_components;
    out->orientation = ExifOrientation(cinfo);
    out->samples.resize(size_t{width} * out->channels * cinfo.output_height);
  }
  const size_t stride = out != nullptr ? size_t{width} * out->channels : 0;
  while (cinfo.output_scanline < cinfo.output_height) {
    if (out == nullptr) {
      jpeg_read_scanlines(&cinfo, scratch, 1);
    } else if (cmyk) {
      const JDIMENSION y = cinfo.output_scanline;
      jpeg_read_scanlines(&cinfo, scratch, 1);
      CmykRowToRgb(scratch[0], static_cast<int>(width), out->samples.data() + stride * y);
    } else {
      JSAMPROW row = out->samples.data() + stride * cinfo.output_scanline;
      jpeg_read_scanlines(&cinfo, &row, 1);
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return mgr->first_problem;
}

}  // namespace

std::string JpegDataDamage(const std::string& jpeg_bytes) { return Decompress(jpeg_bytes, nullptr); }

std::string DecodeJpeg(const std::string& jpeg_bytes, SampleImage* out) { return Decompress(jpeg_bytes, out); }

}  // namespace sohoa
