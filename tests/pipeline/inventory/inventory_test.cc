// The backlog inventory: CSV import into a real SQLite ledger (bad rows with
// line numbers, idempotent re-import, updates), and matching documents to
// register rows, on the generator's register (scanned, never-scanned and
// expired results) and ground truth.
#include "pipeline/inventory/inventory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "build_paths.h"
#include "pipeline/inventory/inventory_match.h"
#include "pipeline/inventory/register_settle.h"
#include "pipeline/run/inventory_rematch.h"
#include "stages/fields/field_extraction_stage.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::ScratchDir;

DocTypeCatalog Catalog() {
  StatusOr<DocTypeCatalog> c = DocTypeCatalog::Load(std::string(SOHOA_SOURCE_DIR) + "/schemas/doctypes");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(*c);
}

std::unique_ptr<Ledger> OpenLedger(const ScratchDir& dir) {
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenSqliteLedger((dir / "ledger.sqlite").string());
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return std::move(*ledger);
}

// The inventory stage's worker, on the scratch folder's ledger.
StatusOr<std::unique_ptr<DocumentWorker>> MatchWorker(const ScratchDir& dir) {
  InventoryMatchOptions options;
  const std::string path = (dir / "ledger.sqlite").string();
  options.open_ledger = [path] { return OpenSqliteLedger(path); };
  return NewInventoryMatchStage(options)->NewWorker();
}

constexpr const char* kHeader = "record_id,doc_type,number,book,issue_date,holder_id,valid\n";

TEST(InventoryTest, BadRowsAreReportedWithLineNumbersAndGoodOnesImported) {
  const std::string csv =
      std::string("\xEF\xBB\xBF") + kHeader +
      "R1,khai_sinh,15,01/2021,2021-03-05,042221004455,1\n"                         // 2 good
      "R2,giay_phep,3,01/2021,2021-03-05,,1\n"                                      // 3 unknown type
      "R3,khai_sinh,x7,01/2021,2021-03-05,,1\n"                                     // 4 number
      "R4,khai_tu,7,01/2021,31/02/2021,,1\n"                                        // 5 impossible date
      "R5,ket_hon,9,01/2021,2021-04-01,12345,1\n"                                   // 6 holder
      "R6,ket_hon,9,01/2021,2021-04-01,,maybe\n"                                    // 7 valid
      "R1,khai_tu,1,01/2021,2021-04-01,,0\n"                                        // 8 duplicate id
      "\"R7\",\"tinh_trang_hon_nhan\",\"12\",\"\",\"01/06/2024\",\"\",\"false\"\n"  // 9 good
      "R8,GKS,16,1/2021,2021-03-06,,TRUE\n"                                         // 10 good (code, book 1)
      "R9,khai_sinh,17,01/2021\n"                                                   // 11 short row
      "R10,khai_sinh,\"18\n";                                                       // 12 unclosed quote
  StatusOr<InventoryParseResult> r = ParseInventoryCsv(csv, "register.csv", Catalog());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 11);
  ASSERT_EQ(r->records.size(), 3u);
  EXPECT_EQ(r->records[1].record_id, "R7");
  EXPECT_EQ(r->records[1].issue_date, "2024-06-01");
  EXPECT_FALSE(r->records[1].valid);
  EXPECT_EQ(r->records[2].doc_type, "khai_sinh");
  EXPECT_EQ(r->records[2].book, "01/2021");
  EXPECT_EQ(r->records[0].source, "register.csv:2");
  std::map<int, std::string> errors;
  for (const InventoryRowError& e : r->errors) errors[e.line] = e.message;
  ASSERT_EQ(errors.size(), 8u);
  EXPECT_NE(errors[3].find("giay_phep"), std::string::npos);
  EXPECT_NE(errors[4].find("number"), std::string::npos);
  EXPECT_NE(errors[5].find("issue_date"), std::string::npos);
  EXPECT_NE(errors[6].find("holder_id (5 characters)"), std::string::npos) << errors[6];
  EXPECT_EQ(errors[6].find("12345"), std::string::npos)
      << "a (mistyped) personal ID is quoted: " << errors[6];
  EXPECT_NE(errors[7].find("valid"), std::string::npos);
  EXPECT_NE(errors[8].find("already on line 2"), std::string::npos);
  EXPECT_NE(errors[11].find("cells"), std::string::npos);
  EXPECT_NE(errors[12].find("not closed"), std::string::npos);
}

