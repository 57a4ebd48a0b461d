// EncodeStage: the G4 data must decode back to the same pixels (checked with
// libtiff, which we did not write), JPEGs must be real JPEGs of sane size,
// and the raster must be gone afterwards.
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/mrc_encoder.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <tiffio.h>

#include <random>

#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::ScratchDir;

// A page of "text": rows of small dark blobs, deterministic.
Raster MakeRaster(int w, int h, PixelKind kind, double dpi) {
  Raster r;
  r.Allocate(w, h, kind);
  r.dpi_x = r.dpi_y = dpi;
  std::mt19937 rng(7);
  const int ch = r.channels();
  for (int line_top = h / 10; line_top + 40 < h * 9 / 10; line_top += 60) {
    for (int x = w / 10; x + 30 < w * 9 / 10; x += 28 + static_cast<int>(rng() % 12)) {
      const int gw = 10 + static_cast<int>(rng() % 14), gh = 18 + static_cast<int>(rng() % 14);
      for (int y = line_top; y < line_top + gh; ++y) {
        for (int xx = x; xx < x + gw; ++xx) {
          if ((xx + y) % 5 == 0) continue;  // some texture inside strokes
          for (int c = 0; c < ch; ++c) {
            // Bilevel rasters hold only 0 and 255 (pipeline/core/raster.h).
            r.row(y)[xx * ch + c] = kind == PixelKind::kBilevel ? 0 : c == 2 ? 140 : 20;
          }
        }
      }
    }
  }
  return r;
}

Status RunStage(Page& page, int quality = 80) {
  EncodeOptions options;
  options.jpeg_quality = quality;
  options.image_mode = ImageMode::kJpeg;  // one JPEG per page (MRC: the tests at the end)
  auto worker = NewEncodeStage(options)->NewWorker();
  if (!worker.ok()) return worker.status();
  Document doc;
  return (*worker)->Process(doc, page);
}

