// Letters read twice (issue 14): names and places are open sets that no
// lexicon closes, and Tesseract's word confidence does not separate right
// readings from wrong ones well enough to archive them on it: on the tuning
// layouts right names were read at 0.00-0.78 ("NGUYỄN HỮU CƯỜNG" at 0.00)
// and wrong ones at 0.20-0.91.
//
// So after the page's recognition, every run of neighbouring words on a
// line that hold letters (not figures: stages/page/figure_reread.h reads
// those) and were not read with near certainty is cropped from the page and
// read again, as one line, by a second reader trained apart from the first:
// Tesseract's Vietnamese *script* model (Debian tesseract-ocr-script-viet),
// where the first is the `vie` language model. Comparing word by word
// (LetterKey: NFC, case kept, surrounding punctuation off):
//  - they agree: two readers say the same, so the word's confidence rises
//    to the second reader's, but never above agreed_confidence: enough for
//    the field gate's bar on names and places (0.80), not for free text
//    (0.97), where both readers were measured wrong together ("Bệnh phối"
//    for "Bệnh phổi", "Đột quy" for "Đột quỵ": a diacritic both models
//    miss);
//  - they disagree: the word keeps its text and confidence, and the second
//    reading is kept in OcrWord::other_reading. Dissent is not counted
//    against a word: the script model alone misreads more than `vie` does.
//    Capping every dissent held back six right dates written in words on
//    the tuning layouts ("mươi" read "mười"); capping only sure dissent on
//    capitalised words still held back right names and registration places
//    on the bilevel (G3/G4 fax) scans of the sample batch, and caught no
//    wrong value that passed on the tuning layouts.
//    Words are paired by their longest common subsequence, so an extra word
//    costs only itself.
// Before it was written, the script model read the value of every name on
// the tuning layouts again: it agreed with 36 right names and no wrong one.
// With it, right values passing the gate: names 42 -> 44, places 29 -> 29
// (tuning), 45 -> 47 and 26 -> 27 (held-back); README, "Field extraction
// on layouts nobody here designed".
//
// Register books are not read twice: their entries are read by the book
// stages, and handwriting is never vouched for by any reader.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"
#include "stages/page/tesseract_engine.h"

namespace sohoa {

struct LetterRereadOptions {
  bool enabled = true;
  // Where a page's title is (the fields stage's title search,
  // stages/fields/field_extraction_stage.h NewTitleFinder): the index in
  // OcrResult::lines of the topmost line holding a type's title, -1 when no
  // line does, another negative value when it cannot say. Empty: never
  // known. Word confidences and second readings are used by field
  // extraction only, so
  //  - a one-page document whose page has no type's title is not read twice
  //    (0.14 CPU s per dense prose page). Pages of longer documents are:
  //    the title may be on another page;
  //  - on a page with a title, the lines above it and the title's own line
  //    (the Decree 30 header: issuing body, national motto, title) are not
  //    read again, unless they hold a figure: the header's place-and-date
  //    line gives the registration date ("dated_line", schemas/), and a
  //    number may sit beside the title. Nothing else of the fields stage
  //    reads the header's confidences. On the tuning layouts the header was
  //    about a third of the width read again (README "Where a form's CPU
  //    goes").
  std::function<int(const OcrResult&)> find_title;
  // Words read at or above this confidence (0..100) are not read again.
  float sure_confidence = 95;
  // Two readers agreeing raise a word to at most this confidence.
  float agreed_confidence = 90;
};

// The Tesseract language of the second reader, and the Debian package that
// installs it (for the error when it is missing).
inline constexpr char kLetterReaderLanguage[] = "Vietnamese";
inline constexpr char kLetterReaderPackage[] = "tesseract-ocr-script-viet";

// Holds a letter and no digit ("NGUYỄN", "Kinh;"); "68/TLKT", "14/08/2024"
// and ":" are not (figures are the figure reader's; a number with its
// symbol is checked as a number).
bool IsLetterWord(const std::string& text);

// A reading as compared: NFC, case kept, quotes and bars anywhere and
// leading or trailing punctuation (.,:;) off. "NGUYỄN," -> "NGUYỄN".
std::string LetterKey(const std::string& text);

// OK when the second reader's model is installed; kConfiguration naming the
// package otherwise.
Status CheckLetterReader(const std::string& tessdata_dir);

// The second reader: the Vietnamese script model, one line (PSM 7), crops
// upscaled to 300 dpi. CheckLetterReader's error without it.
StatusOr<std::unique_ptr<TesseractEngine>> NewLetterReader(const std::string& tessdata_dir);

// Whether RereadLetters would read anything of `ocr` again (the OCR stage
// makes the reader for the first page that needs it).
bool AnyNeedsLetterReading(const LetterRereadOptions& options, const OcrResult& ocr, int title_line = -1);

// Reads again the unsure letter words of `ocr` (boxes in `raster` pixels)
// as the header says; when `title_line` is an index of ocr.lines, the lines
// of the page's header (LetterRereadOptions::find_title) are left as read.
// `reread` (optional) counts the runs read again.
Status RereadLetters(const LetterRereadOptions& options, const Raster& raster, TesseractEngine& reader,
                     OcrResult& ocr, int* reread = nullptr, int title_line = -1);

}  // namespace sohoa
