// The table of a ruled register page, read from its rulings
// (page.layout.rules_y / rules_x, found by the book layout stage) and its
// OCR words: the header row's column titles and the data rows' cells. Used
// by the book splitter (book_split_stage.h).
//
// Rows are the bands between successive horizontal rulings; bands thinner
// than a quarter of the usual row (a doubled ruling, column numbers) are
// not rows. The header is the first row that holds words; each later row
// holding words or a handwritten line is a data row. On a spread (gutter_x >= 0) the columns
// of the left half come first, then those of the right half, and a row
// runs across both. A word belongs to the cell its box centre falls in.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"

namespace sohoa {

struct TableCell {
  Box box;
  std::vector<OcrWord> words;  // in reading order
  std::string Text() const;
};

struct TableRow {
  Box box;
  std::vector<TableCell> cells;  // one per column
  bool handwritten = false;      // an OCR line marked handwritten lies in it
  int band = 0;                  // its place among the bands between rulings (0 = top)
};

struct RuledTable {
  std::vector<std::string> column_titles;  // header cell texts
  std::vector<int> column_half;            // 0 left (or the only half), 1 right
  std::vector<TableRow> rows;              // data rows, top to bottom
  bool found() const { return !column_titles.empty(); }
};

// Appends the columns of `right` (the facing page of `left`, scanned as a
// page of its own) to `left`: a row takes the cells of the row in the same
// band of `right` (empty cells when it has none there). Rows only `right`
// holds are added with empty left cells.
void JoinFacingPage(RuledTable& left, const RuledTable& right);

// Empty (found() false) when the page has fewer than two horizontal or two
// vertical rulings, or no row with words.
RuledTable ReadRuledTable(const Page& page);

// The field of `labels` (per field, its printed labels; in doc-type order)
// a column title names: the field one of whose labels covers most of the
// title's folded words (ties: the label with fewest other words); -1 when
// none covers at least 60% of them.
int MatchColumnTitle(const std::string& title, const std::vector<std::vector<std::string>>& labels);

}  // namespace sohoa
