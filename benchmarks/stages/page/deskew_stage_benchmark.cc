// Per-page cost of the page stages between decode and encoding, on an A4
// page scanned at 300 dpi in gray (2480×3508): orientation (the default
// blank check, and Tesseract OSD as it ran on every page before), deskew
// (measure + rotate) and OCR (Tesseract vie, also downscaled to 200 dpi; and
// on the page upside down, where the OCR stage's orientation fallback probes,
// turns and reads again). One thread, as one worker of the graph.
//
// Input: a clean gray 300-dpi page of the generated samples
// (scripts/make_samples.py --preset test), found through truth.json in
// $SOHOA_SAMPLES_DIR or <build>/test-samples. Text matters here (OSD and
// OCR time depend on it), so no synthetic blocks.
#include <benchmark/benchmark.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "stages/page/deskew_stage.h"
#include "stages/page/leptonica_raster.h"
#include "stages/page/ocr_stage.h"
#include "stages/page/orient_stage.h"

namespace sohoa {
namespace {
namespace fs = std::filesystem;

fs::path SamplesDir() {
  if (const char* dir = std::getenv("SOHOA_SAMPLES_DIR")) return dir;
  return fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "test-samples";
}

// The first clean, upright gray page at 300 dpi; nullopt + message if none.
std::optional<Raster> LoadPage(std::string& error) {
  const fs::path truth_path = SamplesDir() / "truth.json";
  std::ifstream in(truth_path);
  if (!in) {
    error = "no " + truth_path.string() + " (build target test_samples or set SOHOA_SAMPLES_DIR)";
    return std::nullopt;
  }
  nlohmann::json truth = nlohmann::json::parse(in, nullptr, false);
  if (!truth.is_array()) {
    error = truth_path.string() + ": not the expected format";
    return std::nullopt;
  }
  for (const auto& doc : truth) {
    for (const auto& page : doc.value("page_details", nlohmann::json::array())) {
      if (page.value("mode", "") != "gray" || page.value("dpi", 0) != 300 || page.value("bits", 8) != 8 ||
          !page.value("clean", false) || page.value("rotation_degrees", 0) != 0 ||
          page.value("skew_degrees", 0.0) != 0.0) {
        continue;
      }
      const fs::path file = SamplesDir() / doc.value("file", "");
      PixPtr pix = AdoptPix(pixReadTiff(file.c_str(), page.value("index", 0)));
      if (!pix) continue;
      PixPtr gray = AdoptPix(pixConvertTo8(pix.get(), 0));
      StatusOr<Raster> raster = PixToRaster(gray.get(), PixelKind::kGray, 300, 300);
      if (raster.ok()) return std::move(*raster);
    }
  }
  error = "no clean gray 300-dpi TIFF page in " + truth_path.string();
  return std::nullopt;
}

const std::optional<Raster>& Page300(std::string& error) {
  static std::string load_error;
  static const std::optional<Raster> page = LoadPage(load_error);
  error = load_error;
  return page;
}

// The page turned by `degrees` (counter-clockwise content, like a scan).
Raster Skewed(const Raster& raster, double degrees) {
  StatusOr<PixPtr> source = RasterToPix(raster);
  Pix* pix_in = source->get();
  PixPtr rotated = AdoptPix(pixRotate(pix_in, static_cast<float>(-degrees * M_PI / 180.0), L_ROTATE_AREA_MAP,
                                      L_BRING_IN_WHITE, 0, 0));
  return std::move(*PixToRaster(rotated.get(), raster.kind, raster.dpi_x, raster.dpi_y));
}

void RunStage(benchmark::State& state, const PageStage& stage, const Raster& input) {
  auto worker = stage.NewWorker();
  if (!worker.ok()) {
    state.SkipWithError(worker.status().ToString().c_str());
    return;
  }
  Document document;
  for (auto _ : state) {
    state.PauseTiming();
    Page page;
    page.raster = input;
    state.ResumeTiming();
    Status s = (*worker)->Process(document, page);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(page.raster.pixels.data());
  }
}

void BM_Deskew_A4Gray300dpi(benchmark::State& state) {
  std::string error;
  const auto& page = Page300(error);
  if (!page) return state.SkipWithError(error.c_str());
  const Raster skewed = Skewed(*page, 3.0);  // measured and rotated back
  RunStage(state, *NewDeskewStage(), skewed);
}
BENCHMARK(BM_Deskew_A4Gray300dpi)->Unit(benchmark::kMillisecond);

void BM_Orient_A4Gray300dpi(benchmark::State& state) {
  std::string error;
  const auto& page = Page300(error);
  if (!page) return state.SkipWithError(error.c_str());
  RunStage(state, *NewOrientStage(), *page);  // blank check only (default)
}
BENCHMARK(BM_Orient_A4Gray300dpi)->Unit(benchmark::kMillisecond);

void BM_Orient_A4Gray300dpiOsd(benchmark::State& state) {
  std::string error;
  const auto& page = Page300(error);
  if (!page) return state.SkipWithError(error.c_str());
  OrientOptions options;
  options.detect_orientation = true;  // Tesseract OSD on the page
  RunStage(state, *NewOrientStage(options), *page);
}
BENCHMARK(BM_Orient_A4Gray300dpiOsd)->Unit(benchmark::kMillisecond);

void BM_Ocr_A4Gray300dpi(benchmark::State& state) {
  std::string error;
  const auto& page = Page300(error);
  if (!page) return state.SkipWithError(error.c_str());
  OcrOptions options;
  options.recognition_dpi_max = static_cast<double>(state.range(0));
  RunStage(state, *NewOcrStage(options), *page);
}
// Argument: recognition_dpi_max (0 = full resolution).
BENCHMARK(BM_Ocr_A4Gray300dpi)->Arg(0)->Arg(200)->Unit(benchmark::kMillisecond);

// The page scanned upside down: recognition, probe(s), turn, deskew, second
// recognition (OcrOptions::correct_orientation).
void BM_Ocr_A4Gray300dpiUpsideDown(benchmark::State& state) {
  std::string error;
  const auto& page = Page300(error);
  if (!page) return state.SkipWithError(error.c_str());
  Raster turned = *page;
  if (!RotateRasterClockwise(turned, 180).ok()) return state.SkipWithError("rotate failed");
  RunStage(state, *NewOcrStage(), turned);
}
BENCHMARK(BM_Ocr_A4Gray300dpiUpsideDown)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
