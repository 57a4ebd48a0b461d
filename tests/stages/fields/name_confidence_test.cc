// A checked name's surname is held to the closed forms' bar, its other
// words to the name's: on readings of the shapes the tuning layouts gave
// (stages/fields/name_confidence.h).
#include "stages/fields/name_confidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/stages/fields/project_lexicons.h"

namespace sohoa {
namespace {

const Lexicon& Surnames() { return testing::ProjectLexicons().surnames; }
constexpr float kSurnameBar = 0.40f;
constexpr float kDissentBar = 0.80f;

float Confidence(const std::string& value, const std::vector<ReadWord>& words) {
  float lowest = 1;
  for (const ReadWord& w : words) lowest = std::min(lowest, w.confidence);
  return NameConfidence(Surnames(), value, words, lowest, kSurnameBar, kDissentBar);
}

// Right names held on tuning for their surname alone: counted at their
// other words' confidence.
TEST(NameConfidenceTest, ASurnameTheListVouchesForCountsAtTheClosedFormsBar) {
  // NGUYỄN at 0.65, the second reader reading "NGUYÊN" (the same surname
  // but for a diacritic), corrected by the list.
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN BẢO NGỌC", {{"NGUYÊN", 0.65f, "NGUYỄN"}, {"BẢO", 0.93f, ""}, {"NGỌC", 0.90f, ""}}),
      0.90f);
  // A speck before the surname, read as a word of its own: no part of the name.
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN CÔNG KHÁNH",
                 {{"|", 0.61f, ""}, {"NGUYỄN", 0.61f, ""}, {"CÔNG", 0.97f, ""}, {"KHÁNH", 0.96f, ""}}),
      0.96f);
  EXPECT_FLOAT_EQ(Confidence("LÝ THỊ NGỌC",
                             {{"`", 0.74f, ""}, {"Lý", 0.92f, ""}, {"Thị", 0.97f, ""}, {"Ngọc", 0.90f, ""}}),
                  0.90f);
  // Punctuation glued to the surname; the second reader's reading too.
  EXPECT_FLOAT_EQ(
      Confidence("TRỊNH THỊ NGỌC", {{"-TRỊNH", 0.79f, "-:TRỊNH"}, {"THỊ", 0.92f, ""}, {"NGỌC", 0.92f, ""}}),
      0.92f);
  EXPECT_FLOAT_EQ(
      Confidence("ĐINH QUANG NAM", {{"Đinh", 0.65f, "Đình"}, {"Quang", 0.96f, ""}, {"Nam", 0.95f, ""}}),
      0.95f);
}

// Tuning seed 2, t009 (typewritten table): NGUYÊN read at 0.30, the second
// reader reading NGUYỄN — the one surname with those letters, which the
// list corrected it to. Two independent readings of that surname: it is
// vouched for whatever the first reader's confidence (on tuning no surname
// was wrong at any confidence: name_confidence.h).
TEST(NameConfidenceTest, ASurnameTheSecondReaderReadAsCorrectedIsVouchedFor) {
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN HỮU HIẾU", {{"NGUYÊN", 0.30f, "NGUYỄN"}, {"HỮU", 0.96f, ""}, {"HIẾU", 0.90f, ""}}),
      0.90f);
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN THỊ THẢO", {{"NGUYÊN", 0.29f, "/NGUYỄN,"}, {"THỊ", 0.96f, ""}, {"THẢO", 0.96f, ""}}),
      0.96f);
  // The second reader's reading must be the surname, marks and all.
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN HỮU HIẾU", {{"NGUYÊN", 0.30f, "NGUYẾN"}, {"HỮU", 0.96f, ""}, {"HIẾU", 0.90f, ""}}),
      0.30f);
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN HỮU HIẾU", {{"NGUYÊN", 0.30f, "AIGUYỄN"}, {"HỮU", 0.96f, ""}, {"HIẾU", 0.90f, ""}}),
      0.30f);
}

