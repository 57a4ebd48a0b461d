// An RFC 4180 CSV reader for the small files people write by hand or export
// from a spreadsheet: the register of issued results, a list of books.
#pragma once

#include <string>
#include <vector>

namespace sohoa {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
  std::string error;  // unterminated quote, ...
};

// Quoted cells may hold commas, quotes ("") and newlines; a UTF-8 byte-order
// mark is skipped; blank lines give no row.
std::vector<CsvRow> ReadCsv(const std::string& text);

}  // namespace sohoa
