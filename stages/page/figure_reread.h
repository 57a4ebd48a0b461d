// Figures read twice (issue 14): dates, numbers and personal IDs are the
// fields a wrong digit spoils without anyone noticing, and the `vie` model
// reads some faces' digits badly — on typewriter text (Liberation Mono) it
// takes 0 for 9 or 6 and 2 for 9 at low confidence ("14/08/2924",
// "648677122925"), where Tesseract's `eng` model reads the same words right.
//
// So after the page's recognition, every word that looks like figures
// (IsFigureWord: two or more digits, at most one letter) and was not read
// with near certainty is cropped from the page and read again by a second,
// independent reader: the `eng` model, one line, figures and their
// separators only. Then, comparing the two readings as figures (FigureKey:
// the fraction slash as '/', enclosing bars and trailing punctuation off):
//  - they agree: two readers say the same, so the word keeps its text and
//    takes the higher of the two confidences;
//  - they disagree: the word takes the second reading when that one is sure
//    (take_confidence) and keeps its own otherwise; the reading not taken is
//    kept in OcrWord::other_reading, and the word's confidence is capped at
//    disagreement_confidence, below the field gate's bar, so a value built on
//    it goes to a person with both readings to choose from — unless the
//    second reading is very sure (vouch_confidence): then it counts at its
//    own confidence, the first reading still kept beside it.
// A second reading with no figures in it changes nothing.
//
// Cost: one small recognition per candidate word (measured on the layout
// family: see README, "Field extraction on layouts nobody here designed").
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"
#include "stages/page/tesseract_engine.h"

namespace sohoa {

struct FigureRereadOptions {
  bool enabled = true;
  // Words read at or above this confidence (0..100) are not read again.
  float sure_confidence = 95;
  // A disagreeing second reading replaces the first only at or above this.
  float take_confidence = 80;
  // A second reading at or above this, taken where the readers disagree,
  // keeps its own confidence instead of the cap below. Chosen from measured
  // precision on the tuning layouts, seeds 1-23 (736 documents; README
  // "Figures the second reader is very sure of"): of the values built on
  // such a word, 212 of 212 were right at 0.90 and over; every disputed
  // value found wrong was read at 0.35 or less. The `vie` model's misreading
  // of typewritten figures (0 read as 9 or 6) is where these disputes come
  // from.
  float vouch_confidence = 90;
  // A word the two readers disagree on gets at most this confidence.
  // Below the field gate's lowest bar (0.40, a closed form's or a checked
  // name's: field_extraction_stage.cc, kClosedFormShare).
  float disagreement_confidence = 30;
};

// Two or more ASCII digits and at most one letter ("14/08/2024",
// "|17/⁄12/1970", "J94⁄09⁄2017"); "68/TLKT" and "Số:" are not.
bool IsFigureWord(const std::string& text);

// The figures of a reading, for comparing two readings: U+2044 (fraction
// slash) as '/', and bars, quotes and trailing or leading punctuation
// (.,:;) removed. "|17/⁄12/1970," -> "17//12/1970".
std::string FigureKey(const std::string& text);

// Whether `word` is read again: figures (IsFigureWord) not read with near
// certainty (sure_confidence), when re-reading is enabled.
bool NeedsSecondReading(const FigureRereadOptions& options, const OcrWord& word);
bool AnyNeedsSecondReading(const FigureRereadOptions& options, const OcrResult& ocr);

// The second reader: `eng`, one line (PSM 7), whitelist of digits and
// "/.-:,", crops upscaled to 300 dpi. kConfiguration without eng.traineddata.
StatusOr<std::unique_ptr<TesseractEngine>> NewFigureReader(const std::string& tessdata_dir);

// Reads again the figure words of `ocr` (boxes in `raster` pixels) as the
// header says. `reread` (optional) counts the words read again.
Status RereadFigures(const FigureRereadOptions& options, const Raster& raster, TesseractEngine& reader,
                     OcrResult& ocr, int* reread = nullptr);

}  // namespace sohoa
