#include "stages/book/book_layout_stage.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string_view>

#include "pipeline/core/file_name.h"
#include "stages/book/book_numbers.h"
#include "stages/page/tesseract_engine.h"
#include "unicode/utf8.h"

namespace sohoa {
namespace {

cv::Mat GrayOf(const Raster& raster) {
  if (raster.kind == PixelKind::kRgb) {
    cv::Mat rgb(raster.height, raster.width, CV_8UC3, const_cast<uint8_t*>(raster.pixels.data()));
    cv::Mat gray;
    cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
    return gray;
  }
  return cv::Mat(raster.height, raster.width, CV_8UC1, const_cast<uint8_t*>(raster.pixels.data()));
}

// Ink = 255. A local threshold (mean of a window about a sixth of an inch
// wide, minus a margin): paper that yellows or darkens slowly towards the
// fold stays paper, only marks darker than their surroundings are ink.
cv::Mat InkMask(const cv::Mat& gray, double dpi) {
  int block = static_cast<int>((dpi > 0 ? dpi : 300) / 6) | 1;
  block = std::max(block, 15);
  cv::Mat ink;
  cv::adaptiveThreshold(gray, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, block, 15);
  return ink;
}

// Positions (y for horizontal, x for vertical) of the rulings at least
// `min_length` long, merged when closer than `merge`.
// `max_thickness` bounds the mean thickness (ink / length), so that a skewed
// ruling counts while a dark band (the fold's shadow, a photo's edge) does not.
std::vector<int> FindRules(const cv::Mat& ink, bool horizontal, int min_length, int max_thickness, int merge) {
  const int kernel_length = std::max(15, min_length / 4);
  cv::Mat lines;
  cv::morphologyEx(ink, lines, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, horizontal ? cv::Size(kernel_length, 1)
                                                                         : cv::Size(1, kernel_length)));
  // Rejoin a ruling the scan broke (a fold, a faded stretch) before its
  // length is measured.
  cv::morphologyEx(lines, lines, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, horizontal ? cv::Size(25, 3) : cv::Size(3, 25)));
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(lines, labels, stats, centroids, 8, CV_32S);
  std::vector<int> positions;
  for (int i = 1; i < count; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int length = horizontal ? w : h;
    if (length < min_length || stats.at<int>(i, cv::CC_STAT_AREA) > max_thickness * length) continue;
    positions.push_back(static_cast<int>(std::lround(horizontal ? centroids.at<double>(i, 1)
                                                                  : centroids.at<double>(i, 0))));
  }
  std::sort(positions.begin(), positions.end());
  std::vector<int> merged;
  int sum = 0, n = 0;
  for (size_t i = 0; i < positions.size(); ++i) {
    if (n > 0 && positions[i] - sum / n > merge) {
      merged.push_back(sum / n);
      sum = n = 0;
    }
    sum += positions[i];
    ++n;
  }
  if (n > 0) merged.push_back(sum / n);
  return merged;
}

// The fold of a two-page spread (see the header).
int FindGutter(const cv::Mat& gray, const cv::Mat& ink) {
  const int w = gray.cols, h = gray.rows;
  const int x0 = w * 2 / 5, x1 = w * 3 / 5;
  cv::Mat profile;
  cv::reduce(gray(cv::Range(h / 10, h - h / 10), cv::Range::all()), profile, 0, cv::REDUCE_AVG, CV_32F);
  // Smoothed over about a centimetre: a ruling in the middle averages out,
  // the shadow of a binding (several centimetres) does not.
  cv::blur(profile, profile, cv::Size(std::max(15, w / 60), 1));
  std::vector<float> values(profile.begin<float>(), profile.end<float>());
  std::vector<float> sorted = values;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const float paper = sorted[sorted.size() / 2];
  int darkest = x0;
  for (int x = x0; x < x1; ++x) {
    if (values[x] < values[darkest]) darkest = x;
  }
  if (paper - values[darkest] >= 25) return darkest;
  cv::Mat ink_columns;
  cv::reduce(ink, ink_columns, 0, cv::REDUCE_SUM, CV_32S);
  const int empty = std::max(1, h / 500) * 255;
  int best_start = -1, best_length = 0;
  for (int x = x0, start = -1; x <= x1; ++x) {
    const bool blank = x < x1 && ink_columns.at<int>(0, x) <= empty;
    if (blank && start < 0) start = x;
    if (!blank && start >= 0) {
      if (x - start > best_length) best_length = x - start, best_start = start;
      start = -1;
    }
  }
  if (best_start >= 0 && best_length >= w / 150) return best_start + best_length / 2;
  return w / 2;
}

Box Union(const std::vector<const OcrWord*>& words) {
  Box box = words.front()->box;
  for (const OcrWord* word : words) box.Cover(word->box);
  return box;
}

// A bare page number the page's OCR read with less than this confidence
// is read again (ReadMark) from its own box: OCR reads "- 13 -" in a
// corner as "113." with confidence 0 (held-back printed books: 6 pages).
constexpr float kSurePageNumber = 70;

