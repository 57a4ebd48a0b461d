// One rule for every spreadsheet cell sohoa writes with text that came from
// outside (register rows, OCR text, keyed values, file names): the report's
// CSV today, the per-book handover workbook tomorrow. Excel and LibreOffice
// take a cell that starts with '=', '+', '-', '@', TAB or CR as a formula
// (OWASP "CSV injection": =HYPERLINK(...) leaks data, =cmd|... runs
// programs), so such a value gets a leading apostrophe and is otherwise
// written as it is. Only writers apply it: imports keep the original value.
#pragma once

#include <string>
#include <string_view>

namespace sohoa {

// `text` with a "'" in front when it starts with a formula character;
// otherwise unchanged. An XLSX writer puts the result in a string cell.
std::string SpreadsheetCell(std::string_view text);

// SpreadsheetCell(text) as one RFC 4180 CSV field: quoted (inner quotes
// doubled) when it holds a comma, a quote, CR or LF.
std::string CsvCell(std::string_view text);

}  // namespace sohoa
