#include "stages/fields/table_rows.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

namespace sohoa {
namespace {

// The band (between rulings `rules`, sorted) that `at` falls in; -1 outside.
int BandOf(const std::vector<int>& rules, int at) {
  for (size_t i = 0; i + 1 < rules.size(); ++i)
    if (at >= rules[i] && at < rules[i + 1]) return static_cast<int>(i);
  return -1;
}

// A line being built starts with no box: its first word's is its box.
void Extend(Box& box, const Box& by) {
  if (box.width() <= 0 && box.height() <= 0)
    box = by;
  else
    box.Cover(by);
}

// A row's value wraps to two or three lines at most; a band taller than
// this many usual bands holds several rows.
constexpr double kMostRowsInABand = 3.5;

struct Placed {
  size_t line;  // index of its OCR line (reading order within a cell)
  const OcrWord* word;
};

// Every word of `words` is ASCII punctuation only (":" or "." yes; "—", not
// ASCII, no).
bool OnlyPunctuation(const std::vector<Placed>& words) {
  return std::all_of(words.begin(), words.end(), [](const Placed& p) {
    return std::all_of(p.word->text.begin(), p.word->text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80 && std::ispunct(c); });
  });
}

// A cell's words in reading order: line by line from the top, each line's
// words in their order. Tesseract may give a cell's wrapped line first, or
// split one printed line into pieces (tuning seed 1: "Họ," and "chữ đệm, tên
// người" as lines of their own, the first a few pixels lower, which by their
// tops came out after the other): pieces of Tesseract's lines that overlap
// by half their height are one printed line, read left to right. (A speck
// keeps the line Tesseract gave it: word by word, a ":" read off the seal
// landed between "tên" and "người".) A piece of punctuation alone (a speck
// read as ":" between two lines, OnlyPunctuation) comes last, out of the
// words' way.
void InReadingOrder(std::vector<Placed>& cell) {
  struct Piece {
    Box box;
    std::vector<Placed> words;
  };
  std::vector<Piece> pieces;  // the cell's part of each OCR line, in first-seen order
  for (const Placed& p : cell) {
    auto piece = std::find_if(pieces.begin(), pieces.end(),
                              [&](const Piece& q) { return q.words.front().line == p.line; });
    if (piece == pieces.end()) piece = pieces.insert(pieces.end(), Piece{});
    Extend(piece->box, p.word->box);
    piece->words.push_back(p);
  }
  const auto specks = std::stable_partition(pieces.begin(), pieces.end(),
                                            [](const Piece& p) { return !OnlyPunctuation(p.words); });
  std::stable_sort(pieces.begin(), specks,
                   [](const Piece& a, const Piece& b) { return a.box.top < b.box.top; });
  cell.clear();
  for (size_t start = 0; start < pieces.size();) {
    Box printed = pieces[start].box;
    size_t end = start + 1;
    for (; end < pieces.size(); ++end) {
      const Box& next = pieces[end].box;
      const int overlap = std::min(printed.bottom, next.bottom) - std::max(printed.top, next.top);
      if (2 * overlap < std::min(printed.height(), next.height())) break;
      printed.Cover(next);
    }
    std::stable_sort(pieces.begin() + static_cast<std::ptrdiff_t>(start),
                     pieces.begin() + static_cast<std::ptrdiff_t>(end),
                     [](const Piece& a, const Piece& b) { return a.box.left < b.box.left; });
    for (; start < end; ++start)
      cell.insert(cell.end(), pieces[start].words.begin(), pieces[start].words.end());
  }
}

}  // namespace

