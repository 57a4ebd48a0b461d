// End to end: documents that record no resolution (issue 14, part 6). One
// `sohoa run` over images made here (tests/e2e/make_screen_captures.py: a
// 730x466 phone photo of a letter whose JFIF header records only an aspect
// ratio, small RGBA and gray+alpha screenshots on a transparent background,
// an empty screenshot) and the shared corpus's real web images of
// Vietnamese official documents (../shared/corpus/vie-web). Before: all
// three lettered images were archived as "blank page" with no text layer
// and 300 dpi assumed (a 6 cm page). Now each has its text, an estimated
// resolution that the ledger and the PDF record, and a plausible page size;
// the empty one is still blank.
#include <gtest/gtest.h>

#include <cstdio>
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
using testing::ScratchDir;

// The real web images and words each one's text layer holds (read on every
// run since the upscaled recognition; before it, the 69-dpi form came out
// garbled: "Kính gối Trả án thận Sân 2)" for "Kính gửi: Toà án nhân dân
// (2)"). The JPEG records 120 dpi; the PNGs record none.
const std::map<std::string, std::vector<std::string>> kWebWords = {
    {"don-khoi-kien-vu-an-hanh-chinh-9418.png",
     {"ĐƠN", "HÀNH", "CHÍNH", "Kính", "gửi", "người", "khởi", "kiện", "quyết", "định"}},
    {"van-ban-hanh-chinh-11.png",
     {"THÔNG", "BÁO", "Hùng", "Vương", "Kính", "gửi", "Thông", "năm", "2015", "Chính", "phủ"}},
    {"mau-van-ban-hanh-chinh-1.png",
     {"CỘNG", "NAM", "Độc", "lập", "HOẠCH", "Đắk", "Lắk", "Nghị", "quyết", "Chính", "phủ"}},
    {"1706498668_yeu-cau-noi-dung-cua-van-ban-hanh-chinh.jpg",
     {"QUYẾT", "ĐỊNH", "Căn", "cứ", "Luật", "Chính", "phủ", "2019", "APEC"}},
};

std::string Reasons(const nlohmann::json& row) {
  std::string all = row.value("reason", "");
  for (const auto& r : row.value("review_reasons", nlohmann::json::array())) {
    all += " | " + r.get<std::string>();
  }
  return all;
}

class ScreenCaptureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("e2e-screen-captures");
    const fs::path input = dir_->path() / "input";
    fs::create_directories(input);
    make_ = new testing::CommandResult(
        RunCommand("/usr/bin/python3 " + Quote(SOHOA_SOURCE_DIR "/tests/e2e/make_screen_captures.py") +
                   " --out " + Quote(input.string())));
    truth_ = new nlohmann::json(
        nlohmann::json::parse(ReadFile(input / "truth.json"), nullptr, /*allow_exceptions=*/false));
    fs::rename(input / "truth.json", dir_->path() / "truth.json");
    const fs::path web = testing::CorpusFile("").parent_path().parent_path() / "vie-web";
    for (const auto& [name, words] : kWebWords) fs::copy_file(web / name, input / name);
    archive_ = dir_->path() / "archive";
    run_ = new testing::CommandResult(RunCommand(Quote(BinaryPath("sohoa").string()) + " run --input " +
                                                 Quote(input.string()) + " --archive " +
                                                 Quote(archive_.string()) + " --jobs 2 --ui-lang en"));
    testing::CommandResult exported = RunCommand(Quote(BinaryPath("sohoa").string()) + " export --archive " +
                                                 Quote(archive_.string()) + " 2>/dev/null");
    rows_ = new std::map<std::string, nlohmann::json>;
    std::istringstream lines(exported.output);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("source")) (*rows_)[j["source"].get<std::string>()] = j;
    }
  }
  static void TearDownTestSuite() {
    delete rows_;
    delete run_;
    delete truth_;
    delete make_;
    delete dir_;
  }

  // The archived PDF of `name` (empty path when none).
  static fs::path Pdf(const std::string& name) {
    auto it = rows_->find(name);
    if (it == rows_->end() || !it->second["pdf"].is_string()) return {};
    return archive_ / it->second["pdf"].get<std::string>();
  }
  static std::string PdfText(const fs::path& pdf) {
    return RunCommand("pdftotext -enc UTF-8 " + Quote(pdf.string()) + " - 2>/dev/null").output;
  }
  // Page 1's width and height in millimetres, from pdfinfo.
  static std::pair<double, double> PageSizeMm(const fs::path& pdf) {
    const std::string info = RunCommand("pdfinfo " + Quote(pdf.string())).output;
    double w = 0, h = 0;
    const size_t at = info.find("Page size:");
    if (at != std::string::npos) std::sscanf(info.c_str() + at, "Page size: %lf x %lf", &w, &h);
    return {w / 72 * 25.4, h / 72 * 25.4};
  }

  static ScratchDir* dir_;
  static fs::path archive_;
  static testing::CommandResult* make_;
  static testing::CommandResult* run_;
  static nlohmann::json* truth_;
  static std::map<std::string, nlohmann::json>* rows_;
};
ScratchDir* ScreenCaptureTest::dir_;
fs::path ScreenCaptureTest::archive_;
testing::CommandResult* ScreenCaptureTest::make_;
testing::CommandResult* ScreenCaptureTest::run_;
nlohmann::json* ScreenCaptureTest::truth_;
std::map<std::string, nlohmann::json>* ScreenCaptureTest::rows_;

