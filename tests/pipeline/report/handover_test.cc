// The handover package of a register book (issue 17), judged by tools
// nobody here wrote: Python's zipfile lists the zip, qpdf checks every PDF,
// openpyxl reads the workbook back, LibreOffice converts it to CSV. The book
// and its entries are recorded in a real SQLite ledger as the contract
// (README "Register books") says; their PDFs are real PDF/A files written by
// the PDF writer stage and published through the archive store.
#include "pipeline/report/handover.h"

#include <gtest/gtest.h>

#include "build_paths.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/document.h"
#include "pipeline/core/sha256.h"
#include "pipeline/report/register_template.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"
#include "tests/support/register_books.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Quote;
using testing::RunCommand;
using testing::ScratchDir;
using testing::TestBook;
using testing::TestEntry;

// A real PDF/A of `pages` small gray pages, published under `key`.
void PublishPdfA(ArchiveStore& store, const fs::path& staging, const std::string& key, int pages) {
  Document doc;
  doc.relative_path = key;
  doc.sha256 = Sha256Hex(key);
  doc.staging_dir = (staging / doc.sha256.substr(0, 8)).string();
  auto encoder = NewEncodeStage(EncodeOptions{})->NewWorker();
  ASSERT_TRUE(encoder.ok());
  for (int i = 0; i < pages; ++i) {
    Page page;
    page.index = i;
    page.raster.Allocate(300, 420, PixelKind::kGray);
    page.raster.dpi_x = page.raster.dpi_y = 72;
    for (int y = 0; y < 420; ++y)
      for (int x = 0; x < 300; ++x) page.raster.row(y)[x] = (y / 20 + x / 30 + i) % 3 == 0 ? 60 : 240;
    ASSERT_TRUE((*encoder)->Process(doc, page).ok());
    doc.pages.push_back(std::move(page));
  }
  PdfWriterOptions options;
  options.deterministic = true;
  auto writer = NewPdfWriterStage(options)->NewWorker();
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  Status s = (*writer)->Process(doc);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(store.Publish(doc.FindOutput("pdf")->staged_path, key).ok());
}

class HandoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = NewFilesystemStore((dir_ / "archive").string());
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    auto ledger = OpenSqliteLedger((dir_ / "archive" / "ledger.sqlite").string());
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
    auto catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);

    book_.sha256 = Sha256Hex("a scanned book");
    book_.pdf = "bags/run-books/data/bk/book.pdf";
    auto entry = [&](int position, const std::string& number, const std::string& status) {
      TestEntry e;
      e.position = position;
      e.entry_no = number;
      e.page_no = std::to_string(position);
      e.scan_page = position;
      e.status = status;
      e.pdf = "bags/run-books/data/e" + std::to_string(position) + "/entry.pdf";
      return e;
    };
    TestEntry first = entry(1, "1", "archived");
    first.fields = {{"so", "1"},
                    {"quyen_so", "01/2018"},
                    {"ho_ten", "NGUYỄN VĂN AN"},
                    {"gioi_tinh", "Nam"},
                    {"ngay_sinh", "2008-08-27"},
                    {"dan_toc", "Kinh"},
                    {"quoc_tich", "Việt Nam"},
                    {"noi_sinh", "Trạm Y tế xã Tân Lập"},
                    {"so_dinh_danh", "001208012345"},
                    {"ho_ten_me", "TRẦN THỊ BÌNH"},
                    {"ho_ten_cha", "NGUYỄN VĂN CƯỜNG"},
                    {"noi_dang_ky", "UBND xã Tân Lập"},
                    {"ngay_dang_ky", "2018-09-02"}};
    TestEntry second = entry(2, "2", "archived");
    second.fields = {{"ho_ten", "LÊ THỊ HOA"}, {"gioi_tinh", "Nữ"}, {"ngay_sinh", "2018-04-01"}};
    TestEntry doubtful = entry(3, "3", "review");
    doubtful.reason = "fields: ho_ten 'PHẠM VĂN X' read with confidence 0.41 < 0.80";
    doubtful.fields = {{"ho_ten", "PHẠM VĂN X"}, {"gioi_tinh", "Nam"}, {"ngay_sinh", "2018-01-15"}};
    doubtful.doubtful = {"ho_ten"};
    TestEntry handwritten = entry(4, "", "review");
    handwritten.handwritten = true;
    handwritten.reason = "handwritten: key it in";
    TestEntry keyed = entry(5, "5", "archived");
    keyed.handwritten = true;
    keyed.reviewed_by = "clerk1";
    keyed.fields = {{"ho_ten", "ĐỖ MINH"}, {"gioi_tinh", "khác"}, {"ngay_sinh", "2018-12-31"}};
    book_.entries = {first, second, doubtful, handwritten, keyed};
    for (const TestEntry& e : book_.entries) PublishPdfA(*store_, dir_ / "staging", e.pdf, 1);
    PublishPdfA(*store_, dir_ / "staging", book_.pdf, 5);
    testing::RecordBook(*ledger_, &book_);
  }

  HandoverRequest Request(const std::string& id) {
    HandoverRequest r;
    r.book = id;
    r.out_dir = (dir_ / "out").string();
    r.purpose = "bàn giao sổ cho Sở Tư pháp";
    r.who = "tester";
    r.registers_dir = DefaultRegistersDir();
    return r;
  }

  // Runs a Python snippet on `path`; its stdout as JSON.
  json Python(const std::string& code, const fs::path& path) {
    testing::CommandResult r =
        RunCommand("/usr/bin/python3 -c " + Quote(code) + " " + Quote(path.string()) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    json j = json::parse(r.output, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.output;
    return j;
  }

  ScratchDir dir_{"handover"};
  std::unique_ptr<ArchiveStore> store_;
  std::unique_ptr<Ledger> ledger_;
  DocTypeCatalog catalog_;
  TestBook book_;
};

TEST_F(HandoverTest, ZipHoldsEntryPdfsBookPdfAndWorkbookInTheTemplatesColumns) {
  StatusOr<HandoverResult> done =
      MakeHandover(*ledger_, *store_, catalog_, Request(book_.sha256.substr(0, 16)));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->zip_path, (dir_ / "out" / "khai_sinh-01-2018.zip").string());
  EXPECT_EQ(done->entries, 5);
  EXPECT_EQ(done->archived, 3);
  EXPECT_EQ(done->review, 2);
  EXPECT_EQ(done->keyed, 1);
  EXPECT_EQ(done->entry_pdfs, 5);
  // Nothing but the zip is left in the output folder.
  std::vector<std::string> left;
  for (const auto& f : fs::directory_iterator(dir_ / "out")) left.push_back(f.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"khai_sinh-01-2018.zip"});

  const fs::path unpacked = dir_ / "unpacked";
  json names = Python(
      "import json,sys,zipfile\n"
      "z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None\n"
      "z.extractall('" +
          unpacked.string() + "'); print(json.dumps(z.namelist()))\n",
      done->zip_path);
  EXPECT_EQ(names, json({"KS-01-2018-so-0001.pdf", "KS-01-2018-so-0002.pdf", "KS-01-2018-so-0003.pdf",
                         "KS-01-2018-vitri-0004.pdf", "KS-01-2018-so-0005.pdf", "KS-01-2018.pdf",
                         "KS-01-2018.xlsx"}));
  for (const auto& name : names) {
    const std::string n = name.get<std::string>();
    if (n.size() < 4 || n.substr(n.size() - 4) != ".pdf") continue;
    testing::CommandResult check = RunCommand("qpdf --check " + Quote((unpacked / n).string()) + " 2>&1");
    EXPECT_EQ(check.exit_code, 0) << n << ": " << check.output;
  }
  // The entry PDF is the archived file, byte for byte.
  EXPECT_EQ(testing::ReadFile(unpacked / "KS-01-2018-so-0002.pdf"), *ReadAll(*store_, book_.entries[1].pdf));

  json book = Python(
      "import json,sys,openpyxl\n"
      "wb=openpyxl.load_workbook(sys.argv[1])\n"
      "print(json.dumps({s.title:[[c for c in row] for row in s.iter_rows(values_only=True)] for s in "
      "wb.worksheets}"
      " | {'order':wb.sheetnames}, ensure_ascii=False))\n",
      unpacked / "KS-01-2018.xlsx");
  ASSERT_EQ(book["order"], json({"Sheet1", "kiem_tra"}));
  const json& rows = book["Sheet1"];
  const json expected_header = [] {
    json t = json::parse(testing::ReadFile(fs::path(DefaultRegistersDir()) / "khai_sinh.json"));
    json keys = json::array();
    for (const json& c : t["columns"]) keys.push_back(c["key"]);
    return keys;
  }();
  ASSERT_EQ(rows.size(), 6u);  // header + one row per entry
  EXPECT_EQ(rows[0], expected_header);
  auto cell = [&](size_t row, const std::string& key) -> json {
    for (size_t c = 0; c < expected_header.size(); ++c)
      if (expected_header[c] == key) return rows[row][c];
    ADD_FAILURE() << "no column " << key;
    return nullptr;
  };
  EXPECT_EQ(cell(1, "so"), "1");
  EXPECT_EQ(cell(1, "quyenSo"), "01/2018");
  EXPECT_EQ(cell(1, "trangSo"), "1");
  EXPECT_EQ(cell(1, "ngayDangKy"), "02.09.2018");
  EXPECT_EQ(cell(1, "nksHoTen"), "NGUYỄN VĂN AN");
  EXPECT_EQ(cell(1, "nksGioiTinh"), "1");
  EXPECT_EQ(cell(1, "nksNgaySinh"), "27.08.2008");
  EXPECT_EQ(cell(1, "nksNgaySinhBangChu"), "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám");
  EXPECT_EQ(cell(1, "nksSoDinhDanh"), "001208012345");
  EXPECT_EQ(cell(1, "nksQuocTichStr"), "Việt Nam");
  EXPECT_EQ(cell(1, "meHoTen"), "TRẦN THỊ BÌNH");
  EXPECT_EQ(cell(1, "chaHoTen"), "NGUYỄN VĂN CƯỜNG");
  EXPECT_EQ(cell(1, "loaiDangKy"), nullptr);  // nothing in the entry says it: never defaulted
  EXPECT_EQ(cell(1, "ghiChu"), nullptr);
  EXPECT_EQ(cell(2, "nksGioiTinh"), "2");
  EXPECT_EQ(cell(2, "nksNgaySinh"), "01.04.2018");
  EXPECT_EQ(cell(3, "nksHoTen"), nullptr);  // read with a problem: left for a person
  EXPECT_EQ(cell(3, "nksGioiTinh"), "1");
  EXPECT_EQ(cell(4, "so"), nullptr);  // the handwritten entry: nothing read, nothing guessed
  EXPECT_EQ(cell(4, "nksHoTen"), nullptr);
  EXPECT_EQ(cell(4, "trangSo"), "4");
  EXPECT_EQ(cell(5, "nksGioiTinh"), "3");  // keyed, neither Nam nor Nữ
  EXPECT_EQ(cell(5, "nksNgaySinhBangChu"),
            "Ngày Ba Mươi Mốt Tháng Mười Hai Năm Hai Nghìn Không Trăm Mười Tám");

  const json& check = book["kiem_tra"];
  ASSERT_EQ(check.size(), 3u);  // header + the doubtful and the handwritten entry
  EXPECT_EQ(check[1][0], "4");  // row 4 of Sheet1 (entry 3)
  EXPECT_EQ(check[1][4], "review");
  EXPECT_EQ(check[1][7], "nksHoTen");
  EXPECT_EQ(check[1][6], "fields: ho_ten read with low confidence");  // no value quoted
  EXPECT_EQ(check[2][0], "5");
  EXPECT_EQ(check[2][3], "KS-01-2018-vitri-0004.pdf");
  EXPECT_NE(check[2][5].get<std::string>().find("viết tay"), std::string::npos);

  // The handover is in the access log: who, why, every record handed over.
  auto log = ledger_->AccessLog(10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].query_kind, "handover");
  EXPECT_EQ((*log)[0].who, "tester");
  EXPECT_EQ((*log)[0].purpose, "bàn giao sổ cho Sở Tư pháp");
  EXPECT_EQ((*log)[0].returned, 5);
  EXPECT_EQ(json::parse((*log)[0].records_json).size(), 6u);  // the book and its five entries
}