// A page number as the page's OCR gave it (one per half).
struct PageNumberReading {
  int number = 0;  // 0: none read
  Box box;
  float confidence = 0;  // the lowest of its words'
  bool labelled = false;  // "Trang số 12", not a bare "12"
};

// The page number of each half from the page's OCR (see the header).
std::vector<PageNumberReading> ReadPageNumbers(const BookLayoutOptions& options, const Page& page) {
  const PageLayout& layout = page.layout;
  const int halves = layout.gutter_x >= 0 ? 2 : 1;
  const int height = page.raster.height;
  const double band = options.page_number_band * height;
  std::vector<PageNumberReading> readings(halves);
  std::vector<double> best_score(halves, -1);
  for (const OcrLine& line : page.ocr.lines) {
    for (int half = 0; half < halves; ++half) {
      std::vector<const OcrWord*> words;
      std::string text;
      float confidence = 100;
      for (const OcrWord& word : line.words) {
        const int cx = (word.box.left + word.box.right) / 2;
        if (halves == 2 && (cx < layout.gutter_x) != (half == 0)) continue;
        words.push_back(&word);
        text += (text.empty() ? "" : " ") + word.text;
        confidence = std::min(confidence, word.confidence);
      }
      if (words.empty()) continue;
      const Box box = Union(words);
      const double cy = (box.top + box.bottom) / 2.0;
      const double from_edge = std::min(cy, height - cy);
      if (from_edge > band) continue;
      // Inside the ruled table it is a cell (an entry's số), not the page's number.
      if (!layout.rules_y.empty() && cy > layout.rules_y.front() && cy < layout.rules_y.back()) continue;
      const int n = ParsePageNumber(text);
      // A bare number of four digits near the edge is a year sooner than a page.
      if (n <= 0 || (n > 1500 && text.find_first_of("Tt") == std::string::npos)) continue;
      const bool labelled = text.find_first_not_of("0123456789-–—.() ") != std::string::npos;
      const double score = (labelled ? 2 * band : 0) + (band - from_edge);
      if (score > best_score[half]) best_score[half] = score, readings[half] = {n, box, confidence, labelled};
    }
  }
  return readings;
}

// Marks in a band of the ink mask that could be a page number: pieces of
// ink joined when less than a character apart, between 1 mm and 8 mm tall,
// at most an inch wide and with some ink in them (not a speck of dust).
// Empty when the band holds more than kMaxMarks (text, not a lone number).
constexpr int kMaxMarks = 6;
std::vector<cv::Rect> NumberMarks(const cv::Mat& ink_band, double dpi) {
  // A ruling at the edge of the area (a cell's border, slightly skewed)
  // would join the digit beside it: long straight runs are taken out first.
  const int run = std::max(15, static_cast<int>(dpi / 5));
  cv::Mat horizontal, vertical, marks_only;
  cv::morphologyEx(ink_band, horizontal, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(run, 1)));
  cv::morphologyEx(ink_band, vertical, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(1, run)));
  cv::subtract(ink_band, horizontal | vertical, marks_only);
  cv::Mat joined;
  cv::dilate(marks_only, joined,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(std::max(3, static_cast<int>(dpi / 12)), 1)));
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  std::vector<cv::Rect> marks;
  for (int i = 1; i < count; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (box.height < dpi / 25 || box.height > dpi / 3 || box.width > dpi) continue;
    if (cv::countNonZero(marks_only(box)) < dpi / 10) continue;
    marks.push_back(box);
    if (marks.size() > kMaxMarks) return {};
  }
  return marks;
}

// The mark's dashes: pieces of its ink (8-connected, in `ink_box`) that lie
// flat, are at most a third as tall as its tallest piece and stand beside
// the tall pieces, not under or over one: the "-" of "- 12 -", not the foot
// of a "2" the threshold broke off (painted out, the "2" read as nothing).
// Boxes relative to `ink_box`.
std::vector<cv::Rect> DashesOf(const cv::Mat& ink_box) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(ink_box, labels, stats, centroids, 8, CV_32S);
  std::vector<cv::Rect> pieces;
  int tallest = 0;
  for (int i = 1; i < count; ++i) {
    pieces.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                        stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    tallest = std::max(tallest, pieces.back().height);
  }
  auto flat = [&](const cv::Rect& r) { return 3 * r.height <= tallest && 2 * r.width >= 3 * r.height; };
  std::vector<cv::Rect> dashes;
  for (const cv::Rect& piece : pieces) {
    if (!flat(piece)) continue;
    const bool beside = std::none_of(pieces.begin(), pieces.end(), [&](const cv::Rect& other) {
      return 3 * other.height > tallest && piece.x < other.x + other.width && other.x < piece.x + piece.width;
    });
    if (beside) dashes.push_back(piece);
  }
  return dashes;
}

