// Ingest probe + decode on real files: TIFFs written here with libtiff in
// every compression and layout a scanner produces, PNG/JPEG written with
// OpenCV, real-world PNGs from the corpus, and broken files of every kind we
// know of. Pixel content is checked against the pattern that was written.
#include "stages/decode/ingest_stage.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tiffio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <thread>

#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using ::sohoa::testing::CorpusFile;
using ::sohoa::testing::ReadFile;
using ::sohoa::testing::ScratchDir;
using ::sohoa::testing::WriteFile;

// ---- Writing TIFFs with libtiff ---------------------------------------------

struct TiffPage {
  int width = 0, height = 0;
  uint16_t bps = 8, spp = 1, photometric = PHOTOMETRIC_MINISBLACK;
  uint16_t compression = COMPRESSION_NONE;
  uint16_t planar = PLANARCONFIG_CONTIG;
  uint16_t fill_order = 0, orientation = 0, group3_options = 0;
  int rows_per_strip = 0;   // 0: libtiff's default
  int tile = 0;             // >0: tiled with this square tile size
  bool ycbcr_jpeg = false;  // write RGB data as YCbCr JPEG
  float xres = 0, yres = 0;
  uint16_t res_unit = RESUNIT_INCH;
  std::vector<uint16_t> extra_samples;
  std::vector<uint16_t> colormap;  // r..., g..., b...
  std::vector<uint8_t> data;       // stored rows, packed as the file stores them
  size_t RowBytes() const { return (static_cast<size_t>(width) * spp * bps + 7) / 8; }
};

void WritePage(TIFF* tif, const TiffPage& p) {
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, p.width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, p.height);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, p.bps);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, p.spp);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, p.planar);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, p.compression);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, p.ycbcr_jpeg ? PHOTOMETRIC_YCBCR : p.photometric);
  if (p.ycbcr_jpeg) TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  if (p.compression == COMPRESSION_JPEG) TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 95);
  if (p.compression == COMPRESSION_CCITTFAX3) TIFFSetField(tif, TIFFTAG_GROUP3OPTIONS, p.group3_options);
  if (p.fill_order) TIFFSetField(tif, TIFFTAG_FILLORDER, p.fill_order);
  if (p.orientation) TIFFSetField(tif, TIFFTAG_ORIENTATION, p.orientation);
  if (p.xres > 0) {
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, p.xres);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, p.yres);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, p.res_unit);
  }
  if (!p.extra_samples.empty()) {
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, static_cast<uint16_t>(p.extra_samples.size()),
                 p.extra_samples.data());
  }
  if (!p.colormap.empty()) {
    const size_t n = p.colormap.size() / 3;
    TIFFSetField(tif, TIFFTAG_COLORMAP, p.colormap.data(), p.colormap.data() + n, p.colormap.data() + 2 * n);
  }
  if (p.photometric == PHOTOMETRIC_SEPARATED) TIFFSetField(tif, TIFFTAG_INKSET, INKSET_CMYK);
  if (p.tile > 0) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, p.tile);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, p.tile);
    const size_t tile_row = TIFFTileRowSize(tif);
    std::vector<uint8_t> tile(TIFFTileSize(tif));
    for (int y = 0; y < p.height; y += p.tile) {
      for (int x = 0; x < p.width; x += p.tile) {
        std::fill(tile.begin(), tile.end(), 0);
        const size_t from = static_cast<size_t>(x) * p.spp * p.bps / 8;
        for (int r = 0; r < p.tile && y + r < p.height; ++r) {
          const size_t n = std::min(tile_row, p.RowBytes() - from);
          std::memcpy(tile.data() + r * tile_row, p.data.data() + (y + r) * p.RowBytes() + from, n);
        }
        ASSERT_GE(TIFFWriteTile(tif, tile.data(), x, y, 0, 0), 0);
      }
    }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP,
                 p.rows_per_strip > 0 ? p.rows_per_strip : TIFFDefaultStripSize(tif, 0));
    if (p.planar == PLANARCONFIG_SEPARATE) {
      std::vector<uint8_t> plane(p.width);
      for (int s = 0; s < p.spp; ++s) {
        for (int y = 0; y < p.height; ++y) {
          for (int x = 0; x < p.width; ++x) plane[x] = p.data[y * p.RowBytes() + x * p.spp + s];
          ASSERT_GE(TIFFWriteScanline(tif, plane.data(), y, s), 0);
        }
      }
    } else {
      std::vector<uint8_t> row(p.RowBytes());
      for (int y = 0; y < p.height; ++y) {
        std::memcpy(row.data(), p.data.data() + y * p.RowBytes(), p.RowBytes());
        ASSERT_GE(TIFFWriteScanline(tif, row.data(), y, 0), 0) << "row " << y;
      }
    }
  }
  ASSERT_TRUE(TIFFWriteDirectory(tif));
}

void WriteTiff(const fs::path& path, const std::vector<TiffPage>& pages, bool bigtiff = false) {
  TIFF* tif = TIFFOpen(path.c_str(), bigtiff ? "w8" : "w");
  ASSERT_NE(tif, nullptr);
  for (const TiffPage& page : pages) WritePage(tif, page);
  TIFFClose(tif);
}

// Test patterns: something asymmetric, so flips and shifts show.
bool IsInk(int x, int y) { return ((x / 3 + y / 2) % 3 == 0) || x == 2 * y; }
uint8_t GrayAt(int x, int y) { return static_cast<uint8_t>((x * 7 + y * 13) % 256); }
// Survives JPEG well (no edges); channels differ by 20 so a swap shows.
uint8_t SmoothAt(int x, int y, int channel) {
  return static_cast<uint8_t>(std::min(255, 30 + x + y + 20 * channel));
}

// A bilevel page; `set_bit_is_black` matches MinIsWhite.
TiffPage Bilevel(int w, int h, uint16_t compression, uint16_t photometric = PHOTOMETRIC_MINISWHITE) {
  TiffPage p;
  p.width = w;
  p.height = h;
  p.bps = 1;
  p.photometric = photometric;
  p.compression = compression;
  p.xres = p.yres = 300;
  p.data.assign(p.RowBytes() * h, 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool bit = IsInk(x, y) == (photometric == PHOTOMETRIC_MINISWHITE);
      if (bit) p.data[y * p.RowBytes() + x / 8] |= 0x80 >> (x % 8);
    }
  }
  return p;
}

TiffPage Gray8(int w, int h, uint16_t compression, bool smooth = false) {
  TiffPage p;
  p.width = w;
  p.height = h;
  p.compression = compression;
  p.xres = p.yres = 300;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) p.data.push_back(smooth ? SmoothAt(x, y, 0) : GrayAt(x, y));
  }
  return p;
}

