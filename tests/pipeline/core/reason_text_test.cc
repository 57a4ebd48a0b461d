#include "pipeline/core/reason_text.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(ReasonTextTest, FieldReasonsLoseTheValuesTheyQuote) {
  EXPECT_EQ(ReasonWithoutValues("fields: ho_ten 'NGUYỄN VĂN AN' read with confidence 0.50 < 0.80"),
            "fields: ho_ten read with low confidence");
  EXPECT_EQ(ReasonWithoutValues("fields: ngay_sinh: 2021-03-05 is after ngay_dang_ky 2021-01-02"),
            "fields: ngay_sinh failed a check");
  EXPECT_EQ(ReasonWithoutValues("fields: so_dinh_danh: 042221004455 does not match the province"),
            "fields: so_dinh_danh failed a check");
}

TEST(ReasonTextTest, ReasonsThatQuoteNoValueAreKept) {
  for (const std::string reason :
       {"fields: required field ho_ten (Họ, chữ đệm, tên) not found",
        "fields: unknown document type (no known title found)", "inventory: no record in the inventory",
        "tiff: LZW decode error on page 2"}) {
    EXPECT_EQ(ReasonWithoutValues(reason), reason);
  }
}

TEST(ReasonTextTest, JoinedReasonsAreEachCutAndAValueHoldingTheSeparatorDoesNotLeak) {
  EXPECT_EQ(ReasonWithoutValues("fields: gioi_tinh 'Nam' read with confidence 0.73 < 0.80; fields: noi_chet "
                                "'Tại nhà, Thôn 4' read with confidence 0.36 < 0.80; inventory: no record in the "
                                "inventory"),
            "fields: gioi_tinh read with low confidence; fields: noi_chet read with low confidence; inventory: no "
            "record in the inventory");
  const std::string cut = ReasonWithoutValues("fields: ho_ten 'TRẦN; THỊ BÉ' read with confidence 0.20 < 0.80");
  EXPECT_EQ(cut.find("TRẦN"), std::string::npos) << cut;
  EXPECT_EQ(cut.find("THỊ BÉ"), std::string::npos) << cut;
}

}  // namespace
}  // namespace sohoa
