// The document and page model that flows through the graph.
//
// A Document is created per input file by the enumerator and shared
// (std::shared_ptr) by every message that refers to it. Its `pages` vector is
// sized once by the probe stage and never resized afterwards, so page-level
// stages running on different threads each write only their own Page without
// locks. Document-level fields are written only by document-level stages,
// which see a document on one thread at a time.
//
// Coordinates: pixels of the page raster *after* orientation and deskew,
// origin top-left, y down. Writers convert to PDF points themselves.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/book.h"
#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct Box {
  int left = 0, top = 0, right = 0, bottom = 0;  // right/bottom exclusive
  int width() const { return right - left; }
  int height() const { return bottom - top; }
  // Grows the box to cover `other` as well (a line's box over its words).
  void Cover(const Box& other) {
    left = std::min(left, other.left);
    top = std::min(top, other.top);
    right = std::max(right, other.right);
    bottom = std::max(bottom, other.bottom);
  }
};

struct OcrWord {
  std::string text;  // UTF-8, Unicode NFC
  Box box;
  float confidence = 0;  // 0..100 as Tesseract reports it
  // When a second reader read the word differently (figures, see
  // stages/page/figure_reread.h): the reading not taken. Empty otherwise.
  std::string other_reading;
  // With other_reading: the confidence the taken reading's own reader gave
  // it (0..100), before the dispute capped `confidence`, and whether that
  // reader was the second one. A dispute whose other reading is no possible
  // value is settled at it (stages/fields/disputed_figures.h).
  float taken_confidence = 0;
  bool taken_from_second_reader = false;
};

struct OcrLine {
  Box box;
  // Baseline y (pixels) at box.left, and its slope (dy/dx); Tesseract's
  // baseline, so descenders hang below it.
  double baseline_y = 0;
  double baseline_slope = 0;
  int block = 0;  // Tesseract block index, for reading order
  // Written by hand (the book layout stage's judgement: ink colour, uneven
  // strokes): its words are not to be trusted as read (issue 17).
  bool handwritten = false;
  std::vector<OcrWord> words;
  std::string Text() const;  // words joined by single spaces
};

struct OcrResult {
  std::vector<OcrLine> lines;  // in reading order
  float mean_confidence = 0;   // Tesseract's MeanTextConf, 0..100
  // Lines joined by '\n' (blank line between blocks), NFC.
  std::string Text() const;
  size_t WordCount() const;
};

// The page image as it will be embedded in the PDF, already compressed, so
// the raster can be freed while the rest of the document is still on its way.
struct EncodedImage {
  // kFlate: zlib data of PNG-predicted rows (PDF /FlateDecode with
  // /Predictor 15), the lossless gray/colour page (--image-mode lossless).
  enum class Codec { kJpeg, kCcittG4, kFlate };
  Codec codec = Codec::kJpeg;
  std::vector<uint8_t> data;  // JPEG file bytes, raw G4 (K=-1) data, or zlib data
  int width = 0, height = 0;
  int components = 1;          // 1 gray/bilevel, 3 RGB
  int bits_per_component = 8;  // 1 for G4
  double dpi_x = 0, dpi_y = 0;
  // Mixed raster content (issue 19, stages/pdf/mrc_encoder.h). When `masks`
  // is not empty, `data` is a JPEG background of background_width x
  // background_height pixels (a lower resolution) stretched over the same
  // page as width x height, and each mask is a width x height G4 stencil
  // (0 bits = ink, like the bilevel pages) painted in its colour over it.
  struct Mask {
    std::vector<uint8_t> g4;
    uint8_t red = 0, green = 0, blue = 0;
  };
  std::vector<Mask> masks;
  int background_width = 0, background_height = 0;
  bool empty() const { return data.empty(); }
};

struct StageTiming {
  std::string stage;
  double seconds = 0;
};

// Where a page's resolution (raster.dpi_x/dpi_y, and so the PDF page size)
// came from: recorded in the file; estimated from the size of the page's
// text because the file records none (stages/page/text_size.h: screenshots,
// phone photos); or the configured default because it records none and no
// text could be measured.
enum class ResolutionSource { kFile, kEstimated, kAssumed };
const char* ResolutionSourceName(ResolutionSource source);  // "file", "estimated", "assumed"

struct Page {
  int index = 0;  // 0-based position in the document
  // Where its pixels are in a book given as a folder of page images
  // (Document::page_files): that file's number and the page's 0-based
  // index in it. -1: the page is page `index` of Document::source_path.
  int source_file = -1;
  int index_in_file = 0;
  Raster raster;  // decoded pixels; released after encoding
  ResolutionSource resolution_source = ResolutionSource::kFile;
  PixelKind source_kind = PixelKind::kGray;  // as scanned, before any change
  int source_bits = 8;                       // bits per sample in the file (1, 8, 16)
  // The file's bytes when the page is a JPEG file: the encode stage stores
  // them unchanged when the page's pixels are still what they decode to
  // (stages/pdf/jpeg_passthrough.h); released with the raster.
  std::string source_jpeg;
  int rotation_degrees = 0;                  // clockwise rotation applied: 0/90/180/270
  float orientation_confidence = 0;
  double skew_degrees = 0;  // skew measured and corrected (+ = counter-clockwise text)
  float skew_confidence = 0;
  bool blank = false;  // no text-like content found
  OcrResult ocr;
  PageLayout layout;  // book pages only (pipeline/core/book.h)
  EncodedImage image;
  Status status;                            // first failure; later page stages skip the page
  std::vector<std::string> review_reasons;  // doubts a person should look at
  std::vector<StageTiming> timings;

  // Frees source_jpeg's bytes. (Assigning it an empty string would not:
  // libstdc++ copies a short string into the storage it has, so every JPEG
  // input's bytes stayed allocated until the run ended — 100 MB over 424
  // documents, issue 24.)
  void ReleaseSourceJpeg();
};

