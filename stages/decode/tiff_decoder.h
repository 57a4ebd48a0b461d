// TiffFile: the ingest stage's only door to libtiff.
//
// Reads page headers (for the probe) and decodes one page into a Raster (for
// the decode stage). It reads, it does not decide: size limits and default
// resolution are the ingest stage's business, which is why headers and pixels
// are separate calls — the caller inspects a header and refuses absurd
// dimensions before DecodeCurrentPage() allocates anything.
//
// Errors: libtiff's messages for *this* file are collected per open handle
// (TIFFOpenOptions error handler, libtiff >= 4.5) and become the Status
// message; nothing is printed to stderr. Opening the first TiffFile also
// installs, once per process, global libtiff handlers that capture messages
// from libtiff code paths that ignore the per-handle handler into a
// thread_local buffer instead of stderr. That silences libtiff's stderr for
// the whole process (other libtiff users included) — deliberately: a batch
// run's log is the ledger, not the terminal.
//
// Threading: a TiffFile is used by one thread at a time; distinct TiffFiles
// (even on the same path) may be used concurrently.
//
// Memory: decoding holds the page raster plus one scanline (stripped files)
// or one tile (tiled files), plus libtiff's compressed-strip buffer. Exotic
// layouts (separate sample planes, YCbCr without JPEG, float samples) go
// through libtiff's RGBA reader one strip-height band at a time (4 bytes per
// pixel of the band only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct TiffPageHeader {
  // As displayed, i.e. after the Orientation tag (5..8 swap them).
  int width = 0;
  int height = 0;
  // From XResolution/YResolution and ResolutionUnit (inch or cm, converted
  // to dots per inch); 0 when the file records none or says "no unit".
  double dpi_x = 0;
  double dpi_y = 0;
  PixelKind kind = PixelKind::kGray;  // what DecodeCurrentPage will produce
  int bits_per_sample = 8;
  int compression = 1;           // the TIFF Compression tag value
  std::string compression_name;  // "LZW", "CCITT G4", ... or "unknown (N)"
  bool codec_available = true;   // libtiff can decode this compression
};

class TiffFile {
 public:
  // Opens `path` and reads its first directory. InvalidInput with libtiff's
  // message when the file is not a readable TIFF; IoError when it cannot be
  // opened at all.
  static StatusOr<std::unique_ptr<TiffFile>> Open(const std::string& path);
  ~TiffFile();
  TiffFile(const TiffFile&) = delete;
  TiffFile& operator=(const TiffFile&) = delete;

  // Walks the directory chain from the first page and returns one header per
  // page, reading no pixel data. Stops after `max_pages` directories and on
  // any damage (libtiff detects IFD loops), so it always terminates. When
  // the chain is damaged after at least one page, the pages read so far are
  // returned and *damage describes what went wrong; a damaged first page is
  // an InvalidInput error. Leaves the handle positioned on an arbitrary page.
  StatusOr<std::vector<TiffPageHeader>> ReadAllHeaders(int max_pages, std::string* damage);

  // Makes page `index` (0-based) current and returns its header.
  StatusOr<TiffPageHeader> SelectPage(int index);

  // Decodes the current page into `raster` (Allocate()d here, so check the
  // header first), honouring FillOrder (libtiff) and Orientation (here), with
  // dpi_x/dpi_y as in the header. InvalidInput naming libtiff's message for
  // damaged data, Unsupported for layouts nobody can read.
  Status DecodeCurrentPage(Raster* raster);

 private:
  TiffFile() = default;
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace sohoa