TiffPage Rgb8(int w, int h, uint16_t compression, bool smooth = false) {
  TiffPage p;
  p.width = w;
  p.height = h;
  p.spp = 3;
  p.photometric = PHOTOMETRIC_RGB;
  p.compression = compression;
  p.xres = p.yres = 300;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        p.data.push_back(smooth ? SmoothAt(x, y, c) : static_cast<uint8_t>(GrayAt(x, y) + 85 * c));
      }
    }
  }
  return p;
}

// ---- Running the stages ------------------------------------------------------

Status RunProbe(Document& doc, const IngestOptions& options = {}) {
  auto stage = NewIngestProbeStage(options);
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok());
  return (*worker)->Process(doc);
}

Status RunDecode(const Document& doc, Page& page, const IngestOptions& options = {}) {
  auto stage = NewIngestDecodeStage(options);
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok());
  return (*worker)->Process(doc, page);
}

Document DocFor(const fs::path& path) {
  Document doc;
  doc.source_path = path.string();
  return doc;
}

// Probes and decodes page 0, failing the test on any error. Pixel-pattern
// tests use images far smaller than a page, so the minimum size is lifted.
Document Ingest(const fs::path& path, IngestOptions options = {}) {
  options.min_dimension = 1;
  Document doc = DocFor(path);
  Status probe = RunProbe(doc, options);
  EXPECT_TRUE(probe.ok()) << probe.ToString();
  if (!probe.ok() || doc.pages.empty()) return doc;
  Status decode = RunDecode(doc, doc.pages[0], options);
  EXPECT_TRUE(decode.ok()) << decode.ToString();
  return doc;
}

int CountMismatches(const Raster& raster, const std::function<uint8_t(int, int, int)>& expected) {
  int bad = 0;
  for (int y = 0; y < raster.height; ++y) {
    for (int x = 0; x < raster.width; ++x) {
      for (int c = 0; c < raster.channels(); ++c) {
        bad += raster.row(y)[x * raster.channels() + c] != expected(x, y, c);
      }
    }
  }
  return bad;
}

double MeanAbsError(const Raster& raster, const std::function<uint8_t(int, int, int)>& expected) {
  double sum = 0;
  for (int y = 0; y < raster.height; ++y) {
    for (int x = 0; x < raster.width; ++x) {
      for (int c = 0; c < raster.channels(); ++c) {
        sum += std::abs(raster.row(y)[x * raster.channels() + c] - expected(x, y, c));
      }
    }
  }
  return sum / raster.byte_size();
}

uint8_t BilevelExpected(int x, int y, int) { return IsInk(x, y) ? 0 : 255; }

class IngestStageTest : public ::testing::Test {
 protected:
  ScratchDir dir_{"ingest"};
};

// ---- TIFF: bilevel -----------------------------------------------------------

class BilevelCompressionTest : public IngestStageTest, public ::testing::WithParamInterface<uint16_t> {};

TEST_P(BilevelCompressionTest, RoundTripsPixelsDpiAndKind) {
  const fs::path path = dir_ / "bilevel.tif";
  TiffPage page = Bilevel(203, 61, GetParam());  // odd width: partial last byte
  page.group3_options = GROUP3OPT_2DENCODING;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.format, "tiff");
  ASSERT_EQ(doc.page_count(), 1);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kBilevel);
  EXPECT_EQ(p.source_kind, PixelKind::kBilevel);
  EXPECT_EQ(p.source_bits, 1);
  EXPECT_EQ(p.raster.width, 203);
  EXPECT_EQ(p.raster.height, 61);
  EXPECT_EQ(p.raster.dpi_x, 300);
  EXPECT_EQ(p.raster.dpi_y, 300);
  EXPECT_EQ(CountMismatches(p.raster, BilevelExpected), 0);
  EXPECT_TRUE(p.review_reasons.empty());
}

INSTANTIATE_TEST_SUITE_P(Compressions, BilevelCompressionTest,
                         ::testing::Values(COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_PACKBITS,
                                           COMPRESSION_CCITTFAX3, COMPRESSION_CCITTFAX4,
                                           COMPRESSION_ADOBE_DEFLATE));

TEST_F(IngestStageTest, BilevelMinIsBlackKeepsInkBlack) {
  const fs::path path = dir_ / "minisblack.tif";
  WriteTiff(path, {Bilevel(64, 40, COMPRESSION_CCITTFAX4, PHOTOMETRIC_MINISBLACK)});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.pages[0].raster.kind, PixelKind::kBilevel);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, BilevelExpected), 0);
}

TEST_F(IngestStageTest, BilevelLsbFirstFillOrderDecodesLikeMsbFirst) {
  const fs::path path = dir_ / "lsb.tif";
  TiffPage page = Bilevel(100, 30, COMPRESSION_CCITTFAX4);
  page.fill_order = FILLORDER_LSB2MSB;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, BilevelExpected), 0);
}

// ---- TIFF: gray --------------------------------------------------------------

class Gray8CompressionTest : public IngestStageTest, public ::testing::WithParamInterface<uint16_t> {};

TEST_P(Gray8CompressionTest, RoundTripsPixels) {
  const fs::path path = dir_ / "gray.tif";
  const bool lossy = GetParam() == COMPRESSION_JPEG;
  WriteTiff(path, {Gray8(77, 48, GetParam(), lossy)});
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kGray);
  EXPECT_EQ(p.source_bits, 8);
  EXPECT_EQ(p.raster.width, 77);
  EXPECT_EQ(p.raster.height, 48);
  if (lossy) {
    EXPECT_LT(MeanAbsError(p.raster, [](int x, int y, int) { return SmoothAt(x, y, 0); }), 2.0);
  } else {
    EXPECT_EQ(CountMismatches(p.raster, [](int x, int y, int) { return GrayAt(x, y); }), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Compressions, Gray8CompressionTest,
                         ::testing::Values(COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE,
                                           COMPRESSION_PACKBITS, COMPRESSION_JPEG));

TEST_F(IngestStageTest, Gray8MinIsWhiteIsInverted) {
  const fs::path path = dir_ / "gray_miniswhite.tif";
  TiffPage page = Gray8(40, 20, COMPRESSION_LZW);
  page.photometric = PHOTOMETRIC_MINISWHITE;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, [](int x, int y, int) { return 255 - GrayAt(x, y); }), 0);
}

uint16_t Gray16At(int x, int y) { return static_cast<uint16_t>((x * 997 + y * 4099) % 65536); }

class Gray16CompressionTest : public IngestStageTest, public ::testing::WithParamInterface<uint16_t> {};