// kSkipped: nothing to do (already archived, a duplicate in this batch, held
// by another run). kDeferred: not done now, not the input's fault (still
// being written; the archive or ledger could not take results); nothing is
// recorded, so the next run takes it again. Neither is written to the ledger.
enum class Outcome { kPending, kArchived, kReview, kQuarantined, kSkipped, kDeferred };
const char* OutcomeName(Outcome outcome);

// A file produced for a document, staged until the archive commits it.
struct OutputFile {
  std::string role;          // "pdf", "text", later "fields", ...
  std::string staged_path;   // absolute path of the finished temporary file
  std::string archive_path;  // relative to the archive root, set on commit
  std::string sha256;        // of the committed bytes
  uint64_t bytes = 0;
};

// One extracted field (stages/fields/field_extraction_stage.h): the normalized
// value, how sure we are (0..1: OCR word confidences x validation) and, when
// it failed a check, why.
struct FieldValue {
  std::string value;  // NFC; dates YYYY-MM-DD
  float confidence = 0;
  std::string problem;  // empty when it passed its validator
  // What was read before a lexicon corrected it ("Hà Tình" for "Hà Tĩnh");
  // empty when the value is as read. Kept so reviewers and the export see
  // every correction.
  std::string corrected_from;
  // Other readings of the value where two readers disputed its figures
  // (stages/fields/disputed_figures.h), normalised; empty when none. Kept
  // for the person who decides, in the fields sidecar.
  std::vector<std::string> other_readings;
  // The value failed its check with the other fields as context (a date
  // order, an age on another date, the book's year): its confidence before
  // that check cut it, so that the check can be made again once a later
  // stage settles one of those fields (the register correcting a
  // registration date, stages/fields/field_checks.h). Negative otherwise.
  float confidence_before_check = -1;
};

// A bookmark of the PDF (the whole-book PDF: one per entry).
struct Bookmark {
  std::string title;
  int page = 0;  // 0-based page index
};

struct Document {
  // Identity, set by the enumerator and the admit step.
  std::string source_path;  // absolute path of the input file (or folder, below)
  // A register book given as a folder of page images: its page files in
  // book order (raw paths); empty for a document that is one file.
  std::vector<std::string> page_files;
  // Relative to the input folder, '/' separated, always UTF-8: the display
  // name (pipeline/core/file_name.h) under which logs, ledger and outputs know it.
  std::string relative_path;
  // The name's raw bytes when they are not UTF-8 (relative_path is then
  // their lossless escape); empty otherwise. Kept in the ledger's details.
  std::string relative_path_bytes;
  std::string sha256;  // of the input file's bytes (lower-case hex); of a folder: FolderSha256
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;     // input modification time when hashed
  std::string format;       // "tiff", "png", "jpeg", "pdf" (from content); "folder"
  std::vector<std::string> page_file_formats;  // of each of page_files
  std::string staging_dir;  // where document stages write their files

  std::vector<Page> pages;  // sized by the probe stage, then fixed

  Status status;  // first document-level failure
  Outcome outcome = Outcome::kPending;
  std::string skip_reason;  // when skipped or deferred: why (e.g. already archived)
  std::vector<std::string> review_reasons;
  std::vector<OutputFile> outputs;
  std::vector<StageTiming> timings;

  // Fields later stages fill (field extraction, signing) live here too; keep
  // them plain data so the ledger and export can serialise them.
  std::map<std::string, std::string> metadata;
  // Extracted fields by stable key ("so", "ho_ten", ...); the document type,
  // result code and holder ID go to `metadata` ("doc_type", "result_code",
  // "holder_id"), see stages/fields/field_extraction_stage.h.
  std::map<std::string, FieldValue> fields;

  // Register books (pipeline/core/book.h). A book: `book` is set from its
  // manifest; the splitter sets `entry_count` and `bookmarks`. An entry:
  // `entry` is set and `field_lines`, when not empty, are what field
  // extraction reads instead of the pages' OCR (a ruled row rewritten as
  // "column header: cell" lines); `metadata["doc_type_declared"]` names
  // its type.
  std::optional<BookManifest> book;
  std::optional<EntryInfo> entry;
  int entry_count = -1;  // a book: entries the splitter made (-1: not split)
  std::vector<OcrLine> field_lines;
  std::vector<Bookmark> bookmarks;
  bool is_book() const { return book.has_value() && !entry.has_value(); }
  bool is_entry() const { return entry.has_value(); }

  bool failed() const { return !status.ok(); }
  bool skipped() const { return outcome == Outcome::kSkipped; }
  // Skipped or deferred before the sink: no stage works on it any more.
  bool decided() const { return outcome != Outcome::kPending; }
  // First page failure, or OK; "page N: ..." numbering is 1-based for people.
  Status FirstPageFailure() const;
  int page_count() const { return static_cast<int>(pages.size()); }
  const OutputFile* FindOutput(const std::string& role) const;
  // What a person should know about resolutions not read from the file:
  // "page 1: 72 dpi estimated from the size of its text, the file records
  // none; page 2: 300 dpi assumed, the file records none" (pages listed in
  // order); empty when every page's resolution came from its file. Reads
  // the encoded image's resolution, else the raster's.
  std::string ResolutionNote() const;
  // Frees what grows with the page: pixels, the JPEG file's bytes, encoded
  // images, OCR text. The graph calls it once the archive step is done with
  // the document; the run keeps every Document until its end (to count and
  // report them), so without this peak memory would grow with the batch,
  // not the pages in flight. Identity, status, outcome, outputs and timings
  // stay.
  void ReleasePageContent();
};

}  // namespace sohoa
