#include "stages/page/figure_reread.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "stages/page/leptonica_raster.h"

namespace sohoa {

bool IsFigureWord(const std::string& text) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  int digits = 0, letters = 0;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (u_isalpha(c)) {
      ++letters;
    }
  }
  return digits >= 2 && letters <= 1;
}

std::string FigureKey(const std::string& text) { return ReadingKey(text, /*figures=*/true); }

bool NeedsSecondReading(const FigureRereadOptions& options, const OcrWord& word) {
  return options.enabled && word.confidence < options.sure_confidence && IsFigureWord(word.text);
}

bool AnyNeedsSecondReading(const FigureRereadOptions& options, const OcrResult& ocr) {
  for (const OcrLine& line : ocr.lines) {
    for (const OcrWord& word : line.words) {
      if (NeedsSecondReading(options, word)) return true;
    }
  }
  return false;
}

StatusOr<std::unique_ptr<TesseractEngine>> NewFigureReader(const std::string& tessdata_dir) {
  RecognizerConfig config = CropReaderConfig("eng", tessdata_dir);
  config.variables["tessedit_char_whitelist"] = "0123456789/.-:,";
  return TesseractEngine::NewRecognizer(config);
}

Status RereadFigures(const FigureRereadOptions& options, const Raster& raster, TesseractEngine& reader,
                     OcrResult& ocr, int* reread) {
  if (reread) *reread = 0;
  if (!options.enabled) return Status::Ok();
  for (OcrLine& line : ocr.lines) {
    for (OcrWord& word : line.words) {
      if (!NeedsSecondReading(options, word)) continue;
      // A little white around the word, less than a neighbour's distance.
      const Raster crop = GrayCrop(raster, word.box, std::max(2, word.box.height() / 4));
      if (crop.empty()) continue;
      StatusOr<OcrResult> read = reader.Recognize(crop, 0);
      if (!read.ok()) return read.status().WithContext("figure re-reading");
      if (reread) ++*reread;
      std::string second;
      float second_confidence = 100;
      for (const OcrLine& part_line : read->lines) {
        for (const OcrWord& part : part_line.words) {
          second += part.text;  // one word: the parts of a figure are not spaced
          second_confidence = std::min(second_confidence, part.confidence);
        }
      }
      if (!IsFigureWord(second)) continue;  // the second reader saw no figures
      if (FigureKey(second) == FigureKey(word.text)) {
        word.confidence = std::max(word.confidence, second_confidence);
        continue;
      }
      const float best = std::max(word.confidence, second_confidence);
      word.taken_from_second_reader = second_confidence >= options.take_confidence;
      if (word.taken_from_second_reader) {
        word.other_reading = word.text;
        word.text = second;
        word.taken_confidence = second_confidence;
      } else {
        word.other_reading = second;
        word.taken_confidence = word.confidence;
      }
      word.confidence = word.taken_from_second_reader && second_confidence >= options.vouch_confidence
                            ? second_confidence
                            : std::min(best, options.disagreement_confidence);
    }
  }
  return Status::Ok();
}

}  // namespace sohoa
