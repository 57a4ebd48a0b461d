#include "stages/page/ocr_stage.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "build_paths.h"

#include "stages/page/deskew_stage.h"
#include "stages/page/orient_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::CharacterErrorRate;

bool IsNfc(const std::string& utf8) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  return nfc->isNormalized(icu::UnicodeString::fromUTF8(utf8), error) && U_SUCCESS(error);
}

std::unique_ptr<PageWorker> NewWorkerOrDie(const OcrOptions& options = {}) {
  auto stage = NewOcrStage(options);
  EXPECT_EQ(stage->Name(), "ocr");
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  return worker.ok() ? std::move(*worker) : nullptr;
}

// The clean upright sample page (testing::FindCleanPage) and its raster;
// nullopt (with a test failure) when the samples are missing.
struct CleanSample {
  testing::SamplePage page;
  Raster raster;
};
std::optional<CleanSample> LoadCleanSample() {
  std::vector<testing::SamplePage> pages = testing::LoadSamplePages();
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(pages);
  if (!sample.has_value()) return std::nullopt;
  std::optional<Raster> raster = testing::LoadSampleRaster(*sample);
  EXPECT_TRUE(raster.has_value()) << sample->file;
  if (!raster.has_value()) return std::nullopt;
  return CleanSample{*sample, std::move(*raster)};
}

// Every structural promise of the header on one result.
void ExpectWellFormed(const OcrResult& ocr, const Raster& raster) {
  int previous_block = 0;
  int previous_top = -1;
  for (const OcrLine& line : ocr.lines) {
    ASSERT_FALSE(line.words.empty());
    EXPECT_GE(line.block, previous_block) << "blocks out of reading order";
    if (line.block == previous_block) {
      EXPECT_GE(line.box.top, previous_top - line.box.height() / 2)
          << "line above its predecessor in block " << line.block << ": " << line.Text();
    }
    previous_block = line.block;
    previous_top = line.box.top;
    EXPECT_GE(line.box.left, 0);
    EXPECT_GE(line.box.top, 0);
    EXPECT_LE(line.box.right, raster.width);
    EXPECT_LE(line.box.bottom, raster.height);
    EXPECT_GT(line.box.width(), 0);
    EXPECT_GE(line.baseline_y, line.box.top);
    EXPECT_LE(line.baseline_y, line.box.bottom + 2);
    int previous_left = -1;
    for (const OcrWord& word : line.words) {
      EXPECT_FALSE(word.text.empty());
      EXPECT_EQ(word.text.find_first_of(" \t\n"), std::string::npos) << word.text;
      EXPECT_TRUE(IsNfc(word.text)) << word.text;
      EXPECT_GE(word.box.left, line.box.left - 4);
      EXPECT_LE(word.box.right, line.box.right + 4);
      // Signature scribbles come out as low-confidence junk with
      // overlapping boxes; real words must run left to right.
      if (word.confidence >= 60) {
        EXPECT_GE(word.box.left, previous_left) << "words out of order in " << line.Text();
        previous_left = word.box.left;
      }
      EXPECT_GE(word.confidence, 0);
      EXPECT_LE(word.confidence, 100);
    }
  }
}

TEST(OcrStageTest, MissingLanguageIsConfigurationError) {
  OcrOptions options;
  options.languages = "vie+xxx";
  auto worker = NewOcrStage(options)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(worker.status().message().find("Tesseract language 'xxx' not found in"), std::string::npos)
      << worker.status().message();
  EXPECT_NE(worker.status().message().find("install tesseract-ocr-xxx"), std::string::npos);
}

TEST(OcrStageTest, BadOptionsAreConfigurationErrors) {
  OcrOptions psm;
  psm.page_segmentation_mode = 0;  // OSD only: no text
  EXPECT_EQ(NewOcrStage(psm)->NewWorker().status().code(), StatusCode::kConfiguration);
  OcrOptions variable;
  variable.variables["no_such_tesseract_variable"] = "1";
  auto worker = NewOcrStage(variable)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_NE(worker.status().message().find("no_such_tesseract_variable"), std::string::npos);
  OcrOptions tessdata;
  tessdata.tessdata_dir = "/nonexistent/tessdata";
  EXPECT_EQ(NewOcrStage(tessdata)->NewWorker().status().code(), StatusCode::kConfiguration);
  OcrOptions probe;
  probe.probe_dpi = 20;
  EXPECT_EQ(NewOcrStage(probe)->NewWorker().status().code(), StatusCode::kConfiguration);
  OcrOptions deskew;
  deskew.deskew.sweep_range_degrees = 90;
  EXPECT_EQ(NewOcrStage(deskew)->NewWorker().status().code(), StatusCode::kConfiguration);
  OcrOptions x_height;
  x_height.recognition_x_height = -1;
  EXPECT_EQ(NewOcrStage(x_height)->NewWorker().status().code(), StatusCode::kConfiguration);
}

