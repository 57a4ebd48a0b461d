#include "stages/page/orient_stage.h"

#include <gtest/gtest.h>

#include <random>

#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::CharacterErrorRate;

// The OSD tests run with detect_orientation on (off by default).
OrientOptions WithOsd() {
  OrientOptions options;
  options.detect_orientation = true;
  return options;
}

std::unique_ptr<PageWorker> Worker(const OrientOptions& options = WithOsd()) {
  auto stage = NewOrientStage(options);
  EXPECT_EQ(stage->Name(), "orient");
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  return worker.ok() ? std::move(*worker) : nullptr;
}

TEST(OrientStageTest, RotateRasterClockwiseIsExact) {
  Raster r;
  r.Allocate(3, 2, PixelKind::kRgb);
  r.dpi_x = 200;
  r.dpi_y = 100;
  for (size_t i = 0; i < r.pixels.size(); ++i) r.pixels[i] = static_cast<uint8_t>(i);
  Raster turned = r;
  ASSERT_TRUE(RotateRasterClockwise(turned, 90).ok());
  EXPECT_EQ(turned.width, 2);
  EXPECT_EQ(turned.height, 3);
  EXPECT_EQ(turned.dpi_x, 100);
  EXPECT_EQ(turned.dpi_y, 200);
  // Clockwise: the old bottom-left pixel (0,1) is now the top-left one.
  EXPECT_EQ(turned.row(0)[0], r.row(1)[0]);
  EXPECT_EQ(turned.row(0)[3], r.row(0)[0]);
  ASSERT_TRUE(RotateRasterClockwise(turned, 270).ok());
  EXPECT_EQ(turned.pixels, r.pixels);
  ASSERT_TRUE(RotateRasterClockwise(turned, 180).ok());
  ASSERT_TRUE(RotateRasterClockwise(turned, 180).ok());
  EXPECT_EQ(turned.pixels, r.pixels);
  EXPECT_EQ(RotateRasterClockwise(turned, 45).code(), StatusCode::kInvalidInput);
}

// The acceptance check: a clean page turned 90/180/270 comes back exactly
// upright, and reads with a low CER.
TEST(OrientStageTest, TurnedPagesComeBackUpright) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  auto orient = Worker();
  Document document;
  for (int turned : {90, 180, 270}) {
    Page page;
    page.raster = *clean;
    ASSERT_TRUE(RotateRasterClockwise(page.raster, turned).ok());
    ASSERT_TRUE(orient->Process(document, page).ok());
    std::printf("turned %d: applied %d confidence %.1f\n", turned, page.rotation_degrees,
                page.orientation_confidence);
    EXPECT_EQ(page.rotation_degrees, (360 - turned) % 360);
    EXPECT_GE(page.orientation_confidence, 14.0);
    EXPECT_FALSE(page.blank);
    EXPECT_EQ(page.raster.width, clean->width);
    EXPECT_EQ(page.raster.pixels, clean->pixels) << "not exactly upright after " << turned;
    if (turned == 90) {
      auto ocr = NewOcrStage()->NewWorker();
      ASSERT_TRUE(ocr.ok());
      ASSERT_TRUE((*ocr)->Process(document, page).ok());
      EXPECT_LE(CharacterErrorRate(sample->text, page.ocr.Text()), 0.02) << page.ocr.Text();
    }
  }
}

TEST(OrientStageTest, UprightPageIsLeftAlone) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  Page page;
  page.raster = *clean;
  Document document;
  ASSERT_TRUE(Worker()->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 0);
  EXPECT_GT(page.orientation_confidence, 0);
  EXPECT_EQ(page.raster.pixels, clean->pixels);
  EXPECT_TRUE(page.review_reasons.empty());
}

