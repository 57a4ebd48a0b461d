#include "stages/book/ruled_table.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "pipeline/core/text_fold.h"

namespace sohoa {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(NameSearchKey(text));
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool Inside(const Box& box, int x, int y) { return x >= box.left && x < box.right && y >= box.top && y < box.bottom; }

// Column edges per half: the vertical rulings on that side of the fold.
std::vector<std::pair<int, int>> Columns(const PageLayout& layout, int width, std::vector<int>* halves) {
  std::vector<std::pair<int, int>> columns;
  for (int half = 0; half < (layout.gutter_x >= 0 ? 2 : 1); ++half) {
    const int lo = layout.gutter_x < 0 || half == 0 ? 0 : layout.gutter_x;
    const int hi = layout.gutter_x < 0 || half == 1 ? width : layout.gutter_x;
    std::vector<int> xs;
    for (int x : layout.rules_x) {
      if (x >= lo && x < hi) xs.push_back(x);
    }
    for (size_t i = 0; i + 1 < xs.size(); ++i) {
      columns.push_back({xs[i], xs[i + 1]});
      halves->push_back(half);
    }
  }
  return columns;
}

}  // namespace

std::string TableCell::Text() const {
  std::string text;
  for (const OcrWord& word : words) text += (text.empty() ? "" : " ") + word.text;
  return text;
}

RuledTable ReadRuledTable(const Page& page) {
  RuledTable table;
  const PageLayout& layout = page.layout;
  if (layout.rules_y.size() < 2 || layout.rules_x.size() < 2) return table;
  int width = page.raster.width;
  for (int x : layout.rules_x) width = std::max(width, x + 1);
  for (const OcrLine& line : page.ocr.lines) width = std::max(width, line.box.right);
  std::vector<int> halves;
  const std::vector<std::pair<int, int>> columns = Columns(layout, width, &halves);
  if (columns.empty()) return table;

  std::vector<int> heights;
  for (size_t i = 0; i + 1 < layout.rules_y.size(); ++i) heights.push_back(layout.rules_y[i + 1] - layout.rules_y[i]);
  std::vector<int> sorted = heights;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const int usual = sorted[sorted.size() / 2];

  bool header_seen = false;
  for (size_t i = 0; i + 1 < layout.rules_y.size(); ++i) {
    // The gap of a doubled ruling, or a band of column numbers "(1) (2) …"
    // under the titles, is a fifth of a row or less. The header band may be
    // under two fifths of a tall row (17 mm titles over five 43 mm rows on
    // an A4 page), so that is no bound: a page's first row was taken for its
    // header, its columns then named no field (issue 18).
    if (heights[i] < usual / 4) continue;
    TableRow row;
    row.band = static_cast<int>(i);
    row.box = {columns.front().first, layout.rules_y[i], columns.back().second, layout.rules_y[i + 1]};
    for (const auto& [left, right] : columns) row.cells.push_back({{left, row.box.top, right, row.box.bottom}, {}});
    bool any_word = false;
    for (const OcrLine& line : page.ocr.lines) {
      for (const OcrWord& word : line.words) {
        const int cx = (word.box.left + word.box.right) / 2, cy = (word.box.top + word.box.bottom) / 2;
        for (TableCell& cell : row.cells) {
          if (!Inside(cell.box, cx, cy)) continue;
          cell.words.push_back(word);
          any_word = true;
          if (line.handwritten) row.handwritten = true;
          break;
        }
      }
    }
    if (!any_word) continue;
    if (!header_seen) {
      header_seen = true;
      for (const TableCell& cell : row.cells) table.column_titles.push_back(cell.Text());
      table.column_half = halves;
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

void JoinFacingPage(RuledTable& left, const RuledTable& right) {
  const size_t left_columns = left.column_titles.size(), right_columns = right.column_titles.size();
  for (const std::string& title : right.column_titles) left.column_titles.push_back(title);
  for (size_t c = 0; c < right_columns; ++c) left.column_half.push_back(1);
  std::vector<bool> used(right.rows.size(), false);
  for (TableRow& row : left.rows) {
    const TableRow* other = nullptr;
    for (size_t r = 0; r < right.rows.size(); ++r) {
      if (right.rows[r].band == row.band) other = &right.rows[r], used[r] = true;
    }
    for (size_t c = 0; c < right_columns; ++c) row.cells.push_back(other ? other->cells[c] : TableCell{});
    if (other && other->handwritten) row.handwritten = true;
  }
  for (size_t r = 0; r < right.rows.size(); ++r) {
    if (used[r]) continue;
    TableRow row = right.rows[r];
    row.cells.insert(row.cells.begin(), left_columns, TableCell{});
    left.rows.push_back(std::move(row));
  }
  std::stable_sort(left.rows.begin(), left.rows.end(), [](const TableRow& a, const TableRow& b) { return a.band < b.band; });
}

int MatchColumnTitle(const std::string& title, const std::vector<std::vector<std::string>>& labels) {
  const std::vector<std::string> title_words = Words(title);
  if (title_words.empty()) return -1;
  const std::set<std::string> wanted(title_words.begin(), title_words.end());
  int best = -1;
  double best_cover = 0;
  size_t best_extra = 0;
  for (size_t f = 0; f < labels.size(); ++f) {
    for (const std::string& label : labels[f]) {
      const std::vector<std::string> label_words = Words(label);
      const std::set<std::string> have(label_words.begin(), label_words.end());
      size_t common = 0;
      for (const std::string& word : wanted) common += have.count(word);
      const double cover = static_cast<double>(common) / wanted.size();
      const size_t extra = have.size() - common;
      if (cover > best_cover || (cover == best_cover && best >= 0 && extra < best_extra)) {
        best = static_cast<int>(f), best_cover = cover, best_extra = extra;
      }
    }
  }
  return best_cover >= 0.6 ? best : -1;
}

}  // namespace sohoa
