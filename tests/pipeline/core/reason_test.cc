#include "pipeline/core/reason.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(ReasonTest, FieldReasonsLoseTheValuesTheyQuote) {
  EXPECT_EQ(ReasonsForPeople("fields: ho_ten 'NGUYỄN VĂN AN' read with confidence 0.50 < 0.80", UiLang::kEn),
            "fields: ho_ten read with low confidence");
  EXPECT_EQ(ReasonsForPeople("fields: ngay_sinh: 2021-03-05 is after ngay_dang_ky 2021-01-02", UiLang::kEn),
            "fields: ngay_sinh failed a check");
  EXPECT_EQ(ReasonsForPeople("fields: so_dinh_danh: 042221004455 does not match the province", UiLang::kEn),
            "fields: so_dinh_danh failed a check");
  // The form's label is the form's words, not the interface's: left out.
  EXPECT_EQ(ReasonsForPeople("fields: required field ho_ten (Họ, chữ đệm, tên) not found", UiLang::kEn),
            "fields: required field ho_ten not found");
}

TEST(ReasonTest, ReasonsThatQuoteNoValueAreKept) {
  for (const std::string reason :
       {"fields: unknown document type (no known title found)", "inventory: no record in the inventory",
        "tiff: LZW decode error on page 2", "entry number not read and not inferable: key it in"}) {
    EXPECT_EQ(ReasonsForPeople(reason, UiLang::kEn), reason);
  }
}

TEST(ReasonTest, JoinedReasonsAreEachCutAndAValueHoldingTheSeparatorDoesNotLeak) {
  EXPECT_EQ(
      ReasonsForPeople("fields: gioi_tinh 'Nam' read with confidence 0.73 < 0.80; fields: noi_chet "
                       "'Tại nhà, Thôn 4' read with confidence 0.36 < 0.80; inventory: no record in the "
                       "inventory",
                       UiLang::kEn),
      "fields: gioi_tinh read with low confidence; fields: noi_chet read with low confidence; inventory: no "
      "record in the inventory");
  // Put back together, the reason is still known for what it is.
  const std::string cut =
      ReasonsForPeople("fields: ho_ten 'TRẦN; THỊ BÉ' read with confidence 0.20 < 0.80", UiLang::kEn);
  EXPECT_EQ(cut, "fields: ho_ten read with low confidence");
  const std::vector<Reason> split =
      SplitReasons("fields: ho_ten 'TRẦN; THỊ BÉ' read with confidence 0.20 < 0.80; page 2: blank page");
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].id, "field.low_confidence");
  EXPECT_EQ(split[1].id, "page.blank");
}

// A page whose resolution was estimated, among the document's other reasons
// as the ledger joins them ("; "), is still that reason when cut apart and
// is said whole in Vietnamese. Its text once held "; " itself: the first
// half read as a page's decoding cause and the rest stayed in English.
TEST(ReasonTest, AnEstimatedResolutionIsOneReasonAmongOthers) {
  const std::string estimated =
      ReasonText("page.low_dpi_estimated", {{"page", "1"}, {"dpi", "69"}, {"minimum", "200"}});
  const std::string joined =
      "fields: unknown document type (no known title found); " + estimated + "; page 2: blank page";
  const std::vector<Reason> split = SplitReasons(joined);
  ASSERT_EQ(split.size(), 3u) << joined;
  EXPECT_EQ(split[0].id, "type.no_title");
  EXPECT_EQ(split[1].id, "page.low_dpi_estimated");
  EXPECT_EQ(split[2].id, "page.blank");
  const std::string said = ReasonsForPeople(joined, UiLang::kVi);
  EXPECT_NE(said.find("trang 1: 69 dpi (ước tính theo cỡ chữ"), std::string::npos) << said;
  EXPECT_EQ(said.find("estimated"), std::string::npos) << said;
}

