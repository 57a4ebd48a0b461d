#include "stages/page/tesseract_engine.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

int ThreadCount() {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

TEST(TesseractEngineTest, DefaultTessdataHasTheLanguagesWeNeed) {
  EXPECT_TRUE(std::filesystem::is_directory(DefaultTessdataDir())) << DefaultTessdataDir();
  EXPECT_TRUE(CheckTesseractLanguages("", "vie").ok());
  EXPECT_TRUE(CheckTesseractLanguages("", "vie+eng").ok());
  EXPECT_TRUE(CheckTesseractLanguages("", "osd").ok());
}

TEST(TesseractEngineTest, MissingLanguageNamesFolderAndPackage) {
  Status s = CheckTesseractLanguages("/usr/share/tesseract-ocr/5/tessdata", "vie+xxx");
  EXPECT_EQ(s.code(), StatusCode::kConfiguration);
  EXPECT_EQ(s.message(),
            "Tesseract language 'xxx' not found in /usr/share/tesseract-ocr/5/tessdata — "
            "install tesseract-ocr-xxx");
  EXPECT_EQ(CheckTesseractLanguages("", "").code(), StatusCode::kConfiguration);
  EXPECT_EQ(CheckTesseractLanguages("", "../../etc/passwd").code(), StatusCode::kConfiguration);
  RecognizerConfig config;
  config.languages = "xxx";
  EXPECT_EQ(TesseractEngine::NewRecognizer(config).status().code(), StatusCode::kConfiguration);
}

TEST(TesseractEngineTest, SetsOmpThreadLimitOnce) {
  EnsureTesseractSingleThreaded();
  ASSERT_NE(std::getenv("OMP_THREAD_LIMIT"), nullptr);
  EXPECT_STREQ(std::getenv("OMP_THREAD_LIMIT"), "1");
}

// Tesseract's OpenMP regions must not start threads of their own: libgomp
// keeps its pool alive after a region, so a grown thread count would show.
TEST(TesseractEngineTest, RecognitionStartsNoThreads) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> raster = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(raster.has_value());
  auto engine = TesseractEngine::NewRecognizer({});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  const int before = ThreadCount();
  StatusOr<OcrResult> result = (*engine)->Recognize(*raster, 0);
  ASSERT_TRUE(result.ok());
  EXPECT_GT(result->WordCount(), 50u);
  EXPECT_EQ(ThreadCount(), before) << "Tesseract started OpenMP threads";
}

TEST(TesseractEngineTest, RecognizesRealWorldImage) {
  // crom.png: a tiny synthetic image of non-dictionary words.
  std::optional<Raster> raster = testing::LoadRaster(testing::CorpusFile("crom.png"));
  ASSERT_TRUE(raster.has_value());
  RecognizerConfig config;
  config.languages = "eng";
  auto engine = TesseractEngine::NewRecognizer(config);
  ASSERT_TRUE(engine.ok());
  StatusOr<OcrResult> result = (*engine)->Recognize(*raster, 0);
  ASSERT_TRUE(result.ok());
  ASSERT_GT(result->WordCount(), 0u);
  for (const OcrLine& line : result->lines) {
    for (const OcrWord& word : line.words) {
      EXPECT_FALSE(word.text.empty());
      EXPECT_LE(word.box.right, raster->width);
      EXPECT_LE(word.box.bottom, raster->height);
      EXPECT_GT(word.box.width(), 0);
    }
  }
}

TEST(TesseractEngineTest, SplitsTwoColumnHeaderIntoColumns) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> raster = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(raster.has_value());
  auto engine = TesseractEngine::NewRecognizer({});
  ASSERT_TRUE(engine.ok());
  StatusOr<OcrResult> result = (*engine)->Recognize(*raster, 0);
  ASSERT_TRUE(result.ok());
  ASSERT_GE(result->lines.size(), 4u);
  // Generated pages start with "ỦY BAN NHÂN DÂN" (left column) alone on its
  // line; the national title comes after the left column.
  EXPECT_EQ(result->lines[0].Text(), "ỦY BAN NHÂN DÂN");
  bool title_found = false;
  for (const OcrLine& line : result->lines) {
    if (line.Text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") title_found = true;
  }
  EXPECT_TRUE(title_found);
  int block = 0;
  for (const OcrLine& line : result->lines) {
    EXPECT_GE(line.block, block);
    block = line.block;
  }
  RecognizerConfig off;
  off.column_gap_factor = 0;
  auto plain = TesseractEngine::NewRecognizer(off);
  ASSERT_TRUE(plain.ok());
  StatusOr<OcrResult> joined = (*plain)->Recognize(*raster, 0);
  ASSERT_TRUE(joined.ok());
  EXPECT_LT(joined->lines.size(), result->lines.size()) << "Tesseract no longer joins columns?";
}

