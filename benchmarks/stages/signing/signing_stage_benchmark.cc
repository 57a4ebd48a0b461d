// Cost of signing one document: staff + organisation PAdES signatures (two
// incremental updates, two CMS with PKCS#12 RSA-2048 keys, DejaVu subset and
// seal appearances) on a one-page A4 PDF/A-2b from the real writer. The test
// PKI comes from scripts/test-pki/make-test-pki.sh in a temporary folder.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "build_paths.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"
#include "stages/signing/signing_stage.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Fixture {
  fs::path dir;
  Document doc;
  std::string unsigned_pdf;
  std::unique_ptr<DocumentStage> stage;
  std::string error;
};

Fixture& Setup() {
  static Fixture* f = [] {
    auto* f = new Fixture;
    f->dir = fs::temp_directory_path() / ("sohoa-sign-bench-" + std::to_string(::getpid()));
    fs::create_directories(f->dir);
    const std::string pki = (f->dir / "pki").string();
    if (std::system(
            ("'" SOHOA_SOURCE_DIR "/scripts/test-pki/make-test-pki.sh' '" + pki + "' >/dev/null").c_str()) !=
        0) {
      f->error = "make-test-pki.sh failed";
      return f;
    }
    const std::string seal = (f->dir / "seal.png").string();
    std::system(("/usr/bin/python3 -c \"from PIL import Image, ImageDraw\n"
                 "im = Image.new('RGBA', (472, 472), (0, 0, 0, 0))\n"
                 "ImageDraw.Draw(im).ellipse((4, 4, 467, 467), outline=(220, 20, 20, 255), width=18)\n"
                 "im.save('" +
                 seal + "', dpi=(300, 300))\"")
                    .c_str());
    Page page;
    page.raster.Allocate(1654, 2339, PixelKind::kGray);
    page.raster.dpi_x = page.raster.dpi_y = 200;
    for (int y = 0; y < 2339; ++y) {
      uint8_t* row = page.raster.row(y);
      for (int x = 0; x < 1654; ++x) row[x] = (y > 400 && y < 1800 && y % 40 < 16 && (x / 9) % 3) ? 40 : 255;
    }
    Document unused;
    auto encoder = NewEncodeStage(EncodeOptions{})->NewWorker();
    if (!encoder.ok() || !(*encoder)->Process(unused, page).ok()) {
      f->error = "encode failed";
      return f;
    }
    f->doc.sha256 = std::string(64, 'c');
    f->doc.relative_path = "bench.tif";
    f->doc.staging_dir = (f->dir / "staging").string();
    f->doc.pages.push_back(std::move(page));
    PdfWriterOptions pdf;
    pdf.deterministic = true;
    auto writer = NewPdfWriterStage(pdf)->NewWorker();
    if (!writer.ok() || !(*writer)->Process(f->doc).ok()) {
      f->error = "PDF writer failed";
      return f;
    }
    f->unsigned_pdf = Slurp(f->doc.FindOutput("pdf")->staged_path);
    SigningOptions o;
    o.staff.key_spec = pki + "/staff.p12";
    o.staff.secret = "test-secret";
    o.org.key_spec = pki + "/org.p12";
    o.org.secret = "test-secret";
    o.org_seal_png = seal;
    auto stage = OpenSigningStage(o);
    if (!stage.ok()) {
      f->error = stage.status().ToString();
      return f;
    }
    f->stage = std::move(stage).value();
    return f;
  }();
  return *f;
}

void BM_Signing_Pkcs12TwoSignatures(benchmark::State& state) {
  Fixture& f = Setup();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  auto worker = f.stage->NewWorker();
  const std::string path = f.doc.FindOutput("pdf")->staged_path;
  size_t signed_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << f.unsigned_pdf;
    Document doc = f.doc;
    state.ResumeTiming();
    Status s = (*worker)->Process(doc);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    signed_bytes = doc.FindOutput("pdf")->bytes;
  }
  state.counters["bytes_added"] = static_cast<double>(signed_bytes - f.unsigned_pdf.size());
  state.counters["unsigned_bytes"] = static_cast<double>(f.unsigned_pdf.size());
}
BENCHMARK(BM_Signing_Pkcs12TwoSignatures)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