TEST(NameConfidenceTest, AnythingElseCountsAtTheLeastSureWord) {
  // Below the closed forms' bar.
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN THÚY AN", {{"NGUYÊN", 0.36f, ""}, {"THÚY", 0.92f, ""}, {"AN", 0.92f, ""}}), 0.36f);
  // The second reader read the surname as something that is no surname.
  EXPECT_FLOAT_EQ(
      Confidence("PHẠM VĂN AN", {{"PHẠM", 0.70f, "cha: PHAN"}, {"VĂN", 0.93f, ""}, {"AN", 0.93f, ""}}),
      0.70f);
  // A surname whose letters another surname shares (LA, LÃ): a lost
  // diacritic would make the one the other.
  EXPECT_FLOAT_EQ(Confidence("LA VĂN AN", {{"LA", 0.70f, ""}, {"VĂN", 0.93f, ""}, {"AN", 0.93f, ""}}), 0.70f);
  // The surname glued to the next word ("Hồ.Thúy"): which confidence is
  // whose cannot be told.
  EXPECT_FLOAT_EQ(Confidence("HỒ THÚY UYÊN", {{"Hồ.Thúy", 0.68f, ""}, {"Uyên...", 0.90f, ""}}), 0.68f);
  // A surname split in two words ("Ñ GUYỄN").
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN THÀNH AN",
                 {{"Ñ", 0.62f, ""}, {"GUYỄN", 0.93f, ""}, {"THÀNH", 0.97f, ""}, {"AN", 0.93f, ""}}),
      0.62f);
  // One word is no name to split.
  EXPECT_FLOAT_EQ(Confidence("NGUYỄN", {{"NGUYỄN", 0.70f, ""}}), 0.70f);
}

// Disputes are a person's, however sure the first reader was.
TEST(NameConfidenceTest, TwoReadersDisputingTheNameHoldIt) {
  // A given name read at 0.61 with the second reader dissenting — on tuning
  // every such word below 0.80 but one was wrong ("DƯNG" for DUNG) — here a
  // known syllable, as a wrong diacritic makes one.
  EXPECT_FLOAT_EQ(
      Confidence("PHAN BẢO DŨNG", {{"PHAN", 0.96f, ""}, {"BẢO", 0.93f, ""}, {"DŨNG", 0.61f, "DỰNG"}}),
      kDisputedNameConfidence);
  // Read at the dissent bar or more, the first reader is taken at its word.
  EXPECT_FLOAT_EQ(
      Confidence("PHAN BẢO DŨNG", {{"PHAN", 0.96f, ""}, {"BẢO", 0.93f, ""}, {"DŨNG", 0.85f, "DỰNG"}}), 0.85f);
  // The second reader read another surname on the list.
  EXPECT_FLOAT_EQ(Confidence("VÕ VĂN AN", {{"VÕ", 0.90f, "VŨ"}, {"VĂN", 0.93f, ""}, {"AN", 0.93f, ""}}),
                  kDisputedNameConfidence);
  // The same surname but for its marks is no dispute (NGUYÊN / NGUYỄN).
  EXPECT_FLOAT_EQ(
      Confidence("NGUYỄN BẢO NGỌC", {{"NGUYỄN", 0.65f, "NGUYÊN"}, {"BẢO", 0.93f, ""}, {"NGỌC", 0.90f, ""}}),
      0.90f);
}

TEST(NameConfidenceTest, NeverLowersTheConfidence) {
  // The other words less sure than the surname.
  EXPECT_FLOAT_EQ(NameConfidence(Surnames(), "NGUYỄN QUỐC MINH",
                                 {{"NGUYỄN", 0.87f, "NGUYÊN"}, {"QUỐC", 0.93f, ""}, {"MINH", 0.76f, ""}},
                                 0.76f, kSurnameBar, kDissentBar),
                  0.76f);
}

}  // namespace
}  // namespace sohoa
