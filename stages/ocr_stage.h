// OCR: Tesseract (LSTM) recognition of the upright, deskewed page raster.
//
// Fills page.ocr: lines in Tesseract's reading order (ResultIterator), each
// with its block index, box and baseline, and its words with boxes and
// confidences; mean_confidence is Tesseract's MeanTextConf. Every string is
// Unicode NFC (ICU), since Vietnamese diacritics may come out decomposed and
// everything downstream compares in NFC. Empty and whitespace-only words
// are dropped, and so are lines left without words. Coordinates are pixels
// of page.raster, also when recognition ran on a downscaled copy.
//
// Skips page.blank pages (page.ocr stays empty). A page that is not blank
// but yields no words gets the review reason "page N: no text recognized"
// (OK is still returned: a person types the data in).
//
// Errors: NewWorker() returns kConfiguration when a language's
// .traineddata is missing ("Tesseract language 'vie' not found in
// /usr/share/tesseract-ocr/5/tessdata — install tesseract-ocr-vie"), for an
// invalid segmentation mode or an unknown Tesseract variable. Process()
// returns kInvalidInput for an inconsistent raster, kInternal when
// Tesseract fails.
//
// Thread-safety: the stage is immutable; each worker owns its TessBaseAPI.
// Tesseract's own OpenMP threads are off (see stages/tesseract_engine.h):
// parallelism comes from running one worker per core.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pipeline/stage.h"

namespace sohoa {

struct OcrOptions {
  std::string languages = "vie";  // '+' joined, e.g. "vie+eng"
  std::string tessdata_dir;       // empty: Tesseract's own (DefaultTessdataDir())
  // tesseract::PageSegMode number: 3 = fully automatic (PSM_AUTO), 4 = one
  // column, 6 = one uniform block, ... (0 = OSD only is refused).
  int page_segmentation_mode = 3;
  // Tesseract parameters, set at Init (e.g. {"preserve_interword_spaces","1"}).
  std::map<std::string, std::string> variables;
  // Pages above this resolution are downscaled for recognition only (boxes
  // are scaled back to page pixels). 0 = always recognize at full resolution.
  // Default 200 from data (scripts/bench_tuning.py, 14 deskewed 300-dpi bench
  // pages, benchmarks/results/2026-11-30-vm-tuning-ocr.json): recognizing at
  // 200 dpi cost 0.94 CPU s/page vs 1.36 at 300 dpi (-31%), CER 0.078 vs
  // 0.081 (truth `text`) and 0.017 vs 0.021 (`text_rows`) on one run each.
  // Kept OFF (0) by default all the same: with 200 the field-extraction test
  // read a confident wrong diacritic ("phối" for "phổi") in a document it
  // then archived — the ≥99% archived-field bar matters more than 31% CPU.
  // Operators can set it; re-measure on field accuracy before changing.
  double recognition_dpi_max = 0;
  // Lines with a gap wider than this many line heights are split and read
  // column by column (two-column Decree 30 headers); 0 = off. See
  // RecognizerConfig::column_gap_factor in stages/tesseract_engine.h.
  double column_gap_factor = 1.5;
};

// Name() is "ocr". The engine mode is always LSTM only.
std::unique_ptr<PageStage> NewOcrStage(const OcrOptions& options = {});

}  // namespace sohoa