TEST(InventoryTest, HeaderProblemsRefuseTheFile) {
  EXPECT_FALSE(ParseInventoryCsv("", "a.csv", Catalog()).ok());
  StatusOr<InventoryParseResult> missing =
      ParseInventoryCsv("record_id,doc_type,number,book,issue_date,valid\n", "a.csv", Catalog());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'holder_id' is missing"), std::string::npos);
  StatusOr<InventoryParseResult> typo =
      ParseInventoryCsv("record_id,doc_type,number,book,issue_date,holder,valid\n", "a.csv", Catalog());
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("unknown column 'holder'"), std::string::npos);
}

TEST(InventoryTest, GeneratedRegisterImportsAndReimportIsIdempotent) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  const std::string csv = (testing::SamplesDir() / "inventory.csv").string();
  StatusOr<InventoryImportReport> first = ImportInventory(*ledger, csv, Catalog());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->parsed.errors.empty()) << first->parsed.errors.front().message;
  const int rows = first->parsed.rows;
  EXPECT_GT(rows, 11);
  EXPECT_EQ(first->counts.inserted, rows);
  StatusOr<InventoryImportReport> again = ImportInventory(*ledger, csv, Catalog());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.inserted, 0);
  EXPECT_EQ(again->counts.unchanged, rows);
  EXPECT_EQ(*ledger->CountInventory(), rows);

  // A corrected register: one row changes, nothing is duplicated.
  std::string text = testing::ReadFile(csv);
  const size_t line2 = text.find('\n') + 1;
  const size_t valid_at = text.find(",true", line2) + 1;  // R00001: true -> 0
  ASSERT_LT(valid_at, text.find('\n', line2));
  ASSERT_EQ(text.substr(valid_at, 4), "true");
  text.replace(valid_at, 4, "0");
  testing::WriteFile(dir / "fixed.csv", text);
  StatusOr<InventoryImportReport> fixed = ImportInventory(*ledger, (dir / "fixed.csv").string(), Catalog());
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->counts.updated, 1);
  EXPECT_EQ(fixed->counts.unchanged, rows - 1);
  StatusOr<std::vector<InventoryRecord>> all = ledger->InventoryRecords();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(static_cast<int>(all->size()), rows);
  EXPECT_FALSE(all->front().valid);
}

// A document as field extraction leaves it, from the generator's truth.
Document DocumentFromTruth(const nlohmann::json& entry, const std::string& sha) {
  Document doc;
  doc.sha256 = sha;
  doc.metadata["doc_type"] = entry["doc_type"];
  doc.metadata["holder_id"] = entry["fields"]["holder_id"];
  for (const char* key : {"so", "quyen_so", "ngay_dang_ky"}) {
    doc.fields[key] = FieldValue{entry["fields"][key], 0.95f, ""};
  }
  return doc;
}

TEST(InventoryTest, ScannedDocumentsMatchTheirRowsOthersStayUnmatched) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  ASSERT_TRUE(ImportInventory(*ledger, (testing::SamplesDir() / "inventory.csv").string(), Catalog()).ok());
  std::ifstream in(testing::SamplesDir() / "truth.json");
  nlohmann::json truth = nlohmann::json::parse(in);
  InventoryMatchOptions options;
  const std::string path = (dir / "ledger.sqlite").string();
  options.open_ledger = [path] { return OpenSqliteLedger(path); };
  auto stage = NewInventoryMatchStage(options);
  auto worker = stage->NewWorker();
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  std::set<std::string> matched;
  int i = 0;
  for (const auto& entry : truth) {
    Document doc = DocumentFromTruth(entry, std::string(63, 'a') + std::to_string(i++ % 10));
    ASSERT_TRUE((*worker)->Process(doc).ok());
    EXPECT_EQ(doc.metadata["record_id"], entry["record_id"].get<std::string>())
        << entry["file"] << (doc.review_reasons.empty() ? "" : ": " + doc.review_reasons[0]);
    EXPECT_TRUE(doc.review_reasons.empty());
    matched.insert(doc.metadata["record_id"]);
  }
  // Rows never scanned stay unmatched; among them are expired ones.
  StatusOr<std::vector<InventoryRecord>> all = ledger->InventoryRecords();
  ASSERT_TRUE(all.ok());
  int never_scanned = 0, expired = 0;
  for (const InventoryRecord& r : *all) {
    if (matched.count(r.record_id)) continue;
    ++never_scanned;
    expired += !r.valid;
  }
  EXPECT_GE(never_scanned, 8);
  EXPECT_GE(expired, 1);

  // An expired certificate that turns up later still matches, flagged invalid.
  for (const InventoryRecord& r : *all) {
    if (r.valid || matched.count(r.record_id)) continue;
    Document doc;
    doc.sha256 = std::string(64, 'e');
    doc.metadata["doc_type"] = r.doc_type;
    doc.metadata["holder_id"] = r.holder_id;
    doc.fields["so"] = {r.number, 0.9f, ""};
    doc.fields["quyen_so"] = {r.book, 0.9f, ""};
    doc.fields["ngay_dang_ky"] = {r.issue_date, 0.9f, ""};
    ASSERT_TRUE((*worker)->Process(doc).ok());
    EXPECT_EQ(doc.metadata["record_id"], r.record_id);
    EXPECT_EQ(doc.metadata["record_valid"], "0");
    break;
  }
}

