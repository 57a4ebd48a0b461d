// Test helper for the page stages (orient, deskew, OCR): loads the generated
// scans of scripts/make_samples.py (SamplesDir()/truth.json) and real-world
// pages into Rasters with Leptonica. Header-only, test code only.
//
// truth.json (format: samples/README.md) is read tolerantly: any object with
// a "page_details" (or "pages") array and a file name ("file", "path", "name"
// or "filename", relative to SamplesDir()) is a document; each page object
// gives "index", "text" (string, or array of lines; or
// "lines"), "skew_degrees"/"skew", "rotation_degrees"/"rotation", "dpi",
// "mode" ("bilevel", "gray", "rgb"/"color"), "clean"/"noise".
#pragma once

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/raster.h"
#include "stages/page/leptonica_raster.h"
#include "stages/page/ocr_stage.h"
#include "tests/test_support.h"

namespace sohoa::testing {

struct SamplePage {
  std::filesystem::path file;
  int page = 0;  // 0-based page within the file
  std::string text;
  double skew_degrees = 0;
  int rotation_degrees = 0;  // clockwise rotation the scan was given
  double dpi = 300;
  std::string mode;    // as written in truth.json
  bool clean = false;  // no noise/blur added
};

inline std::string JoinText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  std::string out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (!out.empty()) out += '\n';
      out += JoinText(item);
    }
  }
  return out;
}

// All pages of truth.json; fails the calling test (ADD_FAILURE) when the
// samples are missing: they are part of the build (target test_samples).
inline std::vector<SamplePage> LoadSamplePages() {
  const std::filesystem::path truth = SamplesDir() / "truth.json";
  std::vector<SamplePage> pages;
  std::ifstream in(truth);
  if (!in) {
    ADD_FAILURE() << "generated samples missing: " << truth
                  << " (build the test_samples target: scripts/make_samples.py)";
    return pages;
  }
  nlohmann::json root = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    ADD_FAILURE() << truth << " is not valid JSON";
    return pages;
  }
  auto number = [](const nlohmann::json& o, std::initializer_list<const char*> keys, double fallback) {
    for (const char* k : keys) {
      if (o.contains(k) && o[k].is_number()) return o[k].get<double>();
    }
    return fallback;
  };
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
    if (node.is_array()) {
      for (const auto& item : node) walk(item);
      return;
    }
    if (!node.is_object()) return;
    std::string file;
    for (const char* k : {"file", "path", "name", "filename"}) {
      if (node.contains(k) && node[k].is_string()) {
        file = node[k].get<std::string>();
        break;
      }
    }
    const char* list = node.contains("page_details") ? "page_details" : "pages";
    if (!file.empty() && node.contains(list) && node[list].is_array()) {
      int index = 0;
      for (const auto& p : node[list]) {
        SamplePage page;
        page.file = SamplesDir() / file;
        page.page = static_cast<int>(number(p, {"index"}, index));
        ++index;
        if (p.contains("text"))
          page.text = JoinText(p["text"]);
        else if (p.contains("lines"))
          page.text = JoinText(p["lines"]);
        page.skew_degrees = number(p, {"skew_degrees", "skew"}, 0);
        page.rotation_degrees = static_cast<int>(number(p, {"rotation_degrees", "rotation"}, 0));
        page.dpi = number(p, {"dpi"}, number(node, {"dpi"}, 300));
        if (p.contains("mode") && p["mode"].is_string())
          page.mode = p["mode"];
        else if (node.contains("mode") && node["mode"].is_string())
          page.mode = node["mode"];
        if (p.contains("clean") && p["clean"].is_boolean())
          page.clean = p["clean"];
        else
          page.clean = number(p, {"noise"}, 1) == 0;
        pages.push_back(std::move(page));
      }
      return;
    }
    for (const auto& [key, value] : node.items()) walk(value);
  };
  walk(root);
  if (pages.empty()) ADD_FAILURE() << truth << " lists no pages";
  return pages;
}

