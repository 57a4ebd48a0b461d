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
// Orientation fallback (correct_orientation, on by default). Design: the
// orient stage no longer runs OSD on every page (stages/page/orient_stage.h);
// the OCR stage, which has to read the page anyway, owns the question "is
// this page upright?" and answers it from its own recognition, so the flow
// graph keeps one straight line of stages and upright pages (nearly all)
// pay nothing for orientation. Per page:
//  1. Recognize the page as it is (with Readability, tesseract_engine.h).
//     It reads upright when mean word confidence >= upright_min_confidence
//     and at least upright_min_share of the words lie in blocks Tesseract
//     laid out upright. Then that recognition is the result: done.
//  2. If instead most words (upright_min_share) lie on lines that run down
//     or up the page and the confidence is as high, Tesseract has read the
//     page sideways: the lines' direction gives the turn, go to 3 with it.
//     Otherwise probe the turns: recognize a gray copy reduced to probe_dpi
//     and turned 90/180/270° clockwise, stopping at the first probe that
//     reads upright. Order: for lines read sideways without confidence the
//     opposite of their direction first (Tesseract reads vertical lines top
//     to bottom, so a page turned 270° reads upside down), then their
//     direction, then 180; otherwise 180, 90, 270. Score = mean confidence
//     x upright share.
//  3. If the best probe's score beats the page as scanned by turn_min_gain
//     points, turn the page exactly (RotateRasterClockwise), add the turn to
//     page.rotation_degrees, set page.orientation_confidence to the mean
//     word confidence that chose the turn, deskew it again after a quarter
//     turn (DeskewPage with `deskew`: a page scanned sideways could not be
//     deskewed before it was turned; this re-measures page.skew_degrees on
//     the upright page; a half turn keeps the angle the deskew stage already
//     corrected) and recognize it at full resolution. Otherwise keep the
//     recognition of step 1.
// Cost: one recognition for a page that reads upright; for a turned page
// zero (read sideways) to three probes at probe_dpi plus a second
// recognition; for an upright
// page of poor quality (confidence below the bar) up to three probes that
// are then discarded.
//
// Blank pages: the orient stage's blank check (a count of character-size
// marks) is only a first opinion, because it can miss text, e.g. a phone
// photo whose resolution was wrong. A page.blank page is still recognized;
// if Tesseract finds text (HasText(): a word of two or more letters or
// digits read with confidence >= kMinTextConfidence) the page is not blank
// after all: page.blank is cleared, the orient stage's BlankPageReason() is
// withdrawn, the page is deskewed (the deskew stage skipped it) and read as
// any other. Otherwise it stays blank with page.ocr empty. A page that is
// not blank but yields no words gets the review reason "page N: no text
// recognized" (OK is still returned: a person types the data in).
//
// Small text: pages below recognition_dpi_min are recognized from an
// upscaled copy (RecognizerConfig::min_dpi). Large text: a page whose body
// text's x-height (MeasureTextSize, measured once per page) is above
// recognition_x_height is recognized from a copy downscaled until it is that
// (RecognitionDpiMax).
//
// Errors: NewWorker() returns kConfiguration when a language's
// .traineddata is missing ("Tesseract language 'vie' not found in
// /usr/share/tesseract-ocr/5/tessdata — install tesseract-ocr-vie"), for an
// invalid segmentation mode or an unknown Tesseract variable. Process()
// returns kInvalidInput for an inconsistent raster, kInternal when
// Tesseract fails.
//
// Thread-safety: the stage is immutable; each worker owns its TessBaseAPI.
// Tesseract's own OpenMP threads are off (see stages/page/tesseract_engine.h):
// parallelism comes from running one worker per core.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pipeline/core/stage.h"
#include "stages/page/deskew_stage.h"
#include "stages/page/figure_reread.h"
#include "stages/page/letter_reread.h"
#include "stages/page/text_size.h"

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
  // Off by default although 200 saves about a third of the OCR CPU: at 200 a
  // test document was archived with a confidently wrong diacritic, and the
  // archived-field accuracy bar comes first. Re-measure field accuracy before
  // changing it (benchmarks/README.md, "OCR: recognition resolution").
  double recognition_dpi_max = 0;
  // Pages whose body text has a larger x-height than this, in pixels
  // (MeasureTextSize, stages/page/text_size.h), are recognized from a copy
  // downscaled until it is this, boxes scaled back (issue 19). The `vie`
  // model's LSTM reads each line scaled to 36 pixels high, and a line box
  // (descenders to the diacritics over capitals) is about 2 x-heights (43
  // px at 21 on the dense-prose bench pages): at 16 the lines are about 33
  // pixels, close to 36, so the LSTM sees nearly what it saw at full
  // resolution (where it scaled them down), while Tesseract's
  // thresholding, layout analysis and per-line image copies, which grow with
  // the pixel count, get cheaper. Measured (README, "OCR speed against bare
  // Tesseract"): 14 archived a wrong field on the tuning layouts, 16 did not.
  // 0 = off.
  double recognition_x_height = 16;
  // Pages below this resolution (recorded, or estimated from their text by
  // ingest) are recognized from a copy upscaled to it: Tesseract's LSTM
  // misreads text with an x-height under ~10 px. 200 leaves every page
  // scanned as the regulations ask (>= 200 dpi) untouched and read the real
  // screenshots best (benchmarks/README.md, same section). 0 = never upscale.
  double recognition_dpi_min = 200;
  // Lines with a gap wider than this many line heights are split and read
  // column by column (two-column Decree 30 headers); 0 = off. See
  // RecognizerConfig::column_gap_factor in stages/page/tesseract_engine.h.
  double column_gap_factor = 1.5;

  // Orientation fallback (see the file comment); false: pages are
  // recognized as they come.
  bool correct_orientation = true;
  double upright_min_confidence = 70;  // mean word confidence, 0..100
  double upright_min_share = 0.8;      // words in upright blocks
  double probe_dpi = 150;              // resolution of the turned probes
  double turn_min_gain = 10;           // score points a turn must win by
  DeskewOptions deskew;                // for the page once turned

  // Dotted leaders are painted out of the copy Tesseract reads
  // (stages/page/leader_dots.h); the page's pixels stay as scanned.
  bool remove_leader_dots = true;
  // Certificates are read from a copy without their ruled lines
  // (stages/page/ruled_lines.h); a register book keeps them.
  bool remove_ruled_lines = true;
  // Red ink (the seal) dropped from a colour page's reading copy
  // (stages/page/red_ink.h).
  bool drop_red_ink = true;
  // A gray page's seal dropped from its reading copy by its lighter ink
  // (stages/page/light_seal.h).
  bool drop_light_seal = true;
  // Figures (dates, numbers, IDs) read again by a second reader
  // (stages/page/figure_reread.h); needs eng.traineddata when enabled.
  FigureRereadOptions figures;
  // Unsure letter words (names, places) read again by a second reader
  // (stages/page/letter_reread.h); needs Vietnamese.traineddata when enabled.
  LetterRereadOptions letters;
};

// Whether `ocr` holds text: a word of two or more letters or digits read
// with confidence >= kMinTextConfidence. (Tesseract makes a few
// low-confidence "words" of specks and dashes on a blank sheet.)
inline constexpr float kMinTextConfidence = 50;
bool HasText(const OcrResult& ocr);

// The resolution above which a page of `dpi` whose body text measured
// `size` is recognized downscaled: options.recognition_dpi_max (0 = none),
// lowered to dpi * recognition_x_height / x-height when the text was found
// and is taller than that.
double RecognitionDpiMax(const OcrOptions& options, double dpi, const TextSize& size);

// Name() is "ocr". The engine mode is always LSTM only.
std::unique_ptr<PageStage> NewOcrStage(const OcrOptions& options = {});

}  // namespace sohoa
