// `sohoa export` streams the ledger one record at a time (issue 22); its
// output must stay byte for byte what the collect-then-write export printed.
// The expected lines below were produced by that earlier implementation
// (commit 4cbf792) on the same ledger; only updated_at, which is the clock's,
// is masked.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "pipeline/ledger/ledger.h"
#include "pipeline/report/export.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::ScratchDir;

void Add(Ledger& ledger, const std::string& sha, const std::string& source, const std::string& status,
         const std::string& reason, const std::string& details, const std::string& pdf = "") {
  ASSERT_TRUE(ledger.ClaimInput(sha, source, "run1", 60).ok());
  LedgerRecord r;
  r.sha256 = sha;
  r.source = source;
  r.status = status;
  r.reason = reason;
  r.run_id = "run1";
  r.pages = 2;
  r.seconds = 1.5;
  r.pdf = pdf;
  r.text = pdf.empty() ? "" : pdf + ".txt";
  r.details_json = details;
  ASSERT_TRUE(ledger.RecordOutcome(r).ok());
}

std::string MaskClock(const std::string& text) {
  return std::regex_replace(text, std::regex(R"("updated_at":"[^"]*")"), R"("updated_at":"T")");
}

TEST(ExportTest, StreamedOutputIsWhatTheCollectingExportPrinted) {
  ScratchDir dir("export");
  auto ledger = OpenSqliteLedger((dir / "ledger.sqlite").string());
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  Ledger& l = **ledger;
  Add(l, "a1", "scans/a.tif", "archived", "",
      R"({"metadata":{"doc_type":"khai_sinh","holder_id":"001190123456","result_code":"001190123456.KS",)"
      R"("record_id":"KS-1","signed":"[\"staff\",\"org\"]"},"fields":{"ho_ten":{"value":"NGUYỄN VĂN AN",)"
      R"("confidence":0.97},"so":{"value":"12","confidence":0.9}},"outputs":{"pdf":{"path":"bags/run1/data/a1.pdf",)"
      R"("sha256":"00","bytes":10}},"pages":[{"blank":false}],"review_reasons":[]})",
      "bags/run1/data/a1.pdf");
  ASSERT_TRUE(l.ClaimInput("a1", "copy/a-again.tif", "run2", 60).ok());  // also seen as
  Add(l, "b2", "scans/b.tif", "review", "fields: so_dinh_danh not found",
      R"({"metadata":{"doc_type":"ket_hon","holder_id":""},"review_reasons":["fields"]})",
      "bags/run1/data/b2.pdf");
  Add(l, "c3", "scans/c.tif", "quarantined", "scans/c.tif: page 1: not an image", "not json");
  ASSERT_TRUE(l.ClaimInput("d4", "scans/d.tif", "run1", 60).ok());  // still processing: not listed

  std::ostringstream out;
  ASSERT_TRUE(ExportJsonLines(l, out).ok());
  const std::string expected =
      R"({"also_seen_as":["copy/a-again.tif"],"code":"001190123456.KS","doc_type":"khai_sinh",)"
      R"("fields":{"ho_ten":{"confidence":0.97,"value":"NGUYỄN VĂN AN"},"so":{"confidence":0.9,"value":"12"}},)"
      R"("holder_id":"001190123456","outputs":{"pdf":{"bytes":10,"path":"bags/run1/data/a1.pdf","sha256":"00"}},)"
      R"("page_details":[{"blank":false}],"pages":2,"pdf":"bags/run1/data/a1.pdf","reason":"","record_id":"KS-1",)"
      R"("review_reason_ids":[],"review_reasons":[],"run_id":"run1","seconds":1.5,"sha256":"a1","signed":["staff","org"],)"
      R"("source":"scans/a.tif","status":"archived","text":"bags/run1/data/a1.pdf.txt","updated_at":"T"})"
      "\n"
      R"({"also_seen_as":[],"code":null,"doc_type":"ket_hon","fields":{},"holder_id":null,"pages":2,)"
      R"("pdf":"bags/run1/data/b2.pdf","reason":"fields: so_dinh_danh not found","record_id":null,)"
      R"("review_reason_ids":[{"id":"text","params":{"text":"fields"}}],"review_reasons":["fields"],"run_id":"run1","seconds":1.5,"sha256":"b2","signed":[],)"
      R"("source":"scans/b.tif","status":"review","text":"bags/run1/data/b2.pdf.txt","updated_at":"T"})"
      "\n"
      R"({"also_seen_as":[],"code":null,"doc_type":null,"fields":{},"holder_id":null,"pages":2,"pdf":null,)"
      R"("reason":"scans/c.tif: page 1: not an image","record_id":null,"review_reason_ids":[],"review_reasons":[],)"
      R"("run_id":"run1","seconds":1.5,"sha256":"c3","signed":[],"source":"scans/c.tif","status":"quarantined","text":null,)"
      R"("updated_at":"T"})"
      "\n";
  EXPECT_EQ(MaskClock(out.str()), expected);
}

}  // namespace
}  // namespace sohoa