TEST_P(Gray16CompressionTest, ScalesTo8BitsWithRounding) {
  const fs::path path = dir_ / "gray16.tif";
  TiffPage page;
  page.width = 50;
  page.height = 20;
  page.bps = 16;
  page.compression = GetParam();
  page.data.resize(page.RowBytes() * page.height);
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      // Fixed points at the start of row 0: 0, 65535 and 128*257.
      uint16_t v = y == 0 && x < 3 ? std::array<uint16_t, 3>{0, 65535, 32896}[x] : Gray16At(x, y);
      std::memcpy(&page.data[y * page.RowBytes() + 2 * x], &v, 2);
    }
  }
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kGray);
  EXPECT_EQ(p.source_bits, 16);
  EXPECT_EQ(p.raster.row(0)[0], 0);
  EXPECT_EQ(p.raster.row(0)[1], 255);
  EXPECT_EQ(p.raster.row(0)[2], 128);
  int off_by_more_than_rounding = 0;
  for (int y = 1; y < p.raster.height; ++y) {
    for (int x = 0; x < p.raster.width; ++x) {
      const double exact = Gray16At(x, y) * 255.0 / 65535.0;
      off_by_more_than_rounding += std::abs(p.raster.row(y)[x] - exact) > 0.5;
    }
  }
  EXPECT_EQ(off_by_more_than_rounding, 0);
}

INSTANTIATE_TEST_SUITE_P(Compressions, Gray16CompressionTest,
                         ::testing::Values(COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE));

// ---- TIFF: colour ------------------------------------------------------------

TEST_F(IngestStageTest, RgbLzwRoundTrips) {
  const fs::path path = dir_ / "rgb.tif";
  WriteTiff(path, {Rgb8(61, 33, COMPRESSION_LZW)});
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kRgb);
  EXPECT_EQ(p.source_kind, PixelKind::kRgb);
  EXPECT_EQ(CountMismatches(p.raster,
                            [](int x, int y, int c) { return static_cast<uint8_t>(GrayAt(x, y) + 85 * c); }),
            0);
}

TEST_F(IngestStageTest, RgbJpegInYCbCrDecodesToRgb) {
  const fs::path path = dir_ / "rgb_jpeg.tif";
  TiffPage page = Rgb8(96, 64, COMPRESSION_JPEG, /*smooth=*/true);
  page.ycbcr_jpeg = true;
  page.rows_per_strip = 16;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kRgb);
  EXPECT_LT(MeanAbsError(p.raster, SmoothAt), 4.0);
}

TEST_F(IngestStageTest, RgbJpegWithoutYCbCrDecodes) {
  const fs::path path = dir_ / "rgb_jpeg_rgb.tif";
  TiffPage page = Rgb8(64, 32, COMPRESSION_JPEG, /*smooth=*/true);
  page.rows_per_strip = 16;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_LT(MeanAbsError(doc.pages[0].raster, SmoothAt), 3.0);
}

TEST_F(IngestStageTest, Rgb16IsScaled) {
  const fs::path path = dir_ / "rgb16.tif";
  TiffPage page;
  page.width = 3;
  page.height = 1;
  page.bps = 16;
  page.spp = 3;
  page.photometric = PHOTOMETRIC_RGB;
  page.compression = COMPRESSION_ADOBE_DEFLATE;
  const uint16_t values[9] = {65535, 0, 0, 0, 32896, 0, 257, 514, 65535};
  page.data.resize(sizeof values);
  std::memcpy(page.data.data(), values, sizeof values);
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  const Raster& r = doc.pages[0].raster;
  EXPECT_EQ(doc.pages[0].source_bits, 16);
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()),
            (std::vector<uint8_t>{255, 0, 0, 0, 128, 0, 1, 2, 255}));
}

TEST_F(IngestStageTest, PaletteBecomesRgb) {
  for (uint16_t bps : {4, 8}) {
    const fs::path path = dir_ / ("palette" + std::to_string(bps) + ".tif");
    TiffPage page;
    page.width = 16;
    page.height = 2;
    page.bps = bps;
    page.photometric = PHOTOMETRIC_PALETTE;
    page.compression = COMPRESSION_LZW;
    const size_t n = size_t{1} << bps;
    page.colormap.assign(3 * n, 0);
    for (size_t i = 0; i < n; ++i) {
      page.colormap[i] = static_cast<uint16_t>(i * 4 * 257);          // red
      page.colormap[n + i] = static_cast<uint16_t>(65535 - i * 257);  // green
      page.colormap[2 * n + i] = 257 * 7;                             // blue
    }
    page.data.assign(page.RowBytes() * 2, 0);
    for (int x = 0; x < 16; ++x) {  // row 0: index x; row 1: index 15 - x
      for (int y = 0; y < 2; ++y) {
        const int index = y == 0 ? x : 15 - x;
        if (bps == 8) {
          page.data[y * page.RowBytes() + x] = index;
        } else {
          page.data[y * page.RowBytes() + x / 2] |= index << (x % 2 ? 0 : 4);
        }
      }
    }
    WriteTiff(path, {page});
    Document doc = Ingest(path);
    const Raster& r = doc.pages[0].raster;
    EXPECT_EQ(r.kind, PixelKind::kRgb) << bps;
    EXPECT_EQ(CountMismatches(r,
                              [](int x, int y, int c) {
                                const int index = y == 0 ? x : 15 - x;
                                return static_cast<uint8_t>(c == 0 ? index * 4 : c == 1 ? 255 - index : 7);
                              }),
              0)
        << bps;
  }
}

TEST_F(IngestStageTest, CmykBecomesRgb) {
  const fs::path path = dir_ / "cmyk.tif";
  TiffPage page;
  page.width = 4;
  page.height = 1;
  page.spp = 4;
  page.photometric = PHOTOMETRIC_SEPARATED;
  page.compression = COMPRESSION_LZW;
  page.data = {255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 128};
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  const Raster& r = doc.pages[0].raster;
  EXPECT_EQ(r.kind, PixelKind::kRgb);
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()),
            (std::vector<uint8_t>{0, 255, 255, 0, 0, 0, 255, 255, 255, 127, 0, 127}));
}

TEST_F(IngestStageTest, AlphaIsCompositedOnWhite) {
  const fs::path path = dir_ / "rgba.tif";
  TiffPage page;
  page.width = 3;
  page.height = 1;
  page.spp = 4;
  page.photometric = PHOTOMETRIC_RGB;
  page.extra_samples = {EXTRASAMPLE_UNASSALPHA};
  page.data = {255, 0, 0, 0, 255, 0, 0, 255, 255, 0, 0, 128};
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  const Raster& r = doc.pages[0].raster;
  EXPECT_EQ(r.kind, PixelKind::kRgb);
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()),
            (std::vector<uint8_t>{255, 255, 255, 255, 0, 0, 255, 127, 127}));

  const fs::path gray_path = dir_ / "graya.tif";
  page.spp = 2;
  page.photometric = PHOTOMETRIC_MINISBLACK;
  page.data = {0, 0, 0, 255, 0, 128};
  WriteTiff(gray_path, {page});
  Document gray = Ingest(gray_path);
  const Raster& g = gray.pages[0].raster;
  EXPECT_EQ(g.kind, PixelKind::kGray);
  EXPECT_EQ(std::vector<uint8_t>(g.pixels.begin(), g.pixels.end()), (std::vector<uint8_t>{255, 0, 127}));
}

// ---- TIFF: layout --------------------------------------------------------------