// The orientation fallback: a clean page turned each way comes back exactly
// upright (no deskew resampling on an unskewed page) and reads as well as
// the upright page.
TEST(OcrStageTest, TurnsPagesScannedSidewaysOrUpsideDown) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  auto worker = NewWorkerOrDie();
  ASSERT_NE(worker, nullptr);
  Document document;
  for (int turned : {90, 180, 270}) {
    Page page;
    page.raster = *clean;
    ASSERT_TRUE(RotateRasterClockwise(page.raster, turned).ok());
    ASSERT_TRUE(worker->Process(document, page).ok());
    std::printf("turned %d: applied %d, turn confidence %.1f, OCR confidence %.1f\n", turned,
                page.rotation_degrees, page.orientation_confidence, page.ocr.mean_confidence);
    EXPECT_EQ(page.rotation_degrees, (360 - turned) % 360);
    EXPECT_GT(page.orientation_confidence, 70);
    EXPECT_EQ(page.raster.pixels, clean->pixels) << "not exactly upright after " << turned;
    EXPECT_LE(CharacterErrorRate(sample->text, page.ocr.Text()), 0.02) << page.ocr.Text();
    ExpectWellFormed(page.ocr, page.raster);
  }
}

TEST(OcrStageTest, UprightPageIsNeverTurned) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  Page page;
  page.raster = *clean;
  Document document;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 0);
  EXPECT_EQ(page.orientation_confidence, 0);  // no probe ran
  EXPECT_EQ(page.raster.pixels, clean->pixels);
}

// The pipeline's order on the generated scans that were turned (noisy,
// some skewed): deskew first (it cannot help a sideways page), then OCR
// turns them, deskews again and reads them.
TEST(OcrStageTest, TurnedSampleScansReadUpright) {
  auto deskew = NewDeskewStage()->NewWorker();
  ASSERT_TRUE(deskew.ok());
  auto ocr = NewWorkerOrDie();
  ASSERT_NE(ocr, nullptr);
  Document document;
  int checked = 0;
  for (const testing::SamplePage& sample : testing::LoadSamplePages()) {
    if (sample.rotation_degrees == 0 || sample.text.empty()) continue;
    std::optional<Raster> raster = testing::LoadSampleRaster(sample);
    ASSERT_TRUE(raster.has_value());
    Page page;
    page.raster = std::move(*raster);
    ASSERT_TRUE((*deskew)->Process(document, page).ok());
    ASSERT_TRUE(ocr->Process(document, page).ok());
    const double cer = CharacterErrorRate(sample.text, page.ocr.Text());
    std::printf("%s: scanned turned %d, applied %d, skew %.2f (truth %.2f), CER %.3f\n",
                sample.file.filename().c_str(), sample.rotation_degrees, page.rotation_degrees,
                page.skew_degrees, sample.skew_degrees, cer);
    EXPECT_EQ(page.rotation_degrees, (360 - sample.rotation_degrees) % 360) << sample.file;
    EXPECT_LT(page.raster.width, page.raster.height) << "A4 portrait expected";
    EXPECT_LE(cer, 0.1) << sample.file << "\n" << page.ocr.Text();
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no turned sample pages";
}

// A marriage certificate scanned turned 270° and 8° askew (bilevel, 200
// dpi; tests/stages/page/data/sideways_askew_ket_hon.tif is document t018 of
// `make_samples.py --preset layouts --layouts tuning --seed 1`). The turn
// probes, read before the page could be deskewed, chose 270° and the page
// came out upside down; read half a turn further too, it reads upright.
TEST(OcrStageTest, SidewaysAskewPageIsTriedTheOtherWayUp) {
  std::optional<Raster> raster =
      testing::LoadRaster(std::string(SOHOA_SOURCE_DIR) + "/tests/stages/page/data/sideways_askew_ket_hon.tif", 0, 200);
  ASSERT_TRUE(raster.has_value());
  auto deskew = NewDeskewStage()->NewWorker();
  ASSERT_TRUE(deskew.ok());
  Document document;
  Page page;
  page.raster = std::move(*raster);
  ASSERT_TRUE((*deskew)->Process(document, page).ok());
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 90);
  EXPECT_NE(page.ocr.Text().find("CHỨNG NHẬN KẾT HÔN"), std::string::npos) << page.ocr.Text();
  EXPECT_LT(page.raster.width, page.raster.height) << "A4 portrait expected";
}

