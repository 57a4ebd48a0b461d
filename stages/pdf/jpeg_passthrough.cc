#include "stages/pdf/jpeg_passthrough.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t first
#include <cstring>
#include <memory>

#include <jpeglib.h>

namespace sohoa {
namespace {

struct QuietErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg casts back and forth
  std::jmp_buf on_fatal;
  bool warned = false;
};

void OnFatal(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<QuietErrorManager*>(cinfo->err)->on_fatal, 1);
}

// A warning is recovered damage: such a file is not passed through.
void OnMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level < 0) reinterpret_cast<QuietErrorManager*>(cinfo->err)->warned = true;
}

}  // namespace

bool JpegDecodesTo(const std::string& jpeg, const Raster& raster) {
  if (raster.kind == PixelKind::kBilevel || raster.empty() || jpeg.size() < 4) return false;
  const int channels = raster.channels();
  jpeg_decompress_struct cinfo;
  // On the heap: what changes between setjmp and longjmp must not be a
  // local variable (its value would be indeterminate after the jump).
  auto mgr = std::make_unique<QuietErrorManager>();
  cinfo.err = jpeg_std_error(&mgr->pub);
  mgr->pub.error_exit = &OnFatal;
  mgr->pub.emit_message = &OnMessage;
  if (setjmp(mgr->on_fatal) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()),
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&cinfo, TRUE);
  const bool suitable =
      !cinfo.arith_code && cinfo.data_precision == 8 && static_cast<int>(cinfo.image_width) == raster.width &&
      static_cast<int>(cinfo.image_height) == raster.height &&
      ((channels == 1 && cinfo.num_components == 1 && cinfo.jpeg_color_space == JCS_GRAYSCALE) ||
       (channels == 3 && cinfo.num_components == 3 &&
        (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB)));
  bool same = suitable;
  if (suitable) {
    // libjpeg's defaults, which OpenCV's decoder keeps: ISLOW DCT, fancy
    // upsampling.
    cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    JSAMPARRAY row = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                                cinfo.output_width * cinfo.output_components, 1);
    const size_t bytes = static_cast<size_t>(raster.width) * channels;
    while (same && cinfo.output_scanline < cinfo.output_height) {
      const int y = static_cast<int>(cinfo.output_scanline);
      jpeg_read_scanlines(&cinfo, row, 1);
      same = std::memcmp(row[0], raster.row(y), bytes) == 0;
    }
    if (same) jpeg_finish_decompress(&cinfo);
  }
  jpeg_destroy_decompress(&cinfo);
  return same && !mgr->warned;
}

}  // namespace sohoa
