// What the ledger keeps of a record's details (issue 22): the XMP twins of
// facts it holds plainly are left out, numbers are kept to the precision
// anyone reads them at, and a review rebuilds exactly the metadata a PDF had.
#include "pipeline/ledger/ledger_details.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pipeline/core/document_facts.h"

namespace sohoa {
namespace {

using nlohmann::json;

// The shape `sohoa run` records (pipeline/run/archive_sink.cc), as on the
// sample batch: metadata with every XMP twin, 17-digit confidences and timings.
json RunDetails() {
  return json::parse(R"({
    "fields": {"ho_ten": {"value": "NGUYỄN QUANG QUANG", "confidence": 0.9597393870353699,
                          "corrected_from": "NGUYÊN QUANG QUANG"},
               "so_dinh_danh": {"value": "079220363446", "confidence": 0.9542666077613831},
               "quyen_so": {"value": "02/2020", "confidence": 0.96}},
    "metadata": {"doc_type": "khai_sinh", "doc_type_code": "GKS", "holder_id": "079220363446",
                 "result_code": "079220363446.GKS", "signed": "[\"staff\",\"org\"]",
                 "xmp:ns:sohoa": "http://ns.sohoa.vn/xmp/1.0/", "xmp:ns:sohoaf": "http://ns.sohoa.vn/xmp/fields/1.0/",
                 "xmp:ns:sohoas": "http://ns.sohoa.vn/xmp/signing/1.0/", "xmp:sohoas:Signer": "UBND",
                 "xmp:sohoa:DocumentType": "khai_sinh", "xmp:sohoa:DocumentTypeCode": "GKS",
                 "xmp:sohoa:HolderId": "079220363446", "xmp:sohoa:ResultCode": "079220363446.GKS",
                 "xmp:sohoaf:ho_ten": "NGUYỄN QUANG QUANG", "xmp:sohoaf:so_dinh_danh": "079220363446",
                 "xmp:sohoaf:quyen_so": "02/2019"},
    "stage_seconds": {"ocr": 5.668468821, "book_layout": 2.194e-06, "pdf": 0.031650978},
    "pages": [{"index": 1, "skew": 8.046875, "ocr_confidence": 94.0}]})");
}

TEST(LedgerDetailsTest, TwinsOfPlainFactsAreLeftOutAndEverythingElseIsKept) {
  const json kept = json::parse(LedgerDetails(RunDetails().dump()));
  const json& m = kept["metadata"];
  for (const char* twin : {"xmp:sohoa:DocumentType", "xmp:sohoa:DocumentTypeCode", "xmp:sohoa:HolderId",
                           "xmp:sohoa:ResultCode", "xmp:sohoaf:ho_ten", "xmp:sohoaf:so_dinh_danh"})
    EXPECT_FALSE(m.contains(twin)) << twin;
  // Not a copy of the field beside it (02/2019 vs 02/2020): kept as it is.
  EXPECT_EQ(m.value("xmp:sohoaf:quyen_so", ""), "02/2019");
  // The namespaces and the signing provenance have no plain twin.
  EXPECT_EQ(m.value("xmp:ns:sohoaf", ""), "http://ns.sohoa.vn/xmp/fields/1.0/");
  EXPECT_EQ(m.value("xmp:sohoas:Signer", ""), "UBND");
  EXPECT_EQ(m.value("holder_id", ""), "079220363446");
  EXPECT_EQ(kept["fields"]["ho_ten"]["corrected_from"], "NGUYÊN QUANG QUANG");
  EXPECT_EQ(kept["pages"], RunDetails()["pages"]);
}

TEST(LedgerDetailsTest, ConfidencesAndTimingsAreKeptToTheDigitsAnyoneReads) {
  const std::string text = LedgerDetails(RunDetails().dump());
  const json kept = json::parse(text);
  EXPECT_EQ(kept["fields"]["ho_ten"]["confidence"].get<double>(), 0.9597);
  EXPECT_EQ(kept["fields"]["quyen_so"]["confidence"].get<double>(), 0.96);
  EXPECT_EQ(kept["stage_seconds"]["ocr"].get<double>(), 5.668);
  EXPECT_EQ(kept["stage_seconds"]["book_layout"].get<double>(), 0.0);
  EXPECT_NE(text.find("\"confidence\":0.9597,"), std::string::npos) << text;  // no 0.9597000000000001
  EXPECT_LT(text.size(), RunDetails().dump().size() * 3 / 4);
}

// What a review writes into the new PDF's XMP (facts::Confirmed) is the same
// from the ledger's copy as from the details the run recorded.
TEST(LedgerDetailsTest, AReviewRebuildsTheSameMetadataFromTheLedgersCopy) {
  const facts::DocumentIdentity identity{
      "khai_sinh",
      "GKS",
      "079220363446",
      "079220363446.GKS",
      {{"ho_ten", "NGUYỄN QUANG QUANG"}, {"so_dinh_danh", "079220363446"}}};
  const json kept = json::parse(LedgerDetails(RunDetails().dump()));
  EXPECT_EQ(facts::Confirmed(kept["metadata"], identity, "", "lan", "2026-12-05T00:00:00Z"),
            facts::Confirmed(RunDetails()["metadata"], identity, "", "lan", "2026-12-05T00:00:00Z"));
}

TEST(LedgerDetailsTest, TextThatIsNotAJsonObjectIsKeptAsItIs) {
  EXPECT_EQ(LedgerDetails("not json at all"), "not json at all");
  EXPECT_EQ(LedgerDetails("[1,2]"), "[1,2]");
  EXPECT_EQ(LedgerDetails("{}"), "{}");
}

}  // namespace
}  // namespace sohoa