// `crop` read by `reader` as one word: its text, empty when the reader is
// not sure of it (a word below confidence 40).
StatusOr<std::pair<std::string, float>> ReadCrop(const cv::Mat& crop_pixels, double dpi, TesseractEngine& reader) {
  Raster crop;
  crop.Allocate(crop_pixels.cols, crop_pixels.rows, PixelKind::kGray);
  crop.dpi_x = crop.dpi_y = dpi;
  crop_pixels.copyTo(cv::Mat(crop.height, crop.width, CV_8UC1, crop.pixels.data()));
  StatusOr<OcrResult> read = reader.Recognize(crop, 0);
  if (!read.ok()) return read.status();
  std::string text;
  float confidence = 100;
  for (const OcrLine& line : read->lines) {
    for (const OcrWord& part : line.words) {
      text += (text.empty() ? "" : " ") + part.text;
      confidence = std::min(confidence, part.confidence);
    }
  }
  if (text.empty() || confidence < 40) return std::pair<std::string, float>{"", 0.0f};
  return std::pair<std::string, float>{text, confidence};
}

// `mark` (page pixels, within `area`) read by `reader`. First its pixels
// alone, on paper of the colour around them, padded: alone, because a
// neighbouring line in the crop ("Quyển số: 02/2020" under "- 3 -") makes
// Tesseract read nothing; without its dashes, because on a clean "- 2 -"
// Tesseract's line mode reads nothing (raw-line mode "-2-" at confidence
// 0) while the lone "2" reads at 97. When that reads nothing, the mark with
// the page around it (padded within `area`, which keeps a cell's rulings
// out): a lone "2" in a ruled book's corner read so and not alone. One
// word, its box the mark's; empty text when neither reading is sure.
StatusOr<OcrWord> ReadMark(const cv::Mat& gray, const cv::Mat& ink, const cv::Rect& mark, const cv::Rect& area,
                           double dpi, TesseractEngine& reader) {
  const int pad = static_cast<int>(dpi / 15);
  const cv::Rect page(0, 0, gray.cols, gray.rows);
  OcrWord word;
  word.box = {mark.x, mark.y, mark.x + mark.width, mark.y + mark.height};
  const cv::Rect kept = cv::Rect(mark.x - 2, mark.y - 2, mark.width + 4, mark.height + 4) & area & page;
  if (kept.area() <= 0) return word;
  // The paper: the median of the pixels the ink mask leaves out.
  std::vector<uint8_t> paper_pixels;
  for (int y = kept.y; y < kept.y + kept.height; ++y) {
    for (int x = kept.x; x < kept.x + kept.width; ++x) {
      if (ink.at<uint8_t>(y, x) == 0) paper_pixels.push_back(gray.at<uint8_t>(y, x));
    }
  }
  uint8_t paper = 255;
  if (!paper_pixels.empty()) {
    std::nth_element(paper_pixels.begin(), paper_pixels.begin() + paper_pixels.size() / 2, paper_pixels.end());
    paper = paper_pixels[paper_pixels.size() / 2];
  }
  cv::Mat alone(kept.height + 2 * pad, kept.width + 2 * pad, CV_8UC1, cv::Scalar(paper));
  gray(kept).copyTo(alone(cv::Rect(pad, pad, kept.width, kept.height)));
  for (const cv::Rect& dash : DashesOf(ink(kept))) {
    alone(cv::Rect(dash.x + pad - 1, dash.y + pad - 1, dash.width + 2, dash.height + 2) &
          cv::Rect(0, 0, alone.cols, alone.rows))
        .setTo(paper);
  }
  StatusOr<std::pair<std::string, float>> read = ReadCrop(alone, dpi, reader);
  if (!read.ok()) return read.status();
  if (read->first.empty()) {
    const cv::Rect padded =
        cv::Rect(mark.x - pad, mark.y - pad, mark.width + 2 * pad, mark.height + 2 * pad) & area & page;
    read = ReadCrop(gray(padded), dpi, reader);
    if (!read.ok()) return read.status();
  }
  word.text = read->first;
  word.confidence = read->second;
  return word;
}

// Removes the words whose centre lies in `cell` from `page`'s OCR (lines
// left without words too); returns their text, joined by spaces.
std::string TakeWordsIn(const Box& cell, Page& page) {
  std::string text;
  for (OcrLine& line : page.ocr.lines) {
    std::erase_if(line.words, [&](const OcrWord& word) {
      const int cx = (word.box.left + word.box.right) / 2, cy = (word.box.top + word.box.bottom) / 2;
      const bool inside = cx >= cell.left && cx < cell.right && cy >= cell.top && cy < cell.bottom;
      if (inside) text += (text.empty() ? "" : " ") + word.text;
      return inside;
    });
  }
  std::erase_if(page.ocr.lines, [](const OcrLine& line) { return line.words.empty(); });
  return text;
}

