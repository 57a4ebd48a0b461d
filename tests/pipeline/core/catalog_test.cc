#include "pipeline/core/catalog.h"

#include <gtest/gtest.h>

#include "pipeline/core/messages.h"
#include "pipeline/core/reason.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

TEST(CatalogTest, PluralsFollowEachLanguage) {
  EXPECT_EQ(PagesLabel(1, UiLang::kEn), "1 page");
  EXPECT_EQ(PagesLabel(3, UiLang::kEn), "3 pages");
  EXPECT_EQ(PagesLabel(0, UiLang::kEn), "0 pages");
  // Vietnamese has one form (Plural-Forms: nplurals=1).
  EXPECT_EQ(PagesLabel(1, UiLang::kVi), "1 trang");
  EXPECT_EQ(PagesLabel(3, UiLang::kVi), "3 trang");
  RunSummaryFacts one;
  one.files = 1;
  one.archived = 1;
  one.pages = 1;
  EXPECT_NE(RunSummaryLine(one, UiLang::kEn).find(": 1 file — 1 archived"), std::string::npos)
      << RunSummaryLine(one, UiLang::kEn);
  one.files = 2;
  EXPECT_NE(RunSummaryLine(one, UiLang::kEn).find(": 2 files — "), std::string::npos);
  EXPECT_NE(RunSummaryLine(one, UiLang::kVi).find(": 2 tệp — "), std::string::npos);
}

TEST(CatalogTest, TheBuiltCatalogueIsFoundAndSpeaksVietnamese) {
  EXPECT_EQ(CatalogProblem(UiLang::kVi), "");
  EXPECT_EQ(Tr(UiLang::kVi, "archived"), "đã lưu trữ");
  EXPECT_EQ(Tr(UiLang::kEn, "archived"), "archived");
  EXPECT_EQ(OutcomeLabel(Outcome::kReview, UiLang::kVi), "cần kiểm tra");
}

// Every reason the stages can write has its Vietnamese text for people.
TEST(CatalogTest, EveryReasonIsTranslated) {
  for (const char* msgid : ReasonMsgids()) EXPECT_NE(Tr(UiLang::kVi, msgid), msgid) << msgid;
}

TEST(CatalogTest, PlaceholdersAreFilledByName) {
  EXPECT_EQ(Fill("{b} then {a}, {a}", {{"a", "1"}, {"b", "2"}}), "2 then 1, 1");
  EXPECT_EQ(Fill("{unknown} stays", {{"a", "1"}}), "{unknown} stays");
  EXPECT_EQ(Fill("no brace {", {}), "no brace {");
}

// A missing catalogue is said once (the commands print it as a warning)
// and every message is then English: one language still, never a mix.
TEST(CatalogTest, AMissingCatalogueFallsBackToEnglishAndSaysWhere) {
  testing::ScratchDir empty("catalog-missing");
  const Catalog catalog(empty.path().string());
  EXPECT_NE(
      catalog.Problem(UiLang::kVi)
          .find("no Vietnamese message catalogue at " + empty.path().string() + "/vi/LC_MESSAGES/sohoa.mo"),
      std::string::npos)
      << catalog.Problem(UiLang::kVi);
  EXPECT_EQ(catalog.Problem(UiLang::kEn), "");
  EXPECT_EQ(catalog.Tr(UiLang::kVi, "archived"), "archived");
  EXPECT_EQ(catalog.TrN(UiLang::kVi, "{n} page", "{n} pages", 1), "{n} page");
  EXPECT_EQ(catalog.TrN(UiLang::kVi, "{n} page", "{n} pages", 2), "{n} pages");
}

}  // namespace
}  // namespace sohoa
