#include "stages/book/book_split_stage.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/text_fold.h"
#include "stages/book/book_numbers.h"
#include "stages/book/book_page_order.h"
#include "stages/book/ruled_table.h"

namespace sohoa {
namespace {

std::string HandwrittenReason() { return ReasonText("entry.handwritten", {}); }
constexpr char kEntryNumberLabel[] = "Số";
std::string InferredReason() { return ReasonText("entry.number_inferred", {}); }

// An entry found, before it becomes a Document.
struct Found {
  EntryInfo info;
  int slot = 0;
  std::vector<OcrLine> field_lines;
  // The field line "Số: N" the số was read from (its N is the entry's
  // number: a number the sequence settles is written there too); -1 none.
  int number_line = -1;
  std::vector<std::string> reasons;
};

// The words of `line` after its first word holding a digit (the number
// that follows the label "Số"), as a line of their own: the rest of a
// printed row "Số: 5 .... Ngày, tháng, năm đăng ký: ngày 19 ..."; no
// words when nothing follows.
OcrLine AfterNumber(const OcrLine& line) {
  OcrLine rest = line;
  rest.words.clear();
  bool seen = false;
  for (const OcrWord& word : line.words) {
    if (seen) rest.words.push_back(word);
    seen = seen || word.text.find_first_of("0123456789") != std::string::npos;
  }
  if (!rest.words.empty()) rest.box.left = rest.words.front().box.left;
  return rest;
}

// The lowest confidence of the words after a line's label (all its words
// when it has no "label:"): a garbled written value beside a printed
// label is read low.
float ValueConfidence(const OcrLine& line) {
  float lowest = 100;
  bool after_label = line.Text().find(':') == std::string::npos;
  for (const OcrWord& word : line.words) {
    if (after_label) lowest = std::min(lowest, word.confidence);
    after_label = after_label || word.text.find(':') != std::string::npos;
  }
  return lowest;
}

// A line that gives a value: "<label>: <value>", the label (before the
// first colon) one to twelve words long ("Họ, chữ đệm, tên người đi đăng
// ký khai sinh" is ten) and something after it. A printed
// page's headings, the lines a value wraps onto and a signature's scribble
// are not.
bool IsValueLine(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || text.find_first_not_of(" .:", colon) == std::string::npos) return false;
  const std::string label = text.substr(0, colon);
  if (label.find_first_not_of(' ') == std::string::npos) return false;
  const auto words = std::count(label.begin(), label.end(), ' ') + 1;
  return words <= 12;
}

bool LooksRuled(const Document& book) {
  int analysed = 0, ruled = 0;
  for (const Page& page : book.pages) {
    if (!page.layout.analysed) continue;
    ++analysed;
    if (page.layout.rules_y.size() >= 4 && page.layout.rules_x.size() >= 3) ++ruled;
  }
  return analysed > 0 && 2 * ruled > analysed;
}

int CentreX(const Box& box) { return (box.left + box.right) / 2; }

FieldPlace PlaceOf(int scan_page, const Box& box) {
  return {scan_page, box.left, box.top, box.right, box.bottom};
}

// Where each field is written on a printed page (half): the "<label>:
// <value>" line whose label names the field, with the lines right below it
// that give no label (a long place wraps onto them). Handwritten lines
// count too: that is where a person must look to key the value.
std::map<std::string, FieldPlace> PrintedFieldPlaces(const std::vector<const OcrLine*>& lines, int scan_page,
                                                     const DocTypeSpec& type,
                                                     const std::vector<std::vector<std::string>>& labels) {
  std::map<std::string, FieldPlace> places;
  FieldPlace* open = nullptr;  // the place the next unlabelled line may continue
  for (const OcrLine* line : lines) {
    const std::string text = line->Text();
    if (!IsValueLine(text)) {
      const int gap = open == nullptr ? 0 : line->box.top - open->bottom;
      if (open != nullptr && gap >= 0 && gap < line->box.height()) {
        open->left = std::min(open->left, line->box.left);
        open->right = std::max(open->right, line->box.right);
        open->bottom = line->box.bottom;
      } else {
        open = nullptr;
      }
      continue;
    }
    open = nullptr;
    const int field = MatchColumnTitle(text.substr(0, text.find(':')), labels);
    if (field < 0 || places.count(type.fields[field].key)) continue;
    open = &(places[type.fields[field].key] = PlaceOf(scan_page, line->box));
  }
  return places;
}

// "<label>: <cell words>" as an OCR line, the words keeping their
// confidences; the label, ours, counts as read with certainty.
OcrLine FieldLine(const std::string& label, const Box& box, int block, const std::vector<OcrWord>& words) {
  OcrLine line;
  line.box = box;
  line.block = block;
  line.baseline_y = box.bottom;
  OcrWord label_word;
  label_word.text = label + ":";
  label_word.box = {box.left, box.top, box.left, box.bottom};
  label_word.confidence = 100;
  line.words.push_back(label_word);
  line.words.insert(line.words.end(), words.begin(), words.end());
  return line;
}

class BookSplitWorker : public DocumentSplitWorker {
 public:
  BookSplitWorker(const BookSplitOptions& options, std::shared_ptr<const DocTypeCatalog> catalog)
      : options_(options), catalog_(std::move(catalog)) {}

