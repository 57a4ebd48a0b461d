#include "stages/fields/field_extraction_stage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/document_facts.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "stages/fields/disputed_figures.h"
#include "stages/fields/field_checks.h"
#include "stages/fields/field_evidence.h"
#include "stages/fields/field_lexicon.h"
#include "stages/fields/field_normalize.h"
#include "stages/fields/field_text.h"
#include "stages/fields/name_confidence.h"
#include "stages/fields/place_units.h"
#include "stages/fields/split_rows.h"
#include "stages/fields/table_rows.h"

namespace sohoa {
namespace {

constexpr double kTitleTolerance = 0.25;

// Keeps `reading` among the value's other readings, once.
void AddOtherReading(const std::string& reading, FieldValue& value) {
  auto& others = value.other_readings;
  if (std::find(others.begin(), others.end(), reading) == others.end()) others.push_back(reading);
}

// One OCR line as the extractor sees it: the text rebuilt from the words so
// every byte maps back to a word (and its confidence).
struct Line {
  int page = 0;
  Box box;
  int height = 1;
  std::string text;
  struct Word {
    size_t begin, end;
    float confidence;
    std::string other;  // figures a second reader read otherwise (OcrWord::other_reading)
    float as_taken;     // with `other`: the taken reading's own confidence (OcrWord::taken_confidence)
    std::string letters_other;  // letters the second reader read otherwise (stages/page/letter_reread.h)
    int left = 0;               // the word's box's left edge, pixels
  };
  std::vector<Word> words;
  Skeleton sk;
  std::vector<size_t> starts;  // skeleton indices where a label may begin
};

// The pages' OCR lines, a ruled table's rows each one line
// (stages/fields/table_rows.h; those lines are kept in `rows`); for a
// register entry, only the lines the book splitter gave it (its page's, or
// a ruled row rewritten as "column label: cell" lines): its pages also
// hold other entries' rows.
std::vector<std::pair<int, const OcrLine*>> SourceLines(const Document& doc,
                                                        std::vector<std::vector<OcrLine>>& rows) {
  std::vector<std::pair<int, const OcrLine*>> source;
  if (doc.is_entry() || !doc.field_lines.empty()) {
    for (const OcrLine& line : doc.field_lines) source.emplace_back(0, &line);
    return source;
  }
  rows.reserve(doc.pages.size());  // no reallocation: `source` points into it
  for (const Page& page : doc.pages) {
    const std::vector<OcrLine>* lines = &page.ocr.lines;
    if (std::optional<std::vector<OcrLine>> table = LinesWithTableRows(page)) {
      rows.push_back(std::move(*table));
      lines = &rows.back();
    }
    for (const OcrLine& line : *lines) source.emplace_back(page.index, &line);
  }
  return source;
}

// The line's skeleton, and where in it a label may begin: at its start and
// after each ',' ';' '.'.
void SetSkeleton(Line& line) {
  line.sk = MakeSkeleton(line.text);
  line.starts.clear();
  if (line.sk.chars.empty()) return;
  line.starts.push_back(0);
  for (size_t b = 0; b < line.text.size(); ++b) {
    const char c = line.text[b];
    if (c != ',' && c != ';' && c != '.') continue;
    auto it = std::upper_bound(line.sk.begin.begin(), line.sk.begin.end(), b);
    const size_t index = static_cast<size_t>(it - line.sk.begin.begin());
    if (index < line.sk.chars.size() && index != line.starts.back()) line.starts.push_back(index);
  }
}

// A speck of the scan read as a letter ("Giới tính: l", "Nơi sinh: ì",
// tuning seeds 1-5): one letter or figure whose box is under a third of the
// line's typical word height both ways, smaller than any letter printed on
// it (not the line's own height: a table row joined from a cell's two
// lines is twice as tall, and "Trạm Y tế" lost its "Y" to that). Taken
// for the value, it hid the value on the next line.
bool IsSpeck(const OcrWord& word, int word_height) {
  if (SkeletonOf(word.text).size() != 1) return false;
  return 3 * word.box.height() < word_height && 3 * word.box.width() < word_height;
}

// The median height of the line's word boxes.
int TypicalWordHeight(const OcrLine& line) {
  std::vector<int> heights;
  for (const OcrWord& w : line.words) heights.push_back(w.box.height());
  if (heights.empty()) return 0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

std::vector<Line> CollectLines(const Document& doc) {
  std::vector<Line> lines;
  std::vector<std::vector<OcrLine>> table_rows;
  for (const auto& [page_index, ocr_line] : SourceLines(doc, table_rows)) {
    const OcrLine& ocr = *ocr_line;
    Line line;
    line.page = page_index;
    line.box = ocr.box;
    line.height = std::max(1, ocr.box.height());
    const int word_height = TypicalWordHeight(ocr);
    for (const OcrWord& w : ocr.words) {
      if (IsSpeck(w, word_height)) continue;
      if (!line.text.empty()) line.text += ' ';
      // Only figures' disputes are kept: the letter reader's dissent is not
      // counted against a word (stages/page/letter_reread.h).
      const bool figures = w.other_reading.find_first_of("0123456789") != std::string::npos;
      line.words.push_back({line.text.size(), line.text.size() + w.text.size(), w.confidence,
                            figures ? w.other_reading : "", figures ? w.taken_confidence : w.confidence,
                            figures ? "" : w.other_reading, w.box.left});
      line.text += w.text;
    }
    SetSkeleton(line);
    if (line.sk.chars.empty()) continue;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<RowPiece> RowPieces(const std::vector<Line>& lines) {
  std::vector<RowPiece> pieces;
  pieces.reserve(lines.size());
  for (const Line& line : lines) pieces.push_back({line.page, line.box, line.text});
  return pieces;
}

// A label found in a line.
struct Hit {
  const FieldSpec* field;
  size_t line;
  size_t start, end;  // skeleton indices [start, end)
  int distance;
  bool colon;
  size_t value_begin = 0;  // byte offset in the line's text where the value starts
};

struct PreparedField {
  const FieldSpec* spec;
  std::vector<std::u32string> labels;
};

struct PreparedType {
  const DocTypeSpec* spec;
  std::vector<std::u32string> titles;
  std::vector<PreparedField> fields;
};

// Calls `on_score` with distance / length for every place on a line's
// skeleton where `title` starts within kTitleTolerance of its length.
template <typename OnScore>
void ForEachTitleScore(const std::u32string& title, const std::u32string& line, OnScore on_score) {
  // A title stands on its own line; the same words inside a sentence of
  // prose ("... cấp trích lục khai tử cho ...") are not a title.
  if (line.size() > 2 * title.size() + 4) return;
  const int tolerance = static_cast<int>(title.size() * kTitleTolerance);
  for (size_t start = 0; start < line.size(); ++start) {
    const int d = PrefixDistance(title, line, start, tolerance, nullptr);
    if (d <= tolerance) on_score(static_cast<double>(d) / title.size());
  }
}

// Where the value starts after a label ending at skeleton index sk_end, and
// whether a colon closes the label. Form versions add the event to a label
// ("Nơi đăng ký khai sinh:", "Ngày đăng ký kết hôn:"): up to two more short
// words (or marks without a letter) before a colon still belong to the
// label, never to the value.
size_t ValueBegin(const Line& line, size_t sk_end, bool* colon) {
  size_t b = line.sk.end[sk_end - 1];
  // What OCR makes of a colon glued to the label's last word: '.' or ';'.
  const bool glued = b < line.text.size() && (line.text[b] == '.' || line.text[b] == ';');
  while (b < line.text.size() && line.text[b] == ' ') ++b;
  *colon = b < line.text.size() && (line.text[b] == ':' || glued);
  if (*colon) return b + 1;
  size_t words = 0, i = b;
  while (i < line.text.size() && words < 2) {
    size_t e = i;
    while (e < line.text.size() && line.text[e] != ' ' && line.text[e] != ':' && line.text[e] != '.' &&
           line.text[e] != ';')
      ++e;
    const std::string word = line.text.substr(i, e - i);
    const std::u32string sk = SkeletonOf(word);
    // Letters only, or no letter nor figure at all: what a seal or a rule
    // left between a label and its colon ("tên người cha ‹: …").
    if (word.empty() || (!sk.empty() && sk.size() != Fold(word).size()) || sk.size() > 5) break;
    ++words;
    i = e;
    // ':' (or what OCR made of it right after the word: '.' ';') ends the label.
    const bool glued = i < line.text.size() && (line.text[i] == '.' || line.text[i] == ';');
    while (i < line.text.size() && line.text[i] == ' ') ++i;
    if (i < line.text.size() && (line.text[i] == ':' || glued)) {
      *colon = true;
      return i + 1;
    }
  }
  return b;
}

// A label ends where a word ends: "Ngày, tháng, năm sinh" must not match
// the first half of "... năm đăng ký" with "ký" left over as the value, nor
// a label end inside a word.
bool EndsAWord(const Line& line, size_t sk_end) {
  const size_t b = line.sk.end[sk_end - 1];
  return sk_end >= line.sk.chars.size() || line.sk.begin[sk_end] != b;
}

// Where `label` matches `line` from skeleton index `start`: within the
// label's tolerance, ending after `start` and at the end of a word.
struct LabelMatch {
  int distance;
  size_t end;  // skeleton index
};
std::optional<LabelMatch> MatchLabelAt(const std::u32string& label, const Line& line, size_t start) {
  size_t end = start;
  const int tolerance = LabelTolerance(label.size());
  const int d = PrefixDistance(label, line.sk.chars, start, tolerance, &end);
  if (d > tolerance || end == start || !EndsAWord(line, end)) return std::nullopt;
  return LabelMatch{d, end};
}

// Every winning label occurrence, in reading order. Labels do not overlap:
// a start inside a label already found is not tried ("Họ, chữ đệm và tên
// người mẹ" holds the holder's "... chữ đệm và tên" after its comma).
std::vector<Hit> FindLabels(const PreparedType& type, const std::vector<Line>& lines) {
  std::vector<Hit> hits;
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    size_t covered_until = 0;
    for (size_t start : line.starts) {
      if (start < covered_until) continue;
      std::vector<Hit> here;
      for (const PreparedField& field : type.fields) {
        Hit best{field.spec, li, start, 0, 1 << 20, false};
        for (const std::u32string& label : field.labels) {
          const std::optional<LabelMatch> match = MatchLabelAt(label, line, start);
          if (!match) continue;
          const size_t end = match->end;
          const int d = match->distance;
          bool colon = false;
          const size_t value_begin = ValueBegin(line, end, &colon);
          if (label.size() <= 4 && !colon) continue;  // "Số" alone is too common
          const bool better =
              std::make_tuple(colon, end, -d) > std::make_tuple(best.colon, best.end, -best.distance);
          if (better) best = Hit{field.spec, li, start, end, d, colon, value_begin};
        }
        if (best.end > start) here.push_back(best);
      }
      if (here.empty()) continue;
      auto key = [](const Hit& h) { return std::make_tuple(h.colon, h.end, -h.distance); };
      const auto top = key(*std::max_element(here.begin(), here.end(),
                                             [&](const Hit& a, const Hit& b) { return key(a) < key(b); }));
      for (const Hit& h : here) {
        if (key(h) != top) continue;
        hits.push_back(h);  // fields sharing a label all keep it
        covered_until = std::max(covered_until, h.end);
      }
    }
  }
  return hits;
}

// A line that opens as a printed label does: a capitalised word, and at
// most five words before a colon ("Dân tộc: Kinh", "Quốc tịch: Việt Nam"),
// whether or not the type asks for that field (a marriage certificate
// prints the spouses' ethnic groups and nationalities). A year's last words
// are in lower case, with no colon.
bool OpensAsALabel(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string head = text.substr(0, colon);
  if (std::count(head.begin(), head.end(), ' ') > 4) return false;
  const std::string first = head.substr(0, FirstCodePointBytes(head));
  return UpperNfc(first) == first && LowerNfc(first) != first;
}

// A date in words whose year ends on a round word may have lost its last
// words to the next line (YearInWordsEndsRound). It has not when its line
// stops well short of the text's right edge — the next word would have
// fitted there — and the line right below it opens on a label (one of the
// form's, or OpensAsALabel): the field is over. (Tuning seeds 17 and 20: "Ngày sinh:
// ngày mười bảy tháng tư năm hai nghìn" ending at two thirds of the width,
// "Giới tính: Nam" below it. A wrapped year reaches the margin, or the line
// below goes on with its last words; in a table cell, the cell's next line
// does.)
bool RoundYearIsWhole(const std::vector<Line>& lines, const std::vector<Hit>& hits, size_t at) {
  constexpr double kRoomForAWord = 12;  // letters: "không trăm" and a space
  constexpr double kLineGap = 1.5;      // line heights between a line and the next
  const Line& line = lines[at];
  int margin = 0;
  for (const Line& l : lines)
    if (l.page == line.page) margin = std::max(margin, l.box.right);
  const size_t letters = std::count_if(line.text.begin(), line.text.end(),
                                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  const double letter_width = static_cast<double>(line.box.width()) / std::max<size_t>(letters, 1);
  if (margin - line.box.right < kRoomForAWord * letter_width) return false;
  std::optional<size_t> below;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    const bool under = l.page == line.page && l.box.top >= line.box.bottom - line.box.height() / 2;
    const bool across = l.box.left < line.box.right && l.box.right > line.box.left;
    if (under && across && (!below || l.box.top < lines[*below].box.top)) below = i;
  }
  if (!below || lines[*below].starts.empty() ||
      lines[*below].box.top - line.box.bottom > kLineGap * line.box.height())
    return false;
  return OpensAsALabel(lines[*below].text) || std::any_of(hits.begin(), hits.end(), [&](const Hit& h) {
           return h.line == *below && h.start == lines[*below].starts.front();
         });
}

// The smallest distance at which one of the type's labels starts `line`
// and ends at skeleton index `end` (whole_line) or past it (!whole_line);
// max int when none does.
int BestLabelAtStart(const PreparedType& type, const Line& line, size_t end_at, bool whole_line) {
  int best = std::numeric_limits<int>::max();
  for (const PreparedField& field : type.fields) {
    for (const std::u32string& label : field.labels) {
      const std::optional<LabelMatch> match = MatchLabelAt(label, line, 0);
      if (match && (whole_line ? match->end == end_at : match->end > end_at))
        best = std::min(best, match->distance);
    }
  }
  return best;
}

// The nearest line under `above` on its page (its top below `above`'s
// middle, less than `max_gap` pixels under `above`'s bottom) that `fits`.
template <typename Fits>
std::optional<size_t> NearestLineBelow(const std::vector<Line>& lines, const Line& above, int max_gap,
                                       Fits fits) {
  std::optional<size_t> best;
  for (size_t j = 0; j < lines.size(); ++j) {
    const Line& l = lines[j];
    if (l.page != above.page || l.box.top <= above.box.top + above.height / 2 ||
        l.box.top - above.box.bottom >= max_gap || !fits(j))
      continue;
    if (!best || l.box.top < lines[*best].box.top) best = j;
  }
  return best;
}

// `line` with `next` appended: the box stays the first line's (but as wide
// as both), so the value is still looked for on the label's first row.
Line Appended(const Line& line, const Line& next) {
  Line out = line;
  const size_t shift = out.text.size() + 1;
  out.text += ' ' + next.text;
  for (Line::Word w : next.words) {
    w.begin += shift;
    w.end += shift;
    out.words.push_back(std::move(w));
  }
  out.box.right = std::max(out.box.right, next.box.right);
  SetSkeleton(out);
  return out;
}

// Labels that wrapped in their table cell ("Giấy này có giá trị sử" over
// "dụng đến ngày", "Họ, chữ đệm, tên người" over "cha") are joined with the
// line under them. Apart, the first half is no label, or the wrong one: the
// father's cut label matched the mother's at distance 2 ("mẹ" missing) and
// his name was never found. A line without a colon is joined with the
// nearest line below it (less than a line height under it, starting within
// two heights of its left edge) when, together, they begin with one of the
// type's labels that runs into the second line, at most as far from it as
// the closest label that spans the first line alone.
std::vector<Line> JoinWrappedLabels(const PreparedType& type, std::vector<Line> lines) {
  std::vector<bool> taken(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (taken[i] || line.text.find(':') != std::string::npos) continue;
    const std::optional<size_t> below = NearestLineBelow(lines, line, line.height, [&](size_t j) {
      return !taken[j] && std::abs(lines[j].box.left - line.box.left) < 2 * line.height;
    });
    if (!below) continue;
    const size_t first = line.sk.chars.size();
    Line joined = Appended(line, lines[*below]);
    const int together = BestLabelAtStart(type, joined, first, false);
    if (together == std::numeric_limits<int>::max() || together > BestLabelAtStart(type, line, first, true))
      continue;
    // A line that starts with a label of its own, as closely, is its own
    // row, not a label's tail: "Minh" (the end of "... thành phố Hồ Chí")
    // over "Ngày đăng ký: 10/12/2020" read together as "Sinh ngày" at one
    // edit, and the place lost its last word.
    if (BestLabelAtStart(type, lines[*below], 0, false) <= together) continue;
    lines[i] = std::move(joined);
    taken[*below] = true;
  }
  std::vector<Line> out;
  for (size_t i = 0; i < lines.size(); ++i)
    if (!taken[i]) out.push_back(std::move(lines[i]));
  return out;
}

struct Found {
  std::string raw;
  float confidence = 0;  // 0..1, lowest word confidence of the value
  size_t line = 0;
  std::vector<std::pair<std::string, std::string>> disputed;  // word as taken, the other reading
  float as_taken = 0;  // `confidence` with disputed words at their taken reading's own confidence
  std::vector<ReadWord> words;  // the OCR words of the value, as read
};

// The words overlapping text bytes [begin, end), as read, and those whose
// figures the readers disputed.
void AddWords(const Line& line, size_t begin, size_t end, Found* found) {
  for (const Line::Word& w : line.words) {
    if (w.end <= begin || w.begin >= end) continue;
    const std::string text = line.text.substr(w.begin, w.end - w.begin);
    found->words.push_back({text, w.confidence / 100.0f, w.letters_other});
    if (!w.other.empty()) found->disputed.push_back({text, w.other});
  }
}

// Narrows text bytes [begin, end) past the specks at either end: words
// with no letter or digit (":", "`", "." a seal or a table's rule left
// beside the value). They are no part of it, and their confidence (often
// 0) is not the value's: on the tuning layouts "Việt Nam : :" in a table
// cell went to a person at 0.00.
void TrimSpecks(const Line& line, size_t* begin, size_t* end) {
  auto speck = [&](const Line::Word& w) {
    return SkeletonOf(std::string_view(line.text).substr(w.begin, w.end - w.begin)).empty();
  };
  auto inside = [&](const Line::Word& w) { return w.end > *begin && w.begin < *end; };
  for (const Line::Word& w : line.words) {  // in text order
    if (!inside(w)) continue;
    if (!speck(w)) break;
    *begin = std::min(*end, w.end);
  }
  for (auto w = line.words.rbegin(); w != line.words.rend(); ++w) {
    if (!inside(*w)) continue;
    if (!speck(*w)) break;
    *end = std::max(*begin, w->begin);
  }
}

// Lowest confidence of the words overlapping text bytes [begin, end);
// `*as_taken` (when given) is lowered to the same with each disputed word
// at its taken reading's own confidence.
float WordConfidence(const Line& line, size_t begin, size_t end, bool* any, float* as_taken = nullptr) {
  float lowest = 100;
  for (const Line::Word& w : line.words) {
    if (w.end <= begin || w.begin >= end) continue;
    lowest = std::min(lowest, w.confidence);
    if (as_taken) *as_taken = std::min(*as_taken, w.other.empty() ? w.confidence : w.as_taken);
    *any = true;
  }
  return lowest;
}

// Where `word` stands in `text` as a whole word (spaces or the ends around
// it); npos when it does not.
size_t FindWord(const std::string& text, const std::string& word) {
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t after = at + word.size();
    if ((at == 0 || text[at - 1] == ' ') && (after == text.size() || text[after] == ' ')) return at;
  }
  return std::string::npos;
}

// The value's text as it reads with some of its disputed words read
// another way (at most three such words; each word's other ways in
// `ways`, in the order of `disputed`), not normalised. `*complete` says
// whether every such reading is there (not when there are more disputed
// words or ways, or a word is not found whole in `raw`).
std::vector<std::string> OtherTexts(const std::string& raw,
                                    const std::vector<std::pair<std::string, std::string>>& disputed,
                                    const std::vector<std::vector<std::string>>& ways, bool* complete) {
  std::vector<std::string> out;
  constexpr size_t kMostTexts = 4096;
  size_t count = 1;
  for (const std::vector<std::string>& w : ways) count *= w.size() + 1;
  *complete =
      !disputed.empty() && disputed.size() <= 3 && ways.size() == disputed.size() && count <= kMostTexts;
  if (!*complete) return out;
  // Each combination: digit i of `pick` (base ways[i].size() + 1) is 0 for
  // the word as taken, else which other way.
  for (size_t pick = 1; pick < count; ++pick) {
    std::string text = raw;
    bool replaced = true;
    size_t rest = pick;
    for (size_t i = 0; i < disputed.size() && replaced; ++i) {
      const size_t way = rest % (ways[i].size() + 1);
      rest /= ways[i].size() + 1;
      if (way == 0) continue;
      const size_t at = FindWord(text, disputed[i].first);
      replaced = at != std::string::npos;
      if (replaced) text.replace(at, disputed[i].first.size(), ways[i][way - 1]);
    }
    if (replaced) out.push_back(std::move(text));
    *complete = *complete && replaced;
  }
  return out;
}

// The other texts normalised; distinct, none equal to `taken`.
std::vector<std::string> OtherReadings(const std::string& normalizer, const std::vector<std::string>& texts,
                                       const std::string& taken) {
  std::vector<std::string> out;
  for (const std::string& text : texts) {
    const Normalized n = NormalizeField(normalizer, text);
    if (n.ok() && n.value != taken && std::find(out.begin(), out.end(), n.value) == out.end())
      out.push_back(n.value);
  }
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == ':')) ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return s.substr(b, e - b);
}

// Does the line start with what looks like a label ("Quê quán:")? Then it
// is not the continuation of a value.
bool LooksLikeLabelLine(const Line& line, const std::vector<Hit>& hits, size_t index) {
  for (const Hit& h : hits)
    if (h.line == index && h.start == 0) return true;
  const size_t colon = line.text.find(':');
  if (colon == std::string::npos || colon > 60) return false;
  int words = 1;
  for (size_t i = 0; i < colon; ++i) words += line.text[i] == ' ';
  return words <= 7;
}

bool HasAlnum(const Line& line) { return line.sk.chars.size() >= 1; }

// One letter and nothing else ("l", "ì", "ỷ": a speck as tall as a letter
// beside a label, tuning seeds 1-5): no field's value is a single letter
// (a single figure is: "Số: 5"), so it is never taken for one.
bool OneLetterAlone(const std::string& text) {
  const std::u32string letters = SkeletonOf(text);
  return letters.size() == 1 && !(letters[0] >= U'0' && letters[0] <= U'9');
}

// Is every word of the line a number word ("nghìn không trăm mười tám")?
// Then it continues a date written in words that wrapped.
bool AllNumberWords(const Line& line) {
  static const std::set<std::string> kWords = {"khong", "mot",   "mots", "hai",  "ba",  "bon",  "tu",
                                               "nam",   "lam",   "sau",  "bay",  "tam", "chin", "muoi",
                                               "tram",  "nghin", "ngan", "linh", "le"};
  std::istringstream in(Fold(line.text));
  std::string w;
  int n = 0;
  while (in >> w) {
    while (!w.empty() && !std::isalnum(static_cast<unsigned char>(w.back()))) w.pop_back();
    if (w.empty()) continue;
    if (!kWords.count(w)) return false;
    ++n;
  }
  return n > 0;
}

// A label with nothing after it on its line has its value elsewhere: in the
// cell to its right on the same row (tables), else on the line just below
// (form versions that print the value under its label). Lines that are
// labels themselves, or hold no letter or digit, are never values.
std::optional<size_t> ValueLineFor(const Hit& hit, const std::vector<Line>& lines,
                                   const std::vector<Hit>& hits) {
  const Line& label = lines[hit.line];
  const int h = label.height;
  const int centre = (label.box.top + label.box.bottom) / 2;
  std::optional<size_t> right, below;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (i == hit.line || l.page != label.page || !HasAlnum(l) || OneLetterAlone(l.text) ||
        LooksLikeLabelLine(l, hits, i)) {
      continue;
    }
    const int c = (l.box.top + l.box.bottom) / 2;
    if (std::abs(c - centre) < h / 2 && l.box.left >= label.box.right - h / 2) {
      if (!right || l.box.left < lines[*right].box.left) right = i;
    } else if (c > centre + h / 2 && l.box.top - label.box.bottom < 2 * h &&
               std::abs(l.box.left - label.box.left) < 4 * h) {
      if (!below || l.box.top < lines[*below].box.top) below = i;
    }
  }
  return right ? right : below;
}

