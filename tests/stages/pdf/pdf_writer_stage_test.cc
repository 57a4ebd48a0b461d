// PdfWriterStage against tools nobody here wrote: qpdf, poppler (pdfinfo,
// pdfimages, pdftotext, pdffonts, pdftoppm) and PDFBox Preflight.
#include "stages/pdf/pdf_writer_stage.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "build_paths.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_metadata.h"
#include "stages/pdf/pdf_text_layer.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;

constexpr double kDpi = 200;
constexpr int kWidth = 1654;  // A4 at 200 dpi
constexpr int kHeight = 2339;
// A dark block drawn into every raster, to find again in the rendering.
constexpr int kDarkLeft = 200, kDarkTop = 1700, kDarkRight = 600, kDarkBottom = 1900;

size_t CodePoints(const std::string& utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

// One OCR line whose words get plausible boxes for Times at `height` px.
OcrLine MakeLine(const std::string& text, int left, int top, int height, int block) {
  OcrLine line;
  line.block = block;
  line.baseline_y = top + height * 0.8;
  int x = left;
  std::istringstream words(text);
  std::string w;
  while (words >> w) {
    OcrWord word;
    word.text = w;
    word.confidence = 90;
    const int width = static_cast<int>(CodePoints(w) * height * 0.5);
    word.box = {x, top, x + width, top + height};
    line.words.push_back(word);
    x += width + static_cast<int>(height * 0.4);
  }
  line.box = {left, top, x - static_cast<int>(height * 0.4), top + height};
  return line;
}

// The Decree 30 header: issuing authority on the left, national title on
// the right, then the title and body full width. Reading order = this order.
const std::vector<std::string> kLeftColumn = {"UỶ BAN NHÂN DÂN", "XÃ XUÂN THÀNH", "Số: 12/UBND-XNTTHN"};
const std::vector<std::string> kRightColumn = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                               "Độc lập - Tự do - Hạnh phúc",
                                               "Xuân Thành, ngày 28 tháng 7 năm 2021"};
const std::vector<std::string> kBody = {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
                                        "Họ, chữ đệm, tên: Nguyễn Thị Hồng Nhung",
                                        "Ngày, tháng, năm sinh: 05/02/1990"};

// As Tesseract reports a real header: line boxes grow with the diacritics
// stacked on capitals (Ủ, Ộ), so heights differ line to line although the
// type size is one, and the number line sits a wider step below the rest.
OcrResult DecreeHeaderOcr() {
  OcrResult ocr;
  const int h = 36;
  const int baselines[] = {180, 227, 289};
  const int left_heights[] = {44, 37, 40}, right_heights[] = {46, 36, 38};
  for (size_t i = 0; i < kLeftColumn.size(); ++i) {
    const int height = left_heights[i];
    ocr.lines.push_back(MakeLine(kLeftColumn[i], 120, baselines[i] - height * 4 / 5, height, 0));
  }
  for (size_t i = 0; i < kRightColumn.size(); ++i) {
    const int height = right_heights[i];
    ocr.lines.push_back(MakeLine(kRightColumn[i], 760, baselines[i] - height * 4 / 5, height, 1));
  }
  ocr.lines.push_back(MakeLine(kBody[0], 380, 500, 44, 2));
  for (size_t i = 1; i < kBody.size(); ++i) {
    ocr.lines.push_back(MakeLine(kBody[i], 150, 560 + static_cast<int>(i) * 70, h, 3));
  }
  return ocr;
}

