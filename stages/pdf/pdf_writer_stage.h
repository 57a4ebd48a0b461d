// PDF writer stage: one searchable PDF/A file per document, plus a plain-text
// sidecar.
//
// Input: a Document whose pages all carry page.image (the encode stage) and
// page.ocr (the OCR stage; may be empty for a blank page). Output, in
// Document::staging_dir (created if missing):
//   <sha256>.pdf  role "pdf"  — PDF/A-1b (PDF 1.4) or PDF/A-2b (PDF 1.7)
//   <sha256>.txt  role "text" — every page's OcrResult::Text(), NFC UTF-8,
//                               pages separated by a form feed '\f'
// appended to Document::outputs (an earlier output of the same role is
// replaced). Each file is written under "<name>.part", fsync'ed, then renamed,
// so a file with the final name is always complete.
//
// Each page: MediaBox = image pixels / dpi * 72 pt; the scan drawn as one
// image XObject covering the page (JPEG passed through as DCTDecode, never
// re-encoded; G4 as CCITTFaxDecode /K -1, 1 bpc DeviceGray); over it an
// invisible text layer (render mode 3) in Tesseract's glyphless font,
// embedded as a Type0/CIDFontType2 font whose ToUnicode gives back the exact
// NFC text (see pdf_text_layer.h). Document: XMP metadata (pdf_metadata.h;
// extra properties from Document::metadata "xmp:..." keys; when a page's
// resolution was estimated or assumed, the writer first records
// Document::ResolutionNote() there as sohoascan:ResolutionNote, namespace
// https://sohoa.example/ns/scan/1.0/, since that resolution is what makes
// the page size: so the XMP, the ledger and a reviewed revision say it),
// an Info
// dictionary that agrees with it, an sRGB OutputIntent (srgb_profile.h) and
// a trailer /ID. No encryption, JavaScript or transparency.
//
// Errors: a page without an encoded image or with a zero resolution, or a
// bad document identity (sha256 not 64 hex digits) -> kInvalidInput naming
// the page; staging directory or file problems -> kIoError with the path and
// errno text; PoDoFo exceptions -> kInternal. NewWorker() fails with
// kConfiguration when <tessdata_dir>/pdf.ttf is missing or unusable or the
// options are out of range.
//
// Thread safety: the stage is immutable; NewWorker() loads the font and
// builds the ICC profile (computed once per process) into the worker, and each
// worker builds its own PoDoFo document per call, so workers share nothing
// mutable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pipeline/core/stage.h"

namespace sohoa {

enum class PdfALevel { k1b, k2b };

struct PdfWriterOptions {
  PdfALevel level = PdfALevel::k2b;
  // pdf:Producer / Info /Producer and xmp:CreatorTool / Info /Creator.
  std::string producer = "sohoa " SOHOA_VERSION " (PoDoFo 0.9.8)";
  std::string creator_tool = "sohoa " SOHOA_VERSION;
  // Where Tesseract's glyphless font pdf.ttf lives.
  std::string tessdata_dir = "/usr/share/tesseract-ocr/5/tessdata";
  // Fixed timestamps (and so fixed IDs): two runs give identical bytes.
  bool deterministic = false;
  int64_t deterministic_unix_time = 946684800;  // 2000-01-01T00:00:00Z
  // Offset of the local time written in the dates (Vietnam: UTC+7).
  int utc_offset_minutes = 7 * 60;
};

// Name() is "pdf".
std::unique_ptr<DocumentStage> NewPdfWriterStage(const PdfWriterOptions& options);

}  // namespace sohoa
