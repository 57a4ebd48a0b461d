#include "stages/page/letter_reread.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace {

bool IsCandidate(const LetterRereadOptions& options, const OcrWord& word) {
  return word.confidence < options.sure_confidence && IsLetterWord(word.text);
}

// The words of a reading, in order, across its lines.
std::vector<const OcrWord*> WordsOf(const OcrResult& read) {
  std::vector<const OcrWord*> words;
  for (const OcrLine& line : read.lines)
    for (const OcrWord& word : line.words) words.push_back(&word);
  return words;
}

// The run's box with white around it: a quarter of its height above and
// below, and at most half the gap to the neighbouring words on either side,
// so that no neighbour's ink is read with it.
Box RunBox(const OcrLine& line, size_t first, size_t last) {
  Box box = line.words[first].box;
  for (size_t i = first + 1; i <= last; ++i) box.Cover(line.words[i].box);
  const int pad = std::max(2, box.height() / 4);
  int left_pad = pad, right_pad = pad;
  if (first > 0) left_pad = std::min(pad, std::max(0, (box.left - line.words[first - 1].box.right) / 2));
  if (last + 1 < line.words.size())
    right_pad = std::min(pad, std::max(0, (line.words[last + 1].box.left - box.right) / 2));
  return Box{box.left - left_pad, box.top - pad, box.right + right_pad, box.bottom + pad};
}

// Which words of the run the second reading agrees with: the longest
// common subsequence of the two readings' keys, so a speck read as an extra
// word at the crop's edge, or two words read as one, costs only the words
// it touches.
std::vector<bool> Agreeing(const std::vector<std::string>& first, const std::vector<std::string>& second) {
  const size_t n = first.size(), m = second.size();
  std::vector<std::vector<int>> longest(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      longest[i][j] = !first[i].empty() && first[i] == second[j]
                          ? longest[i + 1][j + 1] + 1
                          : std::max(longest[i + 1][j], longest[i][j + 1]);
    }
  }
  std::vector<bool> agrees(n, false);
  for (size_t i = 0, j = 0; i < n && j < m;) {
    if (!first[i].empty() && first[i] == second[j]) {
      agrees[i++] = true;
      ++j;
    } else if (longest[i + 1][j] >= longest[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  return agrees;
}

void Judge(const LetterRereadOptions& options, const OcrResult& second, OcrLine& line, size_t first,
           size_t last) {
  const std::vector<const OcrWord*> read = WordsOf(second);
  std::vector<std::string> first_keys, second_keys;
  for (size_t i = first; i <= last; ++i) first_keys.push_back(LetterKey(line.words[i].text));
  for (const OcrWord* w : read) second_keys.push_back(LetterKey(w->text));
  const std::vector<bool> agrees = Agreeing(first_keys, second_keys);
  // The confidence of the second reader's word that agrees with word i.
  std::vector<float> second_confidence(first_keys.size(), 0);
  for (size_t i = 0, j = 0; i < first_keys.size(); ++i) {
    if (!agrees[i]) continue;
    while (j < second_keys.size() && second_keys[j] != first_keys[i]) ++j;
    if (j < second_keys.size()) second_confidence[i] = read[j++]->confidence;
  }
  std::string whole;
  for (const OcrWord* w : read) whole += (whole.empty() ? "" : " ") + w->text;
  for (size_t i = 0; i < first_keys.size(); ++i) {
    OcrWord& word = line.words[first + i];
    if (agrees[i]) {
      word.confidence = std::max(word.confidence, std::min(second_confidence[i], options.agreed_confidence));
    } else {
      // Dissent is recorded, never counted: see the header.
      word.other_reading = read.size() == first_keys.size() ? read[i]->text : whole;
    }
  }
}

// Whether `line` is part of the page's header above and on its title line
// (`title_line`, an index of ocr.lines, or negative: no header known) and
// holds no figure: see LetterRereadOptions::find_title.
bool InHeader(const OcrResult& ocr, int title_line, const OcrLine& line) {
  if (title_line < 0 || static_cast<size_t>(title_line) >= ocr.lines.size()) return false;
  if (line.box.bottom > ocr.lines[title_line].box.bottom) return false;
  for (const OcrWord& word : line.words) {
    if (word.text.find_first_of("0123456789") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

bool IsLetterWord(const std::string& text) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  bool letter = false;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (u_isdigit(c)) return false;
    letter = letter || u_isalpha(c);
  }
  return letter;
}

std::string LetterKey(const std::string& text) { return ReadingKey(text, /*figures=*/false); }

Status CheckLetterReader(const std::string& tessdata_dir) {
  const std::string dir = tessdata_dir.empty() ? DefaultTessdataDir() : tessdata_dir;
  if (CheckTesseractLanguages(dir, kLetterReaderLanguage).ok()) return Status::Ok();
  return Status::Configuration(std::string("the second reader's Tesseract model '") + kLetterReaderLanguage +
                               "' is not in " + dir + " — install " + kLetterReaderPackage);
}

bool AnyNeedsLetterReading(const LetterRereadOptions& options, const OcrResult& ocr, int title_line) {
  if (!options.enabled) return false;
  for (const OcrLine& line : ocr.lines) {
    if (line.handwritten || InHeader(ocr, title_line, line)) continue;
    for (const OcrWord& word : line.words) {
      if (IsCandidate(options, word)) return true;
    }
  }
  return false;
}

StatusOr<std::unique_ptr<TesseractEngine>> NewLetterReader(const std::string& tessdata_dir) {
  SOHOA_RETURN_IF_ERROR(CheckLetterReader(tessdata_dir));
  return TesseractEngine::NewRecognizer(CropReaderConfig(kLetterReaderLanguage, tessdata_dir));
}

Status RereadLetters(const LetterRereadOptions& options, const Raster& raster, TesseractEngine& reader,
                     OcrResult& ocr, int* reread, int title_line) {
  if (reread) *reread = 0;
  if (!options.enabled) return Status::Ok();
  for (OcrLine& line : ocr.lines) {
    if (line.handwritten || InHeader(ocr, title_line, line)) continue;
    for (size_t first = 0; first < line.words.size();) {
      if (!IsCandidate(options, line.words[first])) {
        ++first;
        continue;
      }
      size_t last = first;
      while (last + 1 < line.words.size() && IsCandidate(options, line.words[last + 1])) ++last;
      const Raster crop = GrayCrop(raster, RunBox(line, first, last), 0);
      if (!crop.empty()) {
        StatusOr<OcrResult> read = reader.Recognize(crop, 0);
        if (!read.ok()) return read.status().WithContext("letter re-reading");
        if (reread) ++*reread;
        Judge(options, *read, line, first, last);
      }
      first = last + 1;
    }
  }
  return Status::Ok();
}

}  // namespace sohoa