// Issue 14: registers print numbers with their symbol; 10 of 41 such rows
// were rejected. The printed form is kept, the leading number is the key.
TEST(InventoryTest, RegisterNumbersWithSymbolsAreKeptAsPrintedAndMatchedByTheirNumber) {
  EXPECT_EQ(RegisterNumberKey("315/UBND-XNTTHN"), "315");
  EXPECT_EQ(RegisterNumberKey("109/KH"), "109");
  EXPECT_EQ(RegisterNumberKey("12/2003"), "12");
  EXPECT_EQ(RegisterNumberKey("007/TLKT"), "7");
  EXPECT_EQ(RegisterNumberKey("15 / KS"), "15");
  EXPECT_EQ(RegisterNumberKey("45/SCT/BS"), "45");
  EXPECT_EQ(RegisterNumberKey("08/QĐ-UBND"), "8");  // Vietnamese letters in the symbol
  EXPECT_EQ(RegisterNumberKey("0"), "0");
  for (const char* bad :
       {"", "x7", "/KH", "1234567", "12/", "12 KH", "12/KH;drop", "12/KH\x01", "12/\xff\xfe", "-"}) {
    EXPECT_EQ(RegisterNumberKey(bad), "") << bad;
  }
  const std::string csv = std::string(kHeader) +
                          "R1,tinh_trang_hon_nhan,315/UBND-XNTTHN,,2024-06-01,,1\n"
                          "R2,ket_hon,109/KH,01/2018,2018-03-05,,1\n"
                          "R3,khai_sinh,12/2003,01/2003,2003-03-05,,1\n"
                          "R4,khai_sinh,x12/2003,01/2003,2003-03-05,,1\n"  // 5 truly malformed
                          "R5,khai_sinh,12/,01/2003,2003-03-05,,1\n";      // 6 a symbol missing
  StatusOr<InventoryParseResult> r = ParseInventoryCsv(csv, "register.csv", Catalog());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->records.size(), 3u);
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].line, 5);
  EXPECT_EQ(r->errors[1].line, 6);
  EXPECT_EQ(r->records[0].number, "315");
  EXPECT_EQ(r->records[0].number_printed, "315/UBND-XNTTHN");
  EXPECT_EQ(r->records[1].number, "109");
  EXPECT_EQ(r->records[1].book, "01/2018");
  EXPECT_EQ(r->records[2].number_printed, "12/2003");

  // Through the ledger: the printed form survives, a document whose number
  // was read as 315 finds its row, and re-import changes nothing.
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  ASSERT_TRUE(ledger->UpsertInventory(r->records).ok());
  StatusOr<std::vector<InventoryRecord>> found = ledger->FindInventory("tinh_trang_hon_nhan", "315", "");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().number_printed, "315/UBND-XNTTHN");
  StatusOr<InventoryImportCounts> again = ledger->UpsertInventory(r->records);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 3);
  std::vector<InventoryRecord> corrected = r->records;
  corrected[1].number_printed = "109/GCNKH";  // only the symbol changed: an update
  again = ledger->UpsertInventory(corrected);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->updated, 1);
}