// What the stages write parses back to the same id and parameters: the
// ledger's machine form is what the stage meant.
TEST(ReasonTest, EveryKindParsesBackFromItsText) {
  const std::vector<std::pair<const char*, MessageParams>> made = {
      {"field.low_confidence",
       {{"field", "ho_ten"}, {"value", "LÊ 'A' B"}, {"confidence", "0.67"}, {"minimum", "0.80"}}},
      {"field.label_without_value", {{"field", "noi_sinh"}, {"label", "Nơi sinh"}}},
      {"field.optional_not_found", {{"field", "noi_sinh"}, {"label", "Nơi sinh"}}},
      {"field.not_found", {{"field", "so"}, {"label", "Số"}}},
      {"field.check_failed",
       {{"field", "ngay_sinh"}, {"problem", "2021-03-05 is after ngay_dang_ky 2021-01-02"}}},
      {"type.form_mismatch", {{"type_name", "Giấy khai sinh"}}},
      {"type.register_kind", {{"kind", "khai_sinh"}}},
      {"entry.number_misfit", {{"read", "113"}, {"before", "12"}, {"after", "14"}, {"taken", "13"}}},
      {"entry.number_out_of_order", {{"number", "7"}, {"previous", "5"}}},
      {"book.no_entry", {{"scan", "3"}}},
      {"page.blank", {{"page", "2"}}},
      {"page.low_dpi", {{"page", "1"}, {"dpi", "150×200"}, {"minimum", "200"}}},
      {"page.low_dpi_estimated", {{"page", "1"}, {"dpi", "69"}, {"minimum", "200"}}},
      {"inventory.no_record", {{"entry", "khai_sinh so 12 quyen 01"}}},
      {"inventory.unconfirmed_unread", {{"entry", "khai_sinh so 12"}, {"records", "R1, R2"}}},
      {"inventory.unconfirmed",
       {{"entry", "khai_sinh so 12"}, {"records", "R1"}, {"issue_date", "2021-03-05"}}},
  };
  for (const auto& [id, params] : made) {
    const std::string text = ReasonText(id, params);
    const Reason parsed = ParseReason(text);
    EXPECT_EQ(parsed.id, id) << text;
    EXPECT_EQ(parsed.params, params) << text;
  }
  EXPECT_EQ(
      ReasonText("field.low_confidence",
                 {{"field", "ho_ten"}, {"value", "LÊ THU LAN"}, {"confidence", "0.67"}, {"minimum", "0.80"}}),
      "fields: ho_ten 'LÊ THU LAN' read with confidence 0.67 < 0.80");
}

// The book's page-order problems as stages/book/book_page_order.cc writes
// them (texts pinned by tests/stages/book/book_split_stage_test): known,
// with the place on the scan said in the reader's language too.
TEST(ReasonTest, BookPageProblemsAreKnownAndSaidInEitherLanguage) {
  const std::string repeated = "book: page 2 (scan page 3) repeats scan page 2; its entries are taken once";
  const std::vector<Reason> split =
      SplitReasons(repeated + "; page 4 is missing (between scan page 3 and scan page 4)");
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].id, "book.problem");
  EXPECT_EQ(split[1].id, "page.missing_between");
  EXPECT_EQ(ReasonsForPeople(repeated, UiLang::kEn), repeated);
  EXPECT_EQ(ReasonsForPeople(repeated, UiLang::kVi),
            "sổ: trang 2 (trang quét 3) lặp lại trang quét 2; các mục của nó chỉ được lấy một lần");
  for (const std::string text :
       {"page number of scan page 4, left read as 113, which does not fit the pages around it: taken as 13, "
        "check it",
        "page number of scan page 2 read as 900, which the book cannot hold: check it",
        "page 7 (scan page 5, right) is out of order: it comes after page 9",
        "page number of scan page 6 not read: taken as 6", "pages 3-5 are missing (before scan page 1)",
        "page number of scan page 3 read as 16, taken as 18 (between pages 17 and 19)"}) {
    EXPECT_NE(ParseReason(text).id, "text") << text;
    EXPECT_NE(ParseReason("book: " + text).id, "text") << text;
    EXPECT_EQ(ReasonsForPeople(text, UiLang::kVi).find("scan page"), std::string::npos)
        << ReasonsForPeople(text, UiLang::kVi);
  }
}

