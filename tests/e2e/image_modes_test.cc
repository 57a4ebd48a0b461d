// End to end, the page image modes a user chooses with `sohoa run
// --image-mode` (issue 19), checked with poppler's pdfimages, qpdf and
// PDFBox Preflight on the archived PDFs:
//   jpeg      an upright, unskewed scanner JPEG keeps its own bytes (the
//             DCTDecode stream is the file); a skewed JPEG is deskewed and
//             re-encoded, so its stream is a new JPEG.
//   lossless  no JPEG in the PDF at all, and valid PDF/A-1b.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "build_paths.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

// source file name -> its archived PDF.
std::map<std::string, fs::path> ArchivedPdfs(const fs::path& archive) {
  testing::CommandResult r = RunCommand(Quote(BinaryPath("sohoa").string()) + " export --archive " +
                                        Quote(archive.string()) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, fs::path> pdfs;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("source") && j.contains("pdf")) {
      pdfs[j["source"].get<std::string>()] = archive / j["pdf"].get<std::string>();
    }
  }
  return pdfs;
}

// `sohoa run` of `input` into `archive` with `options`; its two PDFs.
std::map<std::string, fs::path> Archive(const fs::path& input, const fs::path& archive,
                                        const std::string& options) {
  testing::CommandResult r =
      RunCommand(Quote(BinaryPath("sohoa").string()) + " run --input " + Quote(input.string()) +
                 " --archive " + Quote(archive.string()) + " --jobs 2 --ui-lang en " + options + " 2>&1");
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  std::map<std::string, fs::path> pdfs = ArchivedPdfs(archive);
  EXPECT_EQ(pdfs.size(), 2u) << r.output;
  return pdfs;
}

class ImageModesTest : public ::testing::Test {
 protected:
  // upright.jpg: the clean, unskewed 300-dpi gray test page saved as a
  // JPEG by Pillow (as a scanner would write it); skewed.jpg: the test
  // plan's colour JPEG, 2.4 degrees off.
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("e2e-image-modes");
    fs::create_directories(input());
    const fs::path gray = SamplesDir() / "scans" / "t04_tinh_trang_gray_none.tif";
    const fs::path skewed = SamplesDir() / "scans" / "t11_khai_tu.jpg";
    ASSERT_TRUE(fs::exists(gray)) << gray;
    ASSERT_TRUE(fs::exists(skewed)) << skewed;
    testing::CommandResult pil = RunCommand(
        "/usr/bin/python3 -c " +
        Quote("import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=90, "
              "dpi=(300, 300))") +
        " " + Quote(gray.string()) + " " + Quote((input() / "upright.jpg").string()) + " 2>&1");
    ASSERT_EQ(pil.exit_code, 0) << pil.output;
    fs::copy_file(skewed, input() / "skewed.jpg");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path input() { return *dir_ / "in"; }

  static ScratchDir* dir_;
};
ScratchDir* ImageModesTest::dir_ = nullptr;

TEST_F(ImageModesTest, JpegModeKeepsAnUntouchedScannerJpegByteForByte) {
  const auto pdfs = Archive(input(), *dir_ / "jpeg", "--image-mode jpeg");
  ASSERT_EQ(pdfs.size(), 2u);
  for (const auto& [source, pdf] : pdfs) {
    // pdfimages -j writes each DCTDecode stream as it is in the PDF.
    const std::string prefix = (*dir_ / ("out-" + fs::path(source).stem().string())).string();
    testing::CommandResult images = RunCommand("pdfimages -j " + Quote(pdf.string()) + " " + Quote(prefix));
    ASSERT_EQ(images.exit_code, 0) << images.output;
    const fs::path stream = prefix + "-000.jpg";
    ASSERT_TRUE(fs::exists(stream)) << source << ": no JPEG stream in " << pdf;
    const bool same = ReadFile(stream) == ReadFile(input() / source);
    if (source == "upright.jpg") {
      EXPECT_TRUE(same) << "the upright scanner JPEG was re-encoded";
    } else {
      EXPECT_FALSE(same) << "the skewed JPEG was stored as scanned, not deskewed";
    }
    testing::CommandResult check = RunCommand("qpdf --check " + Quote(pdf.string()));
    EXPECT_EQ(check.exit_code, 0) << source << "\n" << check.output;
  }
}

TEST_F(ImageModesTest, LosslessModeStoresNoJpegAndIsPdfA1b) {
  const auto pdfs = Archive(input(), *dir_ / "lossless", "--image-mode lossless --pdfa 1b");
  ASSERT_EQ(pdfs.size(), 2u);
  for (const auto& [source, pdf] : pdfs) {
    testing::CommandResult images = RunCommand("pdfimages -list " + Quote(pdf.string()) + " | tail -n +3");
    EXPECT_EQ(images.output.find("jpeg"), std::string::npos) << source << "\n" << images.output;
    EXPECT_NE(images.output.find("image"), std::string::npos) << source << "\n" << images.output;
    const std::string preflight_sh = std::string(SOHOA_SOURCE_DIR) + "/scripts/preflight.sh";
    testing::CommandResult preflight = RunCommand(Quote(preflight_sh) + " " + Quote(pdf.string()));
    EXPECT_EQ(preflight.exit_code, 0) << source << "\n" << preflight.output;
  }
}

}  // namespace
}  // namespace sohoa
