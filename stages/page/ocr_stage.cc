#include "stages/page/ocr_stage.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/core/reason.h"
#include "stages/page/leader_dots.h"
#include "stages/page/light_seal.h"
#include "stages/page/orient_stage.h"
#include "stages/page/red_ink.h"
#include "stages/page/ruled_lines.h"
#include "stages/page/tesseract_engine.h"
#include "stages/page/text_size.h"

namespace sohoa {
namespace {

// A skew the deskew stage left unapplied, below which a sideways page's
// probes are not retried on a straightened copy: a degree or less does not
// stop Tesseract reading a line.
constexpr double kSidewaysSkewMin = 1.0;

// NFC via ICU; the fast path leaves already-normalized text untouched.
class NfcNormalizer {
 public:
  static StatusOr<NfcNormalizer> Create() {
    UErrorCode error = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
    if (U_FAILURE(error) || nfc == nullptr) {
      return Status::Internal(std::string("ICU NFC normalizer unavailable: ") + u_errorName(error));
    }
    return NfcNormalizer(nfc);
  }

  std::string Normalize(const std::string& utf8) const {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
    UErrorCode error = U_ZERO_ERROR;
    if (nfc_->isNormalized(text, error) && U_SUCCESS(error)) return utf8;
    error = U_ZERO_ERROR;
    icu::UnicodeString normalized = nfc_->normalize(text, error);
    if (U_FAILURE(error)) return utf8;  // cannot happen for valid UTF-16
    std::string out;
    normalized.toUTF8String(out);
    return out;
  }

 private:
  explicit NfcNormalizer(const icu::Normalizer2* nfc) : nfc_(nfc) {}
  const icu::Normalizer2* nfc_;  // owned by ICU, immutable, thread-safe
};

class OcrWorker : public PageWorker {
 public:
  OcrWorker(const OcrOptions& options, std::unique_ptr<TesseractEngine> engine, NfcNormalizer nfc)
      : options_(options),
        engine_(std::move(engine)),
        figure_reader_([dir = options.tessdata_dir] { return NewFigureReader(dir); }),
        letter_reader_([dir = options.tessdata_dir] { return NewLetterReader(dir); }),
        nfc_(nfc) {}

