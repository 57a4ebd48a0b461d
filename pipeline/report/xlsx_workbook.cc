#include "pipeline/report/xlsx_workbook.h"

#include <xlsxwriter.h>

#include <memory>

#include "pipeline/core/spreadsheet_cell.h"

namespace sohoa {
namespace {

constexpr size_t kMaxCellChars = 32767;  // Excel's limit for one cell

// Owns a workbook that was not closed (closing writes it; an error path
// frees it without leaving a file behind beyond what the caller removes).
struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

Status Check(lxw_error error, const std::string& path, const std::string& what) {
  if (error == LXW_NO_ERROR) return Status::Ok();
  return Status::IoError(path + ": " + what + ": " + lxw_strerror(error));
}

size_t CodePoints(const std::string& utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Status WriteXlsx(const std::string& path, const std::vector<XlsxSheet>& sheets, const std::string& temp_dir) {
  if (sheets.empty()) return Status::InvalidInput(path + ": a workbook needs a sheet");
  for (const XlsxSheet& sheet : sheets) {
    if (sheet.name.empty() || sheet.name.size() > 31 ||
        sheet.name.find_first_of("[]:*?/\\") != std::string::npos)
      return Status::InvalidInput(path + ": bad sheet name '" + sheet.name + "'");
  }
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;  // rows go to disk as written: memory independent of the book's size
  options.tmpdir = const_cast<char*>(temp_dir.c_str());
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new_opt(path.c_str(), &options));
  if (!workbook) return Status::IoError(path + ": cannot start a workbook");
  for (const XlsxSheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook.get(), sheet.name.c_str());
    if (ws == nullptr) return Status::InvalidInput(path + ": cannot add the sheet '" + sheet.name + "'");
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      if (r >= LXW_ROW_MAX) return Status::InvalidInput(path + ": more rows than a sheet holds");
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        if (sheet.rows[r][c].empty()) continue;  // an empty cell is no cell
        const std::string cell = SpreadsheetCell(sheet.rows[r][c]);
        if (CodePoints(cell) > kMaxCellChars || c >= LXW_COL_MAX)
          return Status::InvalidInput(path + ": sheet '" + sheet.name + "' row " + std::to_string(r + 1) +
                                      ": a cell is too long or too far right");
        SOHOA_RETURN_IF_ERROR(Check(worksheet_write_string(ws, static_cast<lxw_row_t>(r),
                                                           static_cast<lxw_col_t>(c), cell.c_str(), nullptr),
                                    path, "sheet '" + sheet.name + "' row " + std::to_string(r + 1)));
      }
    }
    worksheet_freeze_panes(ws, 1, 0);  // the header row stays in view
  }
  // Closing writes the file (and frees the workbook whatever happens).
  return Check(workbook_close(workbook.release()), path, "writing the workbook");
}

}  // namespace sohoa
