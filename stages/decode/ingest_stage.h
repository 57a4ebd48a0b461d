// Ingest: from an input file to page rasters. Two stages.
//
//  probe  (document stage, once per document, before pages are split off)
//    Recognises the format from the file's first bytes, never its name:
//    TIFF (classic and BigTIFF), PNG, JPEG, PDF. Sets doc.format ("tiff",
//    "png", "jpeg", "pdf") and sizes doc.pages (page.index set), reading only
//    headers (for a PDF: every page's content stream, measuring its images
//    without decoding them; see stages/decode/pdf_decoder.h). Refuses, before any
//    pixel is allocated:
//      - empty files, unknown content      InvalidInput ("not an image: file
//                                          starts with 'Hello wo'")
//      - GIF, BMP, WebP, JPEG 2000,        Unsupported ("GIF images are not
//        TIFF compressions libtiff lacks   supported; ...")
//      - password-protected PDFs           Unsupported ("password-protected
//                                          PDF: ...")
//      - damaged PDFs                      InvalidInput ("PDF is damaged:
//                                          <poppler's reason>")
//      - pages above the size limits       TooLarge ("page 1: 200000×200000
//                                          pixels exceeds the limit of 400
//                                          megapixels")
//      - pages below min_dimension         InvalidInput ("page 1: 1×1 pixels
//                                          is too small to be a page scan")
//      - a damaged first TIFF directory    InvalidInput with libtiff's message
//    A TIFF whose directory chain breaks after some pages keeps the pages
//    read and gets a document review reason. PDF pages
//    without a page-sized scan (born-digital: rasterised at default_dpi) or
//    with a text layer of their own (not kept: every page is OCRed again)
//    are listed in doc.metadata["ingest.pdf_note"].
//
//  decode (page stage, once per page, concurrently)
//    Decodes page `page.index` into page.raster (kBilevel for 1-bit sources,
//    kGray for gray, kRgb for colour — a colour file of gray pixels stays
//    kRgb), with dpi_x/dpi_y from the file, and sets page.source_kind /
//    page.source_bits. When the file records no resolution (screenshots,
//    phone photos: a PNG without pHYs, a JPEG whose JFIF header gives only
//    an aspect ratio, a TIFF without XResolution) it is estimated from the
//    size of the page's text (stages/page/text_size.h), rounded to whole dpi, and
//    page.resolution_source = kEstimated; when no text can be measured,
//    options.default_dpi and kAssumed. Both are recorded (ledger, PDF XMP:
//    Document::ResolutionNote()). TIFF via libtiff (all scanner
//    compressions, bilevel MinIsWhite/MinIsBlack, gray 8/16, RGB 8/16,
//    palette, CMYK, alpha composited on white, strips and tiles, FillOrder,
//    Orientation); PNG and JPEG via OpenCV; PDF pages rendered by poppler at
//    the native resolution of the page's scanned image (non-square kept:
//    dpi_x != dpi_y), of that image's kind. Damaged data → InvalidInput
//    "page N: <what libtiff/OpenCV said>"; sizes are checked again before
//    allocating. Appends a page review reason when the resolution is below
//    options.min_dpi ("page 1: 150 dpi is below the 200 dpi the regulations
//    require"; an estimate says so: "page 1: 72 dpi (estimated from the size
//    of its text, the file records none) is below ...").
//
// Threading: both stages are immutable; their workers hold no state, each is
// used by one thread at a time, and any number may run at once (even on
// pages of the same file: each call opens the file itself).
// Memory: decode holds the page raster plus one TIFF scanline or tile
// (exotic TIFF layouts: one strip band at 4 bytes/pixel); PNG/JPEG hold the
// file bytes and OpenCV's decoded image next to the raster until it returns.
#pragma once

#include <cstdint>
#include <memory>

#include "pipeline/core/stage.h"

namespace sohoa {

struct IngestOptions {
  // Pages above either limit are refused (TooLarge) before allocation.
  uint64_t max_pixels_per_page = 400'000'000;
  int max_dimension = 60000;
  // Pages with a side below this are refused (InvalidInput): a 1×1 or 5×5
  // image is a thumbnail or a placeholder, never a page scan.
  int min_dimension = 8;
  // A TIFF with more pages is refused; also bounds a looping directory chain.
  int max_pages = 10000;
  // When the file records no resolution: estimate it from the text
  // (stages/page/text_size.h), else (or when false) use default_dpi.
  bool estimate_missing_dpi = true;
  double default_dpi = 300;
  // Below this (on either axis) a page gets a review reason; Decree 45/2020
  // and Circular 01/2023 ask for scans of at least 200 dpi.
  double min_dpi = 200;
};

// Name() "probe".
std::unique_ptr<DocumentStage> NewIngestProbeStage(const IngestOptions& options);
// Name() "decode".
std::unique_ptr<PageStage> NewIngestDecodeStage(const IngestOptions& options);

}  // namespace sohoa