  Status Process(const Document& document, Page& page) override {
    if (page.blank) {
      StatusOr<OcrResult> second_opinion = engine_->Recognize(page.raster, options_.recognition_dpi_max);
      if (!second_opinion.ok()) return second_opinion.status();
      if (!HasText(*second_opinion)) return Status::Ok();  // blank it is
      page.blank = false;
      std::erase(page.review_reasons, BlankPageReason(page.index));
      SOHOA_RETURN_IF_ERROR(DeskewPage(options_.deskew, page));
    }
    Readability readability;
    // A register book's pages keep their rules: its entries are found by
    // them (stages/book), and with them taken out Tesseract ran a ruled
    // page's last entries together.
    const bool rules_out = options_.remove_ruled_lines && !document.is_book();
    StatusOr<std::optional<Raster>> clean = CleanCopy(page.raster, rules_out);
    if (!clean.ok()) return clean.status();
    StatusOr<double> max_dpi = RecognitionDpiMaxFor(Readable(*clean, page.raster));
    if (!max_dpi.ok()) return max_dpi.status();
    StatusOr<OcrResult> result = engine_->Recognize(Readable(*clean, page.raster), *max_dpi,
                                                    options_.correct_orientation ? &readability : nullptr);
    if (!result.ok()) return result.status();
    if (options_.correct_orientation && !ReadsUpright(readability)) {
      StatusOr<int> turn = BestTurn(page.raster, readability);
      if (!turn.ok()) return turn.status();
      double straightened_by = 0;  // degrees the page was turned before the quarter turn
      if (*turn == 0 && SkewLeftUnapplied(options_.deskew, page, kSidewaysSkewMin)) {
        turn = TurnOnceStraightened(page, readability, &straightened_by);
        if (!turn.ok()) return turn.status();
      }
      if (*turn != 0) {
        SOHOA_RETURN_IF_ERROR(RotateRasterClockwise(page.raster, *turn));
        page.rotation_degrees = (page.rotation_degrees + *turn) % 360;
        page.orientation_confidence = turn_confidence_;
        // Upside down, the lines were horizontal all along and the deskew
        // stage has already straightened them (a half turn keeps the angle).
        if (*turn != 180) SOHOA_RETURN_IF_ERROR(DeskewPage(options_.deskew, page));
        page.skew_degrees += straightened_by;
        clean = CleanCopy(page.raster, rules_out);
        if (!clean.ok()) return clean.status();
        Readability turned;
        result = engine_->Recognize(Readable(*clean, page.raster), *max_dpi, &turned);
        if (!result.ok()) return result.status();
        if (*turn != 180 && !ReadsUpright(turned)) {
          SOHOA_RETURN_IF_ERROR(TryTheOtherWayUp(page, turned, *max_dpi, rules_out, clean, result));
        }
      }
    }
    OcrResult& ocr = *result;
    std::vector<OcrLine> lines;
    lines.reserve(ocr.lines.size());
    for (OcrLine& line : ocr.lines) {
      std::vector<OcrWord> words;
      for (OcrWord& word : line.words) {
        word.text = nfc_.Normalize(word.text);
        if (!word.text.empty()) words.push_back(std::move(word));
      }
      if (words.empty()) continue;
      line.words = std::move(words);
      lines.push_back(std::move(line));
    }
    ocr.lines = std::move(lines);
    if (AnyNeedsSecondReading(options_.figures, ocr)) {
      StatusOr<TesseractEngine*> reader = figure_reader_.Get();
      if (!reader.ok()) return reader.status().WithContext("ocr: figure re-reading");
      SOHOA_RETURN_IF_ERROR(RereadFigures(options_.figures, Readable(*clean, page.raster), **reader, ocr));
    }
    const int title_line = document.is_book() ? -1 : TitleLine(ocr, page.raster.height);
    if (!document.is_book() && AnyNeedsLetterReading(options_.letters, ocr, title_line) &&
        MayHaveFields(document, title_line)) {
      StatusOr<TesseractEngine*> reader = letter_reader_.Get();
      if (!reader.ok()) return reader.status().WithContext("ocr: letter re-reading");
      SOHOA_RETURN_IF_ERROR(
          RereadLetters(options_.letters, Readable(*clean, page.raster), **reader, ocr, nullptr, title_line));
    }
    if (ocr.lines.empty()) {
      page.review_reasons.push_back(ReasonText("page.no_text", {{"page", std::to_string(page.index + 1)}}));
    }
    page.ocr = std::move(ocr);
    return Status::Ok();
  }

 private:
  // LetterRereadOptions::find_title's answer; kTitleNotSearched without one.
  // A title found below the top third of the page is not taken as the end
  // of its header (Decree 30 puts it under the header, at about a sixth of
  // the page on the tuning layouts): a damaged title with a later line that
  // matches must not leave the values above that line read once.
  int TitleLine(const OcrResult& ocr, int page_height) const {
    const auto& find = options_.letters.find_title;
    const int title = find ? find(ocr) : kTitleNotSearched;
    if (title >= 0 && ocr.lines[title].box.bottom > page_height / 3) return kTitleBelowHeader;
    return title;
  }

  bool MayHaveFields(const Document& document, int title_line) const {
    return document.page_count() != 1 || title_line != -1;
  }

  static constexpr int kTitleNotSearched = -2;
  static constexpr int kTitleBelowHeader = -3;

  // The resolution above which `raster` is recognised downscaled
  // (RecognitionDpiMax). The x-height does not change with a quarter turn,
  // so one measurement holds for the page's later readings too.
  StatusOr<double> RecognitionDpiMaxFor(const Raster& raster) const {
    if (options_.recognition_x_height <= 0 || std::max(raster.dpi_x, raster.dpi_y) <= 0) {
      return options_.recognition_dpi_max;
    }
    StatusOr<TextSize> size = MeasureTextSize(raster);
    if (!size.ok()) return size.status().WithContext("ocr: measuring the text size");
    return RecognitionDpiMax(options_, std::max(raster.dpi_x, raster.dpi_y), *size);
  }