// Where a place read in text bytes [begin, end) of `line` begins: at the
// first of its first four words that opens one of the institutions a
// place is named by ("Ủy ban nhân dân …", "Bệnh viện Đa khoa …",
// PlaceInstitutions()). What a seal over the label column leaves between
// label and value ("NO _.", "râu TH") is read into the value otherwise, and
// a place that starts with it can never be vouched for. A word before it
// that ends with a comma is the place's own ("Khoa Hồi sức, Bệnh viện …").
size_t PlaceStart(const Line& line, size_t begin, size_t end) {
  static const std::vector<std::string> kOpenings = [] {
    std::vector<std::string> folded;
    for (const std::string& institution : PlaceInstitutions()) folded.push_back(Fold(institution));
    return folded;
  }();
  int index = 0;
  for (const Line::Word& w : line.words) {
    if (w.end <= begin) continue;
    if (w.begin >= end || index > 3) break;
    if (line.text[w.end - 1] == ',') return begin;
    const std::string rest = Fold(line.text.substr(w.begin, end - w.begin));
    for (const std::string& opening : kOpenings) {
      if (rest.compare(0, opening.size(), opening) == 0 &&
          (rest.size() == opening.size() || rest[opening.size()] == ' '))
        return index == 0 ? begin : w.begin;
    }
    ++index;
  }
  return begin;
}