// Wraps raw G4 data in a one-strip TIFF and decodes it with libtiff.
std::vector<uint8_t> DecodeG4WithLibtiff(const EncodedImage& image, const std::string& path) {
  TIFF* out = TIFFOpen(path.c_str(), "w");
  EXPECT_NE(out, nullptr);
  TIFFSetField(out, TIFFTAG_IMAGEWIDTH, image.width);
  TIFFSetField(out, TIFFTAG_IMAGELENGTH, image.height);
  TIFFSetField(out, TIFFTAG_BITSPERSAMPLE, 1);
  TIFFSetField(out, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(out, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
  // PDF /BlackIs1 false means the same as TIFF min-is-white here: black
  // runs decode to 1 bits, which the PDF filter then outputs as 0 (black).
  TIFFSetField(out, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
  TIFFSetField(out, TIFFTAG_ROWSPERSTRIP, image.height);
  TIFFSetField(out, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  std::vector<uint8_t> data = image.data;
  EXPECT_EQ(TIFFWriteRawStrip(out, 0, data.data(), static_cast<tmsize_t>(data.size())),
            static_cast<tmsize_t>(data.size()));
  TIFFClose(out);

  std::vector<uint8_t> pixels;
  TIFF* in = TIFFOpen(path.c_str(), "r");
  EXPECT_NE(in, nullptr);
  if (!in) return pixels;
  std::vector<uint8_t> scanline(TIFFScanlineSize(in));
  pixels.reserve(static_cast<size_t>(image.width) * image.height);
  for (int y = 0; y < image.height; ++y) {
    if (TIFFReadScanline(in, scanline.data(), y) < 0) {
      ADD_FAILURE() << "libtiff could not decode row " << y;
      break;
    }
    for (int x = 0; x < image.width; ++x) {
      const bool one = (scanline[x / 8] >> (7 - x % 8)) & 1;
      pixels.push_back(one ? 0 : 255);  // min-is-white: 1 = black
    }
  }
  TIFFClose(in);
  return pixels;
}

TEST(EncodeStageTest, BilevelBecomesG4ThatDecodesToTheSamePixels) {
  ScratchDir dir("encode_g4");
  Page page;
  page.raster = MakeRaster(1700, 2200, PixelKind::kBilevel, 200);
  const std::vector<uint8_t> original = page.raster.pixels;
  ASSERT_TRUE(RunStage(page).ok());
  const EncodedImage& image = page.image;
  EXPECT_EQ(image.codec, EncodedImage::Codec::kCcittG4);
  EXPECT_EQ(image.width, 1700);
  EXPECT_EQ(image.height, 2200);
  EXPECT_EQ(image.components, 1);
  EXPECT_EQ(image.bits_per_component, 1);
  EXPECT_EQ(image.dpi_x, 200);
  // Raw G4, not a TIFF file.
  ASSERT_GT(image.data.size(), 2u);
  EXPECT_FALSE(image.data[0] == 'I' && image.data[1] == 'I');
  EXPECT_FALSE(image.data[0] == 'M' && image.data[1] == 'M');
  EXPECT_LT(image.data.size(), original.size() / 8);  // compresses well below 1 bpp
  const std::vector<uint8_t> decoded = DecodeG4WithLibtiff(image, (dir / "g4.tif").string());
  ASSERT_EQ(decoded.size(), original.size());
  size_t differing = 0;
  for (size_t i = 0; i < decoded.size(); ++i) differing += decoded[i] != original[i];
  EXPECT_EQ(differing, 0u);
  EXPECT_TRUE(page.raster.empty());
  EXPECT_EQ(page.raster.pixels.capacity(), 0u) << "raster memory not released";
}

TEST(EncodeStageTest, GrayBecomesOneComponentJpeg) {
  Page page;
  page.raster = MakeRaster(2480, 3508, PixelKind::kGray, 300);
  const size_t raw = page.raster.byte_size();
  ASSERT_TRUE(RunStage(page).ok());
  const EncodedImage& image = page.image;
  EXPECT_EQ(image.codec, EncodedImage::Codec::kJpeg);
  EXPECT_EQ(image.components, 1);
  EXPECT_EQ(image.bits_per_component, 8);
  EXPECT_EQ(image.width, 2480);
  EXPECT_EQ(image.height, 3508);
  EXPECT_EQ(image.dpi_y, 300);
  ASSERT_GT(image.data.size(), 1000u);
  EXPECT_EQ(image.data[0], 0xFF);  // SOI
  EXPECT_EQ(image.data[1], 0xD8);
  EXPECT_EQ(image.data[image.data.size() - 2], 0xFF);  // EOI
  EXPECT_EQ(image.data.back(), 0xD9);
  EXPECT_LT(image.data.size(), raw / 4);
  EXPECT_TRUE(page.raster.empty());
}

// A JPEG file's bytes are kept from ingest for the pass-through; once the
// page is encoded they must be freed, not just emptied (an emptied string
// keeps its storage: every JPEG input stayed in memory until the run ended).
TEST(EncodeStageTest, TheScannersJpegBytesAreFreedOnceThePageIsEncoded) {
  Page page;
  page.raster = MakeRaster(1240, 1754, PixelKind::kGray, 150);
  page.source_jpeg.assign(1 << 20, '\x5a');  // not this raster's JPEG: the page is encoded afresh
  ASSERT_TRUE(RunStage(page).ok());
  EXPECT_TRUE(page.source_jpeg.empty());
  EXPECT_LT(page.source_jpeg.capacity(), 1024u);
  EXPECT_FALSE(page.image.empty());
}

// Finds the SOF0 (baseline) marker and returns its component count.
int JpegComponents(const std::vector<uint8_t>& jpeg) {
  for (size_t i = 2; i + 9 < jpeg.size();) {
    if (jpeg[i] != 0xFF) return -1;
    const uint8_t marker = jpeg[i + 1];
    const size_t length = (jpeg[i + 2] << 8) | jpeg[i + 3];
    if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) return jpeg[i + 9];
    i += 2 + length;
  }
  return -1;
}

TEST(EncodeStageTest, RgbStaysColour) {
  Page page;
  page.raster = MakeRaster(1240, 1754, PixelKind::kRgb, 150);
  ASSERT_TRUE(RunStage(page).ok());
  EXPECT_EQ(page.image.components, 3);
  EXPECT_EQ(JpegComponents(page.image.data), 3);
  EXPECT_EQ(page.image.dpi_x, 150);
  EXPECT_TRUE(page.raster.empty());
}

// The JPEG writer computes Huffman tables per page: the same pixels as
// Leptonica's writer at the same quality (standard tables), fewer bytes.
TEST(EncodeStageTest, JpegHasLeptonicaPixelsInFewerBytes) {
  for (PixelKind kind : {PixelKind::kGray, PixelKind::kRgb}) {
    Raster raster = MakeRaster(1240, 1754, kind, 150);
    StatusOr<EncodedImage> ours = EncodeRaster(raster, 80);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    PIX* source = pixCreate(raster.width, raster.height, kind == PixelKind::kRgb ? 32 : 8);
    for (int y = 0; y < raster.height; ++y) {
      for (int x = 0; x < raster.width; ++x) {
        const uint8_t* p = raster.row(y) + (kind == PixelKind::kRgb ? 3 * x : x);
        if (kind == PixelKind::kRgb) {
          l_uint32 pixel;
          composeRGBPixel(p[0], p[1], p[2], &pixel);
          pixSetPixel(source, x, y, pixel);
        } else {
          pixSetPixel(source, x, y, p[0]);
        }
      }
    }
    pixSetResolution(source, 150, 150);
    l_uint8* reference = nullptr;
    size_t reference_size = 0;
    ASSERT_EQ(pixWriteMemJpeg(&reference, &reference_size, source, 80, 0), 0);
    PIX* a = pixReadMem(ours->data.data(), ours->data.size());
    PIX* b = pixReadMem(reference, reference_size);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    l_int32 same = 0;
    pixEqual(a, b, &same);
    EXPECT_TRUE(same) << PixelKindName(kind) << ": decoded pixels differ from Leptonica's JPEG";
    EXPECT_LT(ours->data.size(), reference_size) << PixelKindName(kind);
    std::printf("%s: %zu bytes, Leptonica %zu\n", PixelKindName(kind), ours->data.size(), reference_size);
    l_int32 xres = 0, yres = 0;
    pixGetResolution(a, &xres, &yres);
    EXPECT_EQ(xres, 150);
    pixDestroy(&a);
    pixDestroy(&b);
    pixDestroy(&source);
    lept_free(reference);
  }
}

TEST(EncodeStageTest, HigherQualityMeansBiggerFiles) {
  const Raster raster = MakeRaster(1654, 2339, PixelKind::kGray, 200);
  auto low = EncodeRaster(raster, 50);
  auto high = EncodeRaster(raster, 95);
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_LT(low->data.size(), high->data.size());
  EXPECT_EQ(JpegComponents(low->data), 1);
  EXPECT_FALSE(raster.empty());  // EncodeRaster leaves the raster alone
}

TEST(EncodeStageTest, RefusesRasterWithoutResolutionAndKeepsIt) {
  Page page;
  page.raster = MakeRaster(100, 100, PixelKind::kGray, 0);
  Status s = RunStage(page);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("resolution"), std::string::npos);
  EXPECT_FALSE(page.raster.empty());
  EXPECT_TRUE(page.image.empty());
}

TEST(EncodeStageTest, RefusesEmptyRaster) {
  Page page;
  EXPECT_EQ(RunStage(page).code(), StatusCode::kInvalidInput);
}

TEST(EncodeStageTest, BadQualityIsConfigurationError) {
  EncodeOptions options;
  options.jpeg_quality = 0;
  auto worker = NewEncodeStage(options)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.status().code(), StatusCode::kConfiguration);
  EXPECT_EQ(NewEncodeStage(EncodeOptions{})->Name(), "encode");
}

// Issue 19: the MRC mask is lossless. A gray page of dark "strokes" on
// noisy paper with a mid-gray smudge: the G4 mask decodes to exactly the
// dark pixels, the smudge stays in the half-resolution background, and the
// mask is painted in the strokes' own gray.
TEST(EncodeStageTest, MrcMaskDecodesToExactlyTheInk) {
  ScratchDir dir("encode_mrc");
  Raster raster;
  raster.Allocate(1200, 1600, PixelKind::kGray);
  raster.dpi_x = raster.dpi_y = 300;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> noise(-6, 6);
  std::vector<uint8_t> ink(static_cast<size_t>(raster.width) * raster.height, 0);
  for (int y = 0; y < raster.height; ++y) {
    for (int x = 0; x < raster.width; ++x) {
      const bool stroke = y >= 200 && y < 1400 && (y / 4) % 9 == 0 && (x / 5) % 4 != 3;
      const bool smudge = x >= 800 && x < 1000 && y >= 100 && y < 180;
      int v = stroke ? 30 : smudge ? 150 : 235 + noise(rng);
      raster.row(y)[x] = static_cast<uint8_t>(v);
      ink[static_cast<size_t>(y) * raster.width + x] = stroke;
    }
  }
  auto image = EncodeRaster(raster, OcrResult{}, EncodeOptions{});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ASSERT_EQ(image->masks.size(), 1u);
  EXPECT_EQ(image->codec, EncodedImage::Codec::kJpeg);
  EXPECT_EQ(image->width, 1200);
  EXPECT_EQ(image->background_width, 600);  // 300 dpi -> 150
  EXPECT_EQ(image->background_height, 800);
  EXPECT_EQ(image->masks[0].red, 30);
  EncodedImage mask;
  mask.width = image->width;
  mask.height = image->height;
  mask.data = image->masks[0].g4;
  const std::vector<uint8_t> decoded = DecodeG4WithLibtiff(mask, (dir / "mask.tif").string());
  ASSERT_EQ(decoded.size(), ink.size());
  size_t differing = 0;
  for (size_t i = 0; i < ink.size(); ++i) differing += (decoded[i] == 0) != (ink[i] == 1);
  EXPECT_EQ(differing, 0u);
}

// Specks (dust, toner: 2x2 pixels at 300 dpi) stay out of the mask, in the
// background, where they were as faint as in the scan; a dot the size of a
// dấu nặng (5x5) and the strokes are ink. Masked, the specks of the noisy
// generated scans became sharp dots that Tesseract read as marks (up to +2
// CER points against the plain JPEG, README "Page images").
TEST(EncodeStageTest, MrcLeavesSpecksInTheBackground) {
  ScratchDir dir("encode_specks");
  Raster raster;
  raster.Allocate(1200, 1600, PixelKind::kGray);
  raster.dpi_x = raster.dpi_y = 300;
  std::fill(raster.pixels.begin(), raster.pixels.end(), 235);
  auto paint = [&](int left, int top, int w, int h) {
    for (int y = top; y < top + h; ++y) std::fill(raster.row(y) + left, raster.row(y) + left + w, 30);
  };
  for (int y = 200; y < 1400; y += 36) paint(100, y, 1000, 5);  // strokes
  paint(600, 1500, 5, 5);                                       // a diacritic's dot
  const int specks[][2] = {{40, 40}, {1150, 100}, {300, 1480}, {900, 1550}};
  for (const auto& speck : specks) paint(speck[0], speck[1], 2, 2);

  auto image = EncodeRaster(raster, OcrResult{}, EncodeOptions{});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ASSERT_EQ(image->masks.size(), 1u);
  EncodedImage mask;
  mask.width = image->width;
  mask.height = image->height;
  mask.data = image->masks[0].g4;
  const std::vector<uint8_t> decoded = DecodeG4WithLibtiff(mask, (dir / "mask.tif").string());
  ASSERT_EQ(decoded.size(), raster.pixels.size());
  auto inked = [&](int x, int y) { return decoded[static_cast<size_t>(y) * raster.width + x] == 0; };
  EXPECT_TRUE(inked(500, 202));
  EXPECT_TRUE(inked(602, 1502)) << "the diacritic-sized dot left the mask";
  for (const auto& speck : specks) {
    EXPECT_FALSE(inked(speck[0], speck[1]))
        << "speck at " << speck[0] << "," << speck[1] << " is in the mask";
  }
  // The background (150 dpi) still shows them, gray.
  const std::string jpeg_path = (dir / "background.jpg").string();
  FILE* out = std::fopen(jpeg_path.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  std::fwrite(image->data.data(), 1, image->data.size(), out);
  std::fclose(out);
  PIX* background = pixRead(jpeg_path.c_str());
  ASSERT_NE(background, nullptr);
  for (const auto& speck : specks) {
    l_uint32 value = 255;
    pixGetPixel(background, speck[0] / 2, speck[1] / 2, &value);
    EXPECT_LT(value, 200u) << "speck at " << speck[0] << "," << speck[1] << " vanished from the background";
  }
  pixDestroy(&background);
}

// A page of blurred strokes (a dark core with a fringe fading to the paper,
// as a scanner draws them). Returns the decoded mask of its MRC encoding at
// `dpi`.
std::vector<uint8_t> MaskOfBlurredPage(double dpi, const std::string& path) {
  Raster raster;
  raster.Allocate(1200, 1600, PixelKind::kGray);
  raster.dpi_x = raster.dpi_y = dpi;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> noise(-6, 6);
  for (uint8_t& v : raster.pixels) v = static_cast<uint8_t>(235 + noise(rng));
  const uint8_t profile[] = {180, 140, 100, 60, 30, 30, 30, 60, 100, 140, 180};
  for (int top = 100; top < 1000; top += 30) {
    for (int k = 0; k < 11; ++k) std::fill(raster.row(top + k) + 100, raster.row(top + k) + 1100, profile[k]);
  }
  auto image = EncodeRaster(raster, OcrResult{}, EncodeOptions{});
  EXPECT_TRUE(image.ok()) << image.status().ToString();
  if (!image.ok() || image->masks.size() != 1) {
    ADD_FAILURE() << "no mask";
    return {};
  }
  EncodedImage mask;
  mask.width = image->width;
  mask.height = image->height;
  mask.data = image->masks[0].g4;
  return DecodeG4WithLibtiff(mask, path);
}

// The fringe pulls Otsu's threshold towards the paper (here 160): at 300
// dpi the strokes' outer fringe (140) is left out of the stencil, which is
// drawn from a darker level (a blurred hook of a dấu hỏi merged with its
// circumflex otherwise); at 200 dpi it is part of the stroke.
TEST(EncodeStageTest, MrcDrawsDarkerEdgesAt300Dpi) {
  ScratchDir dir("encode_edges");
  for (double dpi : {200.0, 300.0}) {
    SCOPED_TRACE(dpi);
    const std::vector<uint8_t> decoded = MaskOfBlurredPage(dpi, (dir / "mask.tif").string());
    ASSERT_EQ(decoded.size(), 1200u * 1600u);
    auto inked = [&](int x, int y) { return decoded[static_cast<size_t>(y) * 1200 + x] == 0; };
    EXPECT_TRUE(inked(500, 105)) << "stroke core";
    EXPECT_TRUE(inked(500, 102)) << "inner fringe (100)";
    EXPECT_EQ(inked(500, 101), dpi < 250) << "outer fringe (140)";
    EXPECT_FALSE(inked(500, 100)) << "fringe at 180 is paper";
  }
}

// Text too small in pixels to binarise (a web image, a low-resolution
// scan) stays one JPEG: Tesseract read such pages 10-50% differently once
// masked.
TEST(EncodeStageTest, MrcLeavesSmallTextAsJpeg) {
  Raster raster;
  raster.Allocate(800, 600, PixelKind::kGray);
  raster.dpi_x = raster.dpi_y = 300;
  for (int y = 100; y < 500; ++y) {
    if ((y / 3) % 5 == 0) std::fill(raster.row(y) + 50, raster.row(y) + 750, 20);
  }
  OcrResult small_words;
  OcrLine line;
  OcrWord word;
  word.text = "chữ";
  word.box = {50, 100, 120, 112};  // 12 px high
  line.words.push_back(word);
  small_words.lines.push_back(line);
  auto masked = EncodeRaster(raster, OcrResult{}, EncodeOptions{});
  ASSERT_TRUE(masked.ok());
  EXPECT_EQ(masked->masks.size(), 1u);
  auto small = EncodeRaster(raster, small_words, EncodeOptions{});
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->masks.empty());
  EXPECT_EQ(small->width, 800);
  raster.dpi_x = raster.dpi_y = 150;
  auto low = EncodeRaster(raster, OcrResult{}, EncodeOptions{});
  ASSERT_TRUE(low.ok());
  EXPECT_TRUE(low->masks.empty());
}

TEST(EncodeStageTest, ImageModeNamesRoundTrip) {
  for (ImageMode mode : {ImageMode::kMrc, ImageMode::kJpeg, ImageMode::kLossless}) {
    ImageMode parsed;
    ASSERT_TRUE(ParseImageMode(ImageModeName(mode), &parsed));
    EXPECT_EQ(parsed, mode);
  }
  ImageMode parsed;
  EXPECT_FALSE(ParseImageMode("jbig2", &parsed));
}

}  // namespace
}  // namespace sohoa
