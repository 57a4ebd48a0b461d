// Writes an .xlsx workbook (Office Open XML spreadsheet) with libxlsxwriter:
// the one place sohoa calls that library. Every cell is a string cell made
// safe with SpreadsheetCell (pipeline/core/spreadsheet_cell.h), so a number
// keeps its leading zeros ("0012"), a date stays as written ("27.08.2008")
// and a value starting with '=' is never a formula.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct XlsxSheet {
  std::string name;                            // 1-31 characters, none of []:*?/\ (Excel's rule)
  std::vector<std::vector<std::string>> rows;  // rows[0] is the header row
};

// Writes `sheets` (the first is the one a program opening the file reads
// first) to `path`, replacing it. `temp_dir` holds libxlsxwriter's
// temporary files. kInvalidInput for a bad sheet name or a cell longer than
// Excel allows (32,767 characters); kIoError naming `path` when writing fails.
// Not atomic: write to a temporary name and rename.
Status WriteXlsx(const std::string& path, const std::vector<XlsxSheet>& sheets, const std::string& temp_dir);

}  // namespace sohoa
