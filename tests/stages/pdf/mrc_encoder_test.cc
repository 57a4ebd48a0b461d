// MRC page images (issue 19) on a generated colour scan with a red seal,
// checked with tools nobody here wrote: qpdf, PDFBox Preflight, poppler
// (pdfimages, pdftotext, pdftoppm) and the tesseract command line.
#include "stages/pdf/mrc_encoder.h"

#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <string>

#include "build_paths.h"
#include "stages/page/ocr_stage.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"
#include "tests/stages/page/page_samples.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Quote;
using testing::RunCommand;
using testing::ScratchDir;

// The 300-dpi clean colour certificate with its red seal (make_samples.py
// test plan, t06).
std::optional<testing::SamplePage> ColourSealPage() {
  for (const testing::SamplePage& page : testing::LoadSamplePages()) {
    if (page.file.filename().string().rfind("t06_", 0) == 0) return page;
  }
  ADD_FAILURE() << "t06 colour sample missing from " << testing::SamplesDir();
  return std::nullopt;
}

inline bool SealRed(const uint8_t* p) { return p[0] > 150 && p[1] < 110 && p[2] < 110; }

// The page OCRed by the real OCR stage, then encoded in `mode` and written
// as a one-page PDF/A at `level`; returns the PDF's path.
std::string WritePdf(const Raster& raster, ImageMode mode, PdfALevel level, const fs::path& staging,
                     const OcrResult* ocr_in, OcrResult* ocr_out) {
  Document doc;
  doc.relative_path = "t06.tif";
  doc.sha256 = std::string(64, mode == ImageMode::kMrc ? 'a' : 'b');
  doc.staging_dir = staging.string();
  Page page;
  page.raster = raster;
  if (ocr_in != nullptr) {
    page.ocr = *ocr_in;
  } else {
    auto ocr = NewOcrStage({})->NewWorker();
    EXPECT_TRUE(ocr.ok());
    EXPECT_TRUE((*ocr)->Process(doc, page).ok());
    if (ocr_out != nullptr) *ocr_out = page.ocr;
  }
  EncodeOptions encode;
  encode.image_mode = mode;
  auto encoder = NewEncodeStage(encode)->NewWorker();
  EXPECT_TRUE(encoder.ok());
  Status s = (*encoder)->Process(doc, page);
  EXPECT_TRUE(s.ok()) << s.ToString();
  doc.pages.push_back(std::move(page));
  PdfWriterOptions options;
  options.level = level;
  options.deterministic = true;
  auto writer = NewPdfWriterStage(options)->NewWorker();
  EXPECT_TRUE(writer.ok());
  s = (*writer)->Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  const OutputFile* out = doc.FindOutput("pdf");
  return out != nullptr ? out->staged_path : "";
}

std::string Tesseract(const std::string& image) {
  auto run = RunCommand("tesseract " + Quote(image) + " stdout -l vie 2>/dev/null");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  return run.output;
}

