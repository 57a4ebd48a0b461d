// Measurement, not a unit test: runs deskew, OCR, the book layout stage and
// the book splitter on the generated books in $SOHOA_BOOKS_DIR
// (scripts/make_books.py: <name>.tif, its manifest and <name>.truth.json)
// and prints, per book, the entries found with the right number and page
// numbers and the handwritten entries flagged. Skipped when the variable is
// not set (the unit tests are book_layout_stage_test and
// book_split_stage_test). SOHOA_BOOKS_CUES=1 also prints every OCR line's
// handwriting cues (MeasureHandwriting) and judgement.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "stages/book/book_layout_stage.h"
#include "stages/book/book_split_stage.h"
#include "stages/page/deskew_stage.h"
#include "stages/page/ocr_stage.h"
#include "tests/stages/page/page_samples.h"

namespace sohoa {
namespace {

TEST(BookAccuracy, GeneratedBooks) {
  const char* dir = std::getenv("SOHOA_BOOKS_DIR");
  if (dir == nullptr) GTEST_SKIP() << "set SOHOA_BOOKS_DIR to a folder of scripts/make_books.py books";
  auto ocr = NewOcrStage({})->NewWorker();
  auto deskew = NewDeskewStage({})->NewWorker();
  auto layout = NewBookLayoutStage()->NewWorker();
  auto split = NewBookSplitStage()->NewWorker();
  ASSERT_TRUE(ocr.ok() && deskew.ok() && layout.ok() && split.ok());
  for (const auto& item : std::filesystem::directory_iterator(dir)) {
    const std::string path = item.path().string();
    if (item.path().extension() != ".tif") continue;
    std::ifstream truth_in(path.substr(0, path.size() - 4) + ".truth.json");
    const nlohmann::json truth = nlohmann::json::parse(truth_in);
    Document book;
    book.relative_path = item.path().filename().string();
    book.sha256 = std::string(64, '0');
    auto manifest = ReadBookManifest(path + ".book.json");
    ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
    book.book = *manifest;
    const int scans = static_cast<int>(truth["scan_pages"].size());
    book.pages.resize(scans);
    for (int s = 0; s < scans; ++s) {
      Page& page = book.pages[s];
      page.index = s;
      std::optional<Raster> raster = testing::LoadRaster(path, s, 300);
      ASSERT_TRUE(raster.has_value());
      page.raster = std::move(*raster);
      ASSERT_TRUE((*deskew)->Process(book, page).ok());
      ASSERT_TRUE((*ocr)->Process(book, page).ok());
      ASSERT_TRUE((*layout)->Process(book, page).ok());
      if (std::getenv("SOHOA_BOOKS_CUES")) {
        auto cues = MeasureHandwriting({}, page);
        ASSERT_TRUE(cues.ok());
        std::printf("  scan %d\n", s + 1);
        for (size_t i = 0; i < cues->size(); ++i) {
          const HandwritingCues& c = (*cues)[i];
          std::printf("    %s ink %5.2f pen %d conf %3.0f low %4.2f wander %4.2f | %.60s\n",
                      page.ocr.lines[i].handwritten ? "HW" : "  ", c.pen_share, c.pen_words, c.median_confidence,
                      c.low_confidence_share, c.baseline_wander, page.ocr.lines[i].Text().c_str());
        }
      }
    }
    if (std::getenv("SOHOA_BOOKS_VERBOSE")) {
      for (const Page& page : book.pages) {
        std::printf("  scan %d: rules %zu x %zu gutter %d numbers %s lines %zu\n", page.index + 1,
                    page.layout.rules_y.size(), page.layout.rules_x.size(), page.layout.gutter_x,
                    PageNumbersText(page.layout.printed_page_numbers).c_str(), page.ocr.lines.size());
        for (const OcrLine& line : page.ocr.lines) {
          if (line.box.top > page.raster.height * 0.85) std::printf("    bottom: %s\n", line.Text().c_str());
        }
      }
    }
    auto entries = (*split)->Split(book);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    if (std::getenv("SOHOA_BOOKS_VERBOSE")) {
      for (const auto& entry : *entries) {
        std::printf("  found: số %d%s pages %s%s%s\n", entry->entry->number, entry->entry->number_inferred ? "?" : "",
                    PageNumbersText(entry->entry->page_numbers).c_str(), entry->entry->handwritten ? " HW" : "",
                    entry->review_reasons.empty() ? "" : (" | " + entry->review_reasons.front()).c_str());
      }
    }
    int right = 0, hand = 0, hand_flagged = 0, false_hand = 0, matched = 0, hand_reasoned = 0, typed_reasoned = 0;
    std::vector<bool> used(entries->size(), false);
    for (const auto& want : truth["entries"]) {
      const int number = want["number"];
      std::vector<int> pages = want["page_numbers"].get<std::vector<int>>();
      const bool handwritten = want["handwritten"];
      hand += handwritten;
      for (size_t i = 0; i < entries->size(); ++i) {
        const EntryInfo& got = *(*entries)[i]->entry;
        if (used[i] || got.number != number) continue;
        used[i] = true;
        ++matched;
        if (got.page_numbers == pages) {
          ++right;
        } else {
          std::printf("  entry %d: pages %s, want %s\n", number, PageNumbersText(got.page_numbers).c_str(),
                      PageNumbersText(pages).c_str());
        }
        if (handwritten && got.handwritten) ++hand_flagged;
        if (!handwritten && got.handwritten) ++false_hand;
        const bool hand_reason = std::count((*entries)[i]->review_reasons.begin(), (*entries)[i]->review_reasons.end(),
                                            "handwritten: key it in") > 0;
        if (handwritten && hand_reason) ++hand_reasoned;
        if (!handwritten && hand_reason) ++typed_reasoned;
        break;
      }
      if (!std::count(used.begin(), used.end(), true) || matched == 0) continue;
    }
    std::printf("%s: truth %zu entries, found %zu; right number+pages %d; handwritten %d, flagged %d; "
                "printed flagged as handwritten %d; \"handwritten: key it in\" on handwritten %d, on typed %d\n",
                book.relative_path.c_str(), truth["entries"].size(), entries->size(), right, hand, hand_flagged,
                false_hand, hand_reasoned, typed_reasoned);
    for (const std::string& reason : book.review_reasons) std::printf("  %s\n", reason.c_str());
    for (const auto& d : truth["defects"]) std::printf("  truth defect: %s\n", d.dump().c_str());
  }
}

}  // namespace
}  // namespace sohoa