// A birth certificate scanned turned 90° and 7.7° askew (document t013 of
// `make_samples.py --preset layouts --layouts tuning --seed 1`, reduced to
// 200 dpi and eight gray levels as tests/stages/page/data/
// sideways_askew_khai_sinh.tif; reduced to black and white, it reads).
// Sideways, the deskew stage measures the skew with too little confidence
// to apply it, and no quarter turn of a page still 7.7° askew read
// upright: nothing was read. The probes are tried again on a copy
// straightened by the measured angle.
TEST(OcrStageTest, SidewaysPageTooAskewForTheProbesIsStraightenedFirst) {
  std::optional<Raster> raster = testing::LoadRaster(
      std::string(SOHOA_SOURCE_DIR) + "/tests/stages/page/data/sideways_askew_khai_sinh.tif", 0, 200);
  ASSERT_TRUE(raster.has_value());
  auto deskew = NewDeskewStage()->NewWorker();
  ASSERT_TRUE(deskew.ok());
  Document document;
  Page page;
  page.raster = std::move(*raster);
  ASSERT_TRUE((*deskew)->Process(document, page).ok());
  ASSERT_NEAR(page.skew_degrees, 7.7, 0.5) << "measured";
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 270);
  EXPECT_NEAR(page.skew_degrees, 7.7, 0.5) << "the straightening is recorded as the page's skew";
  EXPECT_NE(page.ocr.Text().find("GIẤY KHAI SINH"), std::string::npos) << page.ocr.Text();
  EXPECT_LT(page.raster.width, page.raster.height) << "A4 portrait expected";
}

TEST(OcrStageTest, CleanSamplePagesHaveLowCharacterErrorRate) {
  std::vector<testing::SamplePage> pages = testing::LoadSamplePages();
  auto worker = NewWorkerOrDie();
  ASSERT_NE(worker, nullptr);
  Document document;
  int checked = 0;
  for (const testing::SamplePage& sample : pages) {
    if (!sample.clean || sample.skew_degrees != 0 || sample.rotation_degrees != 0) continue;
    if (sample.text.empty() || sample.file.extension() == ".pdf") continue;
    if (checked == 3) break;  // runtime: ~1 s per page
    std::optional<Raster> raster = testing::LoadSampleRaster(sample);
    ASSERT_TRUE(raster.has_value());
    Page page;
    page.index = sample.page;
    page.raster = std::move(*raster);
    ASSERT_TRUE(worker->Process(document, page).ok());
    const double cer = CharacterErrorRate(sample.text, page.ocr.Text());
    EXPECT_LE(cer, 0.02) << sample.file << " page " << sample.page + 1 << " (" << sample.mode
                         << ")\n--- truth\n"
                         << sample.text << "\n--- OCR\n"
                         << page.ocr.Text();
    EXPECT_GT(page.ocr.mean_confidence, 70);
    ExpectWellFormed(page.ocr, page.raster);
    EXPECT_TRUE(page.review_reasons.empty());
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no clean upright sample page with text";
}

TEST(OcrStageTest, DownscaledRecognitionKeepsPageCoordinates) {
  std::optional<CleanSample> clean = LoadCleanSample();
  ASSERT_TRUE(clean.has_value());
  const testing::SamplePage* sample = &clean->page;
  const Raster* raster = &clean->raster;
  Document document;
  Page full, reduced;
  full.raster = *raster;
  reduced.raster = *raster;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, full).ok());
  OcrOptions options;
  options.recognition_dpi_max = raster->dpi_x / 2;
  ASSERT_TRUE(NewWorkerOrDie(options)->Process(document, reduced).ok());
  ExpectWellFormed(reduced.ocr, reduced.raster);
  EXPECT_LE(CharacterErrorRate(sample->text, reduced.ocr.Text()), 0.05) << reduced.ocr.Text();
  // The same words sit at the same page positions, give or take the
  // factor-2 rounding.
  ASSERT_FALSE(full.ocr.lines.empty());
  ASSERT_FALSE(reduced.ocr.lines.empty());
  const Box& a = full.ocr.lines.front().words.front().box;
  const Box& b = reduced.ocr.lines.front().words.front().box;
  EXPECT_NEAR(a.left, b.left, 6);
  EXPECT_NEAR(a.top, b.top, 6);
  EXPECT_NEAR(a.right, b.right, 6);
  EXPECT_NEAR(a.bottom, b.bottom, 6);
  EXPECT_NEAR(full.ocr.lines.front().baseline_y, reduced.ocr.lines.front().baseline_y, 6);
}