// Does the form print the field as absent: "(không có thông tin)", no
// information, where a parent is not on record? Exactly those words (any
// brackets): a misreading of them is a doubt for a person.
bool PrintedAbsent(const std::string& raw) {
  static const std::u32string kNoInformation = SkeletonOf("không có thông tin");
  return SkeletonOf(raw) == kNoInformation;
}

std::optional<Found> ReadValue(const Hit& hit, const std::vector<Line>& lines, const std::vector<Hit>& hits,
                               const ProvinceLexicon& provinces) {
  const Line& line = lines[hit.line];
  const std::string& normalizer = hit.field->normalizer;
  size_t begin = hit.value_begin;
  while (begin < line.text.size() && (line.text[begin] == ' ' || line.text[begin] == ':')) ++begin;
  size_t end = line.text.size();
  for (const Hit& other : hits) {
    if (other.line == hit.line && other.start > hit.start) {
      end = std::min(end, line.sk.begin[other.start]);
    }
  }
  const bool ran_to_line_end = end == line.text.size();
  if (normalizer == "place") begin = PlaceStart(line, begin, end);
  if (begin < end)
    end = begin + ValueLength(normalizer, std::string_view(line.text).substr(begin, end - begin));
  TrimSpecks(line, &begin, &end);
  Found found;
  found.line = hit.line;
  bool any = false;
  float confidence = 100, as_taken = 100;
  if (begin < end) {
    found.raw = Trim(line.text.substr(begin, end - begin));
    confidence = WordConfidence(line, begin, end, &any, &as_taken);
    AddWords(line, begin, end, &found);
  }
  // Punctuation alone after a label ("Họ, chữ đệm, tên vợ." in a table
  // cell, a speck read as ",") is no value: the value is elsewhere. So is
  // one letter alone (OneLetterAlone).
  if (SkeletonOf(found.raw).empty() || OneLetterAlone(found.raw)) found.raw.clear();
  size_t anchor = hit.line, last = hit.line;
  if (found.raw.empty() || !any) {
    std::optional<size_t> elsewhere = ValueLineFor(hit, lines, hits);
    if (!elsewhere) return std::nullopt;
    anchor = last = *elsewhere;
    const Line& v = lines[last];
    size_t start = normalizer == "place" ? PlaceStart(v, 0, v.text.size()) : 0;
    size_t stop = start + ValueLength(normalizer, std::string_view(v.text).substr(start));
    TrimSpecks(v, &start, &stop);
    found.raw = Trim(v.text.substr(start, stop - start));
    any = false;
    as_taken = 100;
    confidence = WordConfidence(v, start, stop, &any, &as_taken);
    found.disputed.clear();
    found.words.clear();
    AddWords(v, start, stop, &found);
  }
  // Where the value's words start across the page: a value that wraps in a
  // table cell goes on under its own start, not under the label's. Any of
  // its words may be that start: what a seal over the label column leaves
  // ("NO _.") is read between label and value.
  std::vector<int> value_lefts = {lines[anchor].box.left};
  if (anchor == hit.line) {
    for (const Line::Word& w : line.words)
      if (w.end > begin && w.begin < end) value_lefts.push_back(w.left);
  }
  // The line that goes on with the value: the nearest line under the last
  // one taken (less than two line heights under it) that starts under one
  // of the value's words or its anchor. Found by position, not reading
  // order: Tesseract may read a table cell's second line before its first,
  // right after the label. It is not the value's if it is a label, or has
  // text of its own to its left on its row: a table's next row, whose
  // label cell holds a label the type may not read ("Quê quán").
  std::set<size_t> used = {hit.line, anchor};
  auto labelled_row = [&](size_t j) {
    const Line& b = lines[j];
    const int centre = (b.box.top + b.box.bottom) / 2;
    for (size_t k = 0; k < lines.size(); ++k) {
      const Line& l = lines[k];
      if (k == j || k == hit.line || l.page != b.page || l.box.right > b.box.left) continue;
      if (std::abs((l.box.top + l.box.bottom) / 2 - centre) < b.height / 2) return true;
    }
    return false;
  };
  // A place ends with its province: what is beside or under it is another
  // field's.
  auto complete = [&] { return normalizer == "place" && PlaceEndsWithProvince(provinces, found.raw); };
  auto CompletesPlace = [&](size_t j) {
    const std::string& text = lines[j].text;
    const std::string head = Trim(text.substr(0, text.find(':')));
    if (normalizer != "place" || head.empty() || head.find(' ') != std::string::npos) return false;
    const std::optional<ProvinceLexicon::Province> p = provinces.ProvinceOf(found.raw + " " + head);
    return p && p->printed == p->name;  // exactly, not a near miss
  };
  auto next_line = [&]() -> std::optional<size_t> {
    if (complete()) return std::nullopt;
    const int h = lines[last].height;
    const std::optional<size_t> best = NearestLineBelow(lines, lines[last], 2 * h, [&](size_t j) {
      return !used.count(j) && std::any_of(value_lefts.begin(), value_lefts.end(), [&](int left) {
        return std::abs(lines[j].box.left - left) < 3 * h;
      });
    });
    if (!best || labelled_row(*best)) return std::nullopt;
    // A label-looking line is another field's, unless what stands before its
    // colon completes the place's province: "… thành phố Hà" over "Nội:",
    // a speck read as a colon.
    if (LooksLikeLabelLine(lines[*best], hits, *best) && !CompletesPlace(*best)) return std::nullopt;
    return best;
  };
  auto append = [&](size_t next) {
    last = next;
    used.insert(next);
    size_t from = 0, length = ValueLength(normalizer, lines[last].text);
    TrimSpecks(lines[last], &from, &length);
    found.raw += " " + Trim(lines[last].text.substr(from, length - from));
    confidence = std::min(confidence, WordConfidence(lines[last], from, length, &any, &as_taken));
    AddWords(lines[last], from, length, &found);
  };
  // A piece of the same row to the right of the value's line: Tesseract
  // splits a row at a wide gap (what a seal or a leader's dots left).
  auto row_piece = [&]() -> std::optional<size_t> {
    if (complete()) return std::nullopt;
    const Line& a = lines[last];
    const RowPiece left{a.page, a.box, ""};
    std::optional<size_t> best;
    for (size_t j = 0; j < lines.size(); ++j) {
      if (used.count(j) || !SameRowToTheRight(left, {lines[j].page, lines[j].box, ""})) continue;
      if (!best || lines[j].box.left < lines[*best].box.left) best = j;
    }
    if (!best || LooksLikeLabelLine(lines[*best], hits, *best)) return std::nullopt;
    return best;
  };
  if (hit.field->multiline && (anchor != hit.line || ran_to_line_end)) {
    for (std::optional<size_t> piece = row_piece(); piece; piece = row_piece()) append(*piece);
    for (std::optional<size_t> next = next_line(); next; next = next_line()) append(*next);
  } else if (normalizer == "date") {
    for (std::optional<size_t> next = next_line(); next && AllNumberWords(lines[*next]); next = next_line())
      append(*next);
  }
  if (found.raw.empty() || !any) return std::nullopt;
  found.confidence = confidence / 100.0f;
  found.as_taken = as_taken / 100.0f;
  return found;  // found.line stays the label's: after_field orders labels
}