TEST_F(IngestStageTest, TiledGrayAndRgbWithPartialEdgeTiles) {
  const fs::path gray_path = dir_ / "tiled_gray.tif";
  TiffPage gray = Gray8(100, 70, COMPRESSION_LZW);
  gray.tile = 32;
  WriteTiff(gray_path, {gray});
  Document doc = Ingest(gray_path);
  EXPECT_EQ(doc.pages[0].raster.width, 100);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, [](int x, int y, int) { return GrayAt(x, y); }), 0);

  const fs::path rgb_path = dir_ / "tiled_rgb_jpeg.tif";
  TiffPage rgb = Rgb8(100, 70, COMPRESSION_JPEG, /*smooth=*/true);
  rgb.tile = 32;
  rgb.ycbcr_jpeg = true;
  WriteTiff(rgb_path, {rgb});
  Document rgb_doc = Ingest(rgb_path);
  EXPECT_EQ(rgb_doc.pages[0].raster.kind, PixelKind::kRgb);
  EXPECT_LT(MeanAbsError(rgb_doc.pages[0].raster, SmoothAt), 4.0);
}

TEST_F(IngestStageTest, TiledBilevelRoundTrips) {
  const fs::path path = dir_ / "tiled_bilevel.tif";
  TiffPage page = Bilevel(80, 50, COMPRESSION_CCITTFAX4);
  page.tile = 32;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, BilevelExpected), 0);
}

TEST_F(IngestStageTest, SeparatePlanesRgbDecodesThroughFallback) {
  const fs::path path = dir_ / "planar.tif";
  TiffPage page = Rgb8(45, 30, COMPRESSION_LZW);
  page.planar = PLANARCONFIG_SEPARATE;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.pages[0].raster.kind, PixelKind::kRgb);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster,
                            [](int x, int y, int c) { return static_cast<uint8_t>(GrayAt(x, y) + 85 * c); }),
            0);
}

TEST_F(IngestStageTest, OrientationTagIsHonoured) {
  // Stored 4 wide, 2 high, one black pixel at stored (row 0, column 0).
  struct Case {
    uint16_t orientation;
    int width, height, black_x, black_y;
  };
  for (const Case& c : {Case{ORIENTATION_TOPLEFT, 4, 2, 0, 0}, Case{ORIENTATION_TOPRIGHT, 4, 2, 3, 0},
                        Case{ORIENTATION_BOTRIGHT, 4, 2, 3, 1}, Case{ORIENTATION_BOTLEFT, 4, 2, 0, 1},
                        Case{ORIENTATION_LEFTTOP, 2, 4, 0, 0}, Case{ORIENTATION_RIGHTTOP, 2, 4, 1, 0},
                        Case{ORIENTATION_RIGHTBOT, 2, 4, 1, 3}, Case{ORIENTATION_LEFTBOT, 2, 4, 0, 3}}) {
    const fs::path path = dir_ / ("orient" + std::to_string(c.orientation) + ".tif");
    TiffPage page;
    page.width = 4;
    page.height = 2;
    page.data.assign(8, 255);
    page.data[0] = 0;
    page.orientation = c.orientation;
    page.xres = 300;
    page.yres = 150;
    WriteTiff(path, {page});
    Document doc = Ingest(path);
    const Raster& r = doc.pages[0].raster;
    ASSERT_EQ(r.width, c.width) << c.orientation;
    ASSERT_EQ(r.height, c.height) << c.orientation;
    EXPECT_EQ(r.row(c.black_y)[c.black_x], 0) << c.orientation;
    EXPECT_EQ(
        CountMismatches(r, [&](int x, int y, int) { return x == c.black_x && y == c.black_y ? 0 : 255; }), 0)
        << c.orientation;
    EXPECT_EQ(r.dpi_x, c.orientation >= 5 ? 150 : 300) << c.orientation;
  }
}

TEST_F(IngestStageTest, MultiPageTiffHasOnePagePerDirectory) {
  const fs::path path = dir_ / "multi.tif";
  TiffPage second = Gray8(30, 20, COMPRESSION_ADOBE_DEFLATE);
  second.xres = second.yres = 200;
  WriteTiff(path, {Bilevel(64, 32, COMPRESSION_CCITTFAX4), second, Rgb8(10, 12, COMPRESSION_PACKBITS)});
  Document doc = DocFor(path);
  ASSERT_TRUE(RunProbe(doc).ok());
  ASSERT_EQ(doc.page_count(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(doc.pages[i].index, i);
  // Decode out of order, as the graph may.
  for (int i : {2, 0, 1}) ASSERT_TRUE(RunDecode(doc, doc.pages[i]).ok()) << i;
  EXPECT_EQ(doc.pages[0].raster.kind, PixelKind::kBilevel);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, BilevelExpected), 0);
  EXPECT_EQ(doc.pages[1].raster.kind, PixelKind::kGray);
  EXPECT_EQ(doc.pages[1].raster.dpi_x, 200);
  EXPECT_EQ(CountMismatches(doc.pages[1].raster, [](int x, int y, int) { return GrayAt(x, y); }), 0);
  EXPECT_EQ(doc.pages[2].raster.kind, PixelKind::kRgb);
  EXPECT_EQ(doc.pages[2].raster.width, 10);
  EXPECT_EQ(doc.pages[2].raster.height, 12);
}

TEST_F(IngestStageTest, BigTiffIsRead) {
  const fs::path path = dir_ / "big.tif";
  WriteTiff(path, {Gray8(33, 17, COMPRESSION_LZW), Bilevel(40, 8, COMPRESSION_CCITTFAX4)}, /*bigtiff=*/true);
  ASSERT_EQ(ReadFile(path).substr(0, 4), std::string("II+\0", 4));
  Document doc = Ingest(path);
  ASSERT_EQ(doc.page_count(), 2);
  EXPECT_EQ(CountMismatches(doc.pages[0].raster, [](int x, int y, int) { return GrayAt(x, y); }), 0);
  ASSERT_TRUE(RunDecode(doc, doc.pages[1]).ok());
  EXPECT_EQ(CountMismatches(doc.pages[1].raster, BilevelExpected), 0);
}

// ---- Resolution ----------------------------------------------------------------

// No text to measure the resolution by (a gradient): the default, noted.
TEST_F(IngestStageTest, MissingResolutionWithoutTextUsesDefaultAndIsNoted) {
  const fs::path path = dir_ / "nodpi.tif";
  TiffPage page = Gray8(10, 10, COMPRESSION_NONE);
  page.xres = 0;
  WriteTiff(path, {page, page});
  IngestOptions options;
  options.default_dpi = 250;
  Document doc = Ingest(path, options);
  ASSERT_TRUE(RunDecode(doc, doc.pages[1], options).ok());
  EXPECT_EQ(doc.pages[0].raster.dpi_x, 250);
  EXPECT_EQ(doc.pages[0].raster.dpi_y, 250);
  EXPECT_EQ(doc.pages[0].resolution_source, ResolutionSource::kAssumed);
  EXPECT_TRUE(doc.pages[0].review_reasons.empty());
  EXPECT_EQ(doc.ResolutionNote(),
            "page 1: 250 dpi assumed, the file records none; "
            "page 2: 250 dpi assumed, the file records none");
}

