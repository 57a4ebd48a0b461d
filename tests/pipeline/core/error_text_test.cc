#include "pipeline/core/error_text.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "pipeline/core/message_pattern.h"
#include "pipeline/core/text_safety.h"

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
  for (const std::string text : {"database disk image is malformed", "", "a: b: c", "targets: empty list!",
                                 "types/x.json: fields: expected an array"})
    EXPECT_EQ(ErrorInLang(text, UiLang::kVi), text);
  EXPECT_EQ(ErrorText("no.such.id", {{"a", "1"}}), "no.such.id: a=1");
}

// The review station refuses a keyed value as "{field}: the value " and
// FieldValueProblem's text (pipeline/review/review.cc), and shows "the value
// " and the text beside the field; each is a kind, so a change to one of
// them without the table shows here.
TEST(ErrorTextTest, EveryProblemOfAKeyedValueIsSaid) {
  const std::map<std::string, std::string> said = {
      {"A\xff", "ho_ten: giá trị không phải văn bản UTF-8 hợp lệ"},
      {"A\x1b[31m", "ho_ten: giá trị chứa ký tự điều khiển U+001B; "},
      {"A\xef\xbf\xbe", "ho_ten: giá trị chứa U+FFFE, không phải một ký tự; "},
      {"A\xe2\x80\xae", "ho_ten: giá trị chứa dấu chỉ hướng vô hình U+202E, "},
  };
  for (const auto& [value, vietnamese] : said) {
    const std::string problem = FieldValueProblem(value);
    ASSERT_FALSE(problem.empty()) << value;
    EXPECT_EQ(ErrorInLang("ho_ten: the value " + problem, UiLang::kVi).rfind(vietnamese, 0), 0u)
        << ErrorInLang("ho_ten: the value " + problem, UiLang::kVi);
  }
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
    // (A {shape} is braces around JSON keys: error_text.cc's Fits.)
    for (auto& [name, value] : params) value = name == "shape" ? "{V" + name + "}" : "V" + name;
    const std::string english = Fill(msgid, params);
    const std::string vietnamese = ErrorInLang(english, UiLang::kVi);
    EXPECT_NE(vietnamese, english) << msgid;
    EXPECT_EQ(vietnamese, Fill(Tr(UiLang::kVi, msgid), params)) << msgid;
  }
}

}  // namespace
}  // namespace sohoa
