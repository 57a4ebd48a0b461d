#include "stages/page/deskew_stage.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::CharacterErrorRate;

std::unique_ptr<PageWorker> Worker(const DeskewOptions& options = {}) {
  auto stage = NewDeskewStage(options);
  EXPECT_EQ(stage->Name(), "deskew");
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  return worker.ok() ? std::move(*worker) : nullptr;
}

std::optional<testing::SamplePage> CleanPage() { return testing::FindCleanPage(testing::LoadSamplePages()); }

// The acceptance check: a clean page turned by known angles (Leptonica, in
// the test) is measured within 0.2° and reads back with a low CER.
TEST(DeskewStageTest, MeasuresAndCorrectsKnownSkews) {
  std::optional<testing::SamplePage> sample = CleanPage();
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  auto deskew = Worker();
  auto ocr = NewOcrStage()->NewWorker();
  ASSERT_TRUE(ocr.ok()) << ocr.status().ToString();
  Document document;
  for (double angle : {-10.0, -5.0, -2.0, 3.0, 7.0, 10.0}) {
    Page page;
    page.raster = testing::SkewRaster(*clean, angle);
    ASSERT_TRUE(deskew->Process(document, page).ok());
    std::printf("skew %+6.2f measured %+7.3f error %+6.3f confidence %.1f\n", angle, page.skew_degrees,
                page.skew_degrees - angle, page.skew_confidence);
    EXPECT_NEAR(page.skew_degrees, angle, 0.2);
    EXPECT_GE(page.skew_confidence, 3.0);
    EXPECT_EQ(page.raster.width, clean->width);
    EXPECT_EQ(page.raster.height, clean->height);
    EXPECT_EQ(page.raster.kind, clean->kind);
    ASSERT_TRUE((*ocr)->Process(document, page).ok());
    const double cer = CharacterErrorRate(sample->text, page.ocr.Text());
    std::printf("  CER after deskew %.4f\n", cer);
    // The corners cut off by the rotation may clip a margin character.
    EXPECT_LE(cer, 0.04) << "skew " << angle << "\n" << page.ocr.Text();
  }
}

TEST(DeskewStageTest, SkewedSampleScansAreMeasured) {
  std::vector<testing::SamplePage> pages = testing::LoadSamplePages();
  auto deskew = Worker();
  Document document;
  int checked = 0;
  for (const testing::SamplePage& sample : pages) {
    if (sample.skew_degrees == 0 || sample.rotation_degrees != 0) continue;
    std::optional<Raster> raster = testing::LoadSampleRaster(sample);
    ASSERT_TRUE(raster.has_value());
    Page page;
    page.raster = std::move(*raster);
    ASSERT_TRUE(deskew->Process(document, page).ok());
    std::printf("%s page %d (%s, %g dpi): truth %+.2f measured %+.3f\n", sample.file.filename().c_str(),
                sample.page + 1, sample.mode.c_str(), sample.dpi, sample.skew_degrees, page.skew_degrees);
    EXPECT_NEAR(page.skew_degrees, sample.skew_degrees, 0.2) << sample.file;
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no skewed sample pages";
}

TEST(DeskewStageTest, BilevelPageStaysBilevel) {
  std::optional<testing::SamplePage> sample = CleanPage();
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  StatusOr<PixPtr> gray = RasterToGrayPix(*clean);
  ASSERT_TRUE(gray.ok());
  StatusOr<Raster> bilevel = PixToRaster(gray->get(), PixelKind::kBilevel, clean->dpi_x, clean->dpi_y);
  ASSERT_TRUE(bilevel.ok());
  Page page;
  page.raster = testing::SkewRaster(*bilevel, 4.0);
  Document document;
  ASSERT_TRUE(Worker()->Process(document, page).ok());
  EXPECT_NEAR(page.skew_degrees, 4.0, 0.2);
  EXPECT_EQ(page.raster.kind, PixelKind::kBilevel);
  for (uint8_t v : page.raster.pixels) ASSERT_TRUE(v == 0 || v == 255) << int(v);
}

TEST(DeskewStageTest, RgbPageStaysRgb) {
  std::optional<testing::SamplePage> sample = CleanPage();
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  StatusOr<PixPtr> gray = RasterToGrayPix(*clean);
  StatusOr<Raster> rgb = PixToRaster(gray->get(), PixelKind::kRgb, clean->dpi_x, clean->dpi_y);
  ASSERT_TRUE(rgb.ok());
  Page page;
  page.raster = testing::SkewRaster(*rgb, -6.0);
  Document document;
  ASSERT_TRUE(Worker()->Process(document, page).ok());
  EXPECT_NEAR(page.skew_degrees, -6.0, 0.2);
  EXPECT_EQ(page.raster.kind, PixelKind::kRgb);
  EXPECT_EQ(page.raster.byte_size(), page.raster.pixels.size());
}

TEST(DeskewStageTest, TinySkewIsMeasuredButNotCorrected) {
  std::optional<testing::SamplePage> sample = CleanPage();
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> clean = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(clean.has_value());
  Page page;
  page.raster = *clean;
  Document document;
  DeskewOptions options;
  options.min_angle_degrees = 0.5;
  page.raster = testing::SkewRaster(*clean, 0.3);
  const std::vector<uint8_t> before = page.raster.pixels;
  ASSERT_TRUE(Worker(options)->Process(document, page).ok());
  EXPECT_NEAR(page.skew_degrees, 0.3, 0.2);
  EXPECT_EQ(page.raster.pixels, before) << "rotated below min_angle_degrees";
}

TEST(DeskewStageTest, BlankAndEmptyPagesAreLeftAlone) {
  Document document;
  Page white;
  white.raster.Allocate(1240, 1754, PixelKind::kGray);
  white.raster.dpi_x = white.raster.dpi_y = 150;
  const std::vector<uint8_t> before = white.raster.pixels;
  ASSERT_TRUE(Worker()->Process(document, white).ok());
  EXPECT_EQ(white.raster.pixels, before);
  Page flagged;
  flagged.blank = true;  // not even looked at: no raster needed
  EXPECT_TRUE(Worker()->Process(document, flagged).ok());
  Page broken;
  broken.raster.width = 10;
  broken.raster.height = 10;
  EXPECT_EQ(Worker()->Process(document, broken).code(), StatusCode::kInvalidInput);
}

TEST(DeskewStageTest, RealScanSkewPdf) {
  // OCRmyPDF's skew.pdf: a real scanned page "skewed about +1.8°" in
  // OCRmyPDF's words. Its text lines fall to the right (content turned
  // clockwise), which in our (Leptonica's) convention is negative.
  std::optional<Raster> raster = testing::LoadRaster(testing::CorpusFile("skew.pdf"), 0, 300);
  ASSERT_TRUE(raster.has_value());
  Page page;
  page.raster = std::move(*raster);
  Document document;
  ASSERT_TRUE(Worker()->Process(document, page).ok());
  std::printf("skew.pdf measured %+.3f confidence %.1f\n", page.skew_degrees, page.skew_confidence);
  EXPECT_NEAR(page.skew_degrees, -1.8, 0.3);
  // Measured again after correction: level.
  Page again;
  again.raster = page.raster;
  ASSERT_TRUE(Worker()->Process(document, again).ok());
  EXPECT_NEAR(again.skew_degrees, 0.0, 0.15);
}

TEST(DeskewStageTest, BadOptionsAreConfigurationErrors) {
  DeskewOptions options;
  options.sweep_range_degrees = 0;
  EXPECT_EQ(NewDeskewStage(options)->NewWorker().status().code(), StatusCode::kConfiguration);
}

}  // namespace
}  // namespace sohoa