// Reads page `page` of an image file (TIFF pages, PNG, JPEG; PDF pages are
// rendered with pdftoppm at `dpi`) into a Raster of the file's kind.
inline std::optional<Raster> LoadRaster(const std::filesystem::path& file, int page = 0, double dpi = 300) {
  PixPtr pix;
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".pdf") {
    ScratchDir dir("pdfpage");
    const std::string prefix = (dir.path() / "p").string();
    CommandResult r = RunCommand("pdftoppm -r " + std::to_string(static_cast<int>(dpi)) + " -f " +
                                 std::to_string(page + 1) + " -l " + std::to_string(page + 1) +
                                 " -png -singlefile " + Quote(file.string()) + " " + Quote(prefix));
    if (r.exit_code != 0) {
      ADD_FAILURE() << "pdftoppm failed on " << file << ": " << r.output;
      return std::nullopt;
    }
    pix = AdoptPix(pixRead((prefix + ".png").c_str()));
    if (pix) pixSetResolution(pix.get(), static_cast<int>(dpi), static_cast<int>(dpi));
  } else if (ext == ".tif" || ext == ".tiff") {
    pix = AdoptPix(pixReadTiff(file.string().c_str(), page));
  } else {
    pix = AdoptPix(pixRead(file.string().c_str()));
  }
  if (!pix) {
    ADD_FAILURE() << "Leptonica cannot read page " << page << " of " << file;
    return std::nullopt;
  }
  if (pixGetColormap(pix.get()) != nullptr) {
    pix = AdoptPix(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  }
  if (pixGetDepth(pix.get()) == 16) pix = AdoptPix(pixConvert16To8(pix.get(), L_MS_BYTE));
  if (pixGetDepth(pix.get()) == 24) pix = AdoptPix(pixConvert24To32(pix.get()));
  if (pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4) {
    pix = AdoptPix(pixRemoveAlpha(pix.get()));
  }
  const int depth = pixGetDepth(pix.get());
  if (depth != 1 && depth != 8 && depth != 32) pix = AdoptPix(pixConvertTo8(pix.get(), 0));
  const PixelKind kind = depth == 1 ? PixelKind::kBilevel : depth == 32 ? PixelKind::kRgb : PixelKind::kGray;
  double xres = pixGetXRes(pix.get()), yres = pixGetYRes(pix.get());
  if (xres <= 0) xres = dpi;
  if (yres <= 0) yres = dpi;
  StatusOr<Raster> raster = PixToRaster(pix.get(), kind, xres, yres);
  if (!raster.ok()) {
    ADD_FAILURE() << raster.status().ToString();
    return std::nullopt;
  }
  return std::move(*raster);
}

inline std::optional<Raster> LoadSampleRaster(const SamplePage& page) {
  return LoadRaster(page.file, page.page, page.dpi);
}

// The first clean, upright, unskewed, non-empty page (gray preferred).
inline std::optional<SamplePage> FindCleanPage(const std::vector<SamplePage>& pages) {
  const SamplePage* best = nullptr;
  for (const SamplePage& p : pages) {
    if (!p.clean || p.skew_degrees != 0 || p.rotation_degrees != 0 || p.text.size() < 200) continue;
    if (p.file.extension() == ".pdf") continue;
    if (best == nullptr || (p.mode == "gray" && best->mode != "gray")) best = &p;
  }
  if (best == nullptr) {
    ADD_FAILURE() << "no clean upright page with text in " << SamplesDir() / "truth.json";
    return std::nullopt;
  }
  return *best;
}

// Leptonica rotation of a gray/bilevel/RGB raster by `degrees`, positive =
// counter-clockwise content (a scan with skew +degrees), white corners,
// same size; kind kept (bilevel re-thresholded at 128).
inline Raster SkewRaster(const Raster& raster, double degrees) {
  StatusOr<PixPtr> pix = RasterToPix(raster);
  EXPECT_TRUE(pix.ok());
  PixPtr rotated = AdoptPix(pixRotate(pix->get(), static_cast<float>(-degrees * M_PI / 180.0),
                                      L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  StatusOr<Raster> out = PixToRaster(rotated.get(), raster.kind, raster.dpi_x, raster.dpi_y);
  EXPECT_TRUE(out.ok());
  return std::move(*out);
}

// `page` read by a fresh OCR stage worker with `options`: the text, the
// page left as the stage leaves it. Failures are the calling test's.
inline std::string ReadWithOcrStage(Page& page, const OcrOptions& options) {
  auto worker = NewOcrStage(options)->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  if (!worker.ok()) return "";
  Document document;
  const Status status = (*worker)->Process(document, page);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return page.ocr.Text();
}

// The image at `file` (no recorded resolution: 300 dpi) read by a fresh OCR
// stage worker with `options`; `*page` (optional) is left as the stage
// leaves it, for tests that check what it kept of the scan.
inline std::string ReadImageWithOcrStage(const std::filesystem::path& file, const OcrOptions& options,
                                         Page* page = nullptr) {
  std::optional<Raster> raster = LoadRaster(file, 0, 300);
  EXPECT_TRUE(raster.has_value()) << file;
  if (!raster) return "";
  Page local;
  Page& read = page ? *page : local;
  read.raster = std::move(*raster);
  return ReadWithOcrStage(read, options);
}

}  // namespace sohoa::testing