// Issue 14: the register is an independent reading of number, book, date
// and holder; doubts about OCR's confidence in those go, other doubts stay.
TEST(InventoryTest, ARowAgreeingOnDateAndHolderAnswersLowConfidenceDoubtsOnly) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  InventoryRecord a{"A", "khai_sinh", "15", "01/2021", "2021-03-05", "042221004455", true, ""};
  ASSERT_TRUE(ledger->UpsertInventory({a}).ok());
  auto worker = MatchWorker(dir);
  ASSERT_TRUE(worker.ok());
  auto document = [](const std::string& holder) {
    Document doc;
    doc.sha256 = std::string(64, 'f');
    doc.metadata["doc_type"] = "khai_sinh";
    doc.metadata["holder_id"] = holder;
    doc.fields["so"] = {"15", 0.62f, ""};
    doc.fields["quyen_so"] = {"01/2021", 0.9f, ""};
    doc.fields["ngay_dang_ky"] = {"2021-03-05", 0.7f, ""};
    doc.review_reasons = {"fields: so '15' read with confidence 0.62 < 0.80",
                          "fields: ngay_dang_ky '2021-03-05' read with confidence 0.70 < 0.80",
                          "fields: so_dinh_danh '042221004455' read with confidence 0.75 < 0.80",
                          "fields: ho_ten 'NGUYỄN VĂN AN' read with confidence 0.50 < 0.80"};
    return doc;
  };
  Document both = document("042221004455");
  ASSERT_TRUE((*worker)->Process(both).ok());
  EXPECT_EQ(both.metadata["record_id"], "A");
  EXPECT_EQ(both.metadata["register_confirmed"], "so,quyen_so,ngay_dang_ky,holder_id");
  ASSERT_EQ(both.review_reasons.size(), 1u);  // the name is not in the register
  EXPECT_NE(both.review_reasons[0].find("ho_ten"), std::string::npos);
  // Matched by the date alone (no holder read): a neighbour's number could
  // share the date, so nothing is confirmed.
  Document date_only = document("");
  ASSERT_TRUE((*worker)->Process(date_only).ok());
  EXPECT_EQ(date_only.metadata["record_id"], "A");
  EXPECT_EQ(date_only.metadata.count("register_confirmed"), 0u);
  EXPECT_EQ(date_only.review_reasons.size(), 4u);
}

// Held-back seed 60: "ngày 11" read as "ngày 1" at 0.89, the row matched by
// the holder's ID while giving 2016-09-11, and the wrong date was archived.
// A row matched by one of date and holder that gives another value for the
// other contradicts the page: linked, and a person's to see.
TEST(InventoryTest, ARowContradictingTheDateOrHolderReadSendsTheDocumentToAPerson) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  InventoryRecord a{"A", "ket_hon", "230", "03/2016", "2016-09-11", "008096371694", true, ""};
  ASSERT_TRUE(ledger->UpsertInventory({a}).ok());
  auto worker = MatchWorker(dir);
  ASSERT_TRUE(worker.ok());
  auto document = [](const std::string& date, const std::string& holder) {
    Document doc;
    doc.sha256 = std::string(64, 'e');
    doc.metadata["doc_type"] = "ket_hon";
    doc.metadata["holder_id"] = holder;
    doc.fields["so"] = {"230", 0.95f, ""};
    doc.fields["quyen_so"] = {"03/2016", 0.95f, ""};
    doc.fields["ngay_dang_ky"] = {date, 0.89f, ""};
    return doc;
  };
  Document wrong_date = document("2016-09-01", "008096371694");
  ASSERT_TRUE((*worker)->Process(wrong_date).ok());
  EXPECT_EQ(wrong_date.metadata["record_id"], "A");
  EXPECT_EQ(wrong_date.fields["ngay_dang_ky"].value,
            "2016-09-01");  // as read: which is right is a person's call
  ASSERT_EQ(wrong_date.review_reasons.size(), 1u);
  EXPECT_NE(
      wrong_date.review_reasons[0].find("gives the registration date 2016-09-11, the page reads 2016-09-01"),
      std::string::npos)
      << wrong_date.review_reasons[0];

  Document wrong_holder = document("2016-09-11", "008096371699");
  ASSERT_TRUE((*worker)->Process(wrong_holder).ok());
  EXPECT_EQ(wrong_holder.metadata["record_id"], "A");
  ASSERT_EQ(wrong_holder.review_reasons.size(), 1u);
  EXPECT_NE(wrong_holder.review_reasons[0].find("another holder ID"), std::string::npos);
  EXPECT_EQ(wrong_holder.review_reasons[0].find("008096371"), std::string::npos);  // no personal data

  // Both agree, or the one not read cannot disagree: no reason.
  Document agrees = document("2016-09-11", "008096371694");
  ASSERT_TRUE((*worker)->Process(agrees).ok());
  EXPECT_TRUE(agrees.review_reasons.empty()) << agrees.review_reasons.front();
  Document no_holder = document("2016-09-11", "");
  ASSERT_TRUE((*worker)->Process(no_holder).ok());
  EXPECT_TRUE(no_holder.review_reasons.empty()) << no_holder.review_reasons.front();
}