  StatusOr<std::vector<std::shared_ptr<Document>>> Split(Document& book) override {
    std::vector<std::shared_ptr<Document>> entries;
    if (!book.is_book()) return entries;
    const DocTypeSpec* type = catalog_->Find(book.book->kind);
    if (type == nullptr) {
      return Status::InvalidInput("book kind \"" + book.book->kind + "\" (" + book.book->manifest +
                                  ") is not a document type of schemas/doctypes");
    }
    const BookPageOrder order = AnalysePageOrder(book, options_.repeat_similarity);
    for (const std::string& problem : order.problems) book.review_reasons.push_back("book: " + problem);
    const bool ruled = book.book->layout.empty() ? LooksRuled(book) : book.book->layout == "ruled";
    std::vector<Found> found;
    auto usable = [&](int s) { return order.repeat_of[s] < 0 && book.pages[s].status.ok(); };
    for (int s = 0; s < book.page_count(); ++s) {
      if (!usable(s)) continue;
      const size_t before = found.size();
      if (ruled) {
        int next = s + 1;
        while (next < book.page_count() && !usable(next)) ++next;
        if (RuledEntries(book, *type, order, s, next < book.page_count() ? next : -1, &found)) s = next;
      } else {
        PrintedEntries(book, *type, order, s, &found);
      }
      if (found.size() == before && !book.pages[s].blank) {
        book.review_reasons.push_back(ReasonText("book.no_entry", {{"scan", std::to_string(s + 1)}}));
      }
    }
    for (Found& f : found) {
      for (int scan : f.info.scan_pages) {
        if (!order.doubts[scan].empty()) f.reasons.push_back(order.doubts[scan]);
      }
    }
    NumberEntries(!ruled, &found);
    book.bookmarks.clear();
    for (size_t i = 0; i < found.size(); ++i) {
      Found& f = found[i];
      f.info.position = static_cast<int>(i) + 1;
      std::shared_ptr<Document> entry = NewEntryDocument(book, f.info, f.slot);
      if (f.info.handwritten) {
        // A ruled row holds one entry's values only: all of them to a person.
        if (std::find(f.reasons.begin(), f.reasons.end(), HandwrittenReason()) == f.reasons.end()) {
          f.reasons.insert(f.reasons.begin(), HandwrittenReason());
        }
        f.field_lines.clear();
      }
      entry->field_lines = std::move(f.field_lines);
      entry->review_reasons = std::move(f.reasons);
      const std::string number = f.info.number > 0 ? std::to_string(f.info.number) : "?";
      book.bookmarks.push_back(
          {"Số " + number + " — trang " + PageNumbersText(f.info.page_numbers), f.info.scan_pages.front()});
      entries.push_back(std::move(entry));
    }
    book.entry_count = static_cast<int>(entries.size());
    return entries;
  }