// A ruled table's first column (of each half on a spread) holds the
// entries' numbers; a lone digit there is dropped by Tesseract's page
// layout like a page number in a corner, or read as letters ("3" as "K)").
// In a column of numbers (most cells below the header, the first row with
// ink, read as one), a cell whose OCR words are not a number and no longer
// than a misread digit ("K)") but whose ink is one digit-sized mark is read
// again by `reader`; a number read replaces the cell's words, as a line of
// its own.
Status RereadNumbersInFirstColumn(const cv::Mat& gray, const cv::Mat& ink, TesseractEngine& reader, Page& page) {
  const PageLayout& layout = page.layout;
  if (layout.rules_y.size() < 3 || layout.rules_x.size() < 2) return Status::Ok();
  const double dpi = page.raster.dpi_y > 0 ? page.raster.dpi_y : 300;
  const int inset = std::max(4, static_cast<int>(dpi / 40));  // off the rulings
  std::vector<std::pair<int, int>> columns;                   // the first of each half
  for (int half = 0; half < (layout.gutter_x >= 0 ? 2 : 1); ++half) {
    std::vector<int> xs;
    for (int x : layout.rules_x) {
      if (layout.gutter_x < 0 || (x < layout.gutter_x) == (half == 0)) xs.push_back(x);
    }
    if (xs.size() >= 2) columns.push_back({xs[0], xs[1]});
  }
  for (const auto& [left, right] : columns) {
    // The column's cells below the header that hold ink, and their words.
    struct Cell {
      Box box;
      std::string words;
    };
    std::vector<Cell> cells;
    bool header_seen = false;
    int numbers = 0;
    for (size_t r = 0; r + 1 < layout.rules_y.size(); ++r) {
      const Box box = {left + inset, layout.rules_y[r] + inset, right - inset, layout.rules_y[r + 1] - inset};
      if (box.width() < dpi / 10 || box.height() < dpi / 10) continue;
      if (cv::countNonZero(ink(cv::Rect(box.left, box.top, box.width(), box.height()))) < dpi / 10) continue;
      if (!header_seen) {
        header_seen = true;
        continue;
      }
      Cell cell{box, ""};
      for (const OcrLine& line : page.ocr.lines) {
        for (const OcrWord& word : line.words) {
          const int cx = (word.box.left + word.box.right) / 2, cy = (word.box.top + word.box.bottom) / 2;
          if (cx >= box.left && cx < box.right && cy >= box.top && cy < box.bottom) cell.words += word.text + " ";
        }
      }
      numbers += ParseCellNumber(cell.words) > 0;
      cells.push_back(std::move(cell));
    }
    // A column of numbers (most of its cells read as one), not of names.
    if (2 * numbers < static_cast<int>(cells.size())) continue;
    for (const Cell& cell : cells) {
      // Read as a number already, or as a word longer than a misread digit.
      if (ParseCellNumber(cell.words) > 0 || cell.words.size() > 4) continue;
      const cv::Rect area(cell.box.left, cell.box.top, cell.box.width(), cell.box.height());
      const std::vector<cv::Rect> marks = NumberMarks(ink(area), dpi);
      if (marks.size() != 1) continue;
      StatusOr<OcrWord> read = ReadMark(gray, ink, marks.front() + area.tl(), area, dpi, reader);
      if (!read.ok()) return read.status();
      if (ParseCellNumber(read->text) <= 0) continue;
      TakeWordsIn(cell.box, page);
      OcrLine line;
      line.box = read->box;
      line.baseline_y = read->box.bottom;
      line.words.push_back(std::move(*read));
      page.ocr.lines.push_back(std::move(line));
    }
  }
  return Status::Ok();
}

// The page numbers the page's OCR did not give (0 in `numbers`), read
// again by `reader` (one line, digits only) from each mark (NumberMarks)
// in the bands at the bottom and then the top of that half, outside the
// ruled table: Tesseract's page layout drops a lone character ("7" in a
// corner) as noise. A band gives the number its outermost mark reads as
// (1..1500) when no other mark on that line reads as one, so a heading
// with figures gives none.
Status RereadMissingPageNumbers(const BookLayoutOptions& options, const cv::Mat& gray, const cv::Mat& ink,
                                const Page& page, TesseractEngine& reader, std::vector<int>& numbers) {
  const PageLayout& layout = page.layout;
  const int w = gray.cols, h = gray.rows;
  const double dpi = page.raster.dpi_y > 0 ? page.raster.dpi_y : 300;
  const int band = static_cast<int>(options.page_number_band * h);
  const int margin = h / 80;  // the sheet's edge on the scanner bed
  const int fold = w / 30;    // the shadow of a spread's fold
  for (size_t half = 0; half < numbers.size(); ++half) {
    if (numbers[half] > 0) continue;
    const bool spread = numbers.size() == 2;
    const int x0 = spread && half == 1 ? layout.gutter_x + fold : margin;
    const int x1 = spread && half == 0 ? layout.gutter_x - fold : w - margin;
    int bottom_from = h - band, top_to = band;
    if (!layout.rules_y.empty()) {
      bottom_from = std::max(bottom_from, layout.rules_y.back() + h / 100);
      top_to = std::min(top_to, layout.rules_y.front() - h / 100);
    }
    for (const auto& [y0, y1] : {std::pair{bottom_from, h - margin}, std::pair{margin, top_to}}) {
      if (y1 - y0 < h / 100 || x1 - x0 < w / 10) continue;
      const cv::Rect area(x0, y0, x1 - x0, y1 - y0);
      // Words the page's OCR read with confidence and that are no page
      // number ("Quyển số: 02/2020" beside "- 12 -" at the top right) are
      // not marks to read again: their ink is left out, so that a band
      // holding a heading still gives its lone number.
      cv::Mat band = ink(area).clone();
      for (const OcrLine& line : page.ocr.lines) {
        for (const OcrWord& word : line.words) {
          if (word.confidence < kSurePageNumber || ParsePageNumber(word.text) > 0) continue;
          const cv::Rect box = cv::Rect(word.box.left, word.box.top, word.box.width(), word.box.height()) & area;
          if (box.area() > 0) band(box - area.tl()).setTo(0);
        }
      }
      struct Found {
        int number;
        cv::Rect mark;  // band pixels
      };
      std::vector<Found> found;
      for (const cv::Rect& mark : NumberMarks(band, dpi)) {
        StatusOr<OcrWord> read = ReadMark(gray, ink, mark + cv::Point(x0, y0), area, dpi, reader);
        if (!read.ok()) return read.status();
        const int n = ParsePageNumber(read->text);
        if (n > 0 && n <= 1500) found.push_back({n, mark});
      }
      if (found.empty()) continue;
      // The number is the band's outermost line: a letter of a heading the
      // page's OCR read unsurely ("I" of "BÌNH" under "- 2 -") reads as a
      // digit too, further in. Two numbers on the outermost line: neither.
      const bool top = y0 < h / 2;
      auto depth = [&](const cv::Rect& mark) { return top ? mark.y : area.height - (mark.y + mark.height); };
      std::sort(found.begin(), found.end(),
                [&](const Found& a, const Found& b) { return depth(a.mark) < depth(b.mark); });
      if (found.size() > 1 && depth(found[1].mark) < depth(found[0].mark) + found[0].mark.height) continue;
      numbers[half] = found.front().number;
      break;
    }
  }
  return Status::Ok();
}