// The typewriter table layout (tuning seed 6): the number printed twice
// read "107" and "167", the registration date "2922-12-11"; the holder's ID
// read surely points to the holder's row, which the readings allow.
TEST(InventoryTest, TheHoldersRowSettlesWhatOcrWasUnsureOf) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  InventoryRecord row{"R7", "khai_sinh", "107", "03/2022", "2022-12-11", "042322255958", true, ""};
  InventoryRecord other{"R8", "khai_sinh", "108", "03/2022", "2022-12-12", "042322255959", true, ""};
  ASSERT_TRUE(ledger->UpsertInventory({row, other}).ok());
  auto worker = MatchWorker(dir);
  ASSERT_TRUE(worker.ok());
  auto document = [](const std::string& sha_letter) {
    Document doc;
    doc.sha256 = std::string(64, sha_letter[0]);
    doc.metadata["doc_type"] = "khai_sinh";
    doc.metadata["holder_id"] = "042322255958";
    doc.fields["so"] = {"167", 0.16f, "printed 2 times but read as 107 / 167"};
    doc.fields["so"].other_readings = {"107"};
    doc.fields["quyen_so"] = {"03/2022", 0.96f, ""};
    doc.fields["ngay_dang_ky"] = {"2922-12-11", 0.15f, "2922-12-11 is in the future"};
    doc.fields["so_dinh_danh"] = {"042322255958", 0.95f, ""};
    doc.review_reasons = {"fields: so: printed 2 times but read as 107 / 167",
                          "fields: ngay_dang_ky: 2922-12-11 is in the future",
                          "fields: ho_ten 'VÕ NGỌC THỦY' read with confidence 0.50 < 0.80"};
    return doc;
  };
  Document doc = document("a");
  ASSERT_TRUE((*worker)->Process(doc).ok());
  EXPECT_EQ(doc.metadata["record_id"], "R7");
  EXPECT_EQ(doc.metadata["register_settled"], "so,ngay_dang_ky");
  EXPECT_EQ(doc.fields["so"].value, "107");
  EXPECT_EQ(doc.fields["so"].corrected_from, "167");
  EXPECT_EQ(doc.fields["so"].other_readings, std::vector<std::string>{"167"});
  EXPECT_EQ(doc.fields["so"].problem, "");
  EXPECT_FLOAT_EQ(doc.fields["so"].confidence, 0.95f);  // as sure as the holder's ID that found the row
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2022-12-11");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].corrected_from, "2922-12-11");
  EXPECT_EQ(doc.metadata["xmp:sohoaf:ngay_dang_ky"], "2022-12-11");
  ASSERT_EQ(doc.review_reasons.size(), 1u);  // the name is none of the register's business
  EXPECT_NE(doc.review_reasons[0].find("ho_ten"), std::string::npos);

  // Never over a sure reading: a number read surely as 167 stays, and so
  // does the doubt (no row has it).
  Document sure = document("b");
  sure.fields["so"] = {"167", 0.93f, ""};
  sure.review_reasons.erase(sure.review_reasons.begin());
  ASSERT_TRUE((*worker)->Process(sure).ok());
  EXPECT_EQ(sure.fields["so"].value, "167");
  EXPECT_EQ(sure.metadata.count("record_id"), 0u);
  EXPECT_EQ(sure.metadata.count("register_settled"), 0u);
  // Nor for a holder's ID read unsurely: it cannot pick the row.
  Document unsure_holder = document("c");
  unsure_holder.review_reasons.push_back(
      "fields: so_dinh_danh '042322255958' read with confidence 0.55 < 0.60");
  ASSERT_TRUE((*worker)->Process(unsure_holder).ok());
  EXPECT_EQ(unsure_holder.fields["so"].value, "167");
  EXPECT_EQ(unsure_holder.metadata.count("record_id"), 0u);
  // A date two figures off is no misreading the register answers.
  Document far = document("d");
  far.fields["ngay_dang_ky"] = {"2922-12-21", 0.15f, "2922-12-21 is in the future"};
  ASSERT_TRUE((*worker)->Process(far).ok());
  EXPECT_EQ(far.fields["ngay_dang_ky"].value, "2922-12-21");
  EXPECT_EQ(far.metadata.count("record_id"), 0u);
}

