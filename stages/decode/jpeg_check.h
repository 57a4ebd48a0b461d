// JPEG data through libjpeg with its own error handler, the one caller of
// libjpeg in ingest. Decoders that only print libjpeg's "Corrupt JPEG data"
// warnings on stderr (poppler's DCT filter, OpenCV's imdecode) hand back an
// image whose damaged part is gray or smeared, which would be archived as if
// it were the scan; here the damage becomes a value the ingest stage acts on.
#pragma once

#include <string>

#include "stages/decode/sample_image.h"

namespace sohoa {

// "" when libjpeg decodes every scanline without a warning; otherwise its
// first message, e.g. "Corrupt JPEG data: bad Huffman code" or "Premature
// end of JPEG file". Stray bytes after the last scanline, before the end
// marker (a habit of some scanners), do not count as damage.
std::string JpegDataDamage(const std::string& jpeg_bytes);

// The pixels and the damage check from one decode. "" and `out` filled (gray
// or RGB; CMYK/YCCK converted to RGB; `out->orientation` from the EXIF APP1
// segment, not applied), or the first problem as JpegDataDamage says it.
std::string DecodeJpeg(const std::string& jpeg_bytes, SampleImage* out);

}  // namespace sohoa