  // The copy of the page Tesseract reads: a colour page in gray without its
  // red ink (stages/page/red_ink.h), a gray page without its seal
  // (stages/page/light_seal.h), without dotted leaders
  // (stages/page/leader_dots.h) and, with `rules_out`, ruled lines
  // (stages/page/ruled_lines.h); nullopt to read the page as it is.
  StatusOr<std::optional<Raster>> CleanCopy(const Raster& raster, bool rules_out) const {
    std::optional<Raster> reading;
    if (options_.drop_red_ink) reading = WithoutRedInk(raster);
    if (options_.drop_light_seal && !reading) {
      StatusOr<std::optional<Raster>> unsealed = WithoutLightSeal(raster);
      if (!unsealed.ok()) return unsealed.status();
      reading = std::move(*unsealed);
    }
    if (options_.remove_leader_dots) {
      StatusOr<std::optional<Raster>> undotted = WithoutLeaderDots(reading ? *reading : raster);
      if (!undotted.ok()) return undotted.status();
      if (undotted->has_value()) reading = std::move(*undotted);
    }
    if (rules_out) {
      StatusOr<PixPtr> rules = RuledLinesOf(reading ? *reading : raster);
      if (!rules.ok()) return rules.status();
      if (*rules) {
        if (!reading) reading = raster;  // copied only when it has rules
        PaintOut(*reading, rules->get());
      }
    }
    return reading;
  }

  // The probes that chose a quarter turn read the page before it could be
  // deskewed, so on a page scanned sideways and askew they can pick the
  // wrong one of two opposite turns (layout family: a page turned 270° and
  // skewed 8° came out upside down). When the deskewed page does not read
  // upright, it is read half a turn further too, and the better reading
  // (Score) is kept with its raster.
  Status TryTheOtherWayUp(Page& page, const Readability& turned, double max_dpi, bool rules_out,
                          StatusOr<std::optional<Raster>>& clean, StatusOr<OcrResult>& result) {
    Raster as_turned = page.raster;
    SOHOA_RETURN_IF_ERROR(RotateRasterClockwise(page.raster, 180));
    StatusOr<std::optional<Raster>> other_clean = CleanCopy(page.raster, rules_out);
    if (!other_clean.ok()) return other_clean.status();
    Readability other;
    StatusOr<OcrResult> other_result =
        engine_->Recognize(Readable(*other_clean, page.raster), max_dpi, &other);
    if (!other_result.ok()) return other_result.status();
    if (Score(other) > Score(turned)) {
      page.rotation_degrees = (page.rotation_degrees + 180) % 360;
      page.orientation_confidence = other.mean_confidence;
      clean = std::move(other_clean);
      result = std::move(other_result);
    } else {
      page.raster = std::move(as_turned);
    }
    return Status::Ok();
  }

  // A page scanned sideways and well askew: the probes turned a page still
  // askew by a quarter and none read upright (layout family: turned 90°
  // and skewed 7.7°, nothing read at all), while the deskew stage measured
  // the skew right but, the lines running down the page, with too little
  // confidence to apply it. A copy straightened by that angle is probed
  // again, then one straightened the other way (sideways, the sign of a
  // measurement is less sure). When a turn of a copy reads, the copy
  // becomes the page and the angle is returned in *straightened_by.
  StatusOr<int> TurnOnceStraightened(Page& page, const Readability& as_scanned, double* straightened_by) {
    for (double degrees : {page.skew_degrees, -page.skew_degrees}) {
      Raster straight = page.raster;
      SOHOA_RETURN_IF_ERROR(RotateByDegrees(straight, degrees));
      StatusOr<int> turn = BestTurn(straight, as_scanned);
      if (!turn.ok()) return turn.status();
      if (*turn == 0) continue;
      page.raster = std::move(straight);
      page.skew_degrees = 0;  // the caller adds what is left after the turn to *straightened_by
      *straightened_by = degrees;
      return turn;
    }
    return 0;
  }

  static const Raster& Readable(const std::optional<Raster>& clean, const Raster& page) {
    return clean.has_value() ? *clean : page;
  }

  bool ReadsUpright(const Readability& r) const {
    return r.mean_confidence >= options_.upright_min_confidence &&
           r.UprightShare() >= options_.upright_min_share;
  }
  static double Score(const Readability& r) { return r.mean_confidence * r.UprightShare(); }