 private:
  // One entry a page, or a half of a spread. Lines marked handwritten are
  // left out of its field_lines and its số is not read from them (their
  // fields are then not found: keyed by a person, never guessed). A
  // handwritten value line gives the reason "handwritten: key it in"; the
  // entry is handwritten when at least half of its value lines are.
  void PrintedEntries(const Document& book, const DocTypeSpec& type, const BookPageOrder& order, int s,
                      std::vector<Found>* found) {
    const Page& page = book.pages[s];
    const int halves = static_cast<int>(order.numbers[s].size());
    std::vector<std::vector<std::string>> labels;
    for (const FieldSpec& field : type.fields) labels.push_back(field.labels);
    for (int half = 0; half < halves; ++half) {
      Found f;
      f.slot = half;
      f.info.scan_pages = {s};
      f.info.page_numbers = {order.numbers[s][half]};
      std::vector<const OcrLine*> lines;
      int value_lines = 0, handwritten_values = 0;
      for (const OcrLine& line : page.ocr.lines) {
        if (halves == 2 && (CentreX(line.box) < page.layout.gutter_x) != (half == 0)) continue;
        lines.push_back(&line);
        const bool value = IsValueLine(line.Text());
        value_lines += value;
        handwritten_values += value && line.handwritten;
      }
      if (lines.empty()) continue;
      for (const OcrLine* line : lines) {
        if (line->handwritten) continue;
        // An entry with handwriting goes to a person anyway; a line of it
        // read unsurely that was not marked (writing whose ink passed for
        // print) gives no value either: a guess must not be archived.
        if (handwritten_values > 0 && ValueConfidence(*line) < options_.unsure_confidence) continue;
        if (f.info.number == 0 && (f.info.number = ParseEntryNumberLabel(line->Text())) > 0) {
          // The số's own field line "Số: N" (field extraction reads the
          // entry's number from it; a garbled label, "S022)", "ĐÓ: 17", is
          // not one it knows), the number keeping the lowest confidence of
          // the words up to it; what follows the number on the printed row
          // ("Ngày, tháng, năm đăng ký: ...") its own line.
          OcrWord number;
          number.text = std::to_string(f.info.number);
          number.box = line->box;
          number.confidence = 100;
          const OcrLine rest = AfterNumber(*line);
          for (size_t w = 0; w + rest.words.size() < line->words.size(); ++w) {
            number.confidence = std::min(number.confidence, line->words[w].confidence);
          }
          f.number_line = static_cast<int>(f.field_lines.size());
          f.field_lines.push_back(FieldLine(kEntryNumberLabel, line->box, line->block, {number}));
          if (!rest.words.empty()) f.field_lines.push_back(rest);
          continue;
        }
        f.field_lines.push_back(*line);
      }
      f.info.field_places = PrintedFieldPlaces(lines, s, type, labels);
      if (handwritten_values > 0) f.reasons.push_back(HandwrittenReason());
      f.info.handwritten = handwritten_values > 0 && 2 * handwritten_values >= value_lines;
      found->push_back(std::move(f));
    }
  }