TEST_F(HandoverTest, LibreOfficeReadsOneRowPerEntry) {
  if (RunCommand("command -v soffice >/dev/null").exit_code != 0)
    GTEST_SKIP() << "LibreOffice is not installed (Debian libreoffice-calc-nogui; scripts/install-deps.sh)";
  StatusOr<HandoverResult> done = MakeHandover(*ledger_, *store_, catalog_, Request(book_.source));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  const fs::path csv_dir = dir_ / "csv";
  testing::CommandResult unzip = RunCommand("cd " + Quote(dir_.path().string()) + " && unzip -q -o " +
                                            Quote(done->zip_path) + " KS-01-2018.xlsx 2>&1");
  ASSERT_EQ(unzip.exit_code, 0) << unzip.output;
  // A private profile: a LibreOffice already running for the user would take the job and exit at once.
  testing::CommandResult lo =
      RunCommand("timeout 180 soffice -env:UserInstallation=file://" + (dir_ / "lo-profile").string() +
                 " --headless --convert-to csv:\"Text - txt - csv (StarCalc)\":44,34,76 --outdir " +
                 Quote(csv_dir.string()) + " " + Quote((dir_ / "KS-01-2018.xlsx").string()) + " 2>&1");
  ASSERT_EQ(lo.exit_code, 0) << lo.output;
  json rows = Python(
      "import csv,json,sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8')))))\n",
      csv_dir / "KS-01-2018.csv");
  ASSERT_EQ(rows.size(), 6u) << rows.dump();
  EXPECT_EQ(rows[0][0], "so");
  EXPECT_EQ(rows[0].size(), 69u);
  EXPECT_EQ(rows[1][0], "1");
  EXPECT_EQ(rows[4][0], "");  // the handwritten entry has no số
}

