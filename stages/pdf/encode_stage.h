// Encode stage: compresses a page's raster into the image the PDF embeds,
// then frees the raster.
//
// This is the stage that bounds memory. Everything before it holds decoded
// pixels (tens of megabytes for an A4 colour page at 300 dpi); everything
// after it holds only compressed bytes, so a document whose other pages are
// still in OCR costs a few hundred kilobytes per finished page, not a raster.
//
// What each raster becomes (pipeline/core/document.h EncodedImage):
//   kBilevel -> CCITT Group 4 (K = -1), raw data with no TIFF wrapper, ready
//               for a PDF /CCITTFaxDecode stream (0 bits = black, i.e.
//               /BlackIs1 false), 1 bit per component, 1 component.
//   kGray    -> baseline JPEG, 1 component, 8 bits (DCTDecode passthrough);
//               MRC or Flate by ImageMode below.
//   kRgb     -> the same with 3 components. Colour stays colour: the
//               regulation asks for colour scans and we never drop it.
// The resolution is copied unchanged (no resampling): the archive keeps the
// scanner's pixels, and the PDF page size is derived from pixels / dpi.
//
// Errors: an empty raster or one without a resolution is kInvalidInput
// (ingest is supposed to have substituted a default dpi); a Leptonica encode
// failure is kInternal. On error the raster is kept, so a person can look.
//
// Thread safety: the stage is immutable; each worker is independent.
// Leptonica is called only through local objects.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/stage.h"

namespace sohoa {

// How gray and colour pages are stored (bilevel pages are always G4).
//   kMrc:  a lossless G4 text mask over a downsampled, hard-compressed JPEG
//          background (stages/pdf/mrc_encoder.h); a page with no ink to
//          mask is stored as kJpeg.
//   kJpeg: one JPEG at the scan's resolution (jpeg_quality); a page from
//          a JPEG file whose pixels no stage changed keeps the file's own
//          JPEG bytes (stages/pdf/jpeg_passthrough.h).
//   kLossless: the page's pixels as deskewed, unchanged: Flate (zlib) with
//          PNG row predictors, for archives that accept no loss (several
//          times the bytes of kJpeg).
enum class ImageMode { kMrc, kJpeg, kLossless };
// "mrc" / "jpeg" / "lossless"; ParseImageMode returns false for anything else.
const char* ImageModeName(ImageMode mode);
bool ParseImageMode(const std::string& name, ImageMode* mode);

struct EncodeOptions {
  ImageMode image_mode = ImageMode::kMrc;
  // libjpeg quality, 1..100, for gray and colour pages. 80 keeps the small
  // Vietnamese diacritics (dấu hỏi, dấu ngã) free of visible ringing at
  // 200-300 dpi for well under half the bytes of 95 (benchmarks/README.md,
  // "JPEG bytes"). OCR reads the raster before encoding, so this affects only
  // what people see in the archive.
  int jpeg_quality = 80;
};

// Name() is "encode". Returns a stage whose NewWorker() fails with
// kConfiguration if jpeg_quality is outside 1..100.
std::unique_ptr<PageStage> NewEncodeStage(const EncodeOptions& options);

// The encoding itself, for callers outside the graph (benchmarks, tools).
// Does not release the raster.
StatusOr<EncodedImage> EncodeRaster(const Raster& raster, int jpeg_quality);
// The same, gray and colour pages as Flate (EncodeFlateBytes) when `lossless`.
StatusOr<EncodedImage> EncodeRaster(const Raster& raster, int jpeg_quality, bool lossless);
// The same with the options' image mode; MRC uses the page's OCR words.
StatusOr<EncodedImage> EncodeRaster(const Raster& raster, const OcrResult& ocr, const EncodeOptions& options);

// Building blocks shared with the MRC encoder. EncodeJpegBytes: a baseline
// JPEG file of a gray or RGB raster. EncodeG4Bytes: raw CCITT G4 (K = -1,
// min-is-white) of a raster whose pixels below 128 are black.
StatusOr<std::vector<uint8_t>> EncodeJpegBytes(const Raster& raster, int quality);
StatusOr<std::vector<uint8_t>> EncodeG4Bytes(const Raster& raster);
// The same for a packed mask (the MRC stencil: no 8-bit raster of the page
// made just to be packed): `height` rows of `words_per_row` 32-bit words,
// the leftmost pixel of each word in its most significant bit, 1 = black.
StatusOr<std::vector<uint8_t>> EncodeG4Mask(const std::vector<uint32_t>& words, int words_per_row, int width,
                                            int height, double dpi_x, double dpi_y);
// zlib data of a gray or RGB raster's rows, each prefixed with the PNG
// filter (None, Sub, Up, Average or Paeth) that makes it smallest: what a
// PDF reader undoes with /FlateDecode /Predictor 15.
StatusOr<std::vector<uint8_t>> EncodeFlateBytes(const Raster& raster);

}  // namespace sohoa