std::optional<std::vector<OcrLine>> LinesWithTableRows(const Page& page) {
  const std::vector<int>& rows = page.layout.rules_y;
  const std::vector<int>& columns = page.layout.rules_x;
  if (rows.size() < 2 || columns.size() < 3) return std::nullopt;
  const int left = columns.front(), right = columns.back();
  const int top = rows.front(), bottom = rows.back();

  // cells[band][column]: the words whose centre falls in it.
  std::vector<std::vector<std::vector<Placed>>> cells(rows.size() - 1,
                                                      std::vector<std::vector<Placed>>(columns.size() - 1));
  std::vector<OcrLine> lines;
  bool any_in_table = false;
  for (size_t l = 0; l < page.ocr.lines.size(); ++l) {
    const OcrLine& line = page.ocr.lines[l];
    OcrLine outside = line;
    outside.words.clear();
    outside.box = Box{};
    for (const OcrWord& word : line.words) {
      const int cx = (word.box.left + word.box.right) / 2, cy = (word.box.top + word.box.bottom) / 2;
      const bool inside = cx >= left && cx < right && cy >= top && cy < bottom;
      const int band = inside ? BandOf(rows, cy) : -1;
      const int column = inside ? BandOf(columns, cx) : -1;
      if (band < 0 || column < 0) {
        outside.words.push_back(word);
        Extend(outside.box, word.box);
        continue;
      }
      cells[band][column].push_back({l, &word});
      any_in_table = true;
    }
    if (!outside.words.empty()) lines.push_back(std::move(outside));
  }
  if (!any_in_table) return std::nullopt;

  // A band several rows tall lost rulings between its rows (a seal over
  // them, a faded scan): its words keep their own lines.
  std::vector<int> heights;
  for (size_t band = 0; band < cells.size(); ++band) {
    const bool any = std::any_of(cells[band].begin(), cells[band].end(),
                                 [](const std::vector<Placed>& cell) { return !cell.empty(); });
    if (any) heights.push_back(rows[band + 1] - rows[band]);
  }
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const int usual = heights[heights.size() / 2];
  for (size_t band = 0; band < cells.size(); ++band) {
    if (rows[band + 1] - rows[band] <= kMostRowsInABand * usual) continue;
    std::map<size_t, OcrLine> own;  // by OCR line
    for (const std::vector<Placed>& cell : cells[band]) {
      for (const Placed& p : cell) {
        OcrLine& line = own[p.line];
        if (line.words.empty()) {
          line = page.ocr.lines[p.line];
          line.words.clear();
          line.box = Box{};
        }
        line.words.push_back(*p.word);
        Extend(line.box, p.word->box);
      }
    }
    for (auto& [index, line] : own) lines.push_back(std::move(line));
    for (std::vector<Placed>& cell : cells[band]) cell.clear();
  }

  for (size_t band = 0; band < cells.size(); ++band) {
    OcrLine row;
    // The label cell ends with a colon, as a label and its value on one
    // line are printed ("Quốc tịch: Việt Nam"), unless it has one already.
    const bool two_cells = std::count_if(cells[band].begin(), cells[band].end(),
                                         [](const std::vector<Placed>& cell) { return !cell.empty(); }) >= 2;
    const std::vector<Placed>& label_cell = cells[band].front();
    const bool labelled = two_cells && !label_cell.empty() &&
                          std::none_of(label_cell.begin(), label_cell.end(), [](const Placed& p) {
                            return p.word->text.find(':') != std::string::npos;
                          });
    for (std::vector<Placed>& cell : cells[band]) {
      InReadingOrder(cell);
      for (const Placed& p : cell) {
        // The row's first text line gives its baseline and block.
        if (row.words.empty()) {
          row.baseline_y = page.ocr.lines[p.line].baseline_y;
          row.block = page.ocr.lines[p.line].block;
        }
        row.words.push_back(*p.word);
        Extend(row.box, p.word->box);
      }
      if (labelled && &cell == &cells[band].front()) row.words.back().text += ':';
    }
    if (!row.words.empty()) lines.push_back(std::move(row));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const OcrLine& a, const OcrLine& b) { return a.box.top < b.box.top; });
  return lines;
}

}  // namespace sohoa
