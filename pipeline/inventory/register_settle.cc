#include "pipeline/inventory/register_settle.h"

#include <algorithm>
#include <cctype>

namespace sohoa {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Same length, and exactly one position differs, a digit in both.
bool OneFigureApart(const std::string& read, const std::string& register_value) {
  if (read.size() != register_value.size()) return false;
  int differences = 0;
  for (size_t i = 0; i < read.size(); ++i) {
    if (read[i] == register_value[i]) continue;
    if (!IsDigit(read[i]) || !IsDigit(register_value[i])) return false;
    ++differences;
  }
  return differences == 1;
}

}  // namespace

bool ReadingAllows(const RegisterFieldReading& reading, const std::string& register_value) {
  if (reading.readings.empty()) return register_value.empty();
  if (register_value.empty()) return false;
  const auto& r = reading.readings;
  if (std::find(r.begin(), r.end(), register_value) != r.end()) return true;
  return reading.doubted && OneFigureApart(r.front(), register_value);
}

const InventoryRecord* RowSettlingReadings(const std::vector<InventoryRecord>& rows,
                                           const RegisterReadings& readings) {
  const InventoryRecord* found = nullptr;
  for (const InventoryRecord& row : rows) {
    if (!ReadingAllows(readings.number, row.number) || !ReadingAllows(readings.book, row.book) ||
        !ReadingAllows(readings.date, row.issue_date))
      continue;
    if (found != nullptr) return nullptr;  // two rows the readings allow: the register cannot say which
    found = &row;
  }
  return found;
}

}  // namespace sohoa