  // One entry a table row; on a spread the row runs across the fold, and a
  // left page (its table has the "Số" column) scanned on its own continues
  // on the next scan page when that page's table has none. Returns whether
  // that next page was taken.
  bool RuledEntries(const Document& book, const DocTypeSpec& type, const BookPageOrder& order, int s,
                    int next, std::vector<Found>* found) {
    RuledTable table = ReadRuledTable(book.pages[s]);
    if (!table.found()) return false;
    std::vector<std::vector<std::string>> labels;
    for (const FieldSpec& field : type.fields) labels.push_back(field.labels);
    auto number_column = [&](const RuledTable& t) {
      for (size_t c = 0; c < t.column_titles.size(); ++c) {
        const int f = MatchColumnTitle(t.column_titles[c], labels);
        if (f >= 0 && type.fields[f].key == "so") return static_cast<int>(c);
      }
      return -1;
    };
    const bool spread = book.pages[s].layout.gutter_x >= 0;
    std::vector<int> scan_pages = {s};
    std::vector<int> page_numbers = order.numbers[s];
    bool took_next = false;
    if (!spread && number_column(table) >= 0 && next >= 0 && book.pages[next].layout.gutter_x < 0) {
      const RuledTable right = ReadRuledTable(book.pages[next]);
      if (right.found() && number_column(right) < 0) {
        JoinFacingPage(table, right);
        scan_pages.push_back(next);
        page_numbers.push_back(order.numbers[next].front());
        took_next = true;
      }
    }
    std::vector<int> field_of;  // per column
    int book_no_column = -1;
    for (const std::string& title : table.column_titles) {
      field_of.push_back(MatchColumnTitle(title, labels));
      if (field_of.back() >= 0 && type.fields[field_of.back()].key == "quyen_so")
        book_no_column = field_of.size() - 1;
    }
    const int numbers_in = std::max(0, number_column(table));
    const FieldSpec* book_no_field = type.FindField("quyen_so");
    int slot = 0;
    for (const TableRow& row : table.rows) {
      Found f;
      f.slot = slot++;
      f.info.scan_pages = scan_pages;
      f.info.page_numbers = page_numbers;
      f.info.handwritten = row.handwritten;
      // A handwritten row's số is not read either (OCR made "16" of a
      // written 4): it is inferred from its neighbours, and said so.
      if (!row.handwritten) f.info.number = ParseCellNumber(row.cells[numbers_in].Text());
      for (size_t c = 0; c < row.cells.size(); ++c) {
        // The cell is where its field is written, read or not (a handwritten
        // row's cells are what a person keys from). A facing page's columns
        // lie on the next scan page.
        const Box& cell = row.cells[c].box;
        if (field_of[c] >= 0 && cell.right > cell.left && cell.bottom > cell.top) {
          const int on = took_next && table.column_half[c] == 1 ? next : s;
          f.info.field_places.emplace(type.fields[field_of[c]].key, PlaceOf(on, cell));
        }
        if (field_of[c] < 0 || row.cells[c].words.empty()) continue;
        f.field_lines.push_back(FieldLine(type.fields[field_of[c]].labels.front(), row.cells[c].box,
                                          static_cast<int>(c), row.cells[c].words));
      }
      if (book_no_column < 0 && book_no_field != nullptr && !book.book->book_no.empty()) {
        OcrWord declared;
        declared.text = book.book->book_no;
        declared.confidence = 100;
        f.field_lines.push_back(FieldLine(book_no_field->labels.front(), row.box, -1, {declared}));
      }
      found->push_back(std::move(f));
    }
    return took_next;
  }

  // Entry numbers (see the header): unread ones inferred, breaks reported.
  // On a printed book (one entry a page) the số and the trang số advance
  // together, so an unread số is its page number plus the offset of the
  // nearest entry with a read số: right also where pages were swapped.
  static int NumberFromPage(const std::vector<Found>& found, int i) {
    const int page = found[i].info.page_numbers.front();
    if (page <= 0) return 0;
    for (int d = 1; d < static_cast<int>(found.size()); ++d) {
      for (int j : {i - d, i + d}) {
        if (j < 0 || j >= static_cast<int>(found.size())) continue;
        const EntryInfo& other = found[j].info;
        if (other.number > 0 && !other.number_inferred && other.page_numbers.front() > 0) {
          const int number = page + other.number - other.page_numbers.front();
          return number > 0 ? number : 0;
        }
      }
    }
    return 0;
  }