// What the OCR stage's orientation fallback reads: an upright page is
// confident and laid out upright; the same page upside down or sideways is
// not both; a probe of the right turn reads it upright again.
TEST(TesseractEngineTest, ReadabilityTellsUprightFromTurned) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> raster = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(raster.has_value());
  auto engine = TesseractEngine::NewRecognizer({});
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Readability upright;
  ASSERT_TRUE((*engine)->Recognize(*raster, 0, &upright).ok());
  std::printf("upright: conf %.1f words %d share %.2f\n", upright.mean_confidence, upright.words,
              upright.UprightShare());
  EXPECT_GT(upright.words, 50);
  EXPECT_GE(upright.mean_confidence, 80);
  EXPECT_GE(upright.UprightShare(), 0.95);
  EXPECT_EQ(upright.MajorityTurnDegrees(), 0);
  for (int turned : {90, 180, 270}) {
    Raster copy = *raster;
    StatusOr<PixPtr> gray = RasterToGrayPix(copy);
    ASSERT_TRUE(gray.ok());
    PixPtr turned_pix = AdoptPix(pixRotateOrth(gray->get(), turned / 90));
    StatusOr<Raster> turned_raster =
        PixToRaster(turned_pix.get(), PixelKind::kGray, raster->dpi_x, raster->dpi_y);
    ASSERT_TRUE(turned_raster.ok());
    Readability as_scanned;
    ASSERT_TRUE((*engine)->Recognize(*turned_raster, 0, &as_scanned).ok());
    std::printf("turned %d: conf %.1f words %d share %.2f majority turn %d\n", turned,
                as_scanned.mean_confidence, as_scanned.words, as_scanned.UprightShare(),
                as_scanned.MajorityTurnDegrees());
    EXPECT_LT(as_scanned.mean_confidence * as_scanned.UprightShare(), 60) << turned;
    const int back = (360 - turned) % 360;
    // Sideways lines are seen as such (an upside-down page is not). Their
    // direction is Tesseract's: it reads vertical lines top to bottom, right
    // for a page turned 90° (confident), upside down for one turned 270°
    // (measured: confidence 45), so only "a quarter turn" is certain here.
    if (turned != 180) EXPECT_EQ(as_scanned.MajorityTurnDegrees() % 180, 90);
    if (turned == 90) EXPECT_EQ(as_scanned.MajorityTurnDegrees(), back);
    StatusOr<Readability> probe = (*engine)->ProbeReadability(*turned_raster, back, 150);
    ASSERT_TRUE(probe.ok());
    std::printf("probe %d: conf %.1f words %d share %.2f\n", back, probe->mean_confidence, probe->words,
                probe->UprightShare());
    EXPECT_GE(probe->mean_confidence, 70);
    EXPECT_GE(probe->UprightShare(), 0.9);
  }
  EXPECT_EQ((*engine)->ProbeReadability(*raster, 45, 150).status().code(), StatusCode::kInvalidInput);
}

TEST(TesseractEngineTest, OrientationOfTurnedPage) {
  std::optional<testing::SamplePage> sample = testing::FindCleanPage(testing::LoadSamplePages());
  ASSERT_TRUE(sample.has_value());
  std::optional<Raster> raster = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(raster.has_value());
  StatusOr<PixPtr> gray = RasterToGrayPix(*raster);
  ASSERT_TRUE(gray.ok());
  PixPtr turned = AdoptPix(pixRotateOrth(gray->get(), 1));  // 90° clockwise
  auto osd = TesseractEngine::NewOrientationDetector("");
  ASSERT_TRUE(osd.ok()) << osd.status().ToString();
  StatusOr<OrientationResult> found = (*osd)->DetectOrientation(turned.get(), 300);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->detected);
  EXPECT_EQ(found->correction_cw_degrees, 270);
  EXPECT_EQ(found->script, "Latin");
  // Engines are for one job each.
  EXPECT_EQ((*osd)->Recognize(*raster, 0).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace sohoa

namespace sohoa {
namespace {

// Issue 19: a worker's second readers are made when first needed, once.
TEST(LazyEngineTest, MakesTheEngineOnFirstUseOnce) {
  int calls = 0;
  LazyEngine lazy([&calls] {
    ++calls;
    RecognizerConfig config;
    config.languages = "eng";
    return TesseractEngine::NewRecognizer(config);
  });
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(lazy.made());
  StatusOr<TesseractEngine*> first = lazy.Get();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  StatusOr<TesseractEngine*> second = lazy.Get();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(calls, 1);
}

TEST(LazyEngineTest, AFailedMakeIsReportedAndTriedAgainOnNextUse) {
  int calls = 0;
  LazyEngine lazy([&calls]() -> StatusOr<std::unique_ptr<TesseractEngine>> {
    ++calls;
    return Status::Configuration("Tesseract language 'xx' not found");
  });
  StatusOr<TesseractEngine*> got = lazy.Get();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kConfiguration);
  EXPECT_FALSE(lazy.Get().ok());
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(lazy.made());
}

}  // namespace
}  // namespace sohoa
