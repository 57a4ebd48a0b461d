// JpegDataDamage on JPEGs written by a real encoder (PIL/libjpeg), damaged the
// ways files are damaged (bytes overwritten, file cut short), and on the
// real-world scanner PDFs' JPEG images (pdfimages -j extracts them as-is).
#include "stages/decode/jpeg_check.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::CorpusFile;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;

// A gray A4 page at 150 dpi with text-like bars, as a baseline JPEG.
std::string GoodJpeg(const ScratchDir& dir) {
  const fs::path path = dir / "good.jpg";
  auto r = RunCommand("/usr/bin/python3 -c " +
                      Quote("from PIL import Image, ImageDraw\n"
                            "im = Image.new('L', (1240, 1754), 255)\n"
                            "d = ImageDraw.Draw(im)\n"
                            "for y in range(150, 1600, 45): d.rectangle((120, y, 1100, y + 18), fill=40)\n"
                            "im.save('" +
                            path.string() + "', quality=85)\n"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return ReadFile(path);
}

TEST(JpegCheckTest, IntactJpegHasNoDamage) {
  ScratchDir dir("jpeg_check");
  const std::string jpeg = GoodJpeg(dir);
  ASSERT_GT(jpeg.size(), 1000u);
  EXPECT_EQ(JpegDataDamage(jpeg), "");
}

TEST(JpegCheckTest, OverwrittenEntropyDataIsReported) {
  ScratchDir dir("jpeg_check");
  std::string jpeg = GoodJpeg(dir);
  for (size_t i = jpeg.size() / 2; i < jpeg.size() / 2 + 1500; ++i) jpeg[i] = static_cast<char>(i * 37);
  EXPECT_NE(JpegDataDamage(jpeg).find("Corrupt JPEG data"), std::string::npos) << JpegDataDamage(jpeg);
}

TEST(JpegCheckTest, TruncatedFileIsReported) {
  ScratchDir dir("jpeg_check");
  const std::string jpeg = GoodJpeg(dir);
  EXPECT_NE(JpegDataDamage(jpeg.substr(0, jpeg.size() * 2 / 3)).find("Premature end of JPEG file"),
            std::string::npos);
}

TEST(JpegCheckTest, NotAJpegIsAFatalErrorNotACrash) {
  EXPECT_NE(JpegDataDamage("GIF89a and then nothing useful"), "");
  EXPECT_NE(JpegDataDamage(""), "");
}

TEST(JpegCheckTest, StrayBytesBeforeTheEndMarkerAreNotDamage) {
  ScratchDir dir("jpeg_check");
  std::string jpeg = GoodJpeg(dir);
  ASSERT_EQ(jpeg.substr(jpeg.size() - 2), "\xFF\xD9");
  jpeg.insert(jpeg.size() - 2, std::string("\0\0\0", 3));
  EXPECT_EQ(JpegDataDamage(jpeg), "");
}

TEST(JpegCheckTest, RealScannerJpegsAreIntact) {
  ScratchDir dir("jpeg_check");
  int checked = 0;
  for (const char* pdf : {"c02-22.pdf", "multipage.pdf"}) {
    auto r =
        RunCommand("pdfimages -j " + Quote(CorpusFile(pdf).string()) + " " + Quote((dir / pdf).string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().extension() != ".jpg") continue;
    ++checked;
    EXPECT_EQ(JpegDataDamage(ReadFile(entry.path())), "") << entry.path();
  }
  EXPECT_EQ(checked, 3) << "pdfimages -list shows three JPEG images in these two files";
}

}  // namespace
}  // namespace sohoa
