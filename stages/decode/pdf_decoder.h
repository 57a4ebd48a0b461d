// PdfFile: the ingest stage's only door to poppler.
//
// Scanners write PDF as one image per page. PdfFile measures each page's
// largest image (pixel size and where the page's content stream places it)
// and renders the page at exactly that image's resolution, so a scanned PDF
// page becomes the same raster a TIFF of the scan would have given: native
// pixel count, native dpi, and the image's kind (a 1-bit CCITT/JBIG2 scan is
// kBilevel, gray is kGray, colour is kRgb).
//
// Two poppler interfaces, one library:
//  - poppler-cpp (the public C++ API) opens the file, reports page count and
//    password protection, and renders pages (Splash).
//  - poppler's own core classes (PDFDoc, Gfx, OutputDev; Debian's
//    libpoppler-private-dev) run the page's content stream through a
//    measuring OutputDev that records every image drawn and the matrix it is
//    drawn with — the same measurement `pdfimages -list` prints as x-ppi and
//    y-ppi. poppler-cpp exposes no images at all, and walking /Resources
//    alone (as PoDoFo could) finds images but not their placement, nor images
//    inside form XObjects or inline images. The core API is not stable
//    across poppler releases; it is pinned by Debian 12 (poppler 22.12).
//
// Pages decide their resolution like this (ReadPageHeader):
//  - The largest image (by pixel count) covers at least half of the page:
//    a scan. Resolution = the image's pixels per inch along each page axis
//    (rounded to a whole dpi when within 1% of one). Non-square resolution
//    (e.g. 200×100 dpi faxes) is kept: dpi_x != dpi_y and the raster has the
//    image's pixel count, exactly as a TIFF with XResolution != YResolution.
//  - Otherwise (no image, or only small pictures: a born-digital page) the
//    page is rasterised at `fallback_dpi`, colour (kRgb), turned into kGray
//    after rendering when every pixel is gray. Its text layer, if any, is not
//    kept: every page is archived as an image and OCRed again, so all
//    archived documents look alike; has_text tells the caller to say so.
//
// Errors: poppler's messages for the current thread are captured (poppler's
// error callback is process-wide; it is installed once and writes into a
// thread_local buffer, so nothing reaches stderr) and become the Status
// message of a broken file ("PDF is damaged: Couldn't find trailer
// dictionary"). A file that needs a password is Unsupported ("password-
// protected PDF"). A PDF encrypted with an empty user password (permissions
// only) opens normally; `encrypted()` reports it.
//
// Threading: a PdfFile is used by one thread at a time; distinct PdfFiles
// (even on the same path) may be used concurrently.
// Memory: rendering holds poppler's page bitmap (1 byte per pixel for gray
// and bilevel pages, 3 for colour) and the Raster it is copied into; the
// bitmap is freed before RenderPage returns. Measuring decodes no image data.
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct PdfPageHeader {
  // The raster RenderPage will produce, as displayed (after /Rotate).
  int width = 0;
  int height = 0;
  double dpi_x = 0;
  double dpi_y = 0;
  // The resolution poppler renders at: the image's exact pixels per inch,
  // so the raster has the image's pixel count even when the reported dpi
  // above was rounded to a whole number (2480 px across 595 pt is 300.1).
  double render_dpi_x = 0;
  double render_dpi_y = 0;
  PixelKind kind = PixelKind::kRgb;
  int bits_per_sample = 8;  // of the page image (1 for CCITT/JBIG2 scans)
  // The page as displayed, in points (crop box, after /Rotate).
  double width_pt = 0;
  double height_pt = 0;
  // True when the page is a scan (a page-sized image decided the
  // resolution); false when it was rasterised at the fallback dpi.
  bool scanned = false;
  int image_width = 0;  // largest image's own pixel size (0: none)
  int image_height = 0;
  bool has_text = false;  // the page draws text (e.g. an OCR layer)
  // The scan image is a JPEG whose data is damaged: libjpeg's message
  // (stages/decode/jpeg_check.h). poppler would render it gray or smeared, silently.
  std::string image_damage;
};

class PdfFile {
 public:
  // Opens `path`. InvalidInput "PDF is damaged: <poppler's reason>" for a
  // broken file, Unsupported "password-protected PDF: ..." when a password
  // is needed, IoError when it cannot be read at all.
  static StatusOr<std::unique_ptr<PdfFile>> Open(const std::string& path);
  ~PdfFile();
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  int page_count() const;
  bool encrypted() const;
  // What poppler complained about while opening a file it could repair
  // (e.g. "Couldn't find trailer dictionary", or "cross-reference table
  // rebuilt"; poppler may rebuild lazily, so ask after reading the pages);
  // "" for a sound file.
  const std::string& repairs() const;

  // Measures page `index` (0-based) without decoding any image data. The
  // caller checks width/height against its limits before RenderPage.
  StatusOr<PdfPageHeader> ReadPageHeader(int index, double fallback_dpi);

  // Renders page `index` at header.render_dpi_x × render_dpi_y into
  // `raster` (Allocate()d here) of kind header.kind, with header.dpi_x/y. Bilevel pages are thresholded
  // at mid-gray. InvalidInput with poppler's message when rendering fails.
  // poppler renders what it can of damaged data (a corrupt JPEG stream gives
  // a half-gray page) and only complains: its complaints while rendering are
  // returned in *complaints ("" when none) for the caller to judge.
  Status RenderPage(int index, const PdfPageHeader& header, Raster* raster, std::string* complaints);

 private:
  PdfFile() = default;
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

}  // namespace sohoa