// A page with real encoded pixels (through the encode stage) and OCR lines.
Page MakePage(int index, PixelKind kind) {
  Page page;
  page.index = index;
  page.raster.Allocate(kWidth, kHeight, kind);
  page.raster.dpi_x = page.raster.dpi_y = kDpi;
  const int channels = page.raster.channels();
  for (int y = 0; y < kHeight; ++y) {
    uint8_t* row = page.raster.row(y);
    for (int x = 0; x < kWidth; ++x) {
      const bool dark = x >= kDarkLeft && x < kDarkRight && y >= kDarkTop && y < kDarkBottom;
      // Faint "text" stripes elsewhere so the JPEG is not trivially flat.
      const bool stripe =
          kind != PixelKind::kBilevel && y % 60 < 30 && (x / 7) % 3 == 0 && y > 140 && y < 1000;
      for (int c = 0; c < channels; ++c) {
        uint8_t v = dark ? 0 : stripe ? 120 : 255;
        if (dark && kind == PixelKind::kRgb && c == 0) v = 200;  // a red-ish block
        row[x * channels + c] = v;
      }
    }
  }
  page.ocr = DecreeHeaderOcr();
  Document unused;
  // The writer's JPEG passthrough is what these tests check (MRC pages:
  // mrc_encoder_test.cc).
  EncodeOptions encode;
  encode.image_mode = ImageMode::kJpeg;
  auto worker = NewEncodeStage(encode)->NewWorker();
  EXPECT_TRUE(worker.ok());
  Status s = (*worker)->Process(unused, page);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return page;
}

Document MakeDocument(const fs::path& staging, std::vector<PixelKind> kinds) {
  Document doc;
  doc.relative_path = "2021/Xuân Thành/xác nhận tình trạng hôn nhân 12.tif";
  doc.sha256 = std::string(60, 'a') + "1234";
  doc.staging_dir = staging.string();
  for (size_t i = 0; i < kinds.size(); ++i) doc.pages.push_back(MakePage(i, kinds[i]));
  return doc;
}

Status Write(Document& doc, PdfALevel level, bool deterministic = true) {
  PdfWriterOptions options;
  options.level = level;
  options.deterministic = deterministic;
  auto worker = NewPdfWriterStage(options)->NewWorker();
  if (!worker.ok()) return worker.status();
  return (*worker)->Process(doc);
}

std::string PdfPath(const Document& doc) {
  const OutputFile* out = doc.FindOutput("pdf");
  return out ? out->staged_path : "";
}

// Byte offsets of each needle in order; npos if missing.
size_t Find(const std::string& hay, const std::string& needle) { return hay.find(needle); }

TEST(PdfWriterStageTest, WritesAtomicOutputsWithExpectedNames) {
  ScratchDir dir("pdf_writer_names");
  Document doc = MakeDocument(dir / "staging/nested", {PixelKind::kGray});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  ASSERT_EQ(doc.outputs.size(), 2u);
  EXPECT_EQ(doc.outputs[0].role, "pdf");
  EXPECT_EQ(fs::path(doc.outputs[0].staged_path).filename(), doc.sha256 + ".pdf");
  EXPECT_EQ(doc.outputs[1].role, "text");
  EXPECT_EQ(fs::path(doc.outputs[1].staged_path).filename(), doc.sha256 + ".txt");
  for (const OutputFile& out : doc.outputs) {
    EXPECT_EQ(fs::file_size(out.staged_path), out.bytes);
  }
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir / "staging/nested")) {
    EXPECT_NE(entry.path().extension(), ".part") << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 2);
  // Writing again replaces, not duplicates, the outputs.
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  EXPECT_EQ(doc.outputs.size(), 2u);
}

TEST(PdfWriterStageTest, QpdfAndPdfinfoAgreeOnStructureAndPageSize) {
  ScratchDir dir("pdf_writer_qpdf");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray, PixelKind::kRgb});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  const std::string pdf = PdfPath(doc);
  auto check = RunCommand("qpdf --check " + Quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("No syntax or stream encoding errors"), std::string::npos) << check.output;
  auto info = RunCommand("pdfinfo " + Quote(pdf));
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("Pages:           2"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("PDF version:     1.7"), std::string::npos) << info.output;
  // 1654 px / 200 dpi * 72 = 595.44 pt; 2339 px -> 842.04 pt.
  EXPECT_NE(info.output.find("Page size:       595.44 x 842.04 pts"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("Encrypted:       no"), std::string::npos) << info.output;
}