// The page numbers from `readings`, each doubtful bare one read again by
// `reader`; where the two readings differ the second is taken (a tight
// crop read as digits and dashes only) and the first kept in
// `alternatives` for the book's page sequence to settle.
Status SettlePageNumbers(const std::vector<PageNumberReading>& readings, const cv::Mat& gray, const cv::Mat& ink, double dpi,
                         TesseractEngine* reader, std::vector<int>& numbers, std::vector<int>& alternatives) {
  numbers.assign(readings.size(), 0);
  alternatives.assign(readings.size(), 0);
  for (size_t half = 0; half < readings.size(); ++half) {
    const PageNumberReading& read = readings[half];
    numbers[half] = read.number;
    if (reader == nullptr || read.number <= 0 || read.labelled || read.confidence >= kSurePageNumber) continue;
    const cv::Rect box(read.box.left, read.box.top, read.box.width(), read.box.height());
    const cv::Rect page(0, 0, gray.cols, gray.rows);
    if ((box & page).area() <= 0) continue;
    StatusOr<OcrWord> again = ReadMark(gray, ink, box & page, page, dpi, *reader);
    if (!again.ok()) return again.status();
    const int n = ParsePageNumber(again->text);
    if (n > 0 && n <= 1500 && n != read.number) {
      alternatives[half] = read.number;
      numbers[half] = n;
    }
  }
  return Status::Ok();
}

// The colour of the paper around the ink: the mean of the pixels of `box`
// the ink mask calls paper, so a yellowed or shaded sheet is measured where
// the words are. `fallback` (the page's) when the box holds too little paper.
std::array<float, 3> PaperAround(const Raster& raster, const cv::Mat& ink, const Box& box,
                                 const std::array<float, 3>& fallback) {
  double sum[3] = {0, 0, 0};
  int count = 0;
  for (int y = std::max(0, box.top); y < std::min(raster.height, box.bottom); ++y) {
    const uint8_t* mask = ink.ptr<uint8_t>(y);
    const uint8_t* rgb = raster.row(y);
    for (int x = std::max(0, box.left); x < std::min(raster.width, box.right); ++x) {
      if (mask[x] != 0) continue;
      for (int c = 0; c < 3; ++c) sum[c] += rgb[3 * x + c];
      ++count;
    }
  }
  if (count < 20) return fallback;
  return {static_cast<float>(sum[0] / count), static_cast<float>(sum[1] / count), static_cast<float>(sum[2] / count)};
}

// Whether an ink pixel is a pen's, whatever the pen: its colour is
// white-balanced against the paper it lies on (the paper becomes white, so
// black or gray print, and print's edges blended with yellowed paper, stay
// neutral), and a pen's ink is what keeps a colour then: chroma at least
// kPenChroma, of a hue from green through blue and violet to magenta
// (90-330 degrees). Red to yellow hues are stamps, stains and the paper's
// own tint, not writing. A light violet ballpoint on yellowed paper keeps
// a raw chroma of about 30 (below any bar that keeps stains out) and a
// balanced one of 40-48; print measures about 5.
constexpr float kPenChroma = 25;
bool PenColour(const uint8_t* rgb, const std::array<float, 3>& paper) {
  float c[3];
  for (int i = 0; i < 3; ++i) c[i] = rgb[i] * 255.0f / std::max(paper[i], 1.0f);
  const float high = std::max({c[0], c[1], c[2]}), low = std::min({c[0], c[1], c[2]});
  const float chroma = high - low;
  if (chroma < kPenChroma) return false;
  float hue;
  if (high == c[0]) {
    hue = 60 * std::fmod((c[1] - c[2]) / chroma + 6, 6.0f);
  } else if (high == c[1]) {
    hue = 60 * ((c[2] - c[0]) / chroma + 2);
  } else {
    hue = 60 * ((c[0] - c[1]) / chroma + 4);
  }
  return hue >= 90 && hue < 330;
}

