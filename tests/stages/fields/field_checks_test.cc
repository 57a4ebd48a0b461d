// Checks with the other fields as context, made at extraction and made
// again after the register settled a value they were made against (tuning
// seeds 1-23: a registration date read "2002-11-18", the birth date
// 2022-11-13 "after" it; the register then gave 2022-11-18, but the birth
// date's doubt stayed and sent three right documents to a person).
#include "stages/fields/field_checks.h"

#include <gtest/gtest.h>

#include "build_paths.h"
#include "pipeline/core/reason.h"
#include "tests/stages/fields/project_lexicons.h"

namespace sohoa {
namespace {

using testing::ProjectLexicons;

const DocTypeSpec& BirthSpec() {
  static const DocTypeCatalog* catalog = [] {
    StatusOr<DocTypeCatalog> c = DocTypeCatalog::Load(std::string(SOHOA_SOURCE_DIR) + "/schemas/doctypes");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return new DocTypeCatalog(std::move(*c));
  }();
  const DocTypeSpec* spec = catalog->Find("khai_sinh");
  EXPECT_NE(spec, nullptr);
  return *spec;
}

const FieldSpec& FieldOf(const DocTypeSpec& spec, const std::string& key) {
  for (const FieldSpec& f : spec.fields)
    if (f.key == key) return f;
  ADD_FAILURE() << "no field " << key;
  return spec.fields.front();
}

constexpr const char* kToday = "2026-12-07";

// The birth date checked against a registration date read as `registered`,
// as field extraction does it, its reason among the document's.
Document BirthRegistered(const std::string& registered) {
  const DocTypeSpec& spec = BirthSpec();
  Document doc;
  doc.metadata["doc_type"] = "khai_sinh";
  doc.fields["ngay_dang_ky"] = {registered, 0.30f, ""};
  doc.fields["ngay_sinh"] = {"2022-11-13", 0.95f, ""};
  const FieldSpec& birth = FieldOf(spec, "ngay_sinh");
  bool unverified = false;
  const std::string problem =
      CheckWithOtherFields(birth, spec, "2022-11-13", doc, ProjectLexicons().provinces, kToday, &unverified);
  ApplyCheckWithOtherFields(problem, unverified, doc.fields["ngay_sinh"]);
  const std::string reason =
      FieldReason("ngay_sinh", doc.fields["ngay_sinh"], FieldBar(birth, ProjectLexicons(), 0.80));
  if (!reason.empty()) doc.review_reasons.push_back(reason);
  doc.review_reasons.push_back("fields: ho_ten 'VÕ NGỌC THỦY' read with confidence 0.50 < 0.80");
  return doc;
}

TEST(FieldChecksTest, ABirthDateAfterAMisreadRegistrationDateIsDoubtedWithItsConfidenceKept) {
  Document doc = BirthRegistered("2002-11-18");
  const FieldValue& birth = doc.fields["ngay_sinh"];
  EXPECT_EQ(birth.problem, "2022-11-13 is after ngay_dang_ky 2002-11-18");
  EXPECT_FLOAT_EQ(birth.confidence, 0.95f * 0.3f);
  EXPECT_FLOAT_EQ(birth.confidence_before_check, 0.95f);
  ASSERT_EQ(doc.review_reasons.size(), 2u);
  EXPECT_EQ(doc.review_reasons[0], "fields: ngay_sinh: 2022-11-13 is after ngay_dang_ky 2002-11-18");
  // In order: no problem, nothing kept.
  Document in_order = BirthRegistered("2022-11-18");
  EXPECT_EQ(in_order.fields["ngay_sinh"].problem, "");
  EXPECT_LT(in_order.fields["ngay_sinh"].confidence_before_check, 0);
  EXPECT_EQ(in_order.review_reasons.size(), 1u);
}

TEST(FieldChecksTest, TheCheckMadeAgainAfterTheRegistrationDateIsSettledDropsTheStaleDoubt) {
  Document doc = BirthRegistered("2002-11-18");
  doc.fields["ngay_dang_ky"].value = "2022-11-18";  // what the register settles
  CheckAgainWithOtherFields(BirthSpec(), ProjectLexicons(), 0.80, kToday, doc);
  const FieldValue& birth = doc.fields["ngay_sinh"];
  EXPECT_EQ(birth.problem, "");
  EXPECT_FLOAT_EQ(birth.confidence, 0.95f);  // as read
  EXPECT_LT(birth.confidence_before_check, 0);
  ASSERT_EQ(doc.review_reasons.size(), 1u);  // the name's doubt is none of the check's business
  EXPECT_NE(doc.review_reasons[0].find("ho_ten"), std::string::npos);
}

TEST(FieldChecksTest, TheCheckMadeAgainStillFailingSaysWhatItFailsOnNow) {
  Document doc = BirthRegistered("2002-11-18");
  doc.fields["ngay_dang_ky"].value = "2021-05-02";  // still before the birth
  CheckAgainWithOtherFields(BirthSpec(), ProjectLexicons(), 0.80, kToday, doc);
  const FieldValue& birth = doc.fields["ngay_sinh"];
  EXPECT_EQ(birth.problem, "2022-11-13 is after ngay_dang_ky 2021-05-02");
  EXPECT_FLOAT_EQ(birth.confidence, 0.95f * 0.3f);
  ASSERT_EQ(doc.review_reasons.size(), 2u);
  EXPECT_EQ(doc.review_reasons[1], "fields: ngay_sinh: 2022-11-13 is after ngay_dang_ky 2021-05-02");
  EXPECT_EQ(std::count(doc.review_reasons.begin(), doc.review_reasons.end(),
                       "fields: ngay_sinh: 2022-11-13 is after ngay_dang_ky 2002-11-18"),
            0);
}

TEST(FieldChecksTest, AProblemOfTheValueItselfIsNotMadeAgain) {
  Document doc = BirthRegistered("2002-11-18");
  // A lexicon's or the value's own problem (not from the check with the
  // other fields) is left as it is.
  doc.fields["ngay_sinh"].confidence_before_check = -1;
  doc.fields["ngay_dang_ky"].value = "2022-11-18";
  CheckAgainWithOtherFields(BirthSpec(), ProjectLexicons(), 0.80, kToday, doc);
  EXPECT_EQ(doc.fields["ngay_sinh"].problem, "2022-11-13 is after ngay_dang_ky 2002-11-18");
  EXPECT_EQ(doc.review_reasons.size(), 2u);
}

TEST(FieldChecksTest, AValueThatPassesNowButWasReadUnsurelyKeepsAConfidenceDoubt) {
  Document doc = BirthRegistered("2002-11-18");
  doc.fields["ngay_sinh"].confidence_before_check = 0.25f;  // read at 0.25: below the dates' 0.40
  doc.fields["ngay_dang_ky"].value = "2022-11-18";
  CheckAgainWithOtherFields(BirthSpec(), ProjectLexicons(), 0.80, kToday, doc);
  EXPECT_EQ(doc.fields["ngay_sinh"].problem, "");
  ASSERT_EQ(doc.review_reasons.size(), 2u);
  EXPECT_EQ(doc.review_reasons[1], "fields: ngay_sinh '2022-11-13' read with confidence 0.25 < 0.40");
}

}  // namespace
}  // namespace sohoa