  static void NumberEntries(bool one_entry_a_page, std::vector<Found>* found) {
    const int n = static_cast<int>(found->size());
    // A number read that the numbers around it contradict: the nearest
    // read numbers before and after it are as far apart as their
    // positions (no entry missing between them) and leave it exactly one
    // number, which no other entry carries and which is more than two off
    // the one read ("12", "113", "14"). It takes
    // that number, as inferred, and says so; a break the entries around it
    // do not settle (a page missing or out of order) is kept as read and
    // reported below.
    std::vector<int> read(n);
    for (int i = 0; i < n; ++i) read[i] = (*found)[i].info.number;
    for (int i = 0; i < n; ++i) {
      if (read[i] <= 0) continue;
      int before = i - 1, after = i + 1;
      while (before >= 0 && read[before] <= 0) --before;
      while (after < n && read[after] <= 0) ++after;
      if (before < 0 || after >= n || read[after] - read[before] != after - before) continue;
      const int place = read[before] + (i - before);
      // Within two it may be right: a page missing, swapped or repeated
      // among the unread entries between moves a number by one or two.
      if (std::abs(place - read[i]) <= 2 || std::find(read.begin(), read.end(), place) != read.end()) continue;
      Found& f = (*found)[i];
      f.reasons.push_back(ReasonText("entry.number_misfit", {{"read", std::to_string(read[i])},
                                                             {"before", std::to_string(read[before])},
                                                             {"after", std::to_string(read[after])},
                                                             {"taken", std::to_string(place)}}));
      f.info.number = place;
      f.info.number_inferred = true;
      if (f.number_line >= 0) {
        OcrWord& number = f.field_lines[f.number_line].words.back();
        number.text = std::to_string(place);
        number.confidence = std::min(number.confidence, 50.0f);
      }
    }
    for (int i = 0; i < n; ++i) {
      EntryInfo& info = (*found)[i].info;
      if (info.number > 0) continue;
      int number = one_entry_a_page ? NumberFromPage(*found, i) : 0;
      if (number == 0 && i > 0 && (*found)[i - 1].info.number > 0) number = (*found)[i - 1].info.number + 1;
      for (int j = i + 1; j < n && number == 0; ++j) {
        if ((*found)[j].info.number > 0) number = std::max(0, (*found)[j].info.number - (j - i));
      }
      if (number > 0) {
        info.number = number;
        info.number_inferred = true;
        (*found)[i].reasons.push_back(InferredReason());
      } else {
        (*found)[i].reasons.push_back(ReasonText("entry.number_unknown", {}));
      }
    }
    for (int i = 1; i < n; ++i) {
      const int previous = (*found)[i - 1].info.number, number = (*found)[i].info.number;
      if (previous > 0 && number > 0 && number != previous + 1) {
        (*found)[i].reasons.push_back(
            ReasonText("entry.number_out_of_order",
                       {{"number", std::to_string(number)}, {"previous", std::to_string(previous)}}));
      }
    }
  }

  const BookSplitOptions options_;
  // Shared with the stage: a worker may outlive it.
  const std::shared_ptr<const DocTypeCatalog> catalog_;
};

class BookSplitStage : public DocumentSplitStage {
 public:
  explicit BookSplitStage(const BookSplitOptions& options) : options_(options) {}
  std::string Name() const override { return "book_split"; }
  StatusOr<std::unique_ptr<DocumentSplitWorker>> NewWorker() const override {
    // The catalog is loaded once, before the run (workers are made before
    // it starts; the once_flag makes that safe even if not).
    std::call_once(once_, [this] {
      if (options_.repeat_similarity <= 0 || options_.repeat_similarity > 1) {
        prepared_ = Status::Configuration("book_split: repeat_similarity must be in (0, 1]");
        return;
      }
      StatusOr<DocTypeCatalog> catalog =
          DocTypeCatalog::Load(options_.doctypes_dir.empty() ? DefaultDocTypesDir() : options_.doctypes_dir);
      if (!catalog.ok()) {
        prepared_ = catalog.status();
        return;
      }
      catalog_ = std::make_shared<const DocTypeCatalog>(std::move(*catalog));
    });
    if (!prepared_.ok()) return prepared_;
    return std::unique_ptr<DocumentSplitWorker>(new BookSplitWorker(options_, catalog_));
  }

 private:
  const BookSplitOptions options_;
  mutable std::once_flag once_;
  mutable Status prepared_;
  mutable std::shared_ptr<const DocTypeCatalog> catalog_;
};

}  // namespace

std::unique_ptr<DocumentSplitStage> NewBookSplitStage(const BookSplitOptions& options) {
  return std::make_unique<BookSplitStage>(options);
}

}  // namespace sohoa