// Large text is recognized downscaled to recognition_x_height (issue 19);
// text at or under it, text not found and the option off leave the
// resolution alone, and recognition_dpi_max still caps it.
TEST(OcrStageTest, RecognitionResolutionFollowsTheXHeight) {
  OcrOptions options;
  options.recognition_x_height = 16;
  TextSize large;
  large.found = true;
  large.x_height_px = 24;
  EXPECT_DOUBLE_EQ(RecognitionDpiMax(options, 300, large), 200);
  TextSize small = large;
  small.x_height_px = 15;
  EXPECT_EQ(RecognitionDpiMax(options, 300, small), 0);
  TextSize not_found = large;
  not_found.found = false;
  EXPECT_EQ(RecognitionDpiMax(options, 300, not_found), 0);
  EXPECT_EQ(RecognitionDpiMax(options, 0, large), 0);  // no resolution to scale from
  options.recognition_dpi_max = 150;
  EXPECT_DOUBLE_EQ(RecognitionDpiMax(options, 300, large), 150);
  options.recognition_dpi_max = 250;
  EXPECT_DOUBLE_EQ(RecognitionDpiMax(options, 300, large), 200);
  options.recognition_x_height = 0;
  EXPECT_DOUBLE_EQ(RecognitionDpiMax(options, 300, large), 250);
}

// A generated 300-dpi page of 13-14 pt text (x-height ~25 px) is read
// downscaled by default, as well as at full resolution, and its words keep
// their page positions.
TEST(OcrStageTest, LargeTextIsReadDownscaledAsWellAsAtFullResolution) {
  std::optional<CleanSample> clean = LoadCleanSample();
  ASSERT_TRUE(clean.has_value());
  const testing::SamplePage* sample = &clean->page;
  const Raster* raster = &clean->raster;
  StatusOr<TextSize> size = MeasureTextSize(*raster);
  ASSERT_TRUE(size.ok());
  const OcrOptions defaults;
  const double dpi = std::max(raster->dpi_x, raster->dpi_y);
  ASSERT_GT(RecognitionDpiMax(defaults, dpi, *size), 0) << "x-height " << size->x_height_px;
  EXPECT_LT(RecognitionDpiMax(defaults, dpi, *size), 0.8 * dpi) << "x-height " << size->x_height_px;
  Document document;
  Page full, reduced;
  full.raster = *raster;
  reduced.raster = *raster;
  OcrOptions off;
  off.recognition_x_height = 0;
  ASSERT_TRUE(NewWorkerOrDie(off)->Process(document, full).ok());
  ASSERT_TRUE(NewWorkerOrDie(defaults)->Process(document, reduced).ok());
  ExpectWellFormed(reduced.ocr, reduced.raster);
  const double cer_full = CharacterErrorRate(sample->text, full.ocr.Text());
  EXPECT_LE(CharacterErrorRate(sample->text, reduced.ocr.Text()), std::max(0.01, cer_full))
      << reduced.ocr.Text();
  // A line read the same both ways sits at the same place, give or take
  // the rounding of the scale; most lines are (the segmentation of the
  // signature area may differ).
  ASSERT_FALSE(full.ocr.lines.empty());
  size_t same = 0;
  for (const OcrLine& a : full.ocr.lines) {
    for (const OcrLine& b : reduced.ocr.lines) {
      if (a.Text() != b.Text()) continue;
      EXPECT_NEAR(a.box.left, b.box.left, 4) << a.Text();
      EXPECT_NEAR(a.box.top, b.box.top, 4) << a.Text();
      EXPECT_NEAR(a.box.right, b.box.right, 4) << a.Text();
      EXPECT_NEAR(a.box.bottom, b.box.bottom, 4) << a.Text();
      ++same;
      break;
    }
  }
  EXPECT_GE(same, 0.8 * full.ocr.lines.size());
}

