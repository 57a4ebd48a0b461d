// Book layout: what a register book page holds besides its text (issue 17,
// /work/wt/BOOKS.md). A page stage that runs after OCR and before the
// encoder, while the raster exists. On a page of any other document it
// finds the rulings only (a certificate's ruled table, read row by row by
// field extraction: stages/fields/table_rows.h, issue 14). On pages of a
// book (document.is_book()) it fills page.layout (pipeline/core/book.h) and
// OcrLine::handwritten:
//
//  - Rulings (OpenCV): the page is binarised with a local (adaptive)
//    threshold, so a yellowed sheet or the shadow of the fold is paper, not
//    ink; a morphological opening with a long thin kernel keeps only runs
//    of ink that long (a ruling), and the connected pieces that span at
//    least min_rule_fraction of the page (of one half on a spread) are
//    rulings. Close ones are merged (a ruling drawn twice, the two halves of
//    a spread a few pixels apart): rules_y and rules_x, sorted.
//  - Spread: an image wider than tall by spread_min_aspect holds two facing
//    pages. The fold (gutter_x) is the darkest column band in the middle
//    fifth (the shadow of the binding) when it is clearly darker than the
//    paper, else the widest inkless gap there (two tables side by side),
//    else the middle.
//  - Page numbers: an OCR line (on a spread: the words of one half) in the
//    top or bottom page_number_band of the page, outside the ruled table,
//    that is only a number ("12", "- 12 -") or carries "Trang số 12"; the
//    one nearest the page edge wins, a labelled one over a bare one.
//    printed_page_numbers: one per half. A bare number OCR read with a
//    confidence below 70 is read again from its own box by a second
//    Tesseract pass (one line, digits and dashes only; NewPageNumberReader):
//    OCR reads "- 13 -" as "113."; where the two differ the second is
//    taken and the first kept in page_number_alternatives, for the book's
//    page sequence to settle (book_page_order.h). A half left without one
//    is read again from its bottom and top bands outside the table: each
//    small mark of ink there (digit-sized, a few at most; the ink of words
//    OCR read surely that are no number, a heading beside the number, left
//    out) is cropped and read by that second pass, since Tesseract's page
//    layout drops a lone digit in a corner as noise; a band gives a number
//    when exactly one mark reads as one. 0 when neither pass read one.
//  - Numbers in a ruled table: below the header, a cell of the table's
//    first column (of each half; it holds the entries' số) whose OCR words
//    are not a number (a lone "3" dropped, or read "K)") but whose ink is
//    one digit-sized mark is read the same way; a number read replaces the
//    cell's words in page.ocr.lines.
//  - Handwriting: a line is marked handwritten when (colour pages) at least
//    handwriting_ink_share of the ink under its words is a pen's, or the
//    ink of one of its words is mostly so. A pen's ink is told by its
//    colour against the paper it lies on, whatever the pen: white-balanced
//    by the paper around the word, black or gray print (and its edges
//    blended with yellowed paper) stays neutral, while blue, violet, green
//    or purple ink keeps a colour; red to yellow hues (stamps, stains, the
//    paper's tint) are not writing. A light violet ballpoint on yellowed
//    paper, whose raw colour is barely above gray, measures 40-48 there,
//    print about 5.
//    That is the strong cue; measured on generated books, printed
//    lines carry 0-6% such ink (a signature touching a word), written ones
//    16-65% (a printed label beside a written value included); the bar is
//    set near the middle of that gap, as a short written "Số: 12" beside
//    its black label came out at 13%. Tesseract's
//    confidence is a weak cue: a seal, a dotted leader or a lone "Số: 1"
//    lower it on print, and a line "label: garbled writing" keeps a high
//    median. So the weak cues (half of the line's letters read below
//    handwriting_max_confidence; words' bottoms wandering off the baseline
//    by more than baseline_wander x the x-height with the median confidence
//    below confident_print) judge only lines of three words or more, either
//    one on a page without colour; on a colour page (where only a pen whose
//    ink is black is left to find) both, with black_pen_low_confidence_share
//    of the letters unreadable. What OCR reads a pen's strokes as is the
//    third cue, whatever the ink: a value whose tokens are at least
//    garbled_share garble (two or more) is handwriting (a blue-black pen
//    passed for print by colour, and with dotted leaders out of the OCR
//    copy its lines no longer read unsurely enough for the weak cues).
//    A line that may be handwriting goes to a person,
//    which costs a look; a handwritten line taken for print would archive
//    OCR's guesses.
//
// Errors: NewWorker() -> kConfiguration when Tesseract's data is missing;
// Process() -> kInvalidInput for a raster inconsistent with its size,
// kInternal when OpenCV throws, Tesseract's error from the second reading.
// An empty raster or a blank page is left alone (OK).
//
// Thread-safety: the stage is immutable; each worker owns its Tesseract
// engine (workers are used by one thread at a time).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/stage.h"
#include "stages/page/tesseract_engine.h"

