// Figures two readers disputed are settled only where a cross-check pins
// every disputed figure; a check that merely allows a reading settles
// nothing.
#include "stages/fields/disputed_figures.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(DisputedFiguresTest, AnIdIsSettledOnlyInTheDigitsItsHolderPins) {
  // Birth year digits (5-6) disputed: the birth date pins them.
  EXPECT_EQ(SettleIdByHolder({"067196735738", "067195735738"}, "Nữ", "1995-09-09", ""), "067195735738");
  // Province digits disputed (tuning layouts, a typewritten birth
  // certificate: `vie` read the 0 as 9, the birth date disputed too):
  // pinned only when the registration place names the province.
  EXPECT_EQ(SettleIdByHolder({"031224676511", "931224676511"}, "Nam", "", "031"), "031224676511");
  EXPECT_EQ(SettleIdByHolder({"031224676511", "038224676511"}, "Nam", "", ""), std::nullopt);
  // A serial digit (7-12) disputed: nothing on the page pins it, however
  // well the rest agrees.
  EXPECT_EQ(SettleIdByHolder({"006198292484", "006198292434"}, "Nữ", "1998-01-02", ""), std::nullopt);
  // Neither does.
  EXPECT_EQ(SettleIdByHolder({"067196735738", "067197735738"}, "Nữ", "1995-09-09", ""), std::nullopt);
}

TEST(DisputedFiguresTest, ABirthYearIsSettledByTheIdButNotADayOrMonth) {
  EXPECT_EQ(SettleBirthYearById({"1987-09-04", "1937-09-04"}, "075137748992"), "1937-09-04");
  EXPECT_EQ(SettleBirthYearById({"2016-06-18", "2016-06-16"}, "042316004455"), std::nullopt);
  EXPECT_EQ(SettleBirthYearById({"1987-09-04", "1937-09-04"}, "07513774899"), std::nullopt);  // no ID
}

TEST(DisputedFiguresTest, AnEquationPinsEveryFigure) {
  EXPECT_EQ(SettleByEquality({"2022-07-15", "2022-07-16"}, "2022-07-15"), "2022-07-15");
  EXPECT_EQ(SettleByEquality({"2022-07-16", "2022-07-18"}, "2022-07-15"), std::nullopt);
  EXPECT_EQ(SettleByEquality({"2022-07-15", "2022-07-16"}, ""), std::nullopt);
}

// The readings on the tuning layouts (their shapes; the figures changed):
// the other reading was most often no value of the field at all.
TEST(DisputedFiguresTest, AReadingThatIsNoPossibleValueIsNoRival) {
  const std::string today = "2026-12-06";
  // `vie` read a typewritten 0 as 9: a year in the future.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("date", "date", today, "2024-08-14", {"14/08/2924"}));
  // A year before 1900.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("date", "date", today, "1987-09-04", {"04/09/1087"}));
  // An ID with a figure dropped or doubled; one with a province code past 096;
  // one with a century/sex digit past 5.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("digits", "personal_id", today, "031224676511", {"03122467651"}));
  EXPECT_TRUE(OnlyTakenReadingIsPossible("digits", "personal_id", today, "031224676511", {"0312246765111"}));
  EXPECT_TRUE(OnlyTakenReadingIsPossible("digits", "personal_id", today, "031224676511", {"931224676511"}));
  EXPECT_TRUE(OnlyTakenReadingIsPossible("digits", "personal_id", today, "031224676511", {"031824676511"}));
  // A book year no register has.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("book", "book", today, "01/2021", {"01/2621"}));
  // Two disputed words: every combination must be impossible.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("date", "date", today, "2024-08-14", {"14/08/2924", "14/08/2924"}));
  // Read the other way the same value: no rival either.
  EXPECT_TRUE(OnlyTakenReadingIsPossible("date", "date", today, "2024-08-14", {"14/08/2024."}));
}

TEST(DisputedFiguresTest, APossibleOtherReadingIsARivalWhateverElseSaysSo) {
  const std::string today = "2026-12-06";
  // A day 20 or 29, a book 01 or 91, a province 070 or 079: both possible.
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2016-06-20", {"29/06/2016"}));
  EXPECT_FALSE(OnlyTakenReadingIsPossible("book", "book", today, "01/2018", {"91/2018"}));
  EXPECT_FALSE(OnlyTakenReadingIsPossible("digits", "personal_id", today, "070224676511", {"079224676511"}));
  // One combination of two disputed words possible: a rival.
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2024-08-14", {"14/08/2924", "19/08/2024"}));
  // The taken reading itself impossible: nothing to settle at.
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2924-08-14", {"14/08/2024"}));
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2924-08-14", {"14/08/2934"}));
  // No other reading known: nothing says the taken one has no rival.
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2024-08-14", {}));
  // Only another field rules the other reading out (a birth year against
  // the ID): still a possible value of its own field.
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "1987-09-04", {"04/09/1937"}));
}

// A whole other reading may be impossible for one figure and right in the
// next: the mixes are rivals too.
TEST(DisputedFiguresTest, TheOtherReadingsFiguresAreWeighedOneByOne) {
  using Words = std::vector<std::string>;
  EXPECT_EQ(DisputedWordReadings("20/12/2016", "29/13/2016"),
            (Words{"29/12/2016", "20/13/2016", "29/13/2016"}));
  // The marks around figures aside; a figure dropped shifts the rest.
  EXPECT_EQ(DisputedWordReadings("|20/12/2016,", "29/12/2016"), (Words{"29/12/2016"}));
  EXPECT_EQ(DisputedWordReadings("031224676511", "03122467651"), (Words{"03122467651"}));
  EXPECT_EQ(DisputedWordReadings("14/08/2024", "14⁄08/2924"),
            (Words{"14⁄08/2024", "14/08/2924", "14⁄08/2924"}));
  EXPECT_EQ(DisputedWordReadings("11111", "99999"), std::nullopt);
  // The month 13 rules the whole other reading out, but not its day 29.
  const std::string today = "2026-12-06";
  EXPECT_TRUE(OnlyTakenReadingIsPossible("date", "date", today, "2016-12-20", {"29/13/2016"}));
  EXPECT_FALSE(OnlyTakenReadingIsPossible("date", "date", today, "2016-12-20",
                                          *DisputedWordReadings("20/12/2016", "29/13/2016")));
}

// The tuning readings' shapes (figures changed): the taken reading is no
// possible value, the other reader's is.
TEST(DisputedFiguresTest, AnImpossibleTakenReadingGivesWayToThePossibleOther) {
  const std::string today = "2026-12-06";
  EXPECT_EQ(ThePossibleOtherReading("book", today, "01/2921", {"01/2021"}), "01/2021");
  EXPECT_EQ(ThePossibleOtherReading("personal_id", today, "966139364274", {"066139304274"}), "066139304274");
  // The taken reading possible: nothing to correct; both or neither of
  // two others possible: nothing to choose.
  EXPECT_EQ(ThePossibleOtherReading("book", today, "01/2021", {"01/2921"}), std::nullopt);
  EXPECT_EQ(ThePossibleOtherReading("date", today, "2924-08-14", {"2024-08-14", "2024-08-19"}), std::nullopt);
  EXPECT_EQ(ThePossibleOtherReading("date", today, "2924-08-14", {"2934-08-14"}), std::nullopt);
  EXPECT_EQ(ThePossibleOtherReading("date", today, "2924-08-14", {}), std::nullopt);
}

}  // namespace
}  // namespace sohoa