// qpdf finds nothing wrong in either file and PDFBox Preflight calls the
// 1b one valid PDF/A-1b (Preflight checks only part 1; the 2b file differs
// in version and XMP, not in its images).
void ExpectValidPdfA(const std::string& pdf1b, const std::string& pdf2b) {
  for (const std::string& pdf : {pdf1b, pdf2b}) {
    auto check = RunCommand("qpdf --check " + Quote(pdf));
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
  auto preflight =
      RunCommand(Quote(std::string(SOHOA_SOURCE_DIR) + "/scripts/preflight.sh") + " " + Quote(pdf1b));
  EXPECT_EQ(preflight.exit_code, 0) << preflight.output;
  EXPECT_NE(preflight.output.find("is a valid PDF/A-1b file"), std::string::npos) << preflight.output;
}

TEST(MrcEncoderTest, ColourScanStaysLegibleValidAndKeepsItsRedSeal) {
  const auto sample = ColourSealPage();
  ASSERT_TRUE(sample.has_value());
  const auto raster = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(raster.has_value());
  ASSERT_EQ(raster->kind, PixelKind::kRgb);
  ScratchDir dir("mrc_encoder");

  OcrResult ocr;
  const std::string mrc_pdf = WritePdf(*raster, ImageMode::kMrc, PdfALevel::k1b, dir / "mrc", nullptr, &ocr);
  const std::string jpeg_pdf = WritePdf(*raster, ImageMode::kJpeg, PdfALevel::k1b, dir / "jpeg", &ocr, nullptr);
  const std::string mrc2b_pdf = WritePdf(*raster, ImageMode::kMrc, PdfALevel::k2b, dir / "mrc2b", &ocr, nullptr);
  ASSERT_FALSE(mrc_pdf.empty());
  ASSERT_FALSE(jpeg_pdf.empty());
  ASSERT_FALSE(mrc2b_pdf.empty());

  // Really MRC: a JPEG background at half the resolution and a G4 stencil.
  auto images = RunCommand("pdfimages -list " + Quote(mrc_pdf));
  EXPECT_NE(images.output.find("stencil"), std::string::npos) << images.output;
  EXPECT_NE(images.output.find("ccitt"), std::string::npos) << images.output;
  EXPECT_NE(images.output.find("jpeg"), std::string::npos) << images.output;
  const auto mrc_bytes = fs::file_size(mrc_pdf), jpeg_bytes = fs::file_size(jpeg_pdf);
  EXPECT_LT(mrc_bytes * 2, jpeg_bytes) << "MRC " << mrc_bytes << " B, JPEG " << jpeg_bytes << " B";

  ExpectValidPdfA(mrc_pdf, mrc2b_pdf);

  // The text layer is the same words in the same places.
  auto text_mrc = RunCommand("pdftotext -layout -enc UTF-8 " + Quote(mrc_pdf) + " -");
  auto text_jpeg = RunCommand("pdftotext -layout -enc UTF-8 " + Quote(jpeg_pdf) + " -");
  EXPECT_EQ(text_mrc.exit_code, 0);
  EXPECT_GT(text_mrc.output.size(), 200u);
  EXPECT_EQ(text_mrc.output, text_jpeg.output);

  // Legible: Tesseract on the rendered MRC page within half a CER point of
  // Tesseract on the scan itself.
  const std::string rendered = (dir / "render").string();
  auto render = RunCommand("pdftoppm -r 300 -png -singlefile " + Quote(mrc_pdf) + " " + Quote(rendered));
  ASSERT_EQ(render.exit_code, 0) << render.output;
  const double cer_scan = testing::CharacterErrorRate(sample->text, Tesseract(sample->file.string()));
  const double cer_mrc = testing::CharacterErrorRate(sample->text, Tesseract(rendered + ".png"));
  std::cout << "CER scan " << cer_scan << ", MRC " << cer_mrc << "; bytes MRC " << mrc_bytes << ", JPEG "
            << jpeg_bytes << "\n";
  EXPECT_LE(cer_mrc, cer_scan + 0.005);

  // The red seal renders red: over the scan's strongly red pixels the
  // rendering is red too (not painted black by the mask, not grayed).
  const auto back = testing::LoadRaster(rendered + ".png", 0, 300);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->kind, PixelKind::kRgb);
  ASSERT_EQ(back->width, raster->width);
  ASSERT_EQ(back->height, raster->height);
  double sum[3] = {0, 0, 0};
  long red_pixels = 0;
  for (int y = 0; y < raster->height; ++y) {
    for (int x = 0; x < raster->width; ++x) {
      if (!SealRed(raster->row(y) + 3 * x)) continue;
      const uint8_t* p = back->row(y) + 3 * x;
      for (int c = 0; c < 3; ++c) sum[c] += p[c];
      ++red_pixels;
    }
  }
  ASSERT_GT(red_pixels, 1000) << "the sample has no red seal";
  const double r = sum[0] / red_pixels, g = sum[1] / red_pixels, b = sum[2] / red_pixels;
  std::cout << "seal " << red_pixels << " px, rendered mean " << r << "," << g << "," << b << "\n";
  EXPECT_GT(r, 140);
  EXPECT_GT(r - g, 60);
  EXPECT_GT(r - b, 60);
}

