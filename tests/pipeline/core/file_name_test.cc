#include "pipeline/core/file_name.h"

#include <gtest/gtest.h>

#include "pipeline/core/text_safety.h"

namespace sohoa {
namespace {

TEST(FileNameTest, Utf8NameIsShownAsItIs) {
  EXPECT_EQ(DisplayName("hồ sơ/Nguyễn Văn A.tif"), "hồ sơ/Nguyễn Văn A.tif");
  EXPECT_EQ(DisplayName("line\nbreak.png"), "line\nbreak.png");  // each writer escapes controls its way
}

TEST(FileNameTest, NonUtf8NameIsEscapedLosslesslyAsValidUtf8) {
  const std::string raw = "bad\xff\xfe\\name.jpg";
  const std::string shown = DisplayName(raw);
  EXPECT_EQ(shown, "bad\\xFF\\xFE\\\\name.jpg");
  EXPECT_TRUE(IsValidUtf8(shown));
  EXPECT_NE(DisplayName("bad\xff.jpg"), DisplayName("bad\xfe.jpg"));
}

TEST(FileNameTest, HexRoundTripsEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  EXPECT_EQ(HexOfBytes("\xff\x41"), "ff41");
  EXPECT_EQ(BytesFromHex(HexOfBytes(all)), all);
  EXPECT_EQ(BytesFromHex("FF41"), "\xff\x41");
  EXPECT_FALSE(BytesFromHex("f"));
  EXPECT_FALSE(BytesFromHex("zz"));
}

TEST(FileNameTest, GuessesCp1258) {
  // "Tâm Nguyễn" in Windows-1258: ễ is e, circumflex ê (0xEA), tilde (0xDE).
  auto guess = GuessLegacyVietnameseName("T\xe2m Nguy\xea\xden.png");
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->encoding, "CP1258");
  EXPECT_EQ(guess->text, "Tâm Nguyễn.png");
}

TEST(FileNameTest, GuessesTcvn3) {
  // "Nguyễn Văn Tâm" in TCVN3 (ABC fonts): ễ 0xD4, ă 0xA8, â 0xA9.
  auto guess = GuessLegacyVietnameseName("Nguy\xd4n V\xa8n T\xa9m.tif");
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->encoding, "TCVN3");
  EXPECT_EQ(guess->text, "Nguyễn Văn Tâm.tif");
}

TEST(FileNameTest, GuessesVni) {
  // "Nguyễn Văn Đức" in VNI: e + 0xE3 (circumflex, tilde), a + 0xEA (breve),
  // Đ 0xD1, ư 0xF6 + 0xF9 (acute).
  auto guess = GuessLegacyVietnameseName(
      "Nguye\xe3n Va\xean \xd1\xf6\xf9"
      "c.jpg");
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->encoding, "VNI");
  EXPECT_EQ(guess->text, "Nguyễn Văn Đức.jpg");
}

TEST(FileNameTest, VniIsPreferredWhereCp1258WouldReadImpossibleVowelPairs) {
  // CP1258 reads these bytes as "Nguyeăn Vaên": every character a Vietnamese
  // letter, but no syllable has "eă" or "aê".
  auto guess = GuessLegacyVietnameseName("Nguye\xe3n Va\xean.tif");
  ASSERT_TRUE(guess);
  EXPECT_EQ(guess->encoding, "VNI");
  EXPECT_EQ(guess->text, "Nguyễn Văn.tif");
}

TEST(FileNameTest, NoGuessForUtf8OrForBytesThatReadAsNoVietnamese) {
  EXPECT_FALSE(GuessLegacyVietnameseName("Nguyễn.png"));
  EXPECT_FALSE(GuessLegacyVietnameseName("scan\xa0\xa0.png"));  // NBSP in CP1258 and TCVN, no VNI byte
}

}  // namespace
}  // namespace sohoa
