// A certificate's ruled table read row by row (issue 14).
//
// Typewritten and printed certificates lay their fields out as a table: the
// label in the left cell, the value in the right one. Tesseract reads such
// a page line by line, so a label or a value that wraps inside its cell
// ("Họ, chữ đệm, tên người" over "cha"; "…, huyện Châu" over "Thành, tỉnh
// Bến Tre") comes out as two lines, and a line that a seal or a short label
// leaves in one column is paired with nothing or with the wrong row. On the
// tuning layouts the one ruled table layout held two thirds of the wrong
// fields.
//
// With the page's rulings (page.layout.rules_y / rules_x, found by the book
// layout stage on every page while its pixels exist), each band between two
// horizontal rulings inside the table's columns is one row: its words, cell
// by cell from left to right and line by line within a cell, become one
// line, so a label and its value meet again whatever wrapped; the label
// cell ends with a colon unless it holds one (as a label and its value on
// one line are printed). A word belongs to the cell its box's centre falls
// in. Words outside the table keep their own lines, and so do the words of
// a band more than kMostRowsInABand usual rows tall (rulings lost under a
// seal or a faded scan: several rows in one). A page without at least two
// horizontal rulings and three vertical ones (two columns) has no table:
// nullopt. The PDF's text layer keeps the OCR's own lines.
//
// Measured (README, issue 14): tuning seeds 1-7 2516 -> 2531 of 2632 fields
// right; held-back seeds 53-55 1054 -> 1080 of 1128.
//
// Thread-safety: a pure function.
#pragma once

#include <optional>
#include <vector>

#include "pipeline/core/document.h"

namespace sohoa {

// The page's OCR lines with its table's rows each made one line, in
// reading order (top to bottom; a row at its band's top); nullopt when the
// page has no ruled table with words in it.
std::optional<std::vector<OcrLine>> LinesWithTableRows(const Page& page);

}  // namespace sohoa