// --image-mode lossless: the page in the PDF is the raster, pixel for
// pixel (poppler's pdfimages decodes the Flate stream), valid PDF/A-1b
// (Preflight) and a sound PDF/A-2b (qpdf), colour and gray alike.
TEST(MrcEncoderTest, LosslessModeKeepsEveryPixel) {
  const auto sample = ColourSealPage();
  ASSERT_TRUE(sample.has_value());
  const auto colour = testing::LoadSampleRaster(*sample);
  ASSERT_TRUE(colour.has_value());
  Raster gray;
  gray.Allocate(colour->width, colour->height, PixelKind::kGray);
  gray.dpi_x = gray.dpi_y = colour->dpi_x;
  for (int y = 0; y < gray.height; ++y) {
    for (int x = 0; x < gray.width; ++x) gray.row(y)[x] = GrayAt(*colour, x, y);
  }
  ScratchDir dir("lossless");
  const OcrResult no_text;
  for (const Raster* raster : {&*colour, static_cast<const Raster*>(&gray)}) {
    const std::string name = raster->kind == PixelKind::kRgb ? "rgb" : "gray";
    const std::string pdf1b =
        WritePdf(*raster, ImageMode::kLossless, PdfALevel::k1b, dir / (name + "1b"), &no_text, nullptr);
    const std::string pdf2b =
        WritePdf(*raster, ImageMode::kLossless, PdfALevel::k2b, dir / (name + "2b"), &no_text, nullptr);
    ASSERT_FALSE(pdf1b.empty());
    ASSERT_FALSE(pdf2b.empty());
    ExpectValidPdfA(pdf1b, pdf2b);

    auto list = RunCommand("pdfimages -list " + Quote(pdf2b));
    EXPECT_EQ(list.output.find("jpeg"), std::string::npos) << list.output;
    const std::string prefix = (dir / name).string();
    auto extract = RunCommand("pdfimages -png " + Quote(pdf2b) + " " + Quote(prefix));
    ASSERT_EQ(extract.exit_code, 0) << extract.output;
    const auto back = testing::LoadRaster(prefix + "-000.png", 0, 300);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->kind, raster->kind);
    ASSERT_EQ(back->width, raster->width);
    ASSERT_EQ(back->height, raster->height);
    EXPECT_TRUE(back->pixels == raster->pixels) << name << ": the PDF's pixels differ from the page's";
    std::cout << name << " lossless PDF " << fs::file_size(pdf2b) << " B\n";
  }
}

TEST(MrcEncoderTest, PageWithoutInkHasNoMask) {
  Raster paper;
  paper.Allocate(600, 800, PixelKind::kRgb);
  paper.dpi_x = paper.dpi_y = 300;
  auto image = EncodeMrc(paper, OcrResult{}, MrcOptions{});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_TRUE(image->masks.empty());
  // The encode stage then stores it as one plain JPEG at full resolution.
  EncodeOptions options;
  auto plain = EncodeRaster(paper, OcrResult{}, options);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->masks.empty());
  EXPECT_EQ(plain->codec, EncodedImage::Codec::kJpeg);
  EXPECT_EQ(plain->width, 600);
}

TEST(MrcEncoderTest, RejectsBilevelAndResolutionlessRasters) {
  Raster bilevel;
  bilevel.Allocate(10, 10, PixelKind::kBilevel);
  bilevel.dpi_x = bilevel.dpi_y = 300;
  EXPECT_EQ(EncodeMrc(bilevel, OcrResult{}, MrcOptions{}).status().code(), StatusCode::kInvalidInput);
  Raster gray;
  gray.Allocate(10, 10, PixelKind::kGray);
  EXPECT_EQ(EncodeMrc(gray, OcrResult{}, MrcOptions{}).status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace sohoa