TEST(PdfWriterStageTest, PdfimagesSeesPassthroughImagesAtTheirResolution) {
  ScratchDir dir("pdf_writer_images");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray, PixelKind::kRgb, PixelKind::kBilevel});
  const size_t jpeg_bytes = doc.pages[1].image.data.size();
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  auto list = RunCommand("pdfimages -list " + Quote(PdfPath(doc)));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
  std::istringstream lines(list.output);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  struct Expect {
    const char* color;
    int comp;
    int bpc;
    const char* enc;
  };
  const Expect expected[] = {{"gray", 1, 8, "jpeg"}, {"rgb", 3, 8, "jpeg"}, {"gray", 1, 1, "ccitt"}};
  for (int page = 1; page <= 3; ++page) {
    ASSERT_TRUE(std::getline(lines, line)) << list.output;
    std::istringstream f(line);
    int p, num, w, h, comp, bpc, obj, gen, xppi, yppi;
    std::string type, color, enc, interp;
    f >> p >> num >> type >> w >> h >> color >> comp >> bpc >> enc >> interp >> obj >> gen >> xppi >> yppi;
    const Expect& e = expected[page - 1];
    EXPECT_EQ(p, page) << line;
    EXPECT_EQ(type, "image") << line;
    EXPECT_EQ(w, kWidth) << line;
    EXPECT_EQ(h, kHeight) << line;
    EXPECT_EQ(color, e.color) << line;
    EXPECT_EQ(comp, e.comp) << line;
    EXPECT_EQ(bpc, e.bpc) << line;
    EXPECT_EQ(enc, e.enc) << line;
    EXPECT_EQ(interp, "no") << line;
    EXPECT_EQ(xppi, 200) << line;
    EXPECT_EQ(yppi, 200) << line;
  }
  // The JPEG is passed through, not re-encoded: extracting it gives our bytes.
  auto extract =
      RunCommand("pdfimages -j -f 2 -l 2 " + Quote(PdfPath(doc)) + " " + Quote((dir / "img").string()));
  ASSERT_EQ(extract.exit_code, 0) << extract.output;
  const std::string extracted = ReadFile(dir / "img-000.jpg");
  EXPECT_EQ(extracted.size(), jpeg_bytes);
  ASSERT_EQ(extracted.size(), doc.pages[1].image.data.size());
  EXPECT_EQ(std::memcmp(extracted.data(), doc.pages[1].image.data.data(), extracted.size()), 0);
}

TEST(PdfWriterStageTest, PdftotextGivesBackExactNfcTextInReadingOrder) {
  ScratchDir dir("pdf_writer_text");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  const std::string out = (dir / "out.txt").string();
  auto run = RunCommand("pdftotext -enc UTF-8 " + Quote(PdfPath(doc)) + " " + Quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string text = ReadFile(out);
  EXPECT_EQ(text, NormalizeNfc(text)) << "extracted text is not NFC";
  // Every line comes back exactly, as a line of its own.
  std::vector<std::string> all = kLeftColumn;
  all.insert(all.end(), kRightColumn.begin(), kRightColumn.end());
  all.insert(all.end(), kBody.begin(), kBody.end());
  for (const std::string& expected : all) {
    EXPECT_NE(text.find(expected + "\n"), std::string::npos) << "missing line '" << expected << "' in:\n"
                                                             << text;
  }
  // Columns are not interleaved: the whole left column, then the right one.
  const size_t left_last = Find(text, kLeftColumn.back());
  const size_t right_first = Find(text, kRightColumn.front());
  EXPECT_LT(Find(text, kLeftColumn[0]), Find(text, kLeftColumn[1]));
  EXPECT_LT(Find(text, kLeftColumn[1]), left_last);
  EXPECT_LT(Find(text, kRightColumn[0]), Find(text, kRightColumn[1]));
  EXPECT_LT(Find(text, kRightColumn[1]), Find(text, kRightColumn[2]));
  EXPECT_TRUE(left_last < right_first || Find(text, kRightColumn.back()) < Find(text, kLeftColumn[0]))
      << "columns interleaved:\n"
      << text;
  EXPECT_LT(Find(text, kRightColumn.back()), Find(text, kBody[0]));

  // -layout keeps physical lines: each OCR line's words appear, in order,
  // space-separated, on one output line.
  const std::string layout_out = (dir / "layout.txt").string();
  run = RunCommand("pdftotext -layout -enc UTF-8 " + Quote(PdfPath(doc)) + " " + Quote(layout_out));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string layout = ReadFile(layout_out);
  for (const std::string& expected : all) {
    EXPECT_NE(layout.find(expected), std::string::npos) << "missing '" << expected << "' in -layout output:\n"
                                                        << layout;
  }
}

TEST(PdfWriterStageTest, TextSidecarHasPagesSeparatedByFormFeed) {
  ScratchDir dir("pdf_writer_sidecar");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray, PixelKind::kBilevel});
  doc.pages[1].ocr.lines.resize(1);
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  const OutputFile* text = doc.FindOutput("text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(ReadFile(text->staged_path), doc.pages[0].ocr.Text() + "\f" + doc.pages[1].ocr.Text());
  EXPECT_NE(ReadFile(text->staged_path).find("Độc lập - Tự do - Hạnh phúc\n"), std::string::npos);
}