// The Decree 30 "Place, ngày D tháng M năm YYYY" line: the first line of the
// first page whose text holds a worded date.
std::optional<Found> ReadDatedLine(const std::vector<Line>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.page != lines.front().page) break;
    const std::string folded = Fold(line.text);
    if (folded.find("thang") == std::string::npos || folded.find("nam") == std::string::npos) continue;
    const size_t at = folded.find("ngay");
    if (at == std::string::npos) continue;
    // "Ngày, tháng, năm sinh 22/11/1998": a label (a table's row, no colon).
    const size_t after = folded.find_first_not_of(' ', at + 4);
    if (after != std::string::npos && folded[after] == ',') continue;
    // A labelled date ("Ngày, tháng, năm sinh: 25/08/1999") is another
    // field's, not the place-and-date line (which has no colon before its
    // date; a speck read as one before the place, ": Tam Hiệp, ngày …", is
    // no label): taken when the date line's month was misread ("tháng Z7").
    const size_t colon = line.text.find(':');
    if (colon != std::string::npos && colon < line.text.find_first_of("0123456789") &&
        !SkeletonOf(line.text.substr(0, colon)).empty())
      continue;
    if (!NormalizeDate(line.text).ok()) continue;
    bool any = false;
    Found found{line.text, WordConfidence(line, 0, line.text.size(), &any) / 100.0f, i};
    if (any) return found;
  }
  return std::nullopt;
}

