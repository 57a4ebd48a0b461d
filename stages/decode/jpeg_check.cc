#include "stages/decode/jpeg_check.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t first
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

}  // namespace

std::string JpegDataDamage(const std::string& jpeg_bytes) {
  jpeg_decompress_struct cinfo;
  // On the heap: what changes between setjmp and longjmp must not be a
  // local variable (its value would be indeterminate after the jump).
  auto mgr = std::make_unique<CheckingErrorManager>();
  cinfo.err = jpeg_std_error(&mgr->pub);
  mgr->pub.error_exit = &OnFatal;
  mgr->pub.emit_message = &OnMessage;
  // No C++ object with a destructor lives across setjmp/longjmp here: the
  // row buffer comes from libjpeg's own pool, freed by jpeg_destroy.
  if (setjmp(mgr->on_fatal) != 0) {
    jpeg_destroy_decompress(&cinfo);
    return mgr->first_problem.empty() ? "the JPEG data cannot be decoded" : mgr->first_problem;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg_bytes.data()),
               static_cast<unsigned long>(jpeg_bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  // Cheapest full decode: every Huffman symbol is still read, which is
  // where damage shows; scaling would skip nothing of the entropy data.
  cinfo.dct_method = JDCT_IFAST;
  cinfo.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&cinfo);
  JSAMPARRAY rows = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                               cinfo.output_width * cinfo.output_components, 1);
  while (cinfo.output_scanline < cinfo.output_height) jpeg_read_scanlines(&cinfo, rows, 1);
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return mgr->first_problem;
}

}  // namespace sohoa
