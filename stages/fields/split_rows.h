// One printed row that OCR returned as several lines (issue 14).
//
// Tesseract finds columns before it finds lines. A centred title that runs
// across the gap between a two-column header's columns ("ỦY BAN NHÂN DÂN …"
// on the left, "CỘNG HÒA …" on the right) can come back as two lines,
// "GIẤY XÁC" and "NHẬN TÌNH TRẠNG HÔN NHÂN", each in a block of its own,
// with other lines between them in reading order. Neither piece is the
// title, and the page was left without a type (on the tuning layouts: every
// marital-status certificate of one layout, 11 fields each).
//
// JoinSplitRows() puts such rows back together from the lines' boxes: two
// lines on the same page are one row when their vertical centres are
// within half a line height of each other, their heights within a factor
// kRowHeightRatio (stacked diacritics: the two halves of one title measured
// 16 and 24 pt), and the right one starts after the left one ends, less
// than kRowGapHeights line heights away. Only rows of two or more pieces are
// returned (at most kMaxRowPieces, left to right, joined by a space): the
// single lines are the caller's already. Whether a joined row means
// anything (a title, a label) is the caller's test; a row of two columns'
// unrelated text is long, and titles are matched only on short lines.
//
// Thread-safety: a free function without shared state.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"

namespace sohoa {

inline constexpr double kRowHeightRatio = 2.0;
inline constexpr double kRowGapHeights = 2.5;
inline constexpr size_t kMaxRowPieces = 4;

struct RowPiece {
  int page = 0;
  Box box;
  std::string text;
};

struct JoinedRow {
  int page = 0;
  std::string text;
  size_t first = 0;  // index in the pieces of its leftmost piece
};

std::vector<JoinedRow> JoinSplitRows(const std::vector<RowPiece>& pieces);

// Whether `right` is a piece of `left`'s row, to its right (the test
// JoinSplitRows joins by).
bool SameRowToTheRight(const RowPiece& left, const RowPiece& right);

}  // namespace sohoa