namespace sohoa {

struct BookLayoutOptions {
  // A ruling spans at least this share of the page's (half's) width, or of
  // its height for a vertical one.
  double min_rule_fraction = 0.3;
  // width / height at or above which an image is a two-page spread.
  double spread_min_aspect = 1.2;
  // Page numbers are looked for in this share of the height at the top and
  // at the bottom.
  double page_number_band = 0.12;
  // Handwriting (see above).
  double handwriting_ink_share = 0.10;
  float handwriting_max_confidence = 62;
  double handwriting_low_confidence_share = 0.5;
  double black_pen_low_confidence_share = 0.75;
  float confident_print = 85;
  double baseline_wander = 0.18;
  // A line whose value reads as this share of garble (at least two tokens
  // with a letter no Vietnamese text has, a symbol, or letters and digits
  // run together: "lJŸ 1w", "7# GŒD s#f") is handwriting whatever its ink.
  double garbled_share = 0.4;
  // Tesseract's data for the page-number reader; empty: DefaultTessdataDir().
  std::string tessdata_dir;
};

// The measures the handwriting judgement uses, per OCR line (diagnostics:
// tests/stages/book/book_accuracy_test prints them).
struct HandwritingCues {
  double pen_share = -1;  // of the ink under the words; -1: no colour or too little ink
  int pen_words = 0;      // words at least half of whose ink is a pen's
  float median_confidence = 0;
  double low_confidence_share = 0;  // of the letters, in words below handwriting_max_confidence
  double baseline_wander = 0;       // median distance of word bottoms from the baseline / x-height
  int value_tokens = 0;             // letter/digit runs after the line's label (its first ':')
  int garbled_tokens = 0;           // of them, ones print does not give (see garbled_share)
};

// Name() is "book_layout".
std::unique_ptr<PageStage> NewBookLayoutStage(const BookLayoutOptions& options = {});

// The rulings of a page that is no book's (rules_y, rules_x): horizontal
// ones at least half the page wide, vertical ones a tenth of its height
// (a certificate's table); page.layout.analysed stays false.
Status FindPageRulings(Page& page);

// The stage's work on one page, as a function (tests; `document` only needs
// to be a book). Does not check `options`. Without `corner_reader` (from
// NewPageNumberReader) page numbers come from the page's OCR only.
Status AnalyseBookPage(const BookLayoutOptions& options, Page& page, TesseractEngine* corner_reader = nullptr);

// The Tesseract recognizer that re-reads page numbers (see above); one per
// worker (an engine is not thread-safe). kConfiguration without the data.
StatusOr<std::unique_ptr<TesseractEngine>> NewPageNumberReader(const std::string& tessdata_dir = "");

// One HandwritingCues per line of page.ocr.lines (the page's raster still
// present); kInvalidInput for a raster inconsistent with its size.
StatusOr<std::vector<HandwritingCues>> MeasureHandwriting(const BookLayoutOptions& options, const Page& page);

}  // namespace sohoa