// Tuning seeds 1-23: the registration date read "2002-11-18", so the birth
// date 2022-11-13 failed its order check; the holder's row settled the
// date as 2022-11-18, and the birth date's doubt, made against the misread
// date, must go with it (field extraction's check is made again).
TEST(InventoryTest, ASettledValueHasTheChecksMadeAgainstItsMisreadingMadeAgain) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  InventoryRecord row{"R9", "khai_sinh", "41", "01/2022", "2022-11-18", "042322255958", true, ""};
  ASSERT_TRUE(ledger->UpsertInventory({row}).ok());
  InventoryMatchOptions options;
  const std::string path = (dir / "ledger.sqlite").string();
  options.open_ledger = [path] { return OpenSqliteLedger(path); };
  FieldExtractionOptions fields;
  fields.doctypes_dir = std::string(SOHOA_SOURCE_DIR) + "/schemas/doctypes";
  fields.lexicons_dir = std::string(SOHOA_SOURCE_DIR) + "/schemas/lexicons";
  fields.today = "2026-12-07";
  options.check_fields_again = NewFieldRecheck(fields);
  auto worker = NewInventoryMatchStage(options)->NewWorker();
  ASSERT_TRUE(worker.ok());

  Document doc;
  doc.sha256 = std::string(64, 'b');
  doc.metadata["doc_type"] = "khai_sinh";
  doc.metadata["holder_id"] = "042322255958";
  doc.fields["so"] = {"41", 0.95f, ""};
  doc.fields["quyen_so"] = {"01/2022", 0.95f, ""};
  doc.fields["ngay_dang_ky"] = {"2002-11-18", 0.30f, ""};
  doc.fields["ngay_dang_ky"].other_readings = {"2022-11-18"};
  doc.fields["so_dinh_danh"] = {"042322255958", 0.95f, ""};
  // As field extraction left it: the order check failed at a third of 0.96.
  doc.fields["ngay_sinh"] = {"2022-11-13", 0.288f, "2022-11-13 is after ngay_dang_ky 2002-11-18"};
  doc.fields["ngay_sinh"].confidence_before_check = 0.96f;
  doc.review_reasons = {"fields: ngay_dang_ky '2002-11-18' read with confidence 0.30 < 0.40",
                        "fields: ngay_sinh: 2022-11-13 is after ngay_dang_ky 2002-11-18"};
  ASSERT_TRUE((*worker)->Process(doc).ok());
  EXPECT_EQ(doc.metadata["register_settled"], "ngay_dang_ky");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2022-11-18");
  EXPECT_EQ(doc.fields["ngay_sinh"].problem, "");
  EXPECT_FLOAT_EQ(doc.fields["ngay_sinh"].confidence, 0.96f);
  EXPECT_TRUE(doc.review_reasons.empty()) << doc.review_reasons.front();
}

// What the readings allow, on its own.
TEST(InventoryTest, ReadingsAllowTheirOwnValuesAndUnsureOnesAFigureOff) {
  RegisterFieldReading sure{{"107"}, false};
  EXPECT_TRUE(ReadingAllows(sure, "107"));
  EXPECT_FALSE(ReadingAllows(sure, "167"));
  RegisterFieldReading disputed{{"167", "107"}, false};
  EXPECT_TRUE(ReadingAllows(disputed, "107"));
  RegisterFieldReading unsure{{"2922-12-11"}, true};
  EXPECT_TRUE(ReadingAllows(unsure, "2022-12-11"));
  EXPECT_FALSE(ReadingAllows(unsure, "2022-12-12"));  // two figures
  EXPECT_FALSE(ReadingAllows(unsure, "2922/12/11"));  // not a figure for a figure
  RegisterFieldReading short_read{{"5"}, true};
  EXPECT_FALSE(ReadingAllows(short_read, "50"));  // a figure lost is not one read otherwise
  RegisterFieldReading not_found;
  EXPECT_TRUE(ReadingAllows(not_found, ""));  // a type without a book
  EXPECT_FALSE(ReadingAllows(not_found, "01/2020"));
  // Two rows the readings allow: the register cannot say which.
  InventoryRecord a{"A", "ket_hon", "17", "02/2024", "2024-08-22", "019099586151", true, ""};
  InventoryRecord b{"B", "ket_hon", "11", "02/2024", "2024-08-22", "019099586151", true, ""};
  const std::vector<InventoryRecord> both = {a, b};
  RegisterReadings readings{{{"17"}, false}, {{"02/2024"}, false}, {{"2024-08-22"}, false}};
  EXPECT_EQ(RowSettlingReadings(both, readings), &both[0]);
  readings.number = {{"19"}, true};  // a figure off from 17 and from 11
  EXPECT_EQ(RowSettlingReadings(both, readings), nullptr);
}

