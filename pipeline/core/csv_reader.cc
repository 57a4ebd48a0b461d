#include "pipeline/core/csv_reader.h"

#include "pipeline/core/error_text.h"

namespace sohoa {

std::vector<CsvRow> ReadCsv(const std::string& text) {
  std::vector<CsvRow> rows;
  size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  int line = 1;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool quoted = false, done = false;
    while (!done) {
      if (i >= text.size()) {
        if (quoted) row.error = ErrorText("csv.unclosed_quote", {});
        row.cells.push_back(cell);
        break;
      }
      const char c = text[i++];
      if (quoted) {
        if (c == '"' && i < text.size() && text[i] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
      } else if (c == '"' && cell.empty()) {
        quoted = true;
      } else if (c == ',') {
        row.cells.push_back(cell);
        cell.clear();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i < text.size() && text[i] == '\n') ++i;
        ++line;
        row.cells.push_back(cell);
        done = true;
      } else {
        cell += c;
      }
    }
    const bool blank = row.cells.size() == 1 && row.cells[0].empty() && row.error.empty();
    if (!blank) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace sohoa