// A screenshot of a letter (the corpus's 458x564 RGBA form, no pHYs): the
// resolution comes from its text's x-height (6 px: about 70 dpi), is noted,
// and, being low, sends the page to a person saying it was estimated.
TEST_F(IngestStageTest, MissingResolutionIsEstimatedFromTheText) {
  const fs::path form =
      CorpusFile("").parent_path().parent_path() / "vie-web" / "don-khoi-kien-vu-an-hanh-chinh-9418.png";
  Document doc = Ingest(form);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.resolution_source, ResolutionSource::kEstimated);
  EXPECT_NEAR(p.raster.dpi_x, 69, 7);
  EXPECT_EQ(p.raster.dpi_x, p.raster.dpi_y);
  EXPECT_EQ(p.raster.dpi_x, std::round(p.raster.dpi_x));  // whole dpi, no false precision
  ASSERT_EQ(p.review_reasons.size(), 1u);
  EXPECT_NE(p.review_reasons[0].find(" dpi (estimated from the size of its text, the file records "
                                     "none) is below the 200 dpi the regulations require"),
            std::string::npos)
      << p.review_reasons[0];
  EXPECT_NE(doc.ResolutionNote().find("page 1: "), std::string::npos);
  EXPECT_NE(doc.ResolutionNote().find(" dpi estimated from the size of its text, the file records none"),
            std::string::npos);

  IngestOptions assume;
  assume.estimate_missing_dpi = false;
  Document assumed = Ingest(form, assume);
  EXPECT_EQ(assumed.pages[0].resolution_source, ResolutionSource::kAssumed);
  EXPECT_EQ(assumed.pages[0].raster.dpi_x, 300);
}

TEST_F(IngestStageTest, CentimetreResolutionIsConvertedToDpi) {
  const fs::path path = dir_ / "cm.tif";
  TiffPage page = Gray8(10, 10, COMPRESSION_NONE);
  page.xres = 118.11f;  // 300 dpi
  page.yres = 78.74f;   // 200 dpi
  page.res_unit = RESUNIT_CENTIMETER;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_NEAR(doc.pages[0].raster.dpi_x, 300, 0.01);
  EXPECT_NEAR(doc.pages[0].raster.dpi_y, 200, 0.01);
  EXPECT_EQ(doc.pages[0].resolution_source, ResolutionSource::kFile);
  EXPECT_EQ(doc.ResolutionNote(), "");
}

TEST_F(IngestStageTest, LowResolutionPageGetsReviewReason) {
  const fs::path path = dir_ / "150dpi.tif";
  TiffPage page = Gray8(10, 10, COMPRESSION_NONE);
  page.xres = page.yres = 150;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.pages[0].raster.dpi_x, 150);
  ASSERT_EQ(doc.pages[0].review_reasons.size(), 1u);
  EXPECT_EQ(doc.pages[0].review_reasons[0], "page 1: 150 dpi is below the 200 dpi the regulations require");
}

TEST_F(IngestStageTest, ResolutionUnitNoneMeansNoResolution) {
  const fs::path path = dir_ / "nounit.tif";
  TiffPage page = Gray8(10, 10, COMPRESSION_NONE);
  page.xres = page.yres = 72;
  page.res_unit = RESUNIT_NONE;
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.pages[0].raster.dpi_x, 300);
  EXPECT_TRUE(doc.pages[0].review_reasons.empty());
}

// ---- PNG and JPEG ----------------------------------------------------------------

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// Inserts a pHYs chunk (pixels per metre) right after IHDR.
void AddPngPhys(const fs::path& path, uint32_t ppm_x, uint32_t ppm_y) {
  std::string png = ReadFile(path);
  const std::string body = "pHYs" + Be32(ppm_x) + Be32(ppm_y) + std::string(1, '\1');
  png.insert(33, Be32(9) + body + Be32(Crc32(body)));
  WriteFile(path, png);
}

cv::Mat BgrPattern(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(SmoothAt(x, y, 2), SmoothAt(x, y, 1), SmoothAt(x, y, 0));
    }
  }
  return m;
}

TEST_F(IngestStageTest, PngRgbIsConvertedFromBgrAndReadsPhys) {
  const fs::path path = dir_ / "page.png";
  ASSERT_TRUE(cv::imwrite(path.string(), BgrPattern(50, 30)));
  AddPngPhys(path, 11811, 7874);  // 300 × 200 dpi
  Document doc = Ingest(path);
  EXPECT_EQ(doc.format, "png");
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kRgb);
  EXPECT_EQ(p.source_bits, 8);
  EXPECT_EQ(CountMismatches(p.raster, SmoothAt), 0);
  EXPECT_EQ(p.raster.dpi_x, 300);
  EXPECT_EQ(p.raster.dpi_y, 200);
  EXPECT_TRUE(p.review_reasons.empty());
}

TEST_F(IngestStageTest, Png16BitGrayIsScaled) {
  const fs::path path = dir_ / "gray16.png";
  cv::Mat m(1, 3, CV_16UC1);
  m.at<uint16_t>(0, 0) = 0;
  m.at<uint16_t>(0, 1) = 32896;
  m.at<uint16_t>(0, 2) = 65535;
  ASSERT_TRUE(cv::imwrite(path.string(), m));
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kGray);
  EXPECT_EQ(p.source_bits, 16);
  EXPECT_EQ(std::vector<uint8_t>(p.raster.pixels.begin(), p.raster.pixels.end()),
            (std::vector<uint8_t>{0, 128, 255}));
}

TEST_F(IngestStageTest, PngAlphaIsCompositedOnWhite) {
  const fs::path path = dir_ / "bgra.png";
  cv::Mat m(1, 3, CV_8UC4);
  m.at<cv::Vec4b>(0, 0) = cv::Vec4b(0, 0, 255, 0);    // transparent red
  m.at<cv::Vec4b>(0, 1) = cv::Vec4b(0, 0, 255, 255);  // opaque red
  m.at<cv::Vec4b>(0, 2) = cv::Vec4b(0, 0, 255, 128);
  ASSERT_TRUE(cv::imwrite(path.string(), m));
  Document doc = Ingest(path);
  const Raster& r = doc.pages[0].raster;
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()),
            (std::vector<uint8_t>{255, 255, 255, 255, 0, 0, 255, 127, 127}));
}

TEST_F(IngestStageTest, OneBitPngIsBilevel) {
  const fs::path path = dir_ / "bilevel.png";
  cv::Mat m(31, 45, CV_8UC1);
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x) m.at<uint8_t>(y, x) = IsInk(x, y) ? 0 : 255;
  }
  ASSERT_TRUE(cv::imwrite(path.string(), m, {cv::IMWRITE_PNG_BILEVEL, 1}));
  Document doc = Ingest(path);
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.source_bits, 1);
  EXPECT_EQ(p.raster.kind, PixelKind::kBilevel);
  EXPECT_EQ(CountMismatches(p.raster, BilevelExpected), 0);
}

