// Is a JPEG's image data intact? Decoders used for pixels (OpenCV's
// imdecode, poppler's DCT filter) only print libjpeg's "Corrupt JPEG data"
// warnings on stderr and hand back an image whose damaged part is gray or
// smeared, which would be archived as if it were the scan. This decodes the
// whole stream once with libjpeg and its own error handler, so the damage
// becomes a value the ingest stage can act on.
#pragma once

#include <string>

namespace sohoa {

// "" when libjpeg decodes every scanline without a warning; otherwise its
// first message, e.g. "Corrupt JPEG data: bad Huffman code" or "Premature
// end of JPEG file". Stray bytes after the last scanline, before the end
// marker (a habit of some scanners), do not count as damage.
std::string JpegDataDamage(const std::string& jpeg_bytes);

}  // namespace sohoa
