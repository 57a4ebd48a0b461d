#include "stages/fields/split_rows.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace sohoa {
namespace {

int Centre(const Box& b) { return (b.top + b.bottom) / 2; }
int Height(const Box& b) { return std::max(1, b.height()); }

}  // namespace

bool SameRowToTheRight(const RowPiece& left, const RowPiece& right) {
  if (left.page != right.page) return false;
  const int hl = Height(left.box), hr = Height(right.box);
  const int smaller = std::min(hl, hr), larger = std::max(hl, hr);
  if (larger > kRowHeightRatio * smaller) return false;
  if (2 * std::abs(Centre(left.box) - Centre(right.box)) > smaller) return false;
  const int gap = right.box.left - left.box.right;
  return gap >= 0 && gap < kRowGapHeights * larger;
}

std::vector<JoinedRow> JoinSplitRows(const std::vector<RowPiece>& pieces) {
  const size_t n = pieces.size();
  // Sorted by page and centre, so each piece looks only at the pieces whose
  // centre is near its own: linear in practice, however many lines a page has.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (pieces[a].page != pieces[b].page) return pieces[a].page < pieces[b].page;
    return Centre(pieces[a].box) < Centre(pieces[b].box);
  });
  std::vector<std::optional<size_t>> next(n);
  std::vector<bool> has_left(n, false);
  for (size_t oi = 0; oi < n; ++oi) {
    const RowPiece& a = pieces[order[oi]];
    const int reach = Height(a.box);  // centres further apart than this are never one row
    auto consider = [&](size_t j) {
      const size_t b = order[j];
      if (!SameRowToTheRight(a, pieces[b])) return;
      const std::optional<size_t>& best = next[order[oi]];
      if (!best || pieces[b].box.left < pieces[*best].box.left) next[order[oi]] = b;
    };
    for (size_t j = oi + 1;
         j < n && pieces[order[j]].page == a.page && Centre(pieces[order[j]].box) - Centre(a.box) <= reach;
         ++j)
      consider(j);
    for (size_t j = oi;
         j-- > 0 && pieces[order[j]].page == a.page && Centre(a.box) - Centre(pieces[order[j]].box) <= reach;)
      consider(j);
  }
  for (size_t i = 0; i < n; ++i)
    if (next[i]) has_left[*next[i]] = true;
  std::vector<JoinedRow> rows;
  for (size_t i = 0; i < n; ++i) {
    if (has_left[i] || !next[i]) continue;
    JoinedRow row{pieces[i].page, pieces[i].text, i};
    size_t count = 1;
    for (std::optional<size_t> at = next[i]; at && count < kMaxRowPieces; at = next[*at], ++count)
      row.text += " " + pieces[*at].text;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace sohoa