// Causes of quarantine: what the file is said in the reader's language, a
// library's own words (libtiff's here) kept as written.
TEST(ReasonTest, QuarantineCausesFromDecodingAreKnown) {
  EXPECT_EQ(ParseReason("empty file (0 bytes)").id, "decode.empty");
  EXPECT_EQ(ReasonsForPeople("not an image: file starts with 'hello\\x0A'", UiLang::kVi),
            "không phải tệp ảnh: tệp bắt đầu bằng 'hello\\x0A'");
  EXPECT_EQ(ReasonsForPeople("not a readable TIFF: TIFFFetchDirectory: Can not read TIFF directory count",
                             UiLang::kVi),
            "không đọc được tệp TIFF: TIFFFetchDirectory: Can not read TIFF directory count");
  EXPECT_EQ(ReasonsForPeople("page 2: LZW compression is not supported", UiLang::kVi),
            "trang 2: không hỗ trợ kiểu nén LZW");
  EXPECT_EQ(ParseReason("page 3: blank page").id, "page.blank");  // the specific kind, not page.cause
  EXPECT_EQ(ParseReason("page 3: cannot decode row 7: bad code").id, "page.cause");
}

// The decoders' own words are kinds too, said in turn inside "page N: …"
// and inside each other; a library's words (libjpeg's) stay as written. So
// do the reasons an input of the batch was passed over, with its ledger
// status said as the run log says outcomes.
TEST(ReasonTest, DecodersAndPassedOverInputsAreSaidInTheReadersLanguage) {
  const std::string png = "page 1: cannot decode the PNG data (damaged or truncated file): the file ends early "
                          "(truncated)";
  EXPECT_EQ(ReasonsForPeople(png, UiLang::kEn), png);
  EXPECT_EQ(ReasonsForPeople(png, UiLang::kVi),
            "trang 1: không giải mã được dữ liệu PNG (tệp bị hỏng hoặc bị cắt cụt): tệp kết thúc sớm (bị cắt cụt)");
  EXPECT_EQ(ReasonsForPeople("page 1: damaged JPEG data: Premature end of JPEG file", UiLang::kVi),
            "trang 1: dữ liệu JPEG bị hỏng: Premature end of JPEG file");
  EXPECT_EQ(ReasonsForPeople("page 2: cannot decode the tile at x=0 y=256: bad code", UiLang::kVi),
            "trang 2: không giải mã được ô ảnh tại x=0 y=256: bad code");
  EXPECT_EQ(ReasonsForPeople("20×30 pixels is too small to be a page scan (under 300 pixels on a side)",
                             UiLang::kVi),
            "20×30 điểm ảnh quá nhỏ để là ảnh quét một trang (dưới 300 điểm ảnh một cạnh)");
  EXPECT_EQ(ReasonsForPeople("already in the archive (review) as a/b.tif", UiLang::kVi),
            "đã có trong kho lưu trữ (cần kiểm tra) với tên a/b.tif");
  EXPECT_EQ(ReasonsForPeople("same content as a/b.tif in this batch", UiLang::kVi),
            "cùng nội dung với a/b.tif trong lô này");
  EXPECT_EQ(ReasonsForPeople("file changed while being read (still being written?); left for the next run",
                             UiLang::kVi),
            "tệp thay đổi trong khi đang đọc (vẫn đang được ghi?); để lại cho lượt chạy sau");
  EXPECT_EQ(ReasonsForPeople("not started: the run stopped (see the error above); left for the next run",
                             UiLang::kEn),
            "not started: the run stopped (see the error above); left for the next run");
}