  // Step 2-3 of the header: the clockwise turn that reads best (0 = keep),
  // its probe's confidence left in turn_confidence_.
  StatusOr<int> BestTurn(const Raster& raster, const Readability& as_scanned) {
    const int hint = as_scanned.MajorityTurnDegrees();
    // Tesseract read the lines sideways and confidently: their direction is
    // the answer, no probe needed (measured: 94 on a clean page turned 90°,
    // the same confidence as upright).
    if (hint != 0 && as_scanned.mean_confidence >= options_.upright_min_confidence &&
        as_scanned.words_by_turn[hint / 90] >= options_.upright_min_share * as_scanned.words) {
      turn_confidence_ = as_scanned.mean_confidence;
      return hint;
    }
    // Read sideways without confidence: Tesseract reads vertical lines top
    // to bottom, so the page is most likely turned the other way round.
    std::vector<int> turns;
    if (hint == 90 || hint == 270)
      turns = {(hint + 180) % 360, hint, 180};
    else
      turns = {180, 90, 270};
    int best_turn = 0;
    double best_score = Score(as_scanned) + options_.turn_min_gain;
    for (int turn : turns) {
      StatusOr<Readability> probe = engine_->ProbeReadability(raster, turn, options_.probe_dpi);
      if (!probe.ok()) return probe.status();
      if (Score(*probe) > best_score) {
        best_score = Score(*probe);
        best_turn = turn;
        turn_confidence_ = probe->mean_confidence;
      }
      if (best_turn == turn && ReadsUpright(*probe)) break;
    }
    return best_turn;
  }

  const OcrOptions options_;
  std::unique_ptr<TesseractEngine> engine_;
  LazyEngine figure_reader_;  // made for the first page with figures to read again
  LazyEngine letter_reader_;  // made for the first page with letters to read again
  NfcNormalizer nfc_;
  float turn_confidence_ = 0;
};

class OcrStage : public PageStage {
 public:
  explicit OcrStage(const OcrOptions& options) : options_(options) {}
  std::string Name() const override { return "ocr"; }

  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    if (options_.recognition_dpi_max < 0 || options_.recognition_dpi_min < 0 || options_.recognition_x_height < 0) {
      return Status::Configuration("ocr: recognition_dpi_max/min and recognition_x_height must be 0 (off) or positive");
    }
    if (options_.correct_orientation && options_.probe_dpi != 0 && options_.probe_dpi < 50) {
      return Status::Configuration("ocr: probe_dpi must be 0 (full resolution) or at least 50");
    }
    if (options_.correct_orientation) {
      StatusOr<std::unique_ptr<PageWorker>> deskew = NewDeskewStage(options_.deskew)->NewWorker();
      if (!deskew.ok()) return deskew.status().WithContext("ocr");  // checks the deskew options
    }
    StatusOr<NfcNormalizer> nfc = NfcNormalizer::Create();
    if (!nfc.ok()) return nfc.status();
    RecognizerConfig config;
    config.languages = options_.languages;
    config.tessdata_dir = options_.tessdata_dir;
    config.page_segmentation_mode = options_.page_segmentation_mode;
    config.variables = options_.variables;
    config.column_gap_factor = options_.column_gap_factor;
    config.min_dpi = options_.recognition_dpi_min;
    auto engine = TesseractEngine::NewRecognizer(config);
    if (!engine.ok()) return engine.status();
    if (options_.figures.enabled) {
      Status eng = CheckTesseractLanguages(options_.tessdata_dir, "eng");
      if (!eng.ok()) return eng.WithContext("ocr: figure re-reading");
    }
    if (options_.letters.enabled) {
      Status script = CheckLetterReader(options_.tessdata_dir);
      if (!script.ok()) return script.WithContext("ocr: letter re-reading");
    }
    return std::unique_ptr<PageWorker>(new OcrWorker(options_, std::move(*engine), *nfc));
  }

 private:
  const OcrOptions options_;
};

}  // namespace

bool HasText(const OcrResult& ocr) {
  for (const OcrLine& line : ocr.lines) {
    for (const OcrWord& word : line.words) {
      if (word.confidence < kMinTextConfidence) continue;
      int alnum = 0;
      const icu::UnicodeString text = icu::UnicodeString::fromUTF8(word.text);
      for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        alnum += u_isalnum(text.char32At(i)) ? 1 : 0;
      }
      if (alnum >= 2) return true;
    }
  }
  return false;
}

double RecognitionDpiMax(const OcrOptions& options, double dpi, const TextSize& size) {
  const double target = options.recognition_x_height;
  if (target <= 0 || dpi <= 0 || !size.found || size.x_height_px <= target) return options.recognition_dpi_max;
  const double fit = dpi * target / size.x_height_px;
  return options.recognition_dpi_max > 0 ? std::min(options.recognition_dpi_max, fit) : fit;
}

std::unique_ptr<PageStage> NewOcrStage(const OcrOptions& options) {
  return std::make_unique<OcrStage>(options);
}

}  // namespace sohoa