TEST_F(HandoverTest, BadBookIdsAreClearErrors) {
  auto fails = [&](const std::string& id, StatusCode code, const std::string& says) {
    StatusOr<HandoverResult> r = MakeHandover(*ledger_, *store_, catalog_, Request(id));
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().ToString();
  };
  fails("0123456789ab", StatusCode::kNotFound, "no register book whose sha256 starts with 0123456789ab");
  fails("so/no-such-book.tif", StatusCode::kNotFound, "no register book read from so/no-such-book.tif");
  fails(book_.entries[0].sha256, StatusCode::kInvalidInput, "is not a register book");
  fails(std::string(64, 'f'), StatusCode::kNotFound, "no book ffffffffffff");
  EXPECT_FALSE(fs::exists(dir_ / "out")) << "nothing written for a bad ID";
  EXPECT_TRUE(ledger_->AccessLog(10)->empty()) << "nothing disclosed, nothing logged";
}

TEST_F(HandoverTest, AMissingArchiveFileIsNamedAndNothingIsLeft) {
  ASSERT_TRUE(store_->Remove(book_.entries[2].pdf).ok());
  StatusOr<HandoverResult> r = MakeHandover(*ledger_, *store_, catalog_, Request(book_.sha256));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find(book_.entries[2].pdf), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("entry 3"), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(fs::is_empty(dir_ / "out")) << "no zip, no temporary folder";
  EXPECT_TRUE(ledger_->AccessLog(10)->empty());
}

TEST_F(HandoverTest, AnUnwritableOutputFolderIsAClearError) {
  testing::WriteFile(dir_ / "a-file", "x");
  HandoverRequest request = Request(book_.sha256);
  request.out_dir = (dir_ / "a-file" / "out").string();
  StatusOr<HandoverResult> r = MakeHandover(*ledger_, *store_, catalog_, request);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(request.out_dir), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(ledger_->AccessLog(10)->empty());
}

TEST_F(HandoverTest, APurposeIsRequired) {
  HandoverRequest request = Request(book_.sha256);
  request.purpose = "  ";
  StatusOr<HandoverResult> r = MakeHandover(*ledger_, *store_, catalog_, request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(HandoverTest, TheCommandWritesThePackageAndSaysNoPersonalData) {
  const std::string sohoa = testing::BinaryPath("sohoa").string();
  const std::string archive = (dir_ / "archive").string();
  ledger_.reset();  // the command opens the ledger itself
  testing::CommandResult ok =
      RunCommand(sohoa + " handover --archive " + Quote(archive) + " --book " + Quote(book_.source) +
                 " --out " + Quote((dir_ / "cli").string()) + " --purpose 'bàn giao' --ui-lang en 2>&1");
  ASSERT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("khai_sinh-01-2018.zip"), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("5 entries"), std::string::npos) << ok.output;
  EXPECT_EQ(ok.output.find("NGUYỄN"), std::string::npos) << ok.output;
  EXPECT_TRUE(fs::exists(dir_ / "cli" / "khai_sinh-01-2018.zip"));
  testing::CommandResult no_purpose =
      RunCommand(sohoa + " handover --archive " + Quote(archive) + " --book " + Quote(book_.source) +
                 " --out " + Quote((dir_ / "cli2").string()) + " --ui-lang en 2>&1");
  EXPECT_EQ(no_purpose.exit_code, 2);
  EXPECT_NE(no_purpose.output.find("--purpose is required"), std::string::npos) << no_purpose.output;
  testing::CommandResult bad =
      RunCommand(sohoa + " handover --archive " + Quote(archive) + " --book deadbeefdeadbeef --out " +
                 Quote((dir_ / "cli3").string()) + " --purpose x --ui-lang en 2>&1");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("no register book whose sha256 starts with deadbeefdeadbeef"), std::string::npos)
      << bad.output;
}

