#include "stages/book/book_page_order.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "pipeline/core/text_fold.h"

namespace sohoa {
namespace {

// How many halves on each side a page number is compared with.
constexpr int kSequenceWindow = 3;

// The folded words of the lines; with `printed_only`, of the lines not
// marked handwritten.
std::map<std::string, int> WordBag(const OcrResult& ocr, bool printed_only) {
  std::map<std::string, int> bag;
  for (const OcrLine& line : ocr.lines) {
    if (printed_only && line.handwritten) continue;
    for (const OcrWord& word : line.words) {
      std::string key = NameSearchKey(word.text);
      if (!key.empty()) ++bag[key];
    }
  }
  return bag;
}

std::vector<int> ReadNumbers(const Page& page) {
  std::vector<int> numbers = page.layout.printed_page_numbers;
  numbers.resize(page.layout.gutter_x >= 0 ? 2 : 1, 0);
  return numbers;
}

bool AllUnread(const std::vector<int>& numbers) {
  return std::all_of(numbers.begin(), numbers.end(), [](int n) { return n <= 0; });
}

std::string Scan(int s) { return "scan page " + std::to_string(s + 1); }

std::string PagesText(const std::vector<int>& numbers) {
  std::string text;
  for (int n : numbers) text += (text.empty() ? "" : "-") + (n > 0 ? std::to_string(n) : std::string("?"));
  return text;
}

// One half of a scan page: the unit a page number belongs to.
struct Slot {
  int scan = 0, half = 0;
  int value = 0;  // read, later inferred
};

// Marks the slots (with a value) on one longest strictly increasing run.
std::vector<bool> LongestIncreasingRun(const std::vector<Slot>& slots) {
  const int n = static_cast<int>(slots.size());
  std::vector<int> length(n, 0), previous(n, -1);
  int best = -1;
  for (int i = 0; i < n; ++i) {
    if (slots[i].value <= 0) continue;
    length[i] = 1;
    for (int j = 0; j < i; ++j) {
      if (slots[j].value > 0 && slots[j].value < slots[i].value && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        previous[i] = j;
      }
    }
    if (best < 0 || length[i] > length[best]) best = i;
  }
  std::vector<bool> on_run(n, false);
  for (int i = best; i >= 0; i = previous[i]) on_run[i] = true;
  return on_run;
}

double Dice(const std::map<std::string, int>& bag_a, const std::map<std::string, int>& bag_b) {
  int total = 0, common = 0;
  for (const auto& [word, count] : bag_a) {
    total += count;
    auto it = bag_b.find(word);
    if (it != bag_b.end()) common += std::min(count, it->second);
  }
  for (const auto& [word, count] : bag_b) total += count;
  return total == 0 ? 0 : 2.0 * common / total;
}

int Size(const std::map<std::string, int>& bag) {
  int n = 0;
  for (const auto& [word, count] : bag) n += count;
  return n;
}

// Whether a book of `halves` page halves scanned from `first_number` on
// can carry the page number `value` (a generous slack for missing pages:
// it only tells "1000" or "113" in a 30-page book), and
// whether `value` at position `i` of `values` agrees with the book around it:
// inside the numbers the book can hold (the manifest's first page number
// counted on over the scan, with some slack for missing pages) and, where
// other readings lie near it, within two of what one of them predicts
// (a page missing, repeated or swapped moves a number by one).
bool BookCanHold(int value, int halves, int first_number) {
  return value >= first_number && value <= first_number + 2 * halves + 20;
}

bool FitsSequence(const std::vector<int>& values, const std::vector<bool>& doubtful, int i, int value,
                  int first_number) {
  const int n = static_cast<int>(values.size());
  if (!BookCanHold(value, n, first_number)) return false;
  bool neighbours = false;
  // The manifest's first page number stands as a reading before the first page.
  for (int j = std::max(-1, i - kSequenceWindow); j <= std::min(n - 1, i + kSequenceWindow); ++j) {
    if (j == i) continue;
    const int other = j < 0 ? first_number - 1 : values[j];
    if (other <= 0 || (j >= 0 && doubtful[j])) continue;
    neighbours = true;
    if (std::abs((value - i) - (other - j)) <= 2) return true;
  }
  return !neighbours;
}

// Words on at least half the pages of a book of kMinTemplatePages or more:
// its printed form's labels and headings, alike on every page, which say
// nothing about whether two pages are one sheet. (With dotted leaders out
// of the OCR copy, the labels of every printed page read the same: two
// neighbouring pages written by hand, their numbers unread, matched on
// labels alone and one page's entry was dropped as a "repeat".)
constexpr int kMinTemplatePages = 6;
std::set<std::string> TemplateWords(const Document& book) {
  std::set<std::string> words;
  const int pages = book.page_count();
  if (pages < kMinTemplatePages) return words;
  std::map<std::string, int> pages_with;
  for (const Page& page : book.pages) {
    for (const auto& [word, count] : WordBag(page.ocr, false)) ++pages_with[word];
  }
  for (const auto& [word, count] : pages_with) {
    if (2 * count >= pages) words.insert(word);
  }
  return words;
}

std::map<std::string, int> Without(std::map<std::string, int> bag, const std::set<std::string>& words) {
  std::erase_if(bag, [&](const auto& entry) { return words.count(entry.first) > 0; });
  return bag;
}

// The word bags two pages are compared by, `leave_out` left out of both:
// their printed words, or all their words when either has fewer than
// kMinPrintedWords printed ones (a page all in handwriting: its garbled
// reading is all there is to compare).
std::pair<std::map<std::string, int>, std::map<std::string, int>> ComparedBags(
    const OcrResult& a, const OcrResult& b, const std::set<std::string>& leave_out) {
  std::map<std::string, int> bag_a = Without(WordBag(a, true), leave_out);
  std::map<std::string, int> bag_b = Without(WordBag(b, true), leave_out);
  if (Size(bag_a) < kMinPrintedWords || Size(bag_b) < kMinPrintedWords) {
    bag_a = Without(WordBag(a, false), leave_out);
    bag_b = Without(WordBag(b, false), leave_out);
  }
  return {std::move(bag_a), std::move(bag_b)};
}

// The overlap of what is particular to each page (ComparedBags without the
// template words). Nullopt when either page then has fewer than
// kMinDistinctWords: nothing to tell the pages apart by.
constexpr int kMinDistinctWords = 6;
std::optional<double> DistinctSimilarity(const OcrResult& a, const OcrResult& b,
                                         const std::set<std::string>& template_words) {
  const auto [bag_a, bag_b] = ComparedBags(a, b, template_words);
  if (Size(bag_a) < kMinDistinctWords || Size(bag_b) < kMinDistinctWords) return std::nullopt;
  return Dice(bag_a, bag_b);
}

}  // namespace

double TextSimilarity(const OcrResult& a, const OcrResult& b) {
  return Dice(WordBag(a, false), WordBag(b, false));
}

double PrintedTextSimilarity(const OcrResult& a, const OcrResult& b) {
  const auto [bag_a, bag_b] = ComparedBags(a, b, {});
  return Dice(bag_a, bag_b);
}

BookPageOrder AnalysePageOrder(const Document& book, double repeat_similarity) {
  BookPageOrder order;
  const int pages = book.page_count();
  order.repeat_of.assign(pages, -1);
  std::vector<std::vector<int>> read(pages);
  for (int s = 0; s < pages; ++s) read[s] = ReadNumbers(book.pages[s]);
  const int first_number = book.book ? book.book->first_page_number : 1;

  // The sequence as a prior (before repeats are looked for: a misread
  // number would hide one). A reading that does not fit it (FitsSequence)
  // while the page's other reading does takes that other one; one that
  // still does not fit is doubtful: no evidence for a repeat, and placed
  // or reported below.
  std::vector<std::pair<int, int>> flat;  // (scan page, half)
  std::vector<int> values;
  for (int s = 0; s < pages; ++s) {
    for (int half = 0; half < static_cast<int>(read[s].size()); ++half) {
      flat.push_back({s, half});
      values.push_back(read[s][half]);
    }
  }
  std::vector<bool> doubtful_flat(values.size(), false);
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] <= 0 || FitsSequence(values, doubtful_flat, static_cast<int>(i), values[i], first_number)) continue;
    const auto [s, half] = flat[i];
    const std::vector<int>& alternatives = book.pages[s].layout.page_number_alternatives;
    const int alternative = half < static_cast<int>(alternatives.size()) ? alternatives[half] : 0;
    if (alternative > 0 && FitsSequence(values, doubtful_flat, static_cast<int>(i), alternative, first_number)) {
      values[i] = read[s][half] = alternative;
    } else {
      doubtful_flat[i] = true;
    }
  }
  // A doubtful number the sure ones around it leave exactly one place for
  // (12, "113", 14) is a page of its own; one they leave none for (12,
  // "118", 13) may be a page scanned twice.
  std::vector<bool> may_repeat_flat(values.size(), false);
  for (int i = 0; i < static_cast<int>(values.size()); ++i) {
    if (!doubtful_flat[i]) continue;
    int before = i - 1, after = i + 1;
    while (before >= 0 && (values[before] <= 0 || doubtful_flat[before])) --before;
    while (after < static_cast<int>(values.size()) && (values[after] <= 0 || doubtful_flat[after])) ++after;
    may_repeat_flat[i] = before < 0 || after >= static_cast<int>(values.size()) ||
                         values[after] - values[before] != after - before;
  }
  std::vector<std::vector<bool>> doubtful(pages), may_repeat(pages);
  for (int s = 0; s < pages; ++s) {
    doubtful[s].assign(read[s].size(), false);
    may_repeat[s].assign(read[s].size(), false);
  }
  for (size_t i = 0; i < flat.size(); ++i) {
    doubtful[flat[i].first][flat[i].second] = doubtful_flat[i];
    may_repeat[flat[i].first][flat[i].second] = may_repeat_flat[i];
  }
  auto unsure = [&](int s) {
    return AllUnread(read[s]) || std::find(may_repeat[s].begin(), may_repeat[s].end(), true) != may_repeat[s].end();
  };

  // Repeats: compared only with pages that could be the same sheet, so a
  // long book costs about one comparison a page. Pages alike only in their
  // form's words are one sheet only when they carry the same number.
  const std::set<std::string> template_words = TemplateWords(book);
  int previous_kept = -1;
  for (int s = 0; s < pages; ++s) {
    for (int t = 0; t < s && previous_kept >= 0; ++t) {
      if (order.repeat_of[t] >= 0) continue;
      // A doubtful number equal to an earlier page's is no evidence ("1"
      // misread on page 4 is not page 1 again).
      const bool same_numbers = !AllUnread(read[s]) && read[s] == read[t] &&
                                std::find(doubtful[s].begin(), doubtful[s].end(), true) == doubtful[s].end();
      const bool unread_neighbour = t == previous_kept && (unsure(s) || unsure(t));
      if (!same_numbers && !unread_neighbour) continue;
      if (book.pages[s].ocr.lines.empty()) continue;
      const std::optional<double> distinct =
          DistinctSimilarity(book.pages[s].ocr, book.pages[t].ocr, template_words);
      const double similarity = distinct ? *distinct
                                : same_numbers ? PrintedTextSimilarity(book.pages[s].ocr, book.pages[t].ocr)
                                               : 0;
      if (similarity < repeat_similarity) continue;
      order.repeat_of[s] = t;
      order.problems.push_back("page " + PagesText(read[s]) + " (" + Scan(s) + ") repeats " + Scan(t) +
                               "; its entries are taken once");
      break;
    }
    if (order.repeat_of[s] < 0) previous_kept = s;
  }

  std::vector<Slot> slots;
  for (int s = 0; s < pages; ++s) {
    if (order.repeat_of[s] >= 0) continue;
    for (int half = 0; half < static_cast<int>(read[s].size()); ++half) slots.push_back({s, half, read[s][half]});
  }
  const int n = static_cast<int>(slots.size());
  auto where = [&](const Slot& slot) {
    return Scan(slot.scan) + (read[slot.scan].size() > 1 ? (slot.half == 0 ? ", left" : ", right") : "");
  };
  order.doubts.assign(pages, "");

  // A doubtful number between two sure ones whose distance leaves exactly
  // one number for it (12, "113", 14; or 12, "113", "1000", 15) is given
  // that number when no other page carries it; else it is kept when the
  // book could hold it (a page out of order, reported below) or dropped
  // as unread (a number the book cannot hold: inferred below). Either way
  // the page's entries go to a person with the reason.
  std::vector<bool> placed(n, false);
  for (int i = 0; i < n; ++i) {
    if (!doubtful[slots[i].scan][slots[i].half]) continue;
    auto sure = [&](int j) { return slots[j].value > 0 && !doubtful[slots[j].scan][slots[j].half]; };
    int before = i - 1, after = i + 1;
    while (before >= 0 && !sure(before)) --before;
    while (after < n && !sure(after)) ++after;
    const int read_as = slots[i].value;
    int place = 0;
    if (before >= 0 && after < n && slots[after].value - slots[before].value == after - before) {
      place = slots[before].value + (i - before);
    } else if (before < 0 && after < n && slots[after].value - (first_number - 1) == after + 1) {
      place = first_number + i;
    }
    // Another doubtful reading does not hold a place (a misread "10" two
    // pages on does not keep page 10 from here); a placed one does.
    bool taken = false;
    for (int j = 0; j < n; ++j) {
      taken = taken || (j != i && slots[j].value == place && (!doubtful[slots[j].scan][slots[j].half] || placed[j]));
    }
    std::string doubt = "page number of " + where(slots[i]) + " read as " + std::to_string(read_as);
    if (place > 0 && !taken) {
      slots[i].value = place;
      placed[i] = true;
      doubt += ", which does not fit the pages around it: taken as " + std::to_string(place) + ", check it";
    } else if (BookCanHold(read_as, static_cast<int>(values.size()), first_number)) {
      doubt += ", which does not fit the pages around it: kept, check it";
    } else {
      slots[i].value = 0;
      doubt += ", which the book cannot hold: check it";
    }
    order.problems.push_back(doubt);
    order.doubts[slots[i].scan] = doubt;
  }

  // A number misread between two neighbours that leave exactly one place
  // for it (17, "16", 19) is that place; said, not silently changed.
  for (int i = 1; i + 1 < n; ++i) {
    const int before = slots[i - 1].value, after = slots[i + 1].value;
    if (slots[i].value > 0 && before > 0 && after == before + 2 && slots[i].value != before + 1) {
      order.problems.push_back("page number of " + where(slots[i]) + " read as " + std::to_string(slots[i].value) +
                               ", taken as " + std::to_string(before + 1) + " (between pages " +
                               std::to_string(before) + " and " + std::to_string(after) + ")");
      slots[i].value = before + 1;
    }
  }

  const std::vector<bool> on_run = LongestIncreasingRun(slots);
  for (int i = 0, last = 0; i < n; ++i) {
    if (slots[i].value <= 0) continue;
    if (!on_run[i]) {
      order.problems.push_back("page " + std::to_string(slots[i].value) + " (" + where(slots[i]) +
                               ") is out of order: it comes after page " + std::to_string(last));
    }
    last = slots[i].value;
  }

  // Unread numbers: counted on from the half before, back from the one
  // after, or from the manifest's first page number.
  std::vector<bool> inferred(n, false);
  for (int i = 0; i < n; ++i) {
    if (slots[i].value > 0) continue;
    int value = 0;
    if (i > 0 && slots[i - 1].value > 0) {
      value = slots[i - 1].value + 1;
    } else {
      for (int j = i + 1; j < n && value == 0; ++j) {
        if (slots[j].value > 0 && !inferred[j]) value = std::max(0, slots[j].value - (j - i));
      }
      if (value == 0) value = first_number + i;
    }
    slots[i].value = value;
    inferred[i] = true;
    order.problems.push_back("page number of " + where(slots[i]) + " not read: taken as " + std::to_string(value));
  }

  // Missing: numbers of the run first..highest no page carries.
  std::vector<int> present;
  for (const Slot& slot : slots) present.push_back(slot.value);
  std::sort(present.begin(), present.end());
  const int highest = present.empty() ? 0 : present.back();
  for (int v = first_number; v <= highest; ++v) {
    if (std::binary_search(present.begin(), present.end(), v)) continue;
    int to = v;
    while (to + 1 <= highest && !std::binary_search(present.begin(), present.end(), to + 1)) ++to;
    int before = -1;  // the last slot in scan order numbered below the gap
    for (int i = 0; i < n; ++i) {
      if (slots[i].value < v) before = i;
    }
    std::string text = v == to ? "page " + std::to_string(v) + " is missing"
                               : "pages " + std::to_string(v) + "-" + std::to_string(to) + " are missing";
    if (before >= 0 && before + 1 < n) {
      text += " (between " + Scan(slots[before].scan) + " and " + Scan(slots[before + 1].scan) + ")";
    } else if (before < 0 && n > 0) {
      text += " (before " + Scan(slots[0].scan) + ")";
    }
    order.problems.push_back(text);
    v = to;
  }

  order.numbers.assign(pages, {});
  order.inferred.assign(pages, {});
  for (int s = 0; s < pages; ++s) {
    order.numbers[s].assign(read[s].size(), 0);
    order.inferred[s].assign(read[s].size(), false);
  }
  for (int i = 0; i < n; ++i) {
    order.numbers[slots[i].scan][slots[i].half] = slots[i].value;
    order.inferred[slots[i].scan][slots[i].half] = inferred[i];
  }
  // A repeated page keeps the numbers of the page it repeats.
  for (int s = 0; s < pages; ++s) {
    if (order.repeat_of[s] >= 0) order.numbers[s] = order.numbers[order.repeat_of[s]];
  }
  return order;
}

}  // namespace sohoa