std::string Today(const std::string& fixed) {
  if (!fixed.empty()) return fixed;
  const time_t now = std::time(nullptr) + 7 * 3600;
  struct tm t;
  gmtime_r(&now, &t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return buf;
}

bool StartsUpper(const std::string& word) {
  return !word.empty() &&
         UpperNfc(word.substr(0, std::min<size_t>(word.size(), 4))).substr(0, 1) == word.substr(0, 1) &&
         Fold(word.substr(0, 1)) != word.substr(0, 1);
}

// Place names recur on a Decree 30 document (the commune in the header, the
// date line and the place of registration), and
// OCR rarely misreads the same diacritic every time. Each capitalised word
// of the document votes, by its folded form, for its spelling; a value's
// word is replaced by the spelling at least two other readings agree on and
// that outvotes its own. Case follows the word being replaced.
class SpellingVotes {
 public:
  explicit SpellingVotes(const std::vector<Line>& lines) {
    for (const Line& line : lines) {
      for (const Line::Word& w : line.words) {
        const std::string word = Clean(line.text.substr(w.begin, w.end - w.begin));
        if (word.size() < 2 || !StartsUpper(word)) continue;
        ++votes_[Fold(word)][UpperNfc(word)];
      }
    }
  }

  std::string Correct(const std::string& value) const {
    std::string out;
    size_t b = 0;
    while (b <= value.size()) {
      size_t e = value.find(' ', b);
      if (e == std::string::npos) e = value.size();
      std::string token = value.substr(b, e - b);
      out += (out.empty() && b == 0 ? "" : " ") + CorrectToken(token);
      b = e + 1;
    }
    return out;
  }

 private:
  static std::string Clean(const std::string& w) {
    size_t e = w.size();
    while (e > 0 && (w[e - 1] == ',' || w[e - 1] == '.' || w[e - 1] == ';' || w[e - 1] == ':')) --e;
    return w.substr(0, e);
  }

  std::string CorrectToken(const std::string& token) const {
    const std::string word = Clean(token);
    if (word.size() < 2 || !StartsUpper(word)) return token;
    auto it = votes_.find(Fold(word));
    if (it == votes_.end()) return token;
    const std::string mine = UpperNfc(word);
    int own = 0;
    std::string best;
    int best_votes = 0;
    for (const auto& [spelling, n] : it->second) {
      if (spelling == mine) own = n;
      if (n > best_votes) {
        best_votes = n;
        best = spelling;
      }
    }
    if (best == mine || best_votes < 2 || best_votes <= own) return token;
    // Keep the token's case: all capitals, or capitalised.
    std::string replacement = best;
    if (mine != word) {
      const std::string lower = Nfc(LowerNfc(best));
      const size_t first = FirstCodePointBytes(lower);
      replacement = UpperNfc(lower.substr(0, first)) + lower.substr(first);
    }
    return replacement + token.substr(word.size());
  }

  std::map<std::string, std::map<std::string, int>> votes_;
};

class FieldExtractionWorker final : public DocumentWorker {
 public:
  FieldExtractionWorker(const std::vector<PreparedType>* types, const FieldLexicons* lexicons,
                        const FieldExtractionOptions* options)
      : types_(types), lexicons_(lexicons), options_(options) {}

  Status Process(Document& doc) override {
    // A register book's fields are its entries' (each its own document).
    if (doc.is_book()) return Status::Ok();
    std::vector<Line> lines = CollectLines(doc);
    std::vector<std::string> reasons;
    const std::string declared =
        doc.metadata.count("doc_type_declared") ? doc.metadata.at("doc_type_declared") : "";
    const PreparedType* type = declared.empty() ? Classify(lines) : TypeNamed(declared);
    if (type != nullptr) lines = JoinWrappedLabels(*type, std::move(lines));
    nlohmann::json out = {{"sha256", doc.sha256}, {"source", doc.relative_path}};
    doc.fields.clear();
    if (doc.is_entry() && doc.entry->handwritten && type != nullptr) {
      // Handwriting is keyed by people (the book splitter's review reason
      // says so): nothing OCR read of it is offered as a value.
      facts::WriteIdentity({type->spec->key, type->spec->type_code, "", "", {}}, &doc.metadata);
      out["doc_type"] = type->spec->key;
      out["fields"] = nlohmann::json::object();
      out["review_reasons"] = nlohmann::json::array();
      return WriteSidecar(doc, DumpJson(out, 1) + "\n");
    }
    if (type == nullptr && !declared.empty()) {
      reasons.push_back(ReasonText("type.register_kind", {{"kind", declared}}));
      doc.metadata["doc_type"] = "";
      doc.metadata["result_code"] = "";
      doc.metadata["holder_id"] = "";
      out["doc_type"] = nullptr;
      out["code"] = nullptr;
    } else if (type == nullptr) {
      reasons.push_back(ReasonText(lines.empty() ? "type.no_text" : "type.no_title", {}));
      doc.metadata["doc_type"] = "";
      doc.metadata["result_code"] = "";
      doc.metadata["holder_id"] = "";
      out["doc_type"] = nullptr;
      out["code"] = nullptr;
    } else if (!LooksLikeItsForm(*type, lines)) {
      // A title alone does not make a form: a page with hardly any of the
      // type's labels is not one of the known types. One reason, not one
      // per missing field.
      reasons.push_back(ReasonText("type.form_mismatch", {{"type_name", type->spec->name}}));
      type = nullptr;
      doc.metadata["doc_type"] = "";
      doc.metadata["result_code"] = "";
      doc.metadata["holder_id"] = "";
      out["doc_type"] = nullptr;
      out["code"] = nullptr;
    } else {
      Extract(*type, lines, doc, &reasons);
      const DocTypeSpec& spec = *type->spec;
      out["doc_type"] = spec.key;
      out["doc_type_name"] = spec.name;
      out["type_code"] = spec.type_code;
      out["type_code_is_placeholder"] = true;
      out["code"] = doc.metadata["result_code"];
      out["holder_id"] = doc.metadata["holder_id"];
    }
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, f] : doc.fields) {
      nlohmann::json j = {{"value", f.value}, {"confidence", std::round(f.confidence * 1000) / 1000}};
      if (!f.problem.empty()) j["problem"] = f.problem;
      if (!f.corrected_from.empty()) j["corrected_from"] = f.corrected_from;
      if (!f.other_readings.empty()) j["other_readings"] = f.other_readings;
      fields[key] = j;
    }
    out["fields"] = fields;
    out["review_reasons"] = reasons;
    doc.review_reasons.insert(doc.review_reasons.end(), reasons.begin(), reasons.end());
    return WriteSidecar(doc, DumpJson(out, 1) + "\n");
  }

 private:
  const PreparedType* TypeNamed(const std::string& key) const {
    for (const PreparedType& type : *types_)
      if (type.spec->key == key) return &type;
    return nullptr;
  }

  // A register entry's quyển số is its book's, declared by the people who
  // scanned it (pipeline/core/book.h): taken when the page does not print
  // it, and a printed one that differs is a doubt for a person.
  static void ApplyBookFacts(const DocTypeSpec& spec, Document& doc) {
    const std::string& book_no = doc.entry->book_no;
    if (book_no.empty()) return;
    for (const FieldSpec& f : spec.fields) {
      if (f.normalizer != "book") continue;
      auto it = doc.fields.find(f.key);
      if (it == doc.fields.end()) {
        FieldValue value;
        value.value = book_no;
        value.confidence = 1.0f;
        doc.fields[f.key] = value;
      } else if (it->second.problem.empty() && it->second.value != book_no) {
        it->second.problem = "reads " + it->second.value + " but the book's manifest says " + book_no;
        it->second.confidence *= 0.3f;
      }
    }
  }

  // The type whose title is on the first page, else on any page; a title
  // Tesseract split at a column gap counts (stages/fields/split_rows.h).
  const PreparedType* Classify(const std::vector<Line>& lines) const {
    std::vector<std::pair<int, std::u32string>> candidates;
    for (const Line& line : lines) candidates.emplace_back(line.page, line.sk.chars);
    for (const JoinedRow& row : JoinSplitRows(RowPieces(lines)))
      candidates.emplace_back(row.page, SkeletonOf(row.text));
    for (int pass = 0; pass < 2; ++pass) {
      const PreparedType* best = nullptr;
      double best_score = kTitleTolerance;
      for (const PreparedType& type : *types_) {
        for (const std::u32string& title : type.titles) {
          for (const auto& [page, chars] : candidates) {
            if (pass == 0 && page != lines.front().page) continue;
            ForEachTitleScore(title, chars, [&](double score) {
              if (score < best_score || (best == nullptr && score <= best_score)) {
                best_score = score;
                best = &type;
              }
            });
          }
        }
      }
      if (best != nullptr) return best;
    }
    return nullptr;
  }

  // At least half of the type's required fields have their label on the
  // page.
  static bool LooksLikeItsForm(const PreparedType& type, const std::vector<Line>& lines) {
    const std::vector<Hit> hits = FindLabels(type, lines);
    int required = 0, present = 0;
    for (const FieldSpec& f : type.spec->fields) {
      if (!f.required) continue;
      ++required;
      const bool dated = std::find(f.locate.begin(), f.locate.end(), "dated_line") != f.locate.end();
      present += dated || std::any_of(hits.begin(), hits.end(), [&](const Hit& h) { return h.field == &f; });
    }
    return 2 * present >= required;
  }

  void Extract(const PreparedType& type, const std::vector<Line>& lines, Document& doc,
               std::vector<std::string>* reasons) const {
    const DocTypeSpec& spec = *type.spec;
    const std::vector<Hit> hits = FindLabels(type, lines);
    std::map<std::string, size_t> line_of;
    std::map<std::string, Found> raw;
    std::map<std::string, std::vector<Found>> readings;  // printed_twice fields
    // Fields with after_field depend on another's line: resolve in passes.
    for (int pass = 0; pass < 3; ++pass) {
      for (const FieldSpec& f : spec.fields) {
        if (raw.count(f.key)) continue;
        size_t min_line = 0;
        if (!f.after_field.empty()) {
          auto it = line_of.find(f.after_field);
          if (it == line_of.end()) continue;
          min_line = it->second + 1;
        }
        for (const std::string& how : f.locate) {
          std::optional<Found> found;
          if (how == "label") {
            for (const Hit& h : hits) {
              if (h.field != &f || h.line < min_line) continue;
              std::optional<Found> reading = ReadValue(h, lines, hits, lexicons_->provinces);
              if (!reading) continue;
              if (!found) found = reading;
              if (!f.printed_twice) break;
              readings[f.key].push_back(*reading);
            }
          } else if (how == "dated_line") {
            found = ReadDatedLine(lines);
          }
          if (found) {
            raw[f.key] = *found;
            line_of[f.key] = found->line;
            break;
          }
        }
      }
    }

    const std::string today = Today(options_->today);
    const SpellingVotes votes(lines);
    // Disputed values whose other readings are no possible value, with the
    // confidence they were read at as taken (SettleDisputes).
    std::map<std::string, float> no_rival;
    for (const FieldSpec& f : spec.fields) {
      auto it = raw.find(f.key);
      if (it == raw.end()) continue;
      std::string raw_value = it->second.raw;
      // Places only: given names share folded forms (Đinh, Đình, Định are
      // all names), place names of one document do not.
      if (f.normalizer == "place") {
        raw_value = votes.Correct(raw_value);
      }
      Normalized n = NormalizeField(f.normalizer, raw_value);
      FieldValue value;
      value.value = n.value;
      value.confidence = it->second.confidence;
      if (n.ok() && f.normalizer == "date" && YearInWordsEndsRound(raw_value) &&
          !RoundYearIsWhole(lines, hits, it->second.line)) {
        value.problem = ErrorText("check.year_words_round", {{"value", n.value.substr(0, 4)}});
      }
      if (!n.ok()) {
        value.problem = n.problem;
        value.value = Nfc(it->second.raw);
        value.confidence *= 0.3f;
      }
      if (n.ok()) EvidenceOf(f, readings[f.key], it->second.words, &value);
      // A checked name's surname is a closed form (stages/fields/name_confidence.h).
      if (n.ok() && f.lexicon == "surnames" && value.problem.empty()) {
        value.confidence = NameConfidence(lexicons_->surnames, value.value, it->second.words,
                                          value.confidence, static_cast<float>(ClosedFormBar()),
                                          static_cast<float>(options_->review_confidence));
      }
      if (n.ok() && !it->second.disputed.empty()) {
        const auto& disputed = it->second.disputed;
        // For the person: the value with disputed words read the other way, whole.
        std::vector<std::vector<std::string>> whole, mixed;
        for (const auto& [taken, other] : disputed) {
          whole.push_back({other});
          if (std::optional<std::vector<std::string>> m = DisputedWordReadings(taken, other))
            mixed.push_back(*m);
        }
        bool complete = false;
        // After any other printing's (EvidenceOf).
        for (const std::string& other :
             OtherReadings(f.normalizer, OtherTexts(raw_value, disputed, whole, &complete), value.value))
          AddOtherReading(other, value);
        // No rival: not even a mix of the two readings is a possible value.
        const std::vector<std::string> others = OtherTexts(raw_value, disputed, mixed, &complete);
        if (complete && OnlyTakenReadingIsPossible(f.normalizer, f.validator, today, value.value, others))
          no_rival[f.key] = it->second.as_taken;
      }
      doc.fields[f.key] = value;
    }
    if (doc.is_entry()) ApplyBookFacts(spec, doc);
    SettleDisputes(spec, no_rival, doc);
    // Validation with the other fields as context.
    for (const FieldSpec& f : spec.fields) {
      auto it = doc.fields.find(f.key);
      if (it == doc.fields.end() || !it->second.problem.empty()) continue;
      FieldValue& v = it->second;
      // An optional field the form prints as absent, in so many words:
      // nothing to validate, the words themselves are the evidence, and the
      // confidence gate below still asks them to be read surely.
      const auto read = raw.find(f.key);
      if (v.value.empty() && !f.required && read != raw.end() && PrintedAbsent(read->second.raw)) continue;
      bool unverified = false;
      const std::string problem =
          CheckWithOtherFields(f, spec, v.value, doc, lexicons_->provinces, today, &unverified);
      ApplyCheckWithOtherFields(problem, unverified, v);
    }
    ConfirmValidityByItsStart(spec, doc);

    auto labelled = [&](const FieldSpec& f) {
      return std::any_of(hits.begin(), hits.end(), [&](const Hit& h) { return h.field == &f; });
    };
    std::pair<int, int> optional_on_page{0, 0};  // found or labelled, of all optional fields
    for (const FieldSpec& f : spec.fields) {
      if (f.required) continue;
      ++optional_on_page.second;
      optional_on_page.first += doc.fields.count(f.key) > 0 || labelled(f);
    }
    for (const FieldSpec& f : spec.fields) {
      auto it = doc.fields.find(f.key);
      if (it == doc.fields.end()) {
        const std::string label = f.labels.empty() ? f.key : f.labels.front();
        if (f.required) {
          reasons->push_back(ReasonText("field.not_found", {{"field", f.key}, {"label", label}}));
        } else if (labelled(f)) {
          // The form has the field (its label is on the page) and nothing
          // was read for it: a value left out, or one printed blank, which
          // a person must confirm; archived, it would read as "not on the form".
          reasons->push_back(ReasonText("field.label_without_value", {{"field", f.key}, {"label", label}}));
        } else if (optional_on_page.first * 2 >= optional_on_page.second) {
          // Neither label nor value, on a page that shows most of the type's
          // optional fields: a form that prints them prints them all (blank
          // or "không có thông tin" when there is none), so OCR lost this
          // one's row — a table cell, a label under a seal. Archived, the
          // document would read as if the form had no such field.
          reasons->push_back(ReasonText("field.optional_not_found", {{"field", f.key}, {"label", label}}));
        }
        continue;
      }
      const std::string reason = FieldReason(f.key, it->second, ThresholdFor(f));
      if (!reason.empty()) reasons->push_back(reason);
    }

    auto holder = doc.fields.find(spec.holder_field);
    const std::string holder_id =
        holder != doc.fields.end() && holder->second.problem.empty() ? holder->second.value : "";
    const std::string code = holder_id + options_->code_separator + spec.type_code;
    facts::DocumentIdentity identity{spec.key, spec.type_code, holder_id, code, {}};
    for (const auto& [key, v] : doc.fields) identity.fields[key] = v.value;
    facts::WriteIdentity(identity, &doc.metadata);
  }

  // Lexicons, the province of a place, and every reading of a value printed
  // twice: a failed check is a problem (and a third of the confidence); two
  // readings that agree are two independent confirmations (the better
  // confidence of the two counts).
  void EvidenceOf(const FieldSpec& f, const std::vector<Found>& readings, const std::vector<ReadWord>& words,
                  FieldValue* value) const {
    std::string problem;
    if (f.normalizer == "place") {
      CutPlaceRunOn(lexicons_->provinces, value);
      CorrectPlaceProvince(lexicons_->provinces, value);
      CorrectPlaceInstitution(value);
      const std::string unlisted = CheckPlaceInGazetteer(*lexicons_, value);
      // Every word of the place is a real unit inside the next: the
      // gazetteer vouches for what OCR was unsure of.
      if (GazetteerVouchesFor(*lexicons_, value->value))
        value->confidence = std::max(value->confidence, kGazetteerConfirmed);
      problem = CheckPlaceNamesProvince(lexicons_->provinces, value->value);
      if (problem.empty()) problem = CheckPlaceUnits(lexicons_->provinces, value->value);
      if (problem.empty()) problem = unlisted;
      problem = RebuildDamagedPlace(*lexicons_, problem, words, ThresholdFor(f), value);
    }
    if (const Lexicon* phrases = lexicons_->Phrases(f.lexicon); f.lexicon == "marital_status" || phrases) {
      // A standard phrasing vouches for its words: the value then needs the
      // bar of a closed lexicon's entry (a purpose, a cause of death: one of
      // a short list, matched in every letter but its marks — on tuning
      // seeds 1-7, 101 of 101 such matches were right, two of them read at
      // 0.67 and 0.79), or a name's (a marital status names a spouse), not
      // free text's.
      bool matched = false;
      if (phrases)
        MatchStandardPhrase(*phrases, value, &matched);
      else
        problem = MatchMaritalStatus(*lexicons_, value, &matched);
      const double bar = phrases ? ClosedFormBar() : NameBar();
      if (matched && value->confidence >= bar)
        value->confidence = std::max(value->confidence, static_cast<float>(kFreeTextConfidence));
    } else if (problem.empty() && !f.lexicon.empty()) {
      problem = ApplyLexicon(*lexicons_, f.lexicon, value);
    }
    if (problem.empty() && readings.size() > 1) {
      std::vector<std::string> values;
      float best = value->confidence;
      for (const Found& r : readings) {
        const Normalized n = NormalizeField(f.normalizer, r.raw);
        values.push_back(n.ok() ? n.value : "");
        if (n.ok() && n.value == value->value) best = std::max(best, r.confidence);
      }
      problem = CheckPrintedTwice(values);
      if (problem.empty()) value->confidence = best;
      // Printings that disagree: the others are readings a person (or the
      // register, pipeline/inventory/register_settle.h) chooses from.
      if (!problem.empty())
        for (const std::string& v : values)
          if (!v.empty() && v != value->value) AddOtherReading(v, *value);
    }
    if (!problem.empty()) {
      value->problem = problem;
      value->confidence *= 0.3f;
    }
  }

  // Figures two readers disputed, settled where a cross-check pins every
  // disputed figure against fields vouched for on their own (no problem,
  // above their bar, undisputed): stages/fields/disputed_figures.h. The
  // value then counts as sure as the least sure of those fields; the
  // reading not taken stays in other_readings, a change in corrected_from.
  // Failing that, a value in `no_rival` (its other readings are no possible
  // value: OnlyTakenReadingIsPossible) counts at the confidence it was read
  // at as taken, the dispute's cap lifted — it still has to clear its bar.
  void SettleDisputes(const DocTypeSpec& spec, const std::map<std::string, float>& no_rival,
                      Document& doc) const {
    auto sure = [&](const std::string& key) -> const FieldValue* {
      auto it = doc.fields.find(key);
      auto s = std::find_if(spec.fields.begin(), spec.fields.end(), [&](const FieldSpec& g) { return g.key == key; });
      if (key.empty() || it == doc.fields.end() || s == spec.fields.end()) return nullptr;
      const FieldValue& v = it->second;
      return v.problem.empty() && v.other_readings.empty() && v.confidence >= ThresholdFor(*s) ? &v : nullptr;
    };
    for (const FieldSpec& f : spec.fields) {
      auto it = doc.fields.find(f.key);
      auto alone = no_rival.find(f.key);
      if (it == doc.fields.end() || !it->second.problem.empty()) continue;
      if (it->second.other_readings.empty() && alone == no_rival.end()) continue;
      FieldValue& v = it->second;
      std::vector<std::string> readings = {v.value};
      readings.insert(readings.end(), v.other_readings.begin(), v.other_readings.end());
      std::optional<std::string> settled;
      float vouched = 1;
      auto by = [&](const FieldValue* partner) {
        if (partner != nullptr) vouched = std::min(vouched, partner->confidence);
        return partner == nullptr ? std::string() : partner->value;
      };
      if (f.validator == "personal_id") {
        const std::string sex = f.sex.empty() ? by(sure(f.sex_field)) : f.sex;
        const std::string birth = by(sure(f.birth_date_field));
        std::string code;
        if (std::optional<ProvinceLexicon::Province> p =
                lexicons_->provinces.ProvinceOf(by(sure(f.registration_place_field))))
          code = p->code;
        settled = SettleIdByHolder(readings, sex, birth, code);
      } else if (f.validator == "date") {
        for (const FieldSpec& g : spec.fields)
          if (!settled && g.validator == "personal_id" && g.birth_date_field == f.key && sure(g.key))
            settled = SettleBirthYearById(readings, by(sure(g.key)));
        const ValidityRule& rule = spec.validity;
        if (!settled && rule.months > 0 && f.key == rule.until_field && sure(rule.from_field)) {
          if (std::optional<std::string> until = AddMonths(by(sure(rule.from_field)), rule.months))
            settled = SettleByEquality(readings, *until);
        }
        if (!settled && rule.months > 0 && f.key == rule.from_field && sure(rule.until_field)) {
          const std::string until = by(sure(rule.until_field));
          std::vector<std::string> agree;
          for (const std::string& r : readings)
            if (AddMonths(r, rule.months) == until) agree.push_back(r);
          if (agree.size() == 1) settled = agree.front();
        }
      }
      if (!settled && alone != no_rival.end()) {
        settled = v.value;
        vouched = alone->second;
      }
      if (!settled) {
        // The taken reading is no possible value and the other reader's is:
        // corrected, but left below the gate (not vouched for).
        settled = ThePossibleOtherReading(f.validator, Today(options_->today), v.value, v.other_readings);
        vouched = 0;
      }
      if (!settled) continue;
      if (*settled != v.value) {
        // The reading not taken now is the one taken first.
        std::replace(v.other_readings.begin(), v.other_readings.end(), *settled, v.value);
        if (v.corrected_from.empty()) v.corrected_from = v.value;
      }
      v.value = *settled;
      v.confidence = std::max(v.confidence, vouched);
    }
  }

  // The bar a value's confidence must clear (field_checks.h).
  double ThresholdFor(const FieldSpec& f) const {
    return FieldBar(f, *lexicons_, options_->review_confidence);
  }

  // field_checks.h.
  double ClosedFormBar() const { return sohoa::ClosedFormBar(options_->review_confidence); }
  double NameBar() const { return sohoa::NameBar(options_->review_confidence); }

  // A validity's end that is its start plus the months the type gives was
  // read twice over, the second time as the start date (a reading of its
  // own, elsewhere on the page): two misreadings that agree on the date six
  // months later do not happen. It counts at the better confidence of the
  // two when the start passes its own bar (tuning seed 6: "Giấy này có giá
  // trị sử dụng đến ngày 02/08/2019" read at 0.00, its registration date
  // 02/02/2019 at 0.96).
  void ConfirmValidityByItsStart(const DocTypeSpec& spec, Document& doc) const {
    if (spec.validity.months <= 0 || spec.validity.until_field.empty()) return;
    auto until = doc.fields.find(spec.validity.until_field);
    auto from = doc.fields.find(spec.validity.from_field);
    if (until == doc.fields.end() || from == doc.fields.end() || !until->second.problem.empty() ||
        !from->second.problem.empty() || from->second.confidence < ClosedFormBar())
      return;
    const std::optional<std::string> expected = AddMonths(from->second.value, spec.validity.months);
    if (expected && *expected == until->second.value)
      until->second.confidence = std::max(until->second.confidence, from->second.confidence);
  }

  Status WriteSidecar(Document& doc, const std::string& bytes) const {
    if (doc.staging_dir.empty()) return Status::Ok();  // nowhere to stage (tests of Extract)
    SOHOA_RETURN_IF_ERROR(MakeDirectories(doc.staging_dir));
    const std::string path = doc.staging_dir + "/" + doc.sha256 + ".fields.json";
    SOHOA_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
    for (OutputFile& o : doc.outputs) {
      if (o.role == "fields") {
        o.staged_path = path;
        return Status::Ok();
      }
    }
    OutputFile file;
    file.role = "fields";
    file.staged_path = path;
    doc.outputs.push_back(file);
    return Status::Ok();
  }

  const std::vector<PreparedType>* types_;
  const FieldLexicons* lexicons_;
  const FieldExtractionOptions* options_;
};

