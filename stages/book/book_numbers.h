// Reading the numbers a register book prints: the page number (trang số)
// and the entry number (số), from OCR text. Shared by the book layout stage
// (page numbers) and the book splitter (entry numbers).
//
// Matching is on the folded text (stages/fields/field_text.h: lower case, no
// diacritics), so "Trang số: 12", "TRANG SO 12" and "Trang sô: 12" read
// alike. Every function returns 0 when it reads no number; numbers are
// bounded (page numbers 1..9999, entry numbers 1..99999) so a run of digits
// OCR made of a stamp or a date never becomes a huge number.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace sohoa {

// What a printed page number looks like on its own line: "12", "- 12 -",
// "— 12 —", "(12)", "Trang 12", "Trang số: 12", "Tr. 12" (also inside a longer header line
// "Quyển số: 01/2018   Trang số: 12"). 0 for anything else.
int ParsePageNumber(const std::string& text);

// The entry number of a printed register page's "Số:" label line ("Số: 12",
// "Số 12/2018", OCR's "S6: 12"; a line of only the label and the number
// also as "S022)" or "ĐÓ: 17"), 0 when the line is not that label (e.g.
// "Số định danh cá nhân: ...", "Quyển số: ...").
int ParseEntryNumberLabel(const std::string& line_text);

// The number in a table cell that should hold only one ("12", "12.", "số 12");
// 0 when the cell holds no digits or more than one number.
int ParseCellNumber(const std::string& cell_text);

}  // namespace sohoa