TEST(RegisterTemplateTest, DatesInWordsFollowVietnameseNumberReading) {
  EXPECT_EQ(DateInWords("2008-08-27"), "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh Tám");
  EXPECT_EQ(DateInWords("2021-01-15"), "Ngày Mười Lăm Tháng Một Năm Hai Nghìn Không Trăm Hai Mươi Mốt");
  EXPECT_EQ(DateInWords("1985-04-05"), "Ngày Năm Tháng Tư Năm Một Nghìn Chín Trăm Tám Mươi Lăm");
  EXPECT_EQ(DateInWords("2000-12-31"), "Ngày Ba Mươi Mốt Tháng Mười Hai Năm Hai Nghìn");
  EXPECT_EQ(DateInWords("2010-10-10"), "Ngày Mười Tháng Mười Năm Hai Nghìn Không Trăm Mười");
  EXPECT_EQ(DateInWords("1905-11-21"), "Ngày Hai Mươi Mốt Tháng Mười Một Năm Một Nghìn Chín Trăm Linh Năm");
  EXPECT_EQ(DateInWords("2024-02-24"), "Ngày Hai Mươi Bốn Tháng Hai Năm Hai Nghìn Không Trăm Hai Mươi Bốn");
  EXPECT_EQ(DateInWords("1911-03-11"), "Ngày Mười Một Tháng Ba Năm Một Nghìn Chín Trăm Mười Một");
  EXPECT_EQ(DateInWords("2021-02-30"), "");
  EXPECT_EQ(DateInWords("1957"), "");
  EXPECT_EQ(DottedDate("2008-08-27"), "27.08.2008");
  EXPECT_EQ(DottedDate("27/08/2008"), "");
}

TEST(RegisterTemplateTest, EveryKindLoadsWithItsTemplatesColumnCount) {
  auto catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
  ASSERT_TRUE(catalog.ok());
  const std::map<std::string, size_t> expected = {
      {"khai_sinh", 69}, {"ket_hon", 44}, {"khai_tu", 48}, {"tinh_trang_hon_nhan", 35}};
  for (const auto& [kind, columns] : expected) {
    auto t = LoadRegisterTemplate(DefaultRegistersDir(), kind, *catalog->Find(kind));
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->columns.size(), columns) << kind;
    EXPECT_EQ(t->columns[0].key, "so");
    // The same files satisfy the JSON Schema, by a validator nobody here wrote.
    const std::string validate =
        "import json,sys,jsonschema\n"
        "s=json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s)\n"
        "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))\n";
    testing::CommandResult r =
        RunCommand("/usr/bin/python3 -c " + Quote(validate) + " " +
                   Quote(std::string(SOHOA_SOURCE_DIR) + "/schemas/register.schema.json") + " " +
                   Quote(t->source_file) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << kind << ": " << r.output;
  }
}

TEST(RegisterTemplateTest, AFieldTheDocumentTypeLacksIsRefused) {
  ScratchDir dir("register-template");
  testing::WriteFile(
      dir / "khai_sinh.json",
      R"({"kind":"khai_sinh","name":"Sổ","file_prefix":"KS","columns":[)"
      R"({"key":"so","from":"entry_no"},{"key":"x","from":"field","field":"no_such_field"}]})");
  auto catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
  ASSERT_TRUE(catalog.ok());
  auto t = LoadRegisterTemplate(dir.path().string(), "khai_sinh", *catalog->Find("khai_sinh"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(t.status().message().find("no_such_field"), std::string::npos) << t.status().ToString();
}

}  // namespace
}  // namespace sohoa