TEST(OcrStageTest, BilevelPageIsRecognizedAsGray) {
  std::optional<CleanSample> clean = LoadCleanSample();
  ASSERT_TRUE(clean.has_value());
  const testing::SamplePage* sample = &clean->page;
  const Raster* raster = &clean->raster;
  StatusOr<PixPtr> pix = RasterToGrayPix(*raster);
  ASSERT_TRUE(pix.ok());
  StatusOr<Raster> bilevel = PixToRaster(pix->get(), PixelKind::kBilevel, raster->dpi_x, raster->dpi_y);
  ASSERT_TRUE(bilevel.ok());
  Page page;
  page.raster = std::move(*bilevel);
  Document document;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_LE(CharacterErrorRate(sample->text, page.ocr.Text()), 0.03) << page.ocr.Text();
}

TEST(OcrStageTest, SkipsBlankPage) {
  Page page;
  page.raster.Allocate(1000, 1400, PixelKind::kGray);
  page.raster.dpi_x = page.raster.dpi_y = 150;
  page.blank = true;
  Document document;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_TRUE(page.ocr.lines.empty());
  EXPECT_TRUE(page.review_reasons.empty());
}

// Issue 14: the blank check's count of character-size marks called legible
// screenshots blank (their resolution was wrong). Whatever the reason, a
// page the blank check got wrong is read: Tesseract has the last word.
TEST(OcrStageTest, PageCalledBlankButWithTextIsRead) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  Page page;
  page.index = 2;
  page.raster = *clean;
  page.blank = true;
  page.review_reasons = {"page 3: something else", BlankPageReason(2)};
  Document document;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_FALSE(page.blank);
  EXPECT_EQ(page.review_reasons, std::vector<std::string>{"page 3: something else"});
  EXPECT_LE(CharacterErrorRate(sample->text, page.ocr.Text()), 0.05) << page.ocr.Text();
}

TEST(OcrStageTest, HasTextWantsAConfidentWordOfTwoLettersOrDigits) {
  auto result = [](std::vector<std::pair<std::string, float>> words) {
    OcrResult ocr;
    ocr.lines.emplace_back();
    for (auto& [text, confidence] : words) ocr.lines[0].words.push_back({text, Box{}, confidence});
    return ocr;
  };
  EXPECT_FALSE(HasText(OcrResult{}));
  EXPECT_FALSE(HasText(result({{"—", 90}, {"|", 95}, {".", 80}, {"a", 96}})));  // specks and dashes
  EXPECT_FALSE(HasText(result({{"Trần", kMinTextConfidence - 1}})));
  EXPECT_TRUE(HasText(result({{"—", 90}, {"Đỗ", kMinTextConfidence}})));
  EXPECT_TRUE(HasText(result({{"12", 70}})));
}

TEST(OcrStageTest, PageWithoutTextGetsReviewReason) {
  Page page;
  page.index = 1;
  page.raster.Allocate(1000, 1400, PixelKind::kGray);
  page.raster.dpi_x = page.raster.dpi_y = 150;
  Document document;
  ASSERT_TRUE(NewWorkerOrDie()->Process(document, page).ok());
  EXPECT_TRUE(page.ocr.lines.empty());
  ASSERT_EQ(page.review_reasons.size(), 1u);
  EXPECT_EQ(page.review_reasons[0], "page 2: no text recognized");
}

TEST(OcrStageTest, InconsistentRasterIsInvalidInput) {
  Page page;
  page.raster.width = 100;
  page.raster.height = 100;
  page.raster.pixels.resize(10);
  Document document;
  EXPECT_EQ(NewWorkerOrDie()->Process(document, page).code(), StatusCode::kInvalidInput);
}

// A real-world scan (OCRmyPDF's skew.pdf, English text): recognized with
// vie+eng, well-formed, plenty of words.
TEST(OcrStageTest, RealWorldScanIsWellFormed) {
  std::optional<Raster> raster = testing::LoadRaster(testing::CorpusFile("skew.pdf"), 0, 300);
  ASSERT_TRUE(raster.has_value());
  OcrOptions options;
  options.languages = "eng";
  Page page;
  page.raster = std::move(*raster);
  Document document;
  ASSERT_TRUE(NewWorkerOrDie(options)->Process(document, page).ok());
  EXPECT_GT(page.ocr.WordCount(), 100u);
  for (const OcrLine& line : page.ocr.lines) {
    for (const OcrWord& word : line.words) {
      EXPECT_TRUE(IsNfc(word.text));
      EXPECT_LE(word.box.right, page.raster.width);
      EXPECT_LE(word.box.bottom, page.raster.height);
    }
  }
}

}  // namespace
}  // namespace sohoa
