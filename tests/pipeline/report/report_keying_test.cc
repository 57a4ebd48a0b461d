// The keying figures of `sohoa report` (issue 18) on a ledger holding known
// keying events: per operator entries and keystrokes per hour, agreement and
// corrections after keying, arbitrations; per field mean time and agreement.
// No value typed reaches the report.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/core/sha256.h"
#include "pipeline/report/report.h"
#include "tests/support/register_books.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using nlohmann::json;

// lan and chi key two entries twice each: on the first they agree on both
// fields; on the second they differ on ho_ten and dung settles it as chi
// typed it (lan corrected). minh keys a third entry once.
const char* const kDouble1 = R"({"metadata": {}, "keying": {"mode": "double", "agreed": ["ho_ten", "so"], "disagreed": [],
  "keyings": [{"by": "lan", "role": "first", "keystrokes": 30, "seconds": 60, "field_seconds": {"ho_ten": 10, "so": 2},
               "fields": {"ho_ten": "TRẦN THỊ BÍ MẬT", "so": "12"}, "corrected": []},
              {"by": "chi", "role": "second", "keystrokes": 20, "seconds": 30, "field_seconds": {"ho_ten": 6},
               "fields": {"ho_ten": "TRẦN THỊ BÍ MẬT", "so": "12"}, "corrected": []}]}})";
const char* const kDouble2 = R"({"metadata": {}, "keying": {"mode": "double", "agreed": ["so"], "disagreed": ["ho_ten"],
  "keyings": [{"by": "lan", "role": "first", "keystrokes": 30, "seconds": 60, "field_seconds": {"ho_ten": 14},
               "fields": {"ho_ten": "LÊ VĂN SAI", "so": "13"}, "corrected": ["ho_ten"]},
              {"by": "chi", "role": "second", "keystrokes": 40, "seconds": 90,
               "fields": {"ho_ten": "LÊ VĂN SÁU", "so": "13"}, "corrected": []}],
  "arbiter": {"by": "dung", "fields": {"ho_ten": "LÊ VĂN SÁU"}, "keystrokes": 0, "seconds": 5}}})";
const char* const kSingle = R"({"metadata": {}, "keying": {"mode": "single",
  "keyings": [{"by": "minh", "role": "single", "keystrokes": -1, "seconds": -1}]}})";

TEST(ReportKeyingTest, FiguresPerOperatorAndFieldFromKnownKeyings) {
  testing::ScratchDir dir("report-keying");
  auto ledger = OpenSqliteLedger((dir.path() / "ledger.sqlite").string());
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  int n = 0;
  for (const char* details : {kDouble1, kDouble2, kSingle, R"({"metadata": {}})"}) {
    LedgerRecord r;
    r.sha256 = Sha256Hex("entry " + std::to_string(++n));
    r.source = "so/" + std::to_string(n) + ".tif";
    r.status = "archived";
    r.run_id = "run-keying";
    r.details_json = details;
    testing::RecordTestRecord(**ledger, r);
  }
  Report report;
  ASSERT_TRUE(CountKeying(**ledger, &report).ok());
  ASSERT_EQ(report.keying_operators.size(), 4u);
  const OperatorKeyingRow& lan = report.keying_operators.at("lan");
  EXPECT_EQ(lan.entries, 2);
  EXPECT_EQ(lan.keystrokes, 60);
  EXPECT_DOUBLE_EQ(lan.seconds, 120);
  EXPECT_EQ(lan.double_fields, 4);
  EXPECT_EQ(lan.agreed_fields, 3);
  EXPECT_EQ(lan.corrected_fields, 1);
  EXPECT_EQ(report.keying_operators.at("chi").corrected_fields, 0);
  EXPECT_EQ(report.keying_operators.at("dung").arbitrations, 1);
  EXPECT_EQ(report.keying_operators.at("dung").entries, 0);
  EXPECT_EQ(report.keying_operators.at("minh").entries, 1);
  EXPECT_EQ(report.keying_operators.at("minh").timed_entries, 0);
  const FieldKeyingRow& name = report.keying_fields.at("ho_ten");
  EXPECT_EQ(name.timed, 3);
  EXPECT_DOUBLE_EQ(name.seconds, 30);
  EXPECT_EQ(name.double_keyed, 4);
  EXPECT_EQ(name.agreed, 2);
  EXPECT_EQ(name.corrected, 1);

  // JSON: lan keyed 2 entries in 120 s (60/h) with 60 keys (1800/h), agreed on 3 of 4 fields.
  report.as_of = "2026-01-01";
  std::ostringstream out;
  WriteReportJson(report, out);
  const json j = json::parse(out.str());
  json lan_json;
  for (const json& o : j["keying"]["operators"])
    if (o["operator"] == "lan") lan_json = o;
  EXPECT_EQ(lan_json["entries_per_hour"], 60.0);
  EXPECT_EQ(lan_json["keystrokes_per_hour"], 1800.0);
  EXPECT_EQ(lan_json["agreement_percent"], 75.0);
  for (const json& o : j["keying"]["operators"])
    if (o["operator"] == "minh") EXPECT_TRUE(o["entries_per_hour"].is_null());
  for (const json& f : j["keying"]["fields"])
    if (f["field"] == "ho_ten") EXPECT_EQ(f["mean_seconds"], 10.0);
  // Aggregates only: no value typed reaches any format.
  for (ReportLang lang : {ReportLang::kVi, ReportLang::kEn}) {
    std::ostringstream text;
    WriteReportText(report, lang, text);
    EXPECT_NE(text.str().find("lan"), std::string::npos);
    if (lang == ReportLang::kEn)  // minh's keying was not timed: a dash, the line still readable
      EXPECT_NE(text.str().find("1 entries · — entries/h · — keystrokes/h · agreement — · 0 fields"),
                std::string::npos) << text.str();
    out << text.str();
  }
  for (const char* value : {"BÍ MẬT", "LÊ VĂN", "TRẦN"}) EXPECT_EQ(out.str().find(value), std::string::npos);
}

}  // namespace
}  // namespace sohoa