TEST_F(IngestStageTest, JpegGrayAndColourWithJfifDensity) {
  const fs::path gray_path = dir_ / "gray.jpg";
  cv::Mat gray(40, 64, CV_8UC1);
  for (int y = 0; y < gray.rows; ++y) {
    for (int x = 0; x < gray.cols; ++x) gray.at<uint8_t>(y, x) = SmoothAt(x, y, 0);
  }
  ASSERT_TRUE(cv::imwrite(gray_path.string(), gray, {cv::IMWRITE_JPEG_QUALITY, 95}));
  Document g = Ingest(gray_path);
  EXPECT_EQ(g.format, "jpeg");
  EXPECT_EQ(g.pages[0].raster.kind, PixelKind::kGray);
  EXPECT_LT(MeanAbsError(g.pages[0].raster, [](int x, int y, int) { return SmoothAt(x, y, 0); }), 2.0);
  EXPECT_EQ(g.pages[0].raster.dpi_x, 300);  // OpenCV writes no density: default

  const fs::path rgb_path = dir_ / "rgb.jpg";
  ASSERT_TRUE(cv::imwrite(rgb_path.string(), BgrPattern(64, 40), {cv::IMWRITE_JPEG_QUALITY, 95}));
  std::string jpeg = ReadFile(rgb_path);
  ASSERT_EQ(jpeg.substr(6, 5), std::string("JFIF\0", 5));
  jpeg[13] = 1;  // units: dots per inch
  jpeg[14] = 0;
  jpeg[15] = static_cast<char>(150);
  jpeg[16] = 0;
  jpeg[17] = static_cast<char>(150);
  WriteFile(rgb_path, jpeg);
  Document c = Ingest(rgb_path);
  const Page& p = c.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kRgb);
  EXPECT_LT(MeanAbsError(p.raster, SmoothAt), 3.0);
  EXPECT_EQ(p.raster.dpi_x, 150);
  ASSERT_EQ(p.review_reasons.size(), 1u);
  EXPECT_EQ(p.review_reasons[0], "page 1: 150 dpi is below the 200 dpi the regulations require");
}

// ---- Real-world files ----------------------------------------------------------

TEST_F(IngestStageTest, CorpusPngWithAlphaIsRgbOnWhite) {
  Document doc = Ingest(CorpusFile("baiona_alpha.png"));
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kRgb);
  EXPECT_EQ(p.raster.width, 640);
  EXPECT_EQ(p.raster.height, 682);
  // Compare with OpenCV's own decoding, composited independently.
  cv::Mat bgra = cv::imread(CorpusFile("baiona_alpha.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(bgra.channels(), 4);
  int transparent = 0, bad = 0;
  for (int y = 0; y < bgra.rows; ++y) {
    for (int x = 0; x < bgra.cols; ++x) {
      const cv::Vec4b v = bgra.at<cv::Vec4b>(y, x);
      transparent += v[3] == 0;
      for (int c = 0; c < 3; ++c) {
        const double expected = (v[2 - c] * v[3] + 255.0 * (255 - v[3])) / 255.0;
        bad += std::abs(p.raster.row(y)[3 * x + c] - expected) > 0.51;
      }
    }
  }
  EXPECT_EQ(bad, 0);
  if (transparent > 0) SUCCEED() << transparent << " transparent pixels became white";
}

// A map: place names, but no lines of text to measure. The default.
TEST_F(IngestStageTest, CorpusGrayPngWithoutDpiUsesDefault) {
  Document doc = Ingest(CorpusFile("baiona_gray.png"));
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kGray);
  EXPECT_EQ(p.raster.width, 640);
  EXPECT_EQ(p.raster.height, 682);
  EXPECT_EQ(p.raster.dpi_x, 300);
  EXPECT_EQ(p.resolution_source, ResolutionSource::kAssumed);
  EXPECT_EQ(doc.ResolutionNote(), "page 1: 300 dpi assumed, the file records none");
  cv::Mat gray = cv::imread(CorpusFile("baiona_gray.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(gray.type(), CV_8UC1);
  EXPECT_EQ(std::memcmp(gray.data, p.raster.pixels.data(), p.raster.byte_size()), 0);
}

TEST_F(IngestStageTest, CorpusCromPngDecodes) {
  Document doc = Ingest(CorpusFile("crom.png"));
  const Page& p = doc.pages[0];
  EXPECT_EQ(p.raster.kind, PixelKind::kGray);
  EXPECT_EQ(p.raster.width, 400);
  EXPECT_EQ(p.raster.height, 50);
  // Text on a light background: some dark pixels, mostly light ones.
  int dark = 0;
  for (uint8_t v : p.raster.pixels) dark += v < 128;
  EXPECT_GT(dark, 100);
  EXPECT_LT(dark, static_cast<int>(p.raster.pixels.size() / 2));
}

// ---- Bad input -----------------------------------------------------------------

TEST_F(IngestStageTest, EmptyFileIsRefused) {
  const fs::path path = dir_ / "empty.tif";
  WriteFile(path, "");
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(), "empty file (0 bytes)");
  EXPECT_TRUE(doc.pages.empty());
}

TEST_F(IngestStageTest, TextFileNamedTifIsRecognisedByContent) {
  const fs::path path = dir_ / "letter.tif";
  WriteFile(path, "Hello world, this is not a scan.\n");
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(), "not an image: file starts with 'Hello wo'");
}

TEST_F(IngestStageTest, RandomBytesAreRefusedWithHexPrefix) {
  const fs::path path = dir_ / "noise.png";
  std::mt19937 rng(7);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  bytes[0] = '\x01';
  bytes[1] = '\x80';
  WriteFile(path, bytes);
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message().rfind("not an image: file starts with '\\x01\\x80", 0), 0u) << s.message();
}

TEST_F(IngestStageTest, OnePixelImageIsTooSmallToBeAPage) {
  const fs::path path = dir_ / "pixel.tif";
  WriteTiff(path, {Gray8(1, 1, COMPRESSION_NONE)});
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(), "page 1: 1×1 pixels is too small to be a page scan (under 8 pixels on a side)");
}

// PDF in depth: tests/stages/decode/pdf_decoder_test.cc.
TEST_F(IngestStageTest, PdfIsRecognisedByContentNotName) {
  const fs::path path = dir_ / "scan.tif";
  fs::copy_file(CorpusFile("skew.pdf"), path);
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(doc.format, "pdf");
  EXPECT_EQ(doc.page_count(), 1);
}

TEST_F(IngestStageTest, GifIsUnsupportedWithAdvice) {
  const fs::path path = dir_ / "scan.gif";
  WriteFile(path, std::string("GIF89a\x01\x00\x01\x00", 10));
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("GIF"), std::string::npos);
}

