#include "pipeline/core/error_text.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/core/message_pattern.h"

namespace sohoa {
namespace {

TEST(ErrorTextTest, AKnownErrorIsSaidInTheLanguageWithItsFileAndCause) {
  const std::string english =
      ErrorText("ledger.cannot_open", {{"path", "/srv/a/ledger.sqlite"}, {"cause", "disk I/O error"}});
  EXPECT_EQ(english, "cannot open ledger /srv/a/ledger.sqlite: disk I/O error");
  EXPECT_EQ(ErrorInLang(english, UiLang::kEn), english);
  // SQLite's words are SQLite's: kept as written.
  EXPECT_EQ(ErrorInLang(english, UiLang::kVi), "không mở được sổ cái /srv/a/ledger.sqlite: disk I/O error");
}

TEST(ErrorTextTest, AContextBeforeTheErrorIsKept) {
  EXPECT_EQ(ErrorInLang("--tsa-trust: targets: empty list", UiLang::kVi),
            "--tsa-trust: chỉ tiêu: danh sách trống");
  EXPECT_EQ(ErrorInLang("book 3: " + ErrorText("purpose.too_long", {{"max", "1000"}}), UiLang::kVi),
            "book 3: mục đích dài quá 1000 byte");
}

TEST(ErrorTextTest, ACauseThatIsItselfKnownIsSaidToo) {
  const std::string nested = ErrorText(
      "ledger.cannot_open", {{"path", "/a"}, {"cause", ErrorText("ledger.no_sqlite", {{"path", "/b"}})}});
  EXPECT_EQ(ErrorInLang(nested, UiLang::kVi), "không mở được sổ cái /a: không có sổ cái SQLite tại /b");
}

TEST(ErrorTextTest, AnUnknownErrorIsPrintedAsWritten) {
  for (const std::string text : {"database disk image is malformed", "", "a: b: c", "targets: empty list!"})
    EXPECT_EQ(ErrorInLang(text, UiLang::kVi), text);
  EXPECT_EQ(ErrorText("no.such.id", {{"a", "1"}}), "no.such.id: a=1");
}

// Every kind, filled with plain values, is found again and said from the
// catalogue: no two kinds shadow each other and every one is translated.
TEST(ErrorTextTest, EveryKindIsFoundAgainAndTranslated) {
  for (const char* msgid : ErrorMsgids()) {
    MessageParams params;
    MessagePattern pattern(msgid);
    // The placeholders' names, from the pattern matched against itself.
    ASSERT_TRUE(pattern.Match(
        msgid, [](std::string_view, std::string_view v) { return !v.empty(); }, &params))
        << msgid;
    for (auto& [name, value] : params) value = "V" + name;
    const std::string english = Fill(msgid, params);
    const std::string vietnamese = ErrorInLang(english, UiLang::kVi);
    EXPECT_NE(vietnamese, english) << msgid;
    EXPECT_EQ(vietnamese, Fill(Tr(UiLang::kVi, msgid), params)) << msgid;
  }
}

}  // namespace
}  // namespace sohoa
