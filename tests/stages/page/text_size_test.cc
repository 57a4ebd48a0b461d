// The resolution estimate from the text's x-height (stages/page/text_size.h), on
// the generated test pages (scripts/make_samples.py: Liberation Serif, body
// 12.5-14 pt, bilevel/gray/colour, skewed, turned 90 and 180 degrees, at 200
// and 300 dpi) and on copies reduced to known lower resolutions, down to the
// ~70 dpi of a phone photo of a whole page; and on pages without text.
#include "stages/page/text_size.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <string>

#include "stages/page/leptonica_raster.h"
#include "tests/stages/page/page_samples.h"

namespace sohoa {
namespace {

using testing::LoadSamplePages;
using testing::LoadSampleRaster;

// `raster` reduced by `factor` (area mapping, as a downscaling camera or
// screenshot tool averages), gray, with no resolution.
Raster Reduce(const Raster& raster, double factor) {
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  EXPECT_TRUE(gray.ok());
  PixPtr small =
      AdoptPix(pixScaleAreaMap(gray->get(), static_cast<float>(factor), static_cast<float>(factor)));
  StatusOr<Raster> out = PixToRaster(small.get(), PixelKind::kGray, 0, 0);
  EXPECT_TRUE(out.ok());
  return *out;
}

TEST(TextSizeTest, EstimatesGeneratedPagesWithin15Percent) {
  int measured = 0;
  double worst = 0;
  for (const testing::SamplePage& sample : LoadSamplePages()) {
    std::optional<Raster> page = LoadSampleRaster(sample);
    ASSERT_TRUE(page.has_value()) << sample.file;
    for (double target : {sample.dpi, 150.0, 100.0, 67.0}) {
      if (target > sample.dpi) continue;
      SCOPED_TRACE(sample.file.filename().string() + " page " + std::to_string(sample.page + 1) + " at " +
                   std::to_string(static_cast<int>(target)) + " dpi");
      const Raster raster = target == sample.dpi ? *page : Reduce(*page, target / sample.dpi);
      StatusOr<TextSize> size = MeasureTextSize(raster);
      ASSERT_TRUE(size.ok()) << size.status().message();
      ASSERT_TRUE(size->found) << "x-height " << size->x_height_px << ", " << size->letters << " letters, "
                               << size->in_line_share << " in lines";
      const double dpi = EstimateResolution(*size);
      // At phone-photo resolution a letter's edge pixel is a whole tenth of
      // its height: measured worst +20% (t01, a clean bilevel 14 pt page
      // reduced 4.5x); 100-300 dpi within -10%/+9%.
      const double tolerance = target < 80 ? 0.21 : 0.15;
      EXPECT_NEAR(dpi, target, tolerance * target) << "x-height " << size->x_height_px;
      worst = std::max(worst, std::fabs(dpi / target - 1));
      ++measured;
    }
  }
  EXPECT_GE(measured, 40);
  RecordProperty("worst_relative_error", std::to_string(worst));
}

TEST(TextSizeTest, FindsNothingOnAPageWithoutText) {
  Raster blank;
  blank.Allocate(1240, 1754, PixelKind::kGray);
  std::fill(blank.pixels.begin(), blank.pixels.end(), 240);
  StatusOr<TextSize> size = MeasureTextSize(blank);
  ASSERT_TRUE(size.ok());
  EXPECT_FALSE(size->found);
  EXPECT_EQ(EstimateResolution(*size), 0);
}

// A map (roads, dashed railways, a few place names) is not a page of text:
// its dashes have the right size but do not stand in lines.
TEST(TextSizeTest, FindsNoBodyTextOnAMap) {
  std::optional<Raster> map = testing::LoadRaster(testing::CorpusFile("baiona_gray.png"));
  ASSERT_TRUE(map.has_value());
  StatusOr<TextSize> size = MeasureTextSize(*map);
  ASSERT_TRUE(size.ok());
  EXPECT_FALSE(size->found) << "x-height " << size->x_height_px << ", " << size->letters << " letters, "
                            << size->in_line_share << " in lines";
}

TEST(TextSizeTest, RefusesAnEmptyRaster) {
  EXPECT_EQ(MeasureTextSize(Raster{}).status().code(), StatusCode::kInvalidInput);
}

TEST(TextSizeTest, ImplausibleEstimatesAreNotMade) {
  TextSize size;
  size.found = true;
  size.x_height_px = 1.0;  // 12 dpi
  EXPECT_EQ(EstimateResolution(size), 0);
  size.x_height_px = 200;  // 2300 dpi
  EXPECT_EQ(EstimateResolution(size), 0);
  size.x_height_px = 26.0;
  EXPECT_NEAR(EstimateResolution(size), 300, 1);
  size.found = false;
  EXPECT_EQ(EstimateResolution(size), 0);
}

// The measurement and deskew threshold a page with OtsuThresholdWhole
// (stages/page/leptonica_raster.h) in place of Leptonica's one-tile
// pixOtsuAdaptiveThreshold: the binary images must be the same, pixel for
// pixel, or the chosen recognition resolution could move. Checked on the
// generated pages (gray, bilevel, colour as gray), on their background-
// normalised copies (what the measurement thresholds), and on crops whose
// width is not a multiple of 4 (the last pixels of a row share a word with
// padding).
TEST(TextSizeTest, WholePageOtsuIsLeptonicasOneTileOtsu) {
  int compared = 0;
  for (const testing::SamplePage& sample : LoadSamplePages()) {
    std::optional<Raster> page = LoadSampleRaster(sample);
    ASSERT_TRUE(page.has_value()) << sample.file;
    StatusOr<PixPtr> gray = RasterToGrayPix(*page);
    ASSERT_TRUE(gray.ok());
    PixPtr normalized =
        AdoptPix(pixBackgroundNorm(gray->get(), nullptr, nullptr, 10, 15, 100, 50, 255, 2, 2));
    ASSERT_TRUE(normalized);
    const int odd_width = pixGetWidth(gray->get()) - 10 - ((pixGetWidth(gray->get()) - 10) % 4 == 0 ? 1 : 0);
    BOX* odd = boxCreate(3, 5, odd_width, pixGetHeight(gray->get()) - 7);
    PixPtr cropped = AdoptPix(pixClipRectangle(gray->get(), odd, nullptr));
    boxDestroy(&odd);
    ASSERT_TRUE(cropped);
    ASSERT_NE(pixGetWidth(cropped.get()) % 4, 0);
    for (Pix* image : {gray->get(), normalized.get(), cropped.get()}) {
      SCOPED_TRACE(sample.file.filename().string() + " page " + std::to_string(sample.page + 1));
      Pix* expected = nullptr;
      ASSERT_EQ(pixOtsuAdaptiveThreshold(image, pixGetWidth(image), pixGetHeight(image), 0, 0, 0.1f, nullptr,
                                         &expected),
                0);
      PixPtr leptonica = AdoptPix(expected);
      PixPtr ours = OtsuThresholdWhole(image, 0.1f);
      ASSERT_TRUE(ours);
      l_int32 same = 0;
      ASSERT_EQ(pixEqual(ours.get(), leptonica.get(), &same), 0);
      EXPECT_TRUE(same);
      ++compared;
    }
  }
  EXPECT_GE(compared, 30);
}

TEST(TextSizeTest, WholePageOtsuRefusesWhatItCannotThreshold) {
  EXPECT_FALSE(OtsuThresholdWhole(nullptr, 0.1f));
  PixPtr colour = AdoptPix(pixCreate(40, 30, 32));
  EXPECT_FALSE(OtsuThresholdWhole(colour.get(), 0.1f));
}

}  // namespace
}  // namespace sohoa
