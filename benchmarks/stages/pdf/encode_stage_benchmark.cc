// Per-page cost of the encode stage (stages/pdf/encode_stage.h) on A4 pages:
// gray and colour at 300 dpi as JPEG q80 (libjpeg, optimized Huffman
// tables), bilevel at 300 dpi as CCITT G4 (Leptonica). One thread, as one
// worker of the graph. The page is synthetic but scan-like: rows of
// glyph-sized dark marks on paper with sensor noise (noise is what makes
// scanned gray pages expensive to compress). Bytes per page are reported
// as the counter "bytes".
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "stages/pdf/encode_stage.h"

namespace sohoa {
namespace {

Raster ScanLikePage(PixelKind kind, double dpi) {
  const int w = static_cast<int>(8.27 * dpi), h = static_cast<int>(11.69 * dpi);
  Raster r;
  r.Allocate(w, h, kind);
  r.dpi_x = r.dpi_y = dpi;
  const int channels = r.channels();
  std::mt19937 rng(11);
  std::normal_distribution<double> paper(235, kind == PixelKind::kBilevel ? 0 : 6);
  for (int y = 0; y < h; ++y) {
    uint8_t* row = r.row(y);
    for (int x = 0; x < w * channels; ++x) {
      row[x] = kind == PixelKind::kBilevel ? 255 : static_cast<uint8_t>(std::clamp(paper(rng), 0.0, 255.0));
    }
  }
  const int glyph = static_cast<int>(dpi / 12);  // ~2 mm marks, ~12 pt text
  for (int top = h / 10; top + glyph < h * 9 / 10; top += 2 * glyph) {
    for (int x = w / 10; x + glyph < w * 9 / 10; x += glyph + static_cast<int>(rng() % glyph)) {
      const int gw = glyph / 2 + static_cast<int>(rng() % (glyph / 2));
      for (int y = top; y < top + glyph; ++y) {
        for (int xx = x; xx < x + gw; ++xx) {
          if ((xx * 7 + y * 3) % 4 == 0) continue;  // open strokes, not solid blocks
          for (int c = 0; c < channels; ++c) r.row(y)[xx * channels + c] = c == 2 ? 90 : 25;
        }
      }
    }
  }
  return r;
}

void Encode(benchmark::State& state, PixelKind kind) {
  const Raster page = ScanLikePage(kind, 300);
  size_t bytes = 0;
  for (auto _ : state) {
    StatusOr<EncodedImage> image = EncodeRaster(page, 80);
    if (!image.ok()) return state.SkipWithError(image.status().ToString().c_str());
    bytes = image->data.size();
    benchmark::DoNotOptimize(image->data.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_Encode_A4Gray300dpiJpeg(benchmark::State& state) { Encode(state, PixelKind::kGray); }
BENCHMARK(BM_Encode_A4Gray300dpiJpeg)->Unit(benchmark::kMillisecond);

void BM_Encode_A4Rgb300dpiJpeg(benchmark::State& state) { Encode(state, PixelKind::kRgb); }
BENCHMARK(BM_Encode_A4Rgb300dpiJpeg)->Unit(benchmark::kMillisecond);

void BM_Encode_A4Bilevel300dpiG4(benchmark::State& state) { Encode(state, PixelKind::kBilevel); }
BENCHMARK(BM_Encode_A4Bilevel300dpiG4)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