// Pen and all ink pixels under the words' boxes (not the line's box: a
// signature or a seal next to the words stays out), and how many words are
// mostly pen (a short written value beside a long printed label).
void CountPenInk(const Raster& raster, const cv::Mat& ink, const OcrLine& line, const std::array<float, 3>& page_paper,
                 int* inked, int* pen, int* pen_words) {
  for (const OcrWord& word : line.words) {
    int word_inked = 0, word_pen = 0;
    const std::array<float, 3> paper = PaperAround(raster, ink, word.box, page_paper);
    const int top = std::max(0, word.box.top), bottom = std::min(raster.height, word.box.bottom);
    const int left = std::max(0, word.box.left), right = std::min(raster.width, word.box.right);
    for (int y = top; y < bottom; ++y) {
      const uint8_t* mask = ink.ptr<uint8_t>(y);
      const uint8_t* rgb = raster.row(y);
      for (int x = left; x < right; ++x) {
        if (mask[x] == 0) continue;
        ++word_inked;
        if (PenColour(rgb + 3 * x, paper)) ++word_pen;
      }
    }
    *inked += word_inked;
    *pen += word_pen;
    if (word_inked >= 30 && 2 * word_pen >= word_inked) ++*pen_words;
  }
}

float MedianConfidence(const OcrLine& line) {
  std::vector<float> confidences;
  for (const OcrWord& word : line.words) confidences.push_back(word.confidence);
  std::nth_element(confidences.begin(), confidences.begin() + confidences.size() / 2, confidences.end());
  return confidences[confidences.size() / 2];
}

// Share of the line's letters (bytes of its words' text) in words read
// below `threshold`: a printed label read well beside a garbled written
// value leaves the median high, this share is not.
double LowConfidenceShare(const OcrLine& line, float threshold) {
  size_t all = 0, low = 0;
  for (const OcrWord& word : line.words) {
    all += word.text.size();
    if (word.confidence < threshold) low += word.text.size();
  }
  return all == 0 ? 0 : static_cast<double>(low) / all;
}

// How far the words' bottoms stray from the line's baseline, in units of
// half the line height (about the x-height): print sits on its baseline,
// handwriting wanders. Descenders push a bottom down, so the median of the
// absolute deviations is used. 0 for lines of fewer than three words.
double BaselineWander(const OcrLine& line) {
  if (line.words.size() < 3) return 0;
  std::vector<double> deviations;
  for (const OcrWord& word : line.words) {
    const double cx = (word.box.left + word.box.right) / 2.0;
    const double baseline = line.baseline_y + line.baseline_slope * (cx - line.box.left);
    deviations.push_back(std::fabs(word.box.bottom - baseline));
  }
  std::nth_element(deviations.begin(), deviations.begin() + deviations.size() / 2, deviations.end());
  const double x_height = std::max(1, line.box.height()) / 2.0;
  return deviations[deviations.size() / 2] / x_height;
}

// The page's paper colour: the median of each channel over the pixels the
// ink mask calls paper, sampled on a grid (a fallback for words too
// crowded to show their own paper).
std::array<float, 3> PagePaper(const Raster& raster, const cv::Mat& ink) {
  std::vector<uint8_t> channels[3];
  const int step = std::max(1, std::min(raster.width, raster.height) / 200);
  for (int y = 0; y < raster.height; y += step) {
    const uint8_t* mask = ink.ptr<uint8_t>(y);
    const uint8_t* rgb = raster.row(y);
    for (int x = 0; x < raster.width; x += step) {
      if (mask[x] != 0) continue;
      for (int c = 0; c < 3; ++c) channels[c].push_back(rgb[3 * x + c]);
    }
  }
  std::array<float, 3> paper = {255, 255, 255};
  for (int c = 0; c < 3; ++c) {
    if (channels[c].empty()) continue;
    std::nth_element(channels[c].begin(), channels[c].begin() + channels[c].size() / 2, channels[c].end());
    paper[c] = channels[c][channels[c].size() / 2];
  }
  return paper;
}

// The value's tokens (runs between spaces and the punctuation print has:
// . , : ; - / ( ) quotes) and how many of them print does not give: a
// character that is no Vietnamese letter or digit (# % & ⁄ ¿ „ £ …), or
// letters and digits run together ("2z", "Z6"; "..30.." between typed words
// on a dotted line splits into its own token). Tesseract's vie model reads a
// pen's strokes as letters of other languages too (Ÿ Œ Ø Ä Ñ ï), which no
// typed Vietnamese value holds. The value is what follows the line's first
// ':' (the whole line when there is none).
void CountGarble(const OcrLine& line, HandwritingCues& cues) {
  std::string text = line.Text();
  const size_t colon = text.find(':');
  if (colon != std::string::npos) text = text.substr(colon + 1);
  constexpr std::u32string_view kBreaks = U" .,:;-/()'\"“”‘’";
  bool letters = false, digits = false, other = false, open = false;
  auto close = [&] {
    if (open) {
      ++cues.value_tokens;
      cues.garbled_tokens += other || (letters && digits);
    }
    letters = digits = other = open = false;
  };
  for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, static_cast<int32_t>(text.size()), c);
    if (c < 0 || kBreaks.find(static_cast<char32_t>(c)) != std::u32string_view::npos) {
      close();
      continue;
    }
    open = true;
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (IsVietnameseLetter(std::string_view(text).substr(start, i - start))) {
      letters = true;
    } else {
      other = true;
    }
  }
  close();
}