TEST_F(IngestStageTest, MissingFileIsAnIoError) {
  Document doc = DocFor(dir_ / "nowhere.tif");
  EXPECT_EQ(RunProbe(doc).code(), StatusCode::kIoError);
}

TEST_F(IngestStageTest, TruncatedTiffFailsCleanly) {
  const fs::path path = dir_ / "cut.tif";
  WriteTiff(path, {Gray8(300, 200, COMPRESSION_LZW)});
  std::string bytes = ReadFile(path);
  WriteFile(path, bytes.substr(0, bytes.size() / 2));
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  if (s.ok()) {  // the directory survived: decoding must fail instead
    ASSERT_EQ(doc.page_count(), 1);
    s = RunDecode(doc, doc.pages[0]);
    EXPECT_TRUE(doc.pages[0].raster.empty());
  }
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  EXPECT_NE(s.message().find("TIFF"), std::string::npos) << s.message();
}

// A classic little-endian TIFF with its directory first, written by hand so
// tests can make headers lie.
struct Entry {
  uint16_t tag, type;  // type 3 SHORT, 4 LONG
  uint32_t value;
};

std::string HandMadeTiff(std::vector<Entry> entries, const std::string& data, uint32_t next_ifd = 0) {
  auto le16 = [](uint16_t v) { return std::string{static_cast<char>(v), static_cast<char>(v >> 8)}; };
  auto le32 = [&](uint32_t v) { return le16(v & 0xFFFF) + le16(v >> 16); };
  const uint32_t data_offset = 8 + 2 + 12 * entries.size() + 4;
  std::string out = std::string("II*\0", 4) + le32(8) + le16(entries.size());
  for (const Entry& e : entries) {
    const uint32_t value = e.tag == TIFFTAG_STRIPOFFSETS ? data_offset : e.value;
    out += le16(e.tag) + le16(e.type) + le32(1) + (e.type == 3 ? le16(value) + le16(0) : le32(value));
  }
  return out + le32(next_ifd) + data;
}

std::vector<Entry> GrayEntries(uint32_t width, uint32_t height, uint32_t bytes, uint16_t compression = 1) {
  return {{TIFFTAG_IMAGEWIDTH, 4, width},     {TIFFTAG_IMAGELENGTH, 4, height},
          {TIFFTAG_BITSPERSAMPLE, 3, 8},      {TIFFTAG_COMPRESSION, 3, compression},
          {TIFFTAG_PHOTOMETRIC, 3, 1},        {TIFFTAG_STRIPOFFSETS, 4, 0},
          {TIFFTAG_SAMPLESPERPIXEL, 3, 1},    {TIFFTAG_ROWSPERSTRIP, 4, height},
          {TIFFTAG_STRIPBYTECOUNTS, 4, bytes}};
}

TEST_F(IngestStageTest, TruncatedPixelDataPassesProbeAndFailsDecode) {
  const fs::path path = dir_ / "short.tif";
  const std::string full = HandMadeTiff(GrayEntries(200, 200, 40000), std::string(40000, '\x80'));
  WriteFile(path, full.substr(0, full.size() / 2));
  Document doc = DocFor(path);
  ASSERT_TRUE(RunProbe(doc).ok());
  ASSERT_EQ(doc.page_count(), 1);
  Status s = RunDecode(doc, doc.pages[0]);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  EXPECT_GT(s.message().size(), 30u) << "should carry libtiff's reason: " << s.message();
  // The page is named once, by the pipeline, not twice.
  doc.pages[0].status = s;
  const std::string reason = doc.FirstPageFailure().message();
  EXPECT_EQ(reason.rfind("page 1: ", 0), 0u) << reason;
  EXPECT_EQ(reason.find("page 1: page"), std::string::npos) << reason;
  EXPECT_TRUE(doc.pages[0].raster.empty());
}

TEST_F(IngestStageTest, HugeDimensionsAreRefusedBeforeAllocation) {
  const fs::path path = dir_ / "huge.tif";
  WriteFile(path, HandMadeTiff(GrayEntries(200000, 200000, 64), std::string(64, '\0')));
  Document doc = DocFor(path);
  const auto start = std::chrono::steady_clock::now();
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  EXPECT_EQ(s.message(), "page 1: 200000×200000 pixels exceeds the limit of 400 megapixels");
  EXPECT_TRUE(doc.pages.empty());
  // Decode checks again (the graph never calls it after a failed probe, but
  // the file could change between the two).
  doc.format = "tiff";
  doc.pages.resize(1);
  Status d = RunDecode(doc, doc.pages[0]);
  EXPECT_EQ(d.code(), StatusCode::kTooLarge) << d.ToString();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);

#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "RLIMIT_AS cannot be combined with AddressSanitizer's shadow memory";
#endif
  // Again in a child whose address space cannot hold even 1 GB more: a
  // 40 GB allocation attempt would kill it.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    const rlim_t limit = static_cast<rlim_t>(pages) * sysconf(_SC_PAGESIZE) + (256u << 20);
    rlimit rl{limit, limit};
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(10);
    if (void* probe_alloc = std::malloc(size_t{1} << 30)) {  // the limit must bite
      std::free(probe_alloc);
      _exit(11);
    }
    Document child = DocFor(path);
    if (RunProbe(child).code() != StatusCode::kTooLarge) _exit(12);
    child.format = "tiff";
    child.pages.resize(1);
    if (RunDecode(child, child.pages[0]).code() != StatusCode::kTooLarge) _exit(13);
    _exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus)) << "child died with signal " << WTERMSIG(wstatus);
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
}

TEST_F(IngestStageTest, SideLongerThanLimitIsRefused) {
  const fs::path path = dir_ / "long.tif";
  WriteFile(path, HandMadeTiff(GrayEntries(70000, 10, 64), std::string(64, '\0')));
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  EXPECT_EQ(s.message(), "page 1: 70000×10 pixels exceeds the limit of 60000 pixels per side");
}

TEST_F(IngestStageTest, OnePixelImageDecodes) {
  const fs::path path = dir_ / "dot.tif";
  TiffPage page = Gray8(1, 1, COMPRESSION_LZW);
  WriteTiff(path, {page});
  Document doc = Ingest(path);
  EXPECT_EQ(doc.pages[0].raster.width, 1);
  EXPECT_EQ(doc.pages[0].raster.height, 1);
  EXPECT_EQ(doc.pages[0].raster.pixels, std::vector<uint8_t>{GrayAt(0, 0)});

  const fs::path png = dir_ / "dot.png";
  ASSERT_TRUE(cv::imwrite(png.string(), cv::Mat(1, 1, CV_8UC1, cv::Scalar(42))));
  Document p = Ingest(png);
  EXPECT_EQ(p.pages[0].raster.pixels, std::vector<uint8_t>{42});
}