TEST(InventoryTest, MissingAmbiguousAndTakenRecordsGoToReview) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  InventoryRecord a{"A", "khai_sinh", "15", "01/2021", "2021-03-05", "042221004455", true, ""};
  InventoryRecord b{"B", "khai_sinh", "15", "01/2021", "2021-03-05", "042221009999", true, ""};
  InventoryRecord c{"C", "khai_tu", "4", "01/2022", "2022-01-05", "", true, ""};
  ASSERT_TRUE(ledger->UpsertInventory({a, b, c}).ok());
  std::string reason;
  EXPECT_EQ(MatchInventory({a, b}, "2021-03-05", "", &reason), "");
  EXPECT_NE(reason.find("ambiguous"), std::string::npos);
  EXPECT_EQ(MatchInventory({a, b}, "", "042221009999", &reason), "B");  // holder decides
  EXPECT_EQ(MatchInventory({c}, "2022-02-01", "", &reason), "");
  EXPECT_NE(reason.find("neither"), std::string::npos);
  EXPECT_EQ(MatchInventory({}, "2022-02-01", "", &reason), "");
  EXPECT_NE(reason.find("no record"), std::string::npos);

  // C is taken by an archived input: a second scan claiming it needs a person.
  const std::string first(64, '1');
  ASSERT_TRUE(ledger->ClaimInput(first, "c.tif", "run1", 60).ok());
  LedgerRecord rec;
  rec.sha256 = first;
  rec.source = "c.tif";
  rec.status = "archived";
  rec.run_id = "run1";
  rec.details_json = R"({"metadata":{"doc_type":"khai_tu","holder_id":"001190123456","record_id":"C"}})";
  ASSERT_TRUE(ledger->RecordOutcome(rec).ok());
  StatusOr<std::vector<std::string>> taken = ledger->InputsMatchedTo("C");
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(*taken, std::vector<std::string>{first});
  StatusOr<std::vector<LedgerRecord>> by_holder = ledger->FindByHolder("001190123456", "");
  ASSERT_TRUE(by_holder.ok());
  ASSERT_EQ(by_holder->size(), 1u);
  EXPECT_EQ(by_holder->front().source, "c.tif");
  EXPECT_TRUE(ledger->FindByHolder("001190123456", "khai_sinh")->empty());

  auto worker = MatchWorker(dir);
  ASSERT_TRUE(worker.ok());
  Document doc;
  doc.sha256 = std::string(64, '2');
  doc.metadata["doc_type"] = "khai_tu";
  doc.fields["so"] = {"4", 0.9f, ""};
  doc.fields["quyen_so"] = {"01/2022", 0.9f, ""};
  doc.fields["ngay_dang_ky"] = {"2022-01-05", 0.9f, ""};
  ASSERT_TRUE((*worker)->Process(doc).ok());
  ASSERT_EQ(doc.review_reasons.size(), 1u);
  EXPECT_NE(doc.review_reasons[0].find("already matched"), std::string::npos) << doc.review_reasons[0];
  EXPECT_EQ(doc.metadata.count("record_id"), 0u);

  Document unknown;
  unknown.sha256 = std::string(64, '3');
  unknown.metadata["doc_type"] = "khai_sinh";
  unknown.fields["so"] = {"99", 0.9f, ""};
  unknown.fields["quyen_so"] = {"01/2021", 0.9f, ""};
  ASSERT_TRUE((*worker)->Process(unknown).ok());
  ASSERT_EQ(unknown.review_reasons.size(), 1u);
  EXPECT_NE(unknown.review_reasons[0].find("no record in the inventory"), std::string::npos);
}