TEST(PdfWriterStageTest, FontIsEmbeddedType0) {
  ScratchDir dir("pdf_writer_fonts");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  auto fonts = RunCommand("pdffonts " + Quote(PdfPath(doc)));
  ASSERT_EQ(fonts.exit_code, 0) << fonts.output;
  // name type encoding emb sub uni
  EXPECT_NE(fonts.output.find("GlyphLessFont"), std::string::npos) << fonts.output;
  EXPECT_NE(fonts.output.find("CID TrueType"), std::string::npos) << fonts.output;
  // The font's row: ... Identity-H emb=yes sub=no uni=yes <object> <gen>.
  std::istringstream rows(fonts.output);
  std::string row;
  bool found = false;
  while (std::getline(rows, row)) {
    if (row.rfind("GlyphLessFont", 0) != 0) continue;
    std::istringstream tokens(row);
    std::vector<std::string> t;
    for (std::string tok; tokens >> tok;) t.push_back(tok);
    ASSERT_GE(t.size(), 8u) << row;
    EXPECT_EQ(t[t.size() - 6], "Identity-H") << row;
    EXPECT_EQ(t[t.size() - 5], "yes") << "not embedded: " << row;
    EXPECT_EQ(t[t.size() - 4], "no") << row;
    EXPECT_EQ(t[t.size() - 3], "yes") << "no ToUnicode: " << row;
    found = true;
  }
  EXPECT_TRUE(found) << fonts.output;
}

TEST(PdfWriterStageTest, PdfA1bPassesPdfboxPreflightWithCustomXmp) {
  ScratchDir dir("pdf_writer_pdfa1b");
  Document doc = MakeDocument(dir.path(), {PixelKind::kRgb, PixelKind::kGray, PixelKind::kBilevel});
  // A later stage's custom XMP property must not break PDF/A (extension schema).
  doc.metadata["xmp:ns:sohoa"] = "https://sohoa.example/ns/fields/1.0/";
  doc.metadata["xmp:sohoa:DocumentTypeCode"] = "XNTTHN";
  doc.metadata["xmp:sohoa:HolderName"] = "Nguyễn Thị Hồng Nhung";
  ASSERT_TRUE(Write(doc, PdfALevel::k1b, /*deterministic=*/false).ok());
  const std::string pdf = PdfPath(doc);
  auto info = RunCommand("pdfinfo " + Quote(pdf));
  EXPECT_NE(info.output.find("PDF version:     1.4"), std::string::npos) << info.output;
  auto check = RunCommand("qpdf --check " + Quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  auto preflight =
      RunCommand(Quote(std::string(SOHOA_SOURCE_DIR) + "/scripts/preflight.sh") + " " + Quote(pdf));
  EXPECT_EQ(preflight.exit_code, 0) << preflight.output;
  EXPECT_NE(preflight.output.find("is a valid PDF/A-1b file"), std::string::npos) << preflight.output;
  auto meta = RunCommand("pdfinfo -meta " + Quote(pdf));
  EXPECT_NE(meta.output.find("<pdfaid:part>1</pdfaid:part>"), std::string::npos) << meta.output;
  EXPECT_NE(meta.output.find("<sohoa:HolderName>Nguyễn Thị Hồng Nhung</sohoa:HolderName>"), std::string::npos)
      << meta.output;
}

TEST(PdfWriterStageTest, PreflightRejectsABrokenFile) {
  // The validator is able to fail: a truncated copy of a valid file.
  ScratchDir dir("pdf_writer_broken");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray});
  ASSERT_TRUE(Write(doc, PdfALevel::k1b).ok());
  std::string bytes = ReadFile(PdfPath(doc));
  testing::WriteFile(dir / "broken.pdf", bytes.substr(0, bytes.size() / 2));
  auto preflight = RunCommand(Quote(std::string(SOHOA_SOURCE_DIR) + "/scripts/preflight.sh") + " " +
                              Quote((dir / "broken.pdf").string()));
  EXPECT_NE(preflight.exit_code, 0) << preflight.output;
}