TEST_F(ScreenCaptureTest, LegibleImagesWithoutDpiGetTheirTextAndAnEstimatedResolution) {
  ASSERT_EQ(make_->exit_code, 0) << make_->output;
  ASSERT_TRUE(truth_->is_object());
  ASSERT_EQ(truth_->size(), 3u);
  for (const auto& [name, truth] : truth_->items()) {
    SCOPED_TRACE(name);
    auto it = rows_->find(name);
    ASSERT_NE(it, rows_->end()) << run_->output;
    const nlohmann::json& row = it->second;
    EXPECT_NE(row.value("status", ""), "quarantined") << Reasons(row);
    EXPECT_EQ(Reasons(row).find("blank page"), std::string::npos) << Reasons(row);
    EXPECT_EQ(Reasons(row).find("no text recognized"), std::string::npos) << Reasons(row);

    // The ledger says the resolution was estimated, and from what.
    const nlohmann::json& page = row["page_details"][0];
    EXPECT_FALSE(page.value("blank", true));
    EXPECT_EQ(page.value("dpi_source", ""), "estimated");
    const double dpi = page["dpi"][0].get<double>();
    const double expected = truth["body_text_dpi"].get<double>();
    EXPECT_NEAR(dpi, expected, 0.15 * expected);
    EXPECT_NE(Reasons(row).find("(estimated from the size of its text, the file records none)"),
              std::string::npos)
        << Reasons(row);

    // The PDF: a text layer with the letter's words, a page of the size
    // the estimate gives, and the XMP saying it was estimated.
    const fs::path pdf = Pdf(name);
    ASSERT_FALSE(pdf.empty()) << row.dump();
    const std::string text = PdfText(pdf);
    for (const auto& word : truth["words"]) {
      EXPECT_NE(text.find(word.get<std::string>()), std::string::npos) << word << " in:\n" << text;
    }
    std::string reference;
    for (const auto& line : truth["lines"]) reference += line.get<std::string>() + "\n";
    const double cer = testing::CharacterErrorRate(reference, text);
    EXPECT_LT(cer, 0.10) << text;
    RecordProperty(name + "_cer", std::to_string(cer));
    const auto [width_mm, height_mm] = PageSizeMm(pdf);
    const int pixels_wide = name == "letter_photo.jpg" ? 730 : 380;
    EXPECT_NEAR(width_mm, pixels_wide / dpi * 25.4, 1.0);
    EXPECT_GT(width_mm, 100);  // 300 dpi assumed made it 6 cm (photo) or 3 cm
    const std::string bytes = ReadFile(pdf);
    EXPECT_NE(bytes.find("sohoascan:ResolutionNote"), std::string::npos);
    EXPECT_NE(bytes.find("estimated from the size of its text, the file records none"), std::string::npos);
  }
}

TEST_F(ScreenCaptureTest, AnEmptyScreenshotIsStillBlank) {
  auto it = rows_->find("blank_screenshot.png");
  ASSERT_NE(it, rows_->end()) << run_->output;
  const nlohmann::json& row = it->second;
  EXPECT_EQ(row.value("status", ""), "review");
  EXPECT_NE(Reasons(row).find("page 1: blank page"), std::string::npos) << Reasons(row);
  EXPECT_TRUE(row["page_details"][0].value("blank", false));
  EXPECT_EQ(row["page_details"][0].value("dpi_source", ""), "assumed");
  EXPECT_TRUE(PdfText(Pdf("blank_screenshot.png")).find_first_not_of(" \n\f") == std::string::npos);
}

TEST_F(ScreenCaptureTest, RealWebDocumentsAreRead) {
  for (const auto& [name, words] : kWebWords) {
    SCOPED_TRACE(name);
    auto it = rows_->find(name);
    ASSERT_NE(it, rows_->end()) << run_->output;
    EXPECT_EQ(Reasons(it->second).find("blank page"), std::string::npos) << Reasons(it->second);
    const std::string text = PdfText(Pdf(name));
    size_t count = 0;
    std::istringstream in(text);
    for (std::string w; in >> w;) ++count;
    EXPECT_GE(count, 100u) << text;
    RecordProperty(name + "_words", std::to_string(count));
    for (const std::string& word : words) {
      EXPECT_NE(text.find(word), std::string::npos) << word << " in:\n" << text;
    }
  }
}

}  // namespace
}  // namespace sohoa