// An input as an earlier run left it in the ledger, with the fields it read.
void RecordEarlierOutcome(Ledger& ledger, const std::string& sha, const std::string& status,
                          const std::string& type, const std::string& number, const std::string& date,
                          const std::vector<std::string>& reasons) {
  ASSERT_TRUE(ledger.ClaimInput(sha, sha.substr(0, 4) + ".tif", "run1", 60).ok());
  nlohmann::json details = {{"metadata", {{"doc_type", type}}},
                            {"fields",
                             {{"so", {{"value", number}, {"confidence", 0.95}}},
                              {"quyen_so", {{"value", "01/2022"}, {"confidence", 0.95}}},
                              {"ngay_dang_ky", {{"value", date}, {"confidence", 0.95}}}}},
                            {"review_reasons", reasons}};
  LedgerRecord rec;
  rec.sha256 = sha;
  rec.source = sha.substr(0, 4) + ".tif";
  rec.status = status;
  rec.run_id = "run1";
  for (const std::string& r : reasons) rec.reason += (rec.reason.empty() ? "" : "; ") + r;
  rec.details_json = details.dump();
  ASSERT_TRUE(ledger.RecordOutcome(rec).ok());
}

LedgerRecord Fetch(Ledger& ledger, const std::string& sha) {
  StatusOr<std::optional<LedgerRecord>> r = ledger.Find(sha);
  EXPECT_TRUE(r.ok() && r->has_value());
  return r.ok() && r->has_value() ? **r : LedgerRecord{};
}

TEST(InventoryTest, DocumentsArchivedBeforeTheImportAreMatchedAfterIt) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  const std::string plain(64, '4'), held(64, '5'), stranger(64, '6');
  // Archived while no register existed: no inventory reason, no record.
  RecordEarlierOutcome(*ledger, plain, "archived", "khai_tu", "4", "2022-01-05", {});
  // Sent to review by an earlier, partial register only.
  RecordEarlierOutcome(*ledger, held, "review", "khai_tu", "5", "2022-01-06",
                       {"inventory: khai_tu so 5 quyen 01/2022: no record in the inventory"});
  // Its number is in no register.
  RecordEarlierOutcome(*ledger, stranger, "archived", "khai_tu", "77", "2022-03-01", {});
  StatusOr<RematchCounts> nothing = RematchUnlinkedInputs(*ledger);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->examined, 0) << "no register, no matching";

  ASSERT_TRUE(ledger
                  ->UpsertInventory({{"C4", "khai_tu", "4", "01/2022", "2022-01-05", "", true, ""},
                                     {"C5", "khai_tu", "5", "01/2022", "2022-01-06", "", false, ""}})
                  .ok());
  StatusOr<RematchCounts> counts = RematchUnlinkedInputs(*ledger);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->examined, 3);
  EXPECT_EQ(counts->matched, 2);
  EXPECT_EQ(counts->released, 1);
  EXPECT_EQ(counts->to_review, 1);

  EXPECT_EQ(*ledger->InputsMatchedTo("C4"), std::vector<std::string>{plain});
  EXPECT_EQ(Fetch(*ledger, plain).status, "archived");
  LedgerRecord released = Fetch(*ledger, held);
  EXPECT_EQ(released.status, "archived");
  EXPECT_EQ(released.reason, "");
  EXPECT_EQ(*ledger->InputsMatchedTo("C5"), std::vector<std::string>{held});
  EXPECT_NE(released.details_json.find(R"("record_valid":"0")"), std::string::npos)
      << "C5 is expired: " << released.details_json;
  LedgerRecord unknown = Fetch(*ledger, stranger);
  EXPECT_EQ(unknown.status, "review");
  EXPECT_NE(unknown.reason.find("no record in the inventory"), std::string::npos) << unknown.reason;

  // Importing again changes nothing: only the still-unmatched input is looked at.
  const std::string before = Fetch(*ledger, stranger).updated_at;
  StatusOr<RematchCounts> again = RematchUnlinkedInputs(*ledger);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->examined, 1);
  EXPECT_EQ(again->matched + again->released + again->to_review, 0);
  EXPECT_EQ(Fetch(*ledger, stranger).updated_at, before);
}

TEST(InventoryTest, EmptyRegisterMeansNoMatching) {
  ScratchDir dir("inventory");
  auto ledger = OpenLedger(dir);
  auto worker = MatchWorker(dir);
  ASSERT_TRUE(worker.ok());
  Document doc;
  doc.metadata["doc_type"] = "khai_sinh";
  ASSERT_TRUE((*worker)->Process(doc).ok());
  EXPECT_TRUE(doc.review_reasons.empty());
}

}  // namespace
}  // namespace sohoa