TEST(PdfWriterStageTest, PdfA2bDeclaresPart2AndIsClean) {
  ScratchDir dir("pdf_writer_pdfa2b");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  const std::string pdf = PdfPath(doc);
  auto check = RunCommand("qpdf --check " + Quote(pdf));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  auto meta = RunCommand("pdfinfo -meta " + Quote(pdf));
  EXPECT_NE(meta.output.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos) << meta.output;
  EXPECT_NE(meta.output.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
  EXPECT_NE(meta.output.find("xác nhận tình trạng hôn nhân 12.tif</rdf:li>"), std::string::npos)
      << meta.output;
  auto info = RunCommand("pdfinfo " + Quote(pdf));
  EXPECT_NE(info.output.find("Title:           2021/Xuân Thành/xác nhận tình trạng hôn nhân 12.tif"),
            std::string::npos)
      << info.output;
}

TEST(PdfWriterStageTest, DeterministicModeIsByteIdentical) {
  ScratchDir dir("pdf_writer_deterministic");
  Document a = MakeDocument(dir / "a", {PixelKind::kGray, PixelKind::kBilevel});
  Document b = MakeDocument(dir / "b", {PixelKind::kGray, PixelKind::kBilevel});
  ASSERT_TRUE(Write(a, PdfALevel::k1b).ok());
  ASSERT_TRUE(Write(b, PdfALevel::k1b).ok());
  const std::string bytes_a = ReadFile(PdfPath(a));
  EXPECT_GT(bytes_a.size(), 1000u);
  EXPECT_EQ(bytes_a, ReadFile(PdfPath(b)));
  // And a different document (other hash) gets other IDs.
  Document c = MakeDocument(dir / "c", {PixelKind::kGray, PixelKind::kBilevel});
  c.sha256 = std::string(64, 'b');
  ASSERT_TRUE(Write(c, PdfALevel::k1b).ok());
  EXPECT_NE(bytes_a, ReadFile(PdfPath(c)));
}

TEST(PdfWriterStageTest, ConcurrentWorkersWriteTheSameBytesAsOne) {
  // The graph runs one worker per thread; PoDoFo must not share state.
  ScratchDir dir("pdf_writer_threads");
  auto stage = NewPdfWriterStage([] {
    PdfWriterOptions o;
    o.deterministic = true;
    return o;
  }());
  std::vector<Document> docs;
  for (int i = 0; i < 4; ++i) {
    docs.push_back(MakeDocument(dir / std::to_string(i), {PixelKind::kGray, PixelKind::kBilevel}));
  }
  std::vector<std::thread> threads;
  std::vector<Status> results(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    threads.emplace_back([&, i] {
      auto worker = stage->NewWorker();
      results[i] = worker.ok() ? (*worker)->Process(docs[i]) : worker.status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string first = ReadFile(PdfPath(docs[0]));
  for (size_t i = 1; i < docs.size(); ++i) EXPECT_EQ(ReadFile(PdfPath(docs[i])), first);
}

// Mean of a rectangle of a binary PGM (P5, maxval 255) written by pdftoppm.
double MeanOfPgm(const std::string& pgm, double fx0, double fy0, double fx1, double fy1) {
  std::istringstream in(pgm);
  std::string magic;
  int w, h, maxval;
  in >> magic >> w >> h >> maxval;
  in.get();
  const size_t offset = static_cast<size_t>(in.tellg());
  EXPECT_EQ(magic, "P5");
  double sum = 0;
  int n = 0;
  for (int y = static_cast<int>(fy0 * h); y < static_cast<int>(fy1 * h); ++y) {
    for (int x = static_cast<int>(fx0 * w); x < static_cast<int>(fx1 * w); ++x) {
      sum += static_cast<uint8_t>(pgm[offset + static_cast<size_t>(y) * w + x]);
      ++n;
    }
  }
  return n ? sum / n : -1;
}

TEST(PdfWriterStageTest, RenderedPagesShowTheScan) {
  ScratchDir dir("pdf_writer_render");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray, PixelKind::kBilevel});
  ASSERT_TRUE(Write(doc, PdfALevel::k2b).ok());
  auto run = RunCommand("pdftoppm -r 50 -gray " + Quote(PdfPath(doc)) + " " + Quote((dir / "r").string()));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* name : {"r-1.pgm", "r-2.pgm"}) {
    const std::string pgm = ReadFile(dir / name);
    // Inner part of the dark block, and an empty margin.
    const double dark = MeanOfPgm(pgm, (kDarkLeft + 20.0) / kWidth, (kDarkTop + 20.0) / kHeight,
                                  (kDarkRight - 20.0) / kWidth, (kDarkBottom - 20.0) / kHeight);
    const double white = MeanOfPgm(pgm, 0.85, 0.85, 0.95, 0.95);
    EXPECT_LT(dark, 20) << name;
    EXPECT_GT(white, 240) << name;  // the invisible text layer shows nothing
  }
}

TEST(PdfWriterStageTest, RefusesPageWithoutImage) {
  ScratchDir dir("pdf_writer_noimage");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray, PixelKind::kGray});
  doc.pages[1].image = EncodedImage();
  Status s = Write(doc, PdfALevel::k2b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("page 2"), std::string::npos) << s.message();
  EXPECT_TRUE(doc.outputs.empty());
  EXPECT_FALSE(fs::exists(dir / (doc.sha256 + ".pdf")));
}

