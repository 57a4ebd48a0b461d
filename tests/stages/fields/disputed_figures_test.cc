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

}  // namespace
}  // namespace sohoa