// The document types and the lexicons the options name.
Status LoadCatalogAndLexicons(const FieldExtractionOptions& options, DocTypeCatalog* catalog,
                              FieldLexicons* lexicons) {
  StatusOr<DocTypeCatalog> loaded_catalog =
      DocTypeCatalog::Load(options.doctypes_dir.empty() ? DefaultDocTypesDir() : options.doctypes_dir);
  if (!loaded_catalog.ok()) return loaded_catalog.status();
  const std::string lexicons_dir =
      !options.lexicons_dir.empty()
          ? options.lexicons_dir
          : std::filesystem::path(DefaultDocTypesDir()).parent_path().string() + "/lexicons";
  StatusOr<FieldLexicons> loaded_lexicons = FieldLexicons::Load(lexicons_dir);
  if (!loaded_lexicons.ok()) return loaded_lexicons.status();
  *catalog = std::move(*loaded_catalog);
  *lexicons = std::move(*loaded_lexicons);
  return Status::Ok();
}

class FieldExtractionStage final : public DocumentStage {
 public:
  explicit FieldExtractionStage(FieldExtractionOptions options) : options_(std::move(options)) {}
  std::string Name() const override { return "fields"; }

  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    SOHOA_RETURN_IF_ERROR(Prepare());
    return std::unique_ptr<DocumentWorker>(
        std::make_unique<FieldExtractionWorker>(&types_, &lexicons_, &options_));
  }

 private:
  // Loads the catalog once, before the run (workers are made before it
  // starts, one at a time per the graph's contract; the once_flag makes that
  // safe even if not).
  Status Prepare() const {
    std::call_once(once_, [this] {
      if (options_.review_confidence < 0 || options_.review_confidence > 1) {
        prepared_ = Status::Configuration("review confidence must be between 0 and 1");
        return;
      }
      if (!options_.today.empty() && !IsIsoDate(options_.today)) {
        prepared_ = Status::Configuration("'today' must be YYYY-MM-DD");
        return;
      }
      prepared_ = LoadCatalogAndLexicons(options_, &catalog_, &lexicons_);
      if (!prepared_.ok()) return;
      for (const DocTypeSpec& spec : catalog_.types()) {
        PreparedType type{&spec, {}, {}};
        for (const std::string& t : spec.title_words) type.titles.push_back(SkeletonOf(t));
        for (const FieldSpec& f : spec.fields) {
          PreparedField field{&f, {}};
          for (const std::string& l : f.labels) field.labels.push_back(SkeletonOf(l));
          type.fields.push_back(std::move(field));
        }
        types_.push_back(std::move(type));
      }
    });
    return prepared_;
  }

  FieldExtractionOptions options_;
  mutable std::once_flag once_;
  mutable Status prepared_;
  mutable DocTypeCatalog catalog_;
  mutable FieldLexicons lexicons_;
  mutable std::vector<PreparedType> types_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewFieldExtractionStage(const FieldExtractionOptions& options) {
  return std::make_unique<FieldExtractionStage>(options);
}

