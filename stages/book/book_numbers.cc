#include "stages/book/book_numbers.h"

#include <regex>

#include "pipeline/core/text_fold.h"

namespace sohoa {
namespace {

// NameSearchKey folds to lower-case ASCII words joined by one space
// ("Trang số: 12" -> "trang so 12", "- 12 -" -> "12"): the patterns below
// are written against that form.
int Match(const std::string& text, const std::regex& pattern, int max_value) {
  const std::string key = NameSearchKey(text);
  std::smatch m;
  if (!std::regex_search(key, m, pattern)) return 0;
  const std::string digits = m[1].str();
  if (digits.size() > 5) return 0;
  const int value = std::stoi(digits);
  return value >= 1 && value <= max_value ? value : 0;
}

}  // namespace

int ParsePageNumber(const std::string& text) {
  static const std::regex kBare("^([0-9]{1,4})$");
  // "Trang 12", "Trang số: 12", "Tr. 12".
  static const std::regex kLabelled("(?:^| )tr(?:ang)?(?: so)? ([0-9]{1,4})(?: |$)");
  if (int n = Match(text, kBare, 9999)) return n;
  return Match(text, kLabelled, 9999);
}

int ParseEntryNumberLabel(const std::string& line_text) {
  // OCR reads the label "Số" also as "S6", "S0", "Sô".
  static const std::regex kLabel("^s[o06] ([0-9]{1,5})(?: |$)");
  // A line that is only the label and the number, as OCR garbles it at
  // 200 dpi: "S022)" (the colon lost: "Số" "22"), "ĐÓ: 17".
  static const std::regex kGarbledLabel("^[sd][o06] ?([0-9]{1,5})$");
  if (int n = Match(line_text, kLabel, 99999)) return n;
  return Match(line_text, kGarbledLabel, 99999);
}

int ParseCellNumber(const std::string& cell_text) {
  static const std::regex kCell("^(?:s[o06] )?([0-9]{1,5})$");
  return Match(cell_text, kCell, 99999);
}

}  // namespace sohoa