// The review station's reviewers see the values: the full text, in
// either language.
TEST(ReasonTest, TheFullTextKeepsItsValuesInEitherLanguage) {
  const std::string low = "fields: ho_ten 'LÊ THU LAN' read with confidence 0.67 < 0.80";
  EXPECT_EQ(ReasonInFull(low, UiLang::kEn), low);
  EXPECT_EQ(ReasonInFull(low, UiLang::kVi),
            "trường: ho_ten 'LÊ THU LAN' đọc được với độ tin cậy 0.67 < 0.80");
  const nlohmann::json both = ReasonsInEachLanguage({low, "tiff: LZW decode error"});
  EXPECT_EQ(both["en"][0], low);
  EXPECT_EQ(both["vi"][1], "tiff: LZW decode error");
  // A field check's problem is said too when the error table knows it
  // (issue 20), any other as written.
  EXPECT_EQ(ReasonInFull("fields: ngay_sinh: '31/02/2020' is not a date that exists", UiLang::kVi),
            "trường: ngay_sinh: '31/02/2020' không phải một ngày có thật");
  EXPECT_EQ(
      ReasonInFull("fields: ho_ten: surname 'XYZ' is not one of the known Vietnamese surnames", UiLang::kVi),
      "trường: ho_ten: họ 'XYZ' không có trong danh sách các họ người Việt đã biết");
  // Issue 14: a name cut before its given name, a syllable no name has.
  EXPECT_EQ(
      ReasonInFull("fields: ho_ten_me: name 'PHAN THỊ' ends on the middle name 'THỊ': its given name is "
                   "missing; complete it from the page",
                   UiLang::kVi),
      "trường: ho_ten_me: họ tên 'PHAN THỊ' kết thúc ở tên đệm 'THỊ': thiếu tên; hãy ghi đủ theo bản giấy");
  EXPECT_EQ(ReasonInFull("fields: ho_ten: 'HÃNG' is not one of the known syllables of Vietnamese names",
                         UiLang::kVi),
            "trường: ho_ten: 'HÃNG' không có trong danh sách các chữ của tên người Việt đã biết");
  EXPECT_EQ(ReasonInFull("fields: so: printed 2 times but read as 12 / 13", UiLang::kVi),
            "trường: so: in 2 lần nhưng đọc thành 12 / 13");
  EXPECT_EQ(ReasonInFull("fields: so: a problem of no known kind", UiLang::kVi),
            "trường: so: a problem of no known kind");
}

TEST(ReasonTest, FreeTextIsKeptAsWrittenInTheMachineForm) {
  const Reason reason = ParseReason("tiff: LZW decode error on page 2");
  EXPECT_EQ(reason.id, "text");
  EXPECT_EQ(ReasonToJson(reason).dump(),
            R"({"id":"text","params":{"text":"tiff: LZW decode error on page 2"}})");
}

TEST(ReasonTest, TheLedgerKeepsTextAndIdsTogetherAndOldDetailsGetIdsToo) {
  nlohmann::json details = nlohmann::json::object();
  SetReviewReasons({"page 1: no text recognized", "handwritten: key it in"}, &details);
  ASSERT_EQ(details["review_reason_ids"].size(), 2u);
  EXPECT_EQ(details["review_reason_ids"][0]["id"], "page.no_text");
  EXPECT_EQ(details["review_reason_ids"][0]["params"]["page"], "1");
  EXPECT_EQ(details["review_reason_ids"][1]["id"], "entry.handwritten");
  const nlohmann::json old = {{"review_reasons", {"page 3: blank page"}}};
  EXPECT_EQ(ReviewReasonIds(old).dump(), R"([{"id":"page.blank","params":{"page":"3"}}])");
}

TEST(ReasonTest, VietnameseSaysTheKindWithoutTheValue) {
  const std::string vi = ReasonsForPeople(
      "fields: ho_ten 'LÊ THU LAN' read with confidence 0.67 < 0.80; page 2: blank page", UiLang::kVi);
  EXPECT_EQ(vi, "trường: ho_ten đọc được với độ tin cậy thấp; trang 2: trang trắng");
}

}  // namespace
}  // namespace sohoa