std::vector<HandwritingCues> Measure(const Page& page, const cv::Mat& ink, float low_confidence) {
  const bool colour = page.raster.kind == PixelKind::kRgb;
  const std::array<float, 3> page_paper = colour ? PagePaper(page.raster, ink) : std::array<float, 3>{};
  std::vector<HandwritingCues> all;
  for (const OcrLine& line : page.ocr.lines) {
    HandwritingCues cues;
    if (!line.words.empty()) {
      if (colour) {
        int inked = 0, pen = 0;
        CountPenInk(page.raster, ink, line, page_paper, &inked, &pen, &cues.pen_words);
        // Too little ink to judge its colour (a dot, a dash): no colour cue.
        if (inked >= 30) cues.pen_share = static_cast<double>(pen) / inked;
      }
      cues.median_confidence = MedianConfidence(line);
      cues.low_confidence_share = LowConfidenceShare(line, low_confidence);
      cues.baseline_wander = BaselineWander(line);
      CountGarble(line, cues);
    }
    all.push_back(cues);
  }
  return all;
}

bool LooksHandwritten(const BookLayoutOptions& options, const OcrLine& line, const HandwritingCues& cues) {
  if (cues.pen_share >= options.handwriting_ink_share || cues.pen_words > 0) return true;
  // What OCR made of a pen whose ink passed for print (blue-black): garble.
  if (cues.garbled_tokens >= 2 && cues.garbled_tokens >= options.garbled_share * cues.value_tokens) return true;
  // The weak cues: Tesseract's confidence (a seal over print, a dotted
  // leader, a short line lower it too) and the wandering baseline (print
  // measures up to 0.5 when accents and descenders mix); judged on lines of
  // three words or more only. Where the page's colour could have shown a
  // pen, only a black pen is left to find: both cues, and most of the line
  // unreadable.
  if (line.words.size() < 3) return false;
  const bool wanders = cues.baseline_wander > options.baseline_wander && cues.median_confidence < options.confident_print;
  if (cues.pen_share < 0) {
    return wanders || cues.low_confidence_share >= options.handwriting_low_confidence_share;
  }
  return wanders && cues.low_confidence_share >= options.black_pen_low_confidence_share;
}

class BookLayoutWorker : public PageWorker {
 public:
  explicit BookLayoutWorker(const BookLayoutOptions& options)
      : options_(options), corner_reader_([dir = options.tessdata_dir] { return NewPageNumberReader(dir); }) {}
  Status Process(const Document& document, Page& page) override {
    if (!document.is_book()) return FindPageRulings(page);
    StatusOr<TesseractEngine*> reader = corner_reader_.Get();
    if (!reader.ok()) return reader.status();
    return AnalyseBookPage(options_, page, *reader);
  }

 private:
  const BookLayoutOptions options_;
  LazyEngine corner_reader_;  // made for the first register-book page
};

class BookLayoutStage : public PageStage {
 public:
  explicit BookLayoutStage(const BookLayoutOptions& options) : options_(options) {}
  std::string Name() const override { return "book_layout"; }
  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    if (options_.min_rule_fraction <= 0 || options_.min_rule_fraction > 1 || options_.spread_min_aspect < 1 ||
        options_.page_number_band <= 0 || options_.page_number_band > 0.5) {
      return Status::Configuration(
          "book_layout: min_rule_fraction must be in (0, 1], spread_min_aspect >= 1, page_number_band in (0, 0.5]");
    }
    SOHOA_RETURN_IF_ERROR(CheckTesseractLanguages(options_.tessdata_dir, RecognizerConfig{}.languages));
    return std::unique_ptr<PageWorker>(new BookLayoutWorker(options_));
  }

 private:
  const BookLayoutOptions options_;
};

// rules_y and rules_x of `ink`: horizontal rulings at least `min_width`
// long, vertical ones at least `min_height`.
void FindRulings(const cv::Mat& ink, double dpi, int min_width, int min_height, PageLayout& layout) {
  const int w = ink.cols, h = ink.rows;
  const int thickest = std::max(4, static_cast<int>(dpi / 25));  // 1 mm
  layout.rules_y = FindRules(ink, /*horizontal=*/true, min_width, thickest, std::max(4, h / 200));
  layout.rules_x = FindRules(ink, /*horizontal=*/false, min_height, thickest, std::max(4, w / 300));
  // The edge of the sheet on the scanner's bed is a long dark line too; a
  // table ruling keeps a margin.
  std::erase_if(layout.rules_y, [&](int y) { return y < h / 40 || y > h - h / 40; });
  std::erase_if(layout.rules_x, [&](int x) { return x < w / 40 || x > w - w / 40; });
}

}  // namespace