TEST_F(IngestStageTest, UnsupportedCompressionIsNamed) {
  const fs::path path = dir_ / "j2k.tif";
  WriteFile(path, HandMadeTiff(GrayEntries(10, 10, 100, 34712), std::string(100, '\0')));
  Document doc = DocFor(path);
  Status s = RunProbe(doc);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_EQ(s.message(), "page 1: JPEG 2000 compression is not supported");

  const fs::path odd = dir_ / "odd.tif";
  WriteFile(odd, HandMadeTiff(GrayEntries(10, 10, 100, 12345), std::string(100, '\0')));
  Document odd_doc = DocFor(odd);
  Status o = RunProbe(odd_doc);
  EXPECT_EQ(o.code(), StatusCode::kUnsupported);
  EXPECT_EQ(o.message(), "page 1: unknown compression 12345 compression is not supported");
}

TEST_F(IngestStageTest, LoopingDirectoryChainTerminates) {
  const fs::path path = dir_ / "loop.tif";
  // The only directory's "next" points back at itself.
  WriteFile(path, HandMadeTiff(GrayEntries(10, 10, 100), std::string(100, '\x40'), /*next_ifd=*/8));
  Document doc = DocFor(path);
  const auto start = std::chrono::steady_clock::now();
  Status s = RunProbe(doc);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(doc.page_count(), 1);
  ASSERT_EQ(doc.review_reasons.size(), 1u);
  EXPECT_NE(doc.review_reasons[0].find("directory chain is damaged after page 1"), std::string::npos)
      << doc.review_reasons[0];
  ASSERT_TRUE(RunDecode(doc, doc.pages[0]).ok());
  EXPECT_EQ(doc.pages[0].raster.pixels[0], 0x40);
}

TEST_F(IngestStageTest, TruncatedPngFailsDecodeCleanly) {
  const fs::path path = dir_ / "cut.png";
  ASSERT_TRUE(cv::imwrite(path.string(), BgrPattern(200, 100)));
  const std::string bytes = ReadFile(path);
  WriteFile(path, bytes.substr(0, bytes.size() / 2));
  Document doc = DocFor(path);
  ASSERT_TRUE(RunProbe(doc).ok());
  Status s = RunDecode(doc, doc.pages[0]);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  EXPECT_EQ(s.message().rfind("cannot decode the PNG", 0), 0u) << s.message();
}

TEST_F(IngestStageTest, RandomlyCorruptedFilesFailCleanly) {
  // Valid files of each kind, then bytes flipped or the tail cut: every
  // outcome must be a clean Status (or a decoded page), never a crash.
  std::vector<fs::path> seeds = {dir_ / "g4.tif",    dir_ / "lzw.tif",  dir_ / "jpeg.tif",
                                 dir_ / "tiled.tif", dir_ / "seed.png", dir_ / "seed.jpg"};
  WriteTiff(seeds[0], {Bilevel(120, 80, COMPRESSION_CCITTFAX4), Bilevel(50, 20, COMPRESSION_CCITTFAX3)});
  WriteTiff(seeds[1], {Gray8(90, 60, COMPRESSION_LZW)});
  TiffPage jpeg = Rgb8(64, 48, COMPRESSION_JPEG, true);
  jpeg.ycbcr_jpeg = true;
  jpeg.rows_per_strip = 16;
  WriteTiff(seeds[2], {jpeg});
  TiffPage tiled = Rgb8(70, 50, COMPRESSION_ADOBE_DEFLATE);
  tiled.tile = 16;
  WriteTiff(seeds[3], {tiled});
  ASSERT_TRUE(cv::imwrite(seeds[4].string(), BgrPattern(60, 40)));
  ASSERT_TRUE(cv::imwrite(seeds[5].string(), BgrPattern(60, 40)));
  std::mt19937 rng(2024);
  int decoded = 0, refused = 0;
  for (const fs::path& seed : seeds) {
    const std::string original = ReadFile(seed);
    for (int round = 0; round < 40; ++round) {
      std::string bytes = original;
      if (round % 4 == 3) {
        bytes.resize(rng() % bytes.size());
      } else {
        for (int flips = 1 + rng() % 8; flips > 0; --flips)
          bytes[rng() % bytes.size()] = static_cast<char>(rng());
      }
      const fs::path path = dir_ / "mutant";
      WriteFile(path, bytes);
      Document doc = DocFor(path);
      Status s = RunProbe(doc);
      for (Page& page : doc.pages) {
        if (!s.ok()) break;
        s = RunDecode(doc, page);
        if (s.ok()) {
          EXPECT_EQ(page.raster.pixels.size(), page.raster.byte_size());
          EXPECT_GT(page.raster.byte_size(), 0u);
        }
      }
      EXPECT_NE(s.code(), StatusCode::kInternal) << seed << " round " << round << ": " << s.ToString();
      EXPECT_FALSE(!s.ok() && s.message().empty()) << seed << " round " << round;
      (s.ok() ? decoded : refused)++;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(decoded, 0);
}

// ---- Threads ---------------------------------------------------------------------

TEST_F(IngestStageTest, ConcurrentDecodesKeepTheirOwnErrors) {
  const fs::path good = dir_ / "good.tif";
  WriteTiff(good, {Bilevel(300, 200, COMPRESSION_CCITTFAX4), Gray8(120, 90, COMPRESSION_LZW)});
  // Two damaged files whose messages differ (different rows fail).
  std::vector<Document> bad_docs;
  for (int height : {200, 120}) {
    const fs::path bad = dir_ / ("bad" + std::to_string(height) + ".tif");
    const uint32_t bytes = 200 * height;
    const std::string full = HandMadeTiff(GrayEntries(200, height, bytes), std::string(bytes, '\x80'));
    WriteFile(bad, full.substr(0, full.size() / 2));
    bad_docs.push_back(DocFor(bad));
    ASSERT_TRUE(RunProbe(bad_docs.back()).ok());
  }
  Document good_doc = DocFor(good);
  ASSERT_TRUE(RunProbe(good_doc).ok());
  // Reference messages, one thread.
  std::vector<std::string> expected;
  for (const Document& doc : bad_docs) {
    Page page;
    expected.push_back(RunDecode(doc, page).message());
  }
  ASSERT_NE(expected[0], expected[1]);

  std::unique_ptr<PageStage> stage = NewIngestDecodeStage({});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto worker = stage->NewWorker();
      for (int round = 0; round < 20; ++round) {
        if (t == 0) {
          for (int i = 0; i < 2; ++i) {
            Page page;
            page.index = i;
            Status s = (*worker)->Process(good_doc, page);
            if (!s.ok() || (i == 0 && CountMismatches(page.raster, BilevelExpected) != 0)) ++failures;
          }
        } else {
          const int which = (t + round) % 2;
          Page page;
          Status s = (*worker)->Process(bad_docs[which], page);
          if (s.message() != expected[which]) {
            ADD_FAILURE() << "thread " << t << " got: " << s.message();
            ++failures;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace sohoa