std::function<void(Document&)> NewFieldRecheck(const FieldExtractionOptions& options) {
  struct Loaded {
    std::once_flag once;
    bool ok = false;
    DocTypeCatalog catalog;
    FieldLexicons lexicons;
  };
  auto state = std::make_shared<Loaded>();
  return [state, options](Document& doc) {
    // The stage itself refuses to start when these do not load.
    std::call_once(state->once, [&] {
      state->ok = LoadCatalogAndLexicons(options, &state->catalog, &state->lexicons).ok();
    });
    auto type = doc.metadata.find("doc_type");
    if (!state->ok || type == doc.metadata.end() || type->second.empty()) return;
    const DocTypeSpec* spec = state->catalog.Find(type->second);
    if (spec == nullptr) return;
    CheckAgainWithOtherFields(*spec, state->lexicons, options.review_confidence, Today(options.today), doc);
  };
}

std::function<int(const OcrResult&)> NewTitleFinder(const FieldExtractionOptions& options) {
  struct Titles {
    std::once_flag once;
    bool loaded = false;
    std::vector<std::u32string> titles;
  };
  auto state = std::make_shared<Titles>();
  const std::string dir = options.doctypes_dir.empty() ? DefaultDocTypesDir() : options.doctypes_dir;
  return [state, dir](const OcrResult& ocr) {
    std::call_once(state->once, [&] {
      StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(dir);
      if (!catalog.ok()) return;  // the stage itself refuses to start
      for (const DocTypeSpec& spec : catalog->types())
        for (const std::string& t : spec.title_words) state->titles.push_back(SkeletonOf(t));
      state->loaded = true;
    });
    if (!state->loaded) return kTitleUnknown;
    std::vector<RowPiece> pieces;
    for (const OcrLine& ocr_line : ocr.lines) {
      std::string text;  // as CollectLines joins the words
      for (const OcrWord& w : ocr_line.words) text += (text.empty() ? "" : " ") + w.text;
      pieces.push_back({0, ocr_line.box, std::move(text)});
    }
    auto has_title = [&](const std::string& text) {
      const std::u32string line = SkeletonOf(text);
      bool found = false;
      for (const std::u32string& title : state->titles)
        ForEachTitleScore(title, line, [&](double) { found = true; });
      return found;
    };
    // The topmost line holding a title; a row joined from split pieces
    // stands at its leftmost piece's line.
    int topmost = -1;
    auto consider = [&](size_t i, const std::string& text) {
      if (topmost >= 0 && ocr.lines[i].box.top >= ocr.lines[topmost].box.top) return;
      if (has_title(text)) topmost = static_cast<int>(i);
    };
    for (size_t i = 0; i < pieces.size(); ++i) consider(i, pieces[i].text);
    for (const JoinedRow& row : JoinSplitRows(pieces)) consider(row.first, row.text);
    return topmost;
  };
}

std::function<bool(const OcrResult&)> NewTitleTest(const FieldExtractionOptions& options) {
  return [find = NewTitleFinder(options)](const OcrResult& ocr) { return find(ocr) != -1; };
}

}  // namespace sohoa
