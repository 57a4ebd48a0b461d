// Decode time of one A4 page scanned at 300 dpi (2480×3508 pixels), the
// commune's common case, per TIFF flavour. Inputs are generated in setup:
// white paper with faint noise and rows of dark "word" blocks, so the codecs
// see roughly the entropy of a real scan.
#include <benchmark/benchmark.h>
#include <tiffio.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "stages/decode/ingest_stage.h"

namespace sohoa {
namespace {

constexpr int kWidth = 2480, kHeight = 3508;  // A4 at 300 dpi

bool InWord(int x, int y) {
  const int line = y / 60, in_line = y % 60;
  if (y < 250 || y > kHeight - 250 || x < 200 || x > kWidth - 200 || in_line > 30) return false;
  const int word = (x + line * 37) / 90;
  return (x + line * 37) % 90 < 70 && (word * 7 + line) % 5 != 0 && ((x / 3 + y / 2) % 4 != 0);
}

std::string WriteA4(const std::string& name, uint16_t compression, int bps, int spp) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sohoa_bench_" + name + "_" + std::to_string(::getpid()) + ".tif"))
                               .string();
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, kWidth);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, kHeight);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bps);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
  TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0f);
  TIFFSetField(tif, TIFFTAG_YRESOLUTION, 300.0f);
  TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  if (bps == 1) {
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
  } else if (spp == 3) {
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
    TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 85);
  } else {
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  }
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, bps == 1 ? kHeight : 64);
  std::mt19937 rng(1);
  std::vector<uint8_t> row(TIFFScanlineSize(tif));
  for (int y = 0; y < kHeight; ++y) {
    std::fill(row.begin(), row.end(), 0);
    for (int x = 0; x < kWidth; ++x) {
      const bool ink = InWord(x, y);
      if (bps == 1) {
        if (ink) row[x / 8] |= 0x80 >> (x % 8);
      } else {
        const uint8_t v = ink ? 30 + rng() % 20 : 232 + rng() % 8;
        for (int c = 0; c < spp; ++c) row[x * spp + c] = c == 0 && ink && spp == 3 ? 120 : v;
      }
    }
    TIFFWriteScanline(tif, row.data(), y, 0);
  }
  TIFFClose(tif);
  return path;
}

void DecodeA4(benchmark::State& state, const std::string& name, uint16_t compression, int bps, int spp) {
  const std::string path = WriteA4(name, compression, bps, spp);
  Document doc;
  doc.source_path = path;
  auto probe = NewIngestProbeStage({})->NewWorker();
  if (!(*probe)->Process(doc).ok()) {
    state.SkipWithError("probe failed");
    return;
  }
  auto stage = NewIngestDecodeStage({});
  auto worker = stage->NewWorker();
  for (auto _ : state) {
    Page page;
    Status s = (*worker)->Process(doc, page);
    if (!s.ok()) {
      state.SkipWithError(s.message().c_str());
      break;
    }
    benchmark::DoNotOptimize(page.raster.pixels.data());
  }
  state.counters["file_MB"] = std::filesystem::file_size(path) / 1e6;
  state.counters["pages/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  std::filesystem::remove(path);
}

void BM_Ingest_DecodeTiffLzwGray300dpi(benchmark::State& state) {
  DecodeA4(state, "lzw_gray", COMPRESSION_LZW, 8, 1);
}
BENCHMARK(BM_Ingest_DecodeTiffLzwGray300dpi)->Unit(benchmark::kMillisecond);

void BM_Ingest_DecodeTiffG4(benchmark::State& state) { DecodeA4(state, "g4", COMPRESSION_CCITTFAX4, 1, 1); }
BENCHMARK(BM_Ingest_DecodeTiffG4)->Unit(benchmark::kMillisecond);

void BM_Ingest_DecodeTiffJpegRgb300dpi(benchmark::State& state) {
  DecodeA4(state, "jpeg_rgb", COMPRESSION_JPEG, 8, 3);
}
BENCHMARK(BM_Ingest_DecodeTiffJpegRgb300dpi)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