Status FindPageRulings(Page& page) {
  const Raster& raster = page.raster;
  if (raster.empty() || page.blank) return Status::Ok();
  if (raster.width <= 0 || raster.height <= 0 || raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("book_layout: raster size does not match its pixels");
  }
  try {
    const double dpi = raster.dpi_y > 0 ? raster.dpi_y : 300;
    // Found at half the resolution above 150 dpi (a ruling is still two
    // pixels thick at 300 dpi): 160 ms a page at full size was a tenth of
    // its OCR's time.
    const double scale = dpi > 150 ? 0.5 : 1.0;
    cv::Mat gray = GrayOf(raster);
    if (scale != 1.0) cv::resize(gray, gray, cv::Size(), scale, scale, cv::INTER_AREA);
    // A certificate's table spans at least half the page's width; its
    // column rulings only its own height (a tenth of the page at least).
    FindRulings(InkMask(gray, dpi * scale), dpi * scale, gray.cols / 2, gray.rows / 10, page.layout);
    for (int& y : page.layout.rules_y) y = static_cast<int>(std::lround(y / scale));
    for (int& x : page.layout.rules_x) x = static_cast<int>(std::lround(x / scale));
  } catch (const cv::Exception& e) {
    return Status::Internal(std::string("book_layout: OpenCV: ") + e.what());
  }
  return Status::Ok();
}

Status AnalyseBookPage(const BookLayoutOptions& options, Page& page, TesseractEngine* corner_reader) {
  Raster& raster = page.raster;
  if (raster.empty() || page.blank) return Status::Ok();
  if (raster.width <= 0 || raster.height <= 0 || raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("book_layout: raster size does not match its pixels");
  }
  try {
    const cv::Mat gray = GrayOf(raster);
    const cv::Mat ink = InkMask(gray, std::max(raster.dpi_x, raster.dpi_y));
    PageLayout layout;
    layout.analysed = true;
    const int w = raster.width, h = raster.height;
    if (w >= options.spread_min_aspect * h) layout.gutter_x = FindGutter(gray, ink);
    const double dpi = raster.dpi_y > 0 ? raster.dpi_y : 300;
    const int page_width = layout.gutter_x >= 0 ? w / 2 : w;
    FindRulings(ink, dpi, static_cast<int>(options.min_rule_fraction * page_width),
                static_cast<int>(options.min_rule_fraction * h), layout);
    // The crease of the fold's shadow is a thin dark line to the local
    // threshold; no table ruling sits that close to the fold.
    if (layout.gutter_x >= 0) {
      std::erase_if(layout.rules_x, [&](int x) { return std::abs(x - layout.gutter_x) < w / 60; });
    }
    page.layout = std::move(layout);
    Status settled = SettlePageNumbers(ReadPageNumbers(options, page), gray, ink, dpi, corner_reader,
                                       page.layout.printed_page_numbers, page.layout.page_number_alternatives);
    if (!settled.ok()) return settled;
    if (corner_reader != nullptr) {
      Status reread =
          RereadMissingPageNumbers(options, gray, ink, page, *corner_reader, page.layout.printed_page_numbers);
      if (!reread.ok()) return reread;
      reread = RereadNumbersInFirstColumn(gray, ink, *corner_reader, page);
      if (!reread.ok()) return reread;
    }
    const std::vector<HandwritingCues> cues = Measure(page, ink, options.handwriting_max_confidence);
    for (size_t i = 0; i < cues.size(); ++i) {
      OcrLine& line = page.ocr.lines[i];
      line.handwritten = !line.words.empty() && LooksHandwritten(options, line, cues[i]);
    }
  } catch (const cv::Exception& e) {
    return Status::Internal(std::string("book_layout: OpenCV failed: ") + e.what());
  }
  return Status::Ok();
}

StatusOr<std::vector<HandwritingCues>> MeasureHandwriting(const BookLayoutOptions& options, const Page& page) {
  const Raster& raster = page.raster;
  if (raster.empty() || raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("book_layout: raster size does not match its pixels");
  }
  try {
    return Measure(page, InkMask(GrayOf(raster), std::max(raster.dpi_x, raster.dpi_y)),
                   options.handwriting_max_confidence);
  } catch (const cv::Exception& e) {
    return Status::Internal(std::string("book_layout: OpenCV failed: ") + e.what());
  }
}

StatusOr<std::unique_ptr<TesseractEngine>> NewPageNumberReader(const std::string& tessdata_dir) {
  RecognizerConfig config;
  config.tessdata_dir = tessdata_dir;
  config.page_segmentation_mode = 7;  // one line: the mark cropped tight
  config.variables["tessedit_char_whitelist"] = "0123456789-";
  config.column_gap_factor = 0;
  config.min_dpi = 300;
  return TesseractEngine::NewRecognizer(config);
}

std::unique_ptr<PageStage> NewBookLayoutStage(const BookLayoutOptions& options) {
  return std::make_unique<BookLayoutStage>(options);
}

}  // namespace sohoa
