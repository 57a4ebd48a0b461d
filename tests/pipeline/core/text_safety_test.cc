#include "pipeline/core/text_safety.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(TextSafetyTest, VietnameseTextIsKeptAsItIs) {
  const std::string name = "Giấy khai sinh - Nguyễn Thị Ánh.pdf";
  EXPECT_TRUE(IsValidUtf8(name));
  EXPECT_EQ(EscapeForLog(name), name);
}

TEST(TextSafetyTest, LineBreaksCannotForgeALogLine) {
  EXPECT_EQ(EscapeForLog("a.jpg\n2026-12-04 INFO forged"), "a.jpg\\n2026-12-04 INFO forged");
  EXPECT_EQ(EscapeForLog("a\rb\tc"), "a\\rb\\tc");
}

TEST(TextSafetyTest, TerminalEscapesAndOtherControlsAreShownAsBytes) {
  EXPECT_EQ(EscapeForLog("\x1b[31mred"), "\\x1B[31mred");
  EXPECT_EQ(EscapeForLog(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeForLog("\x7f"), "\\x7F");
}

TEST(TextSafetyTest, BackslashIsEscapedSoEscapesAreUnambiguous) {
  EXPECT_EQ(EscapeForLog("C:\\x41"), "C:\\\\x41");
  EXPECT_NE(EscapeForLog("\\x41"), EscapeForLog("\x41"));
}

TEST(TextSafetyTest, InvalidUtf8BecomesBytesAndTheResultIsValid) {
  // TCVN3 / CP1258 bytes of a legacy Vietnamese file name, and a lone continuation byte.
  const std::string legacy = "T\xe2m\xb5 \x80x";
  EXPECT_FALSE(IsValidUtf8(legacy));
  const std::string escaped = EscapeForLog(legacy);
  EXPECT_EQ(escaped, "T\\xE2m\\xB5 \\x80x");
  EXPECT_TRUE(IsValidUtf8(escaped));
}

TEST(TextSafetyTest, OverlongSurrogateAndOutOfRangeFormsAreNotUtf8) {
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe1\xba"));          // cut short
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x93\x84"));   // U+1F4C4
}

TEST(TextSafetyTest, DirectionOverridesAndC1ControlsAreMadeVisible) {
  EXPECT_EQ(EscapeForLog("invoice\u202Efdp.exe"), "invoice\\u{202E}fdp.exe");
  EXPECT_EQ(EscapeForLog("a\u0085b"), "a\\u{0085}b");
  EXPECT_EQ(EscapeForLog("a\u2067b"), "a\\u{2067}b");
}

// Issue 15: what a reviewer may type into a field.
TEST(TextSafetyTest, FieldValuesRefuseControlsNoncharactersAndDirectionOverrides) {
  EXPECT_EQ(FieldValueProblem("NGUYỄN VĂN A"), "");
  EXPECT_EQ(FieldValueProblem("dòng một\ndòng hai\tcột"), "");  // multi-line fields
  EXPECT_NE(FieldValueProblem(std::string("A\0B", 3)).find("U+0000"), std::string::npos);
  EXPECT_NE(FieldValueProblem("A\rB").find("U+000D"), std::string::npos);
  EXPECT_NE(FieldValueProblem("A\x1b[31mB").find("U+001B"), std::string::npos);
  EXPECT_NE(FieldValueProblem("A\xC2\x85").find("U+0085"), std::string::npos);      // C1 NEL
  EXPECT_NE(FieldValueProblem("A\xEF\xBF\xBF").find("U+FFFF"), std::string::npos);  // noncharacter
  EXPECT_NE(FieldValueProblem("A\xEF\xBF\xBE").find("U+FFFE"), std::string::npos);
  EXPECT_NE(FieldValueProblem("A\xEF\xB7\x90").find("U+FDD0"), std::string::npos);
  EXPECT_NE(FieldValueProblem("A\xF0\x9F\xBF\xBF").find("U+1FFFF"), std::string::npos);
  EXPECT_NE(FieldValueProblem("001\xE2\x80\xAE"
                              "987")
                .find("U+202E"),
            std::string::npos);  // RLO
  EXPECT_NE(FieldValueProblem("A\xFF").find("UTF-8"), std::string::npos);
  EXPECT_EQ(FieldValueProblem("\xEF\xBF\xBD"), "");  // U+FFFD itself is a character
}

TEST(TextSafetyTest, XmlSafeTextReplacesWhatXmlForbidsAndKeepsTheRest) {
  EXPECT_EQ(XmlSafeText("Hà Nội\t\n\r & <x>"), "Hà Nội\t\n\r & <x>");
  EXPECT_EQ(XmlSafeText(std::string("a\0b\x1b"
                                    "c",
                                    5)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(XmlSafeText("a\xEF\xBF\xBF"
                        "b\xEF\xBF\xBE"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(XmlSafeText("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(IsValidUtf8(XmlSafeText("\xED\xA0\x80\xC0\xAF")));
}

}  // namespace
}  // namespace sohoa