TEST(PdfWriterStageTest, RefusesReservedXmpPrefix) {
  ScratchDir dir("pdf_writer_xmp_reserved");
  Document doc = MakeDocument(dir.path(), {PixelKind::kGray});
  doc.metadata["xmp:ns:dc"] = "http://purl.org/dc/elements/1.1/";
  doc.metadata["xmp:dc:title"] = "other";
  Status s = Write(doc, PdfALevel::k2b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  doc.metadata.clear();
  doc.metadata["xmp:orphan:Thing"] = "x";
  s = Write(doc, PdfALevel::k2b);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();
  EXPECT_NE(s.message().find("xmp:ns:orphan"), std::string::npos) << s.message();
}

TEST(PdfWriterStageTest, MissingFontIsAConfigurationError) {
  PdfWriterOptions options;
  options.tessdata_dir = "/nonexistent/tessdata";
  auto worker = NewPdfWriterStage(options)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(worker.status().message().find("/nonexistent/tessdata/pdf.ttf"), std::string::npos);
  EXPECT_EQ(NewPdfWriterStage(PdfWriterOptions{})->Name(), "pdf");
}

TEST(PdfWriterStageTest, GlyphlessFontWidthMatchesItsHmtx) {
  auto font = LoadGlyphlessFont("/usr/share/tesseract-ocr/5/tessdata/pdf.ttf");
  ASSERT_TRUE(font.ok()) << font.status().ToString();
  // Tesseract's pdf.ttf: unitsPerEm 2048, glyph 1 advance 1024 -> 500.
  EXPECT_EQ(font->units_per_em, 2048);
  EXPECT_EQ(font->default_width, 500);
}

}  // namespace
}  // namespace sohoa
