// Costs of the page encoder and the PDF/A writer on A4 pages.
//
//   BM_Encode_JpegRgb300dpi        one colour A4 page at 300 dpi -> JPEG q80
//   BM_Encode_G4                   one bilevel A4 page at 300 dpi -> CCITT G4
//   BM_PdfWriter_TenPagesGray300dpi a ten-page gray document (already encoded,
//                                  30 OCR lines a page) -> PDF/A-2b + text,
//                                  written and fsync'ed to a temp directory
// Counters: bytes_per_page is the encoded (or PDF) size per page.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <vector>

#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"

namespace sohoa {
namespace {

constexpr int kA4Width300 = 2480, kA4Height300 = 3508;

// A scan-like page: paper grain (small noise) and rows of dark glyph blobs.
Raster ScanLikePage(PixelKind kind, unsigned seed) {
  Raster r;
  r.Allocate(kA4Width300, kA4Height300, kind);
  r.dpi_x = r.dpi_y = 300;
  std::mt19937 rng(seed);
  const int ch = r.channels();
  if (kind != PixelKind::kBilevel) {
    // Grain in 4x4 cells: scanner noise is not independent per pixel, and
    // i.i.d. noise would make JPEG sizes unrealistically large.
    std::vector<uint8_t> cells((kA4Width300 / 4 + 1) * (kA4Height300 / 4 + 1));
    for (uint8_t& v : cells) v = static_cast<uint8_t>(246 + rng() % 6);
    for (int y = 0; y < kA4Height300; ++y) {
      for (int x = 0; x < kA4Width300; ++x) {
        const uint8_t v = cells[(y / 4) * (kA4Width300 / 4 + 1) + x / 4];
        for (int c = 0; c < ch; ++c) r.row(y)[x * ch + c] = v;
      }
    }
  }
  for (int top = 300; top + 60 < kA4Height300 - 300; top += 90) {
    for (int x = 250; x + 40 < kA4Width300 - 250; x += 36 + static_cast<int>(rng() % 20)) {
      const int w = 14 + static_cast<int>(rng() % 18), h = 30 + static_cast<int>(rng() % 20);
      for (int y = top; y < top + h; ++y) {
        for (int xx = x; xx < x + w; ++xx) {
          if (((xx - x) / 5 + (y - top) / 5) % 3 == 0) continue;  // strokes, not slabs
          for (int c = 0; c < ch; ++c) {
            r.row(y)[xx * ch + c] = kind == PixelKind::kBilevel ? 0 : 40;
          }
        }
      }
    }
  }
  return r;
}

void EncodeBenchmark(benchmark::State& state, PixelKind kind) {
  const Raster raster = ScanLikePage(kind, 1);
  size_t bytes = 0;
  for (auto _ : state) {
    StatusOr<EncodedImage> image = EncodeRaster(raster, EncodeOptions{}.jpeg_quality);
    if (!image.ok()) {
      state.SkipWithError(image.status().ToString().c_str());
      return;
    }
    bytes = image->data.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes_per_page"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations());
}

void BM_Encode_JpegRgb300dpi(benchmark::State& state) { EncodeBenchmark(state, PixelKind::kRgb); }
void BM_Encode_G4(benchmark::State& state) { EncodeBenchmark(state, PixelKind::kBilevel); }

void BM_PdfWriter_TenPagesGray300dpi(benchmark::State& state) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sohoa-bench-pdf-" + std::to_string(getpid()));
  Document doc;
  doc.relative_path = "bench/mười trang.tif";
  doc.sha256 = std::string(64, 'c');
  doc.staging_dir = dir.string();
  for (int i = 0; i < 10; ++i) {
    Page page;
    page.index = i;
    StatusOr<EncodedImage> image = EncodeRaster(ScanLikePage(PixelKind::kGray, i), 80);
    if (!image.ok()) {
      state.SkipWithError(image.status().ToString().c_str());
      return;
    }
    page.image = std::move(image).value();
    for (int l = 0; l < 30; ++l) {
      OcrLine line;
      line.box = {250, 300 + 90 * l, 2200, 350 + 90 * l};
      line.baseline_y = 340 + 90 * l;
      for (int w = 0; w < 8; ++w) {
        line.words.push_back({"Nguyễn", {250 + 240 * w, line.box.top, 440 + 240 * w, line.box.bottom}, 90});
      }
      page.ocr.lines.push_back(line);
    }
    doc.pages.push_back(std::move(page));
  }
  PdfWriterOptions options;
  options.deterministic = true;
  auto worker = NewPdfWriterStage(options)->NewWorker();
  if (!worker.ok()) {
    state.SkipWithError(worker.status().ToString().c_str());
    return;
  }
  uint64_t pdf_bytes = 0;
  for (auto _ : state) {
    Status s = (*worker)->Process(doc);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    pdf_bytes = doc.FindOutput("pdf")->bytes;
  }
  state.counters["bytes_per_page"] = static_cast<double>(pdf_bytes) / 10;
  state.counters["pages"] = benchmark::Counter(10.0 * state.iterations(), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(dir);
}

BENCHMARK(BM_Encode_JpegRgb300dpi)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Encode_G4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PdfWriter_TenPagesGray300dpi)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