TEST(OrientStageTest, RotatedSampleScansComeBackUpright) {
  std::vector<testing::SamplePage> pages = testing::LoadSamplePages();
  auto orient = Worker();
  Document document;
  int checked = 0;
  for (const testing::SamplePage& sample : pages) {
    if (sample.rotation_degrees == 0) continue;
    std::optional<Raster> raster = testing::LoadSampleRaster(sample);
    ASSERT_TRUE(raster.has_value());
    Page page;
    page.raster = std::move(*raster);
    ASSERT_TRUE(orient->Process(document, page).ok());
    std::printf("%s: scanned turned %d, applied %d (confidence %.1f)\n", sample.file.filename().c_str(),
                sample.rotation_degrees, page.rotation_degrees, page.orientation_confidence);
    EXPECT_EQ(page.rotation_degrees, (360 - sample.rotation_degrees) % 360) << sample.file;
    EXPECT_LT(page.raster.width, page.raster.height) << "A4 portrait expected";
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no rotated sample pages";
}

TEST(OrientStageTest, BlankPageIsFlaggedForReview) {
  // A scanned blank sheet: paper gray with sensor noise and a few specks.
  Page page;
  page.index = 2;
  page.raster.Allocate(2480, 3508, PixelKind::kGray);
  page.raster.dpi_x = page.raster.dpi_y = 300;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(232, 6);
  for (auto& v : page.raster.pixels) v = static_cast<uint8_t>(std::clamp(noise(rng), 0.0, 255.0));
  for (int i = 0; i < 40; ++i) {  // dust: 1-2 px specks
    const int x = rng() % 2400, y = rng() % 3400;
    page.raster.row(y)[x] = 20;
    page.raster.row(y + 1)[x] = 20;
  }
  Document document;
  ASSERT_TRUE(Worker()->Process(document, page).ok());
  EXPECT_TRUE(page.blank);
  ASSERT_EQ(page.review_reasons.size(), 1u);
  EXPECT_EQ(page.review_reasons[0], "page 3: blank page");
  EXPECT_EQ(page.rotation_degrees, 0);
}

TEST(OrientStageTest, RealBlankPdfIsBlankAndTextPageIsNot) {
  std::optional<Raster> blank = testing::LoadRaster(testing::CorpusFile("blank.pdf"), 0, 150);
  ASSERT_TRUE(blank.has_value());
  StatusOr<int> marks = CountTextLikeComponents(*blank);
  ASSERT_TRUE(marks.ok());
  EXPECT_LT(*marks, 20);
  std::optional<Raster> text = testing::LoadRaster(testing::CorpusFile("skew.pdf"), 0, 150);
  ASSERT_TRUE(text.has_value());
  marks = CountTextLikeComponents(*text);
  ASSERT_TRUE(marks.ok());
  EXPECT_GT(*marks, 1000);
}

TEST(OrientStageTest, LittleTextIsNotAFailure) {
  // crom.png: a tiny image with a few words; OSD cannot decide.
  std::optional<Raster> raster = testing::LoadRaster(testing::CorpusFile("crom.png"));
  ASSERT_TRUE(raster.has_value());
  Page page;
  page.raster = std::move(*raster);
  const std::vector<uint8_t> before = page.raster.pixels;
  OrientOptions options = WithOsd();
  options.detect_blank = false;
  Document document;
  ASSERT_TRUE(Worker(options)->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 0);
  EXPECT_EQ(page.raster.pixels, before);
}

// By default orientation is the OCR stage's job: no OSD data needed, a
// turned page passes untouched (and a blank one is still found).
TEST(OrientStageTest, DefaultLeavesOrientationToOcr) {
  testing::ScratchDir empty("no-tessdata");
  OrientOptions options;
  options.tessdata_dir = empty.path().string();
  auto worker = NewOrientStage(options)->NewWorker();
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  Page page;
  page.raster = *clean;
  ASSERT_TRUE(RotateRasterClockwise(page.raster, 180).ok());
  const std::vector<uint8_t> turned = page.raster.pixels;
  Document document;
  ASSERT_TRUE((*worker)->Process(document, page).ok());
  EXPECT_EQ(page.rotation_degrees, 0);
  EXPECT_EQ(page.orientation_confidence, 0);
  EXPECT_FALSE(page.blank);
  EXPECT_EQ(page.raster.pixels, turned);
  Page blank;
  blank.raster.Allocate(1240, 1754, PixelKind::kGray);
  std::fill(blank.raster.pixels.begin(), blank.raster.pixels.end(), 235);
  blank.raster.dpi_x = blank.raster.dpi_y = 150;
  ASSERT_TRUE((*worker)->Process(document, blank).ok());
  EXPECT_TRUE(blank.blank);
}

TEST(OrientStageTest, MissingOsdDataIsConfigurationError) {
  testing::ScratchDir empty("no-tessdata");
  OrientOptions options = WithOsd();
  options.tessdata_dir = empty.path().string();
  auto worker = NewOrientStage(options)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(worker.status().message().find("'osd' not found"), std::string::npos)
      << worker.status().message();
}

}  // namespace
}  // namespace sohoa
