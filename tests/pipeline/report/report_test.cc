#include "pipeline/report/report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "build_paths.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;
using testing::WriteFile;

InventoryItem Item(const char* id, const char* type, const char* issued, bool valid = true,
                   const char* expires = nullptr) {
  InventoryItem i{id, type, "1", issued, valid, std::nullopt};
  if (expires) i.expires_on = expires;
  return i;
}

RunRecord Run(const char* id, const char* started, int archived) {
  RunRecord r;
  r.run_id = id;
  r.started_at = started;
  r.state = "finished";
  r.counts_json = "{\"enumerated\": " + std::to_string(archived + 1) +
                  ", \"archived\": " + std::to_string(archived) +
                  ", \"review\": 1, \"quarantined\": 0, \"pages\": " + std::to_string(2 * archived) + "}";
  return r;
}

// A small register whose figures are worked out by hand in the comments.
ReportInput KnownInput() {
  ReportInput in;
  in.as_of = "2025-07-01";
  in.inventory = {
      Item("R1", "khai_sinh", "2019-05-01"),                                // archived 2024-03-10
      Item("R2", "khai_sinh", "2020-02-02"),                                // only in review: not digitized
      Item("R3", "khai_sinh", "2021-06-01"),                                // never scanned
      Item("R4", "ket_hon", "2018-01-01"),                                  // archived 2025-01-05
      Item("R5", "ket_hon", "2020-01-01", false),                           // revoked: counts on neither side
      Item("R6", "tinh_trang_hon_nhan", "2025-03-01", true, "2025-09-01"),  // archived 2025-03-20
      Item("R7", "tinh_trang_hon_nhan", "2024-06-01", true, "2024-12-01"),  // expired before as_of
      Item("R8", "tinh_trang_hon_nhan", "2025-05-01", true, "2025-11-01"),  // never scanned
      Item("R9", "khai_tu", "2022-08-08"),                                  // archived twice: counts once
      Item("R10", "khai_tu", "2025-08-01"),                                 // issued after as_of
  };
  in.matches = {
      {"R1", "a1", "archived", "2024-03-10T20:00:00Z"}, {"R2", "a2", "review", "2024-03-10T20:00:00Z"},
      {"R4", "a4", "archived", "2025-01-05T20:00:00Z"}, {"R5", "a5", "archived", "2024-01-01T20:00:00Z"},
      {"R6", "a6", "archived", "2025-03-20T20:00:00Z"}, {"R7", "a7", "archived", "2024-06-10T20:00:00Z"},
      {"R9", "a9", "archived", "2023-12-31T20:00:00Z"}, {"R9", "b9", "archived", "2024-02-02T20:00:00Z"},
      {"R99", "x", "archived", "2024-02-02T20:00:00Z"},  // not in this register: ignored
  };
  // Pace: runs of 06-22, 06-25 and 06-28 archived 3 + 0 + 4 = 7 in the 10
  // days 06-22..07-01 = 0.7/day (3 runs over 10 days: enough history); the
  // 07-05 run is after as_of.
  in.runs = {Run("run-a", "2025-06-22T20:00:00Z", 3), Run("run-a2", "2025-06-25T20:00:00Z", 0),
             Run("run-b", "2025-06-28T20:00:00Z", 4), Run("run-c", "2025-07-05T20:00:00Z", 50)};
  LedgerRecord review;
  review.sha256 = std::string(64, 'a');
  review.source = "scans/r2.tif";
  review.status = "review";
  review.reason = "page 1: low OCR confidence";
  LedgerRecord quarantined;
  quarantined.sha256 = std::string(64, 'b');
  quarantined.source = "scans/bad.tif";
  quarantined.status = "quarantined";
  quarantined.reason = "not an image";
  in.attention = {review, quarantined};
  return in;
}

TEST(ReportTest, FiguresMatchHandComputedValues) {
  StatusOr<Report> r = ComputeReport(KnownInput());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Still valid on 2025-07-01: R1 R2 R3 R4 R6 R8 R9 = 7; digitized R1 R4 R6 R9 = 4.
  EXPECT_EQ(r->overall.valid_total, 7);
  EXPECT_EQ(r->overall.digitized, 4);
  EXPECT_NEAR(r->overall.percent, 400.0 / 7, 1e-9);
  EXPECT_EQ(r->by_type.at("khai_sinh").valid_total, 3);
  EXPECT_EQ(r->by_type.at("khai_sinh").digitized, 1);
  EXPECT_EQ(r->by_type.at("ket_hon").valid_total, 1);              // R5 revoked
  EXPECT_EQ(r->by_type.at("tinh_trang_hon_nhan").valid_total, 2);  // R7 expired
  EXPECT_EQ(r->by_type.at("tinh_trang_hon_nhan").digitized, 1);
  EXPECT_EQ(r->by_type.at("khai_tu").valid_total, 1);  // R10 not issued yet
  EXPECT_EQ(r->by_type.at("khai_tu").digitized, 1);
  EXPECT_EQ(r->by_year.count(2024), 0u);  // only R7, expired
  EXPECT_EQ(r->by_year.at(2020).valid_total, 1);
  EXPECT_EQ(r->by_year.at(2020).digitized, 0);
  EXPECT_EQ(r->by_year.at(2025).valid_total, 2);
  EXPECT_EQ(r->by_year.at(2025).digitized, 1);

  ASSERT_EQ(r->targets.size(), 5u);
  // 2021 (on 12-31): valid R1 R2 R3 R4, none digitized yet.
  EXPECT_DOUBLE_EQ(*r->targets[0].actual, 0);
  EXPECT_DOUBLE_EQ(*r->targets[0].gap, 15);
  // 2023: valid R1 R2 R3 R4 R9, R9 digitized on 12-31 = 20%.
  EXPECT_DOUBLE_EQ(*r->targets[2].actual, 20);
  // 2024: R7 expired 12-01; R1 and R9 digitized = 2/5.
  EXPECT_DOUBLE_EQ(*r->targets[3].actual, 40);
  EXPECT_DOUBLE_EQ(*r->targets[3].gap, 35);
  EXPECT_EQ(r->targets[4].judged_on, "2025-07-01");
  EXPECT_NEAR(*r->targets[4].actual, 400.0 / 7, 1e-9);
  for (const TargetRow& t : r->targets) EXPECT_FALSE(t.met) << t.year;

  EXPECT_NEAR(r->throughput_per_day, 0.7, 1e-9);
  EXPECT_EQ(r->throughput_runs, 3);
  EXPECT_EQ(r->throughput_days, 10);
  EXPECT_TRUE(r->pace_known);
  // 2021..2024 are judged (their Dec 31 has passed) and missed, with the
  // day each was reached late: 15% on 2023-12-31 (1/5), 35% on 2024-03-10
  // (2/5), 55% on 2025-01-05 (3/5; on 2024-06-10 it was 3/6 with R7
  // valid); 75% not yet. No past target gets a forecast.
  const char* late[] = {"2023-12-31", "2024-03-10", "2025-01-05", ""};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(r->targets[i].state, TargetState::kMissed) << r->targets[i].year;
    EXPECT_EQ(r->targets[i].reached_late_on, late[i]) << r->targets[i].year;
    EXPECT_EQ(r->targets[i].forecast_date, "") << r->targets[i].year;
  }
  // 2025 is open: 100% needs 3 more at 0.7/day = 5 days.
  EXPECT_EQ(r->targets[4].state, TargetState::kOpen);
  EXPECT_EQ(r->targets[4].forecast_date, "2025-07-06");
  EXPECT_EQ(r->forecast_full, "2025-07-06");

  std::vector<std::string> not_digitized;
  for (const InventoryItem& i : r->not_digitized) not_digitized.push_back(i.record_id);
  EXPECT_EQ(not_digitized, (std::vector<std::string>{"R2", "R3", "R8"}));
  EXPECT_EQ(r->review_only, 1);
  ASSERT_EQ(r->review.size(), 1u);
  ASSERT_EQ(r->quarantined.size(), 1u);
  ASSERT_EQ(r->runs.size(), 4u);
  EXPECT_EQ(r->runs[2].pages, 8);
}

TEST(ReportTest, BadInputsAreNamed) {
  ReportInput in = KnownInput();
  in.inventory[3].issue_date = "2018-13-01";
  StatusOr<Report> r = ComputeReport(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("R4"), std::string::npos);
  EXPECT_FALSE(ParseTargets("2021=15").ok());
  auto t = ParseTargets("2023:50, 2021:10");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)[0].year, 2021);
  EXPECT_EQ(ReportAddMonths("2021-08-31", 6), "2022-02-28");
  EXPECT_EQ(ReportAddMonths("2024-08-31", 6), "2025-02-28");
  EXPECT_EQ(ReportAddMonths("2023-08-31", 6), "2024-02-29");
}

// The hand-written date parser the report runs once or twice per register
// record (issue 22: 10 million records): ten characters, digits where digits
// belong, real calendar days; a timestamp's time is ignored.
TEST(ReportTest, DatesAreParsedStrictly) {
  int64_t days = -1;
  int year = 0;
  ASSERT_TRUE(ParseReportDate("1970-01-02", &days, &year));
  EXPECT_EQ(days, 1);
  EXPECT_EQ(year, 1970);
  ASSERT_TRUE(ParseReportDate("2024-02-29T23:59:59Z", &days));
  EXPECT_EQ(FormatReportDate(days), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2024-00-10", "2024-13-01", "2024-1-015", "2024/01/05", "20a4-01-05",
                          "2024-01-", "", "2024-04-31", " 2024-04-01"}) {
    EXPECT_FALSE(ParseReportDate(bad, &days)) << bad;
  }
  ASSERT_TRUE(ParseReportDate("2021-08-31", &days));
  EXPECT_EQ(FormatReportDate(ReportAddMonths(days, 6)), "2022-02-28");
  EXPECT_EQ(FormatReportDate(ReportAddMonths(days, -18)), "2020-02-29");
}

TEST(ReportTest, JsonFollowsSchemaAndCsvCarriesTargets) {
  StatusOr<Report> r = ComputeReport(KnownInput());
  ASSERT_TRUE(r.ok());
  ScratchDir dir("report-json");
  std::ostringstream json, csv;
  WriteReportJson(*r, json);
  WriteReportCsv(*r, csv);
  WriteFile(dir / "report.json", json.str());
  const std::string schema = std::string(SOHOA_SOURCE_DIR) + "/schemas/report.schema.json";
  auto check =
      RunCommand("/usr/bin/python3 -c " +
                 Quote("import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                       "json.load(open(sys.argv[2]))); print('valid')") +
                 " " + Quote((dir / "report.json").string()) + " " + Quote(schema) + " 2>&1");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(json.str().find("\"percent\": 57.14"), std::string::npos) << json.str();
  EXPECT_NE(csv.str().find("target,2023,,,20.00,55.00,35.00,missed,2025-01-05\n"), std::string::npos)
      << csv.str();
  EXPECT_NE(csv.str().find("target,2025,,,57.14,100.00,42.86,open,2025-07-06\n"), std::string::npos)
      << csv.str();
  EXPECT_NE(csv.str().find("overall,2025-07-01,7,4,57.14,,,,\n"), std::string::npos) << csv.str();
}

TEST(ReportTest, TextIsVietnameseByDefaultWording) {
  StatusOr<Report> r = ComputeReport(KnownInput());
  ASSERT_TRUE(r.ok());
  std::ostringstream vi, en;
  WriteReportText(*r, ReportLang::kVi, vi);
  WriteReportText(*r, ReportLang::kEn, en);
  EXPECT_NE(vi.str().find("4 / 7 kết quả còn hiệu lực đã được số hóa"), std::string::npos) << vi.str();
  EXPECT_NE(en.str().find("4 of 7 still-valid results digitized"), std::string::npos) << en.str();
  // A reason in the report's language: its place ("page 1") from the
  // catalogue, a cause no kind describes as written (issue 20).
  EXPECT_NE(vi.str().find("scans/r2.tif — trang 1: low OCR confidence"), std::string::npos) << vi.str();
  EXPECT_NE(en.str().find("scans/r2.tif — page 1: low OCR confidence"), std::string::npos) << en.str();
}

// A target judged met says on which day it was reached; past targets get
// no forecast, missed ones say by how many points.
TEST(ReportTest, PastTargetsAreMetOnADayOrMissedByPoints) {
  ReportInput in = KnownInput();
  in.targets = {{2023, 10}, {2024, 50}, {2026, 100}};
  StatusOr<Report> r = ComputeReport(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->targets.size(), 3u);
  EXPECT_EQ(r->targets[0].state, TargetState::kMet);  // 20% on 2023-12-31, reached that day
  EXPECT_EQ(r->targets[0].met_on, "2023-12-31");
  EXPECT_EQ(r->targets[1].state, TargetState::kMissed);  // 40% on 2024-12-31
  EXPECT_EQ(r->targets[1].reached_late_on, "2025-01-05");
  EXPECT_EQ(r->targets[2].state, TargetState::kOpen);  // a year not begun
  EXPECT_FALSE(r->targets[2].actual.has_value());
  EXPECT_EQ(r->targets[2].forecast_date, "2025-07-06");
  std::ostringstream vi, en;
  WriteReportText(*r, ReportLang::kVi, vi);
  WriteReportText(*r, ReportLang::kEn, en);
  EXPECT_NE(en.str().find("met on 2023-12-31"), std::string::npos) << en.str();
  EXPECT_NE(en.str().find("missed by 10.0 points (reached 2025-01-05)"), std::string::npos) << en.str();
  EXPECT_NE(en.str().find("Pace: 0.7 documents/day over the last 3 runs (10 days)"), std::string::npos)
      << en.str();
  EXPECT_NE(vi.str().find("đạt ngày 2023-12-31"), std::string::npos) << vi.str();
  EXPECT_NE(vi.str().find("không đạt: thiếu 10.0 điểm (đạt muộn ngày 2025-01-05)"), std::string::npos)
      << vi.str();
}

// One quick run is no pace: no forecast, and the report says why rather
// than extrapolating ("6.0 documents/day" from one 8-second run).
TEST(ReportTest, NoForecastWithoutEnoughHistory) {
  ReportInput in = KnownInput();
  in.runs = {sohoa::Run("only", "2025-07-01T08:00:00Z", 6)};
  StatusOr<Report> r = ComputeReport(in);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->pace_known);
  EXPECT_EQ(r->throughput_runs, 1);
  EXPECT_EQ(r->throughput_days, 1);
  EXPECT_EQ(r->targets[4].state, TargetState::kOpen);
  EXPECT_EQ(r->targets[4].forecast_date, "");
  EXPECT_EQ(r->forecast_full, "");
  std::ostringstream en, json;
  WriteReportText(*r, ReportLang::kEn, en);
  WriteReportJson(*r, json);
  EXPECT_NE(en.str().find("not enough history for a forecast (runs: 1, days: 1; a forecast needs at least 3 "
                          "runs over 7 days)"),
            std::string::npos)
      << en.str();
  EXPECT_EQ(en.str().find("documents/day"), std::string::npos) << en.str();
  EXPECT_NE(json.str().find("\"known\": false"), std::string::npos) << json.str();
}

// 0 of 0 is no percentage: the text says nothing is still valid, the JSON
// gives null.
TEST(ReportTest, ZeroOfZeroIsNotZeroPercent) {
  ReportInput in = KnownInput();
  in.as_of = "2026-01-01";  // R6 and R8 (marital status, 6 months) have expired
  StatusOr<Report> r = ComputeReport(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->by_type.at("tinh_trang_hon_nhan").valid_total, 0);
  std::ostringstream vi, en, json, html;
  WriteReportText(*r, ReportLang::kVi, vi);
  WriteReportText(*r, ReportLang::kEn, en);
  WriteReportJson(*r, json);
  WriteReportHtml(*r, ReportLang::kEn, html);
  EXPECT_NE(en.str().find("no still-valid result in the register  0/0"), std::string::npos) << en.str();
  EXPECT_NE(vi.str().find("không có kết quả còn hiệu lực trong sổ  0/0"), std::string::npos) << vi.str();
  EXPECT_EQ(en.str().find("0.0%  0/0"), std::string::npos) << en.str();
  EXPECT_TRUE(nlohmann::json::parse(json.str())["by_type"]["tinh_trang_hon_nhan"]["percent"].is_null())
      << json.str();
  EXPECT_NE(html.str().find("no still-valid result in the register"), std::string::npos);
}

// Each language is one language: no English word in the Vietnamese text
// and HTML, no Vietnamese column in the English ones (the runs table said
// "review, quarantined" in Vietnamese, the English HTML a "Số" column).
TEST(ReportTest, EachLanguageIsOneLanguage) {
  StatusOr<Report> r = ComputeReport(KnownInput());
  ASSERT_TRUE(r.ok());
  r->review.clear();  // reasons come from the stages, in English (issue 20, part 2)
  r->quarantined.clear();
  std::ostringstream vi, en, vi_html, en_html;
  WriteReportText(*r, ReportLang::kVi, vi);
  WriteReportText(*r, ReportLang::kEn, en);
  WriteReportHtml(*r, ReportLang::kVi, vi_html);
  WriteReportHtml(*r, ReportLang::kEn, en_html);
  for (const std::string& text : {vi.str(), vi_html.str()})
    for (const char* word : {"review", "quarantine", "finished", "forecast", ">run<", "Throughput", "Pace"})
      EXPECT_EQ(text.find(word), std::string::npos) << word << " in\n" << text;
  // Letters only Vietnamese uses (a type name would be one: English has its own).
  for (const std::string& text : {en.str(), en_html.str()})
    for (const char* word : {"Số", "ố", "đ", "ạ", "ệ", "ờ"})
      EXPECT_EQ(text.find(word), std::string::npos) << word << " in\n" << text;
}

// The HTML page in a real browser: headless Chromium renders it to a PNG.
// Fails on any console error, on an empty chart, or on a blank screenshot.
TEST(ReportTest, HtmlRendersInHeadlessChromium) {
  if (!fs::exists("/usr/bin/chromium"))
    GTEST_FAIL() << "Debian chromium is not installed (scripts/install-deps.sh)";
  StatusOr<Report> r = ComputeReport(KnownInput());
  ASSERT_TRUE(r.ok());
  std::ostringstream html;
  WriteReportHtml(*r, ReportLang::kVi, html);
  const std::string page = html.str();
  // Self-contained: no script, no external reference.
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://www.w3.org/2000/svg"), page.rfind("http"));  // the SVG namespace only
  // One data point per target year that has started (all five here).
  std::regex point("<circle class=\"actual-point\" data-year=\"(\\d{4})\" data-value=\"([0-9.]+)\"");
  int points = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), point); it != std::sregex_iterator(); ++it)
    ++points;
  EXPECT_EQ(points, 5);
  EXPECT_NE(page.find("data-year=\"2024\" data-value=\"40.00\""), std::string::npos);

  ScratchDir dir("report-html");
  const fs::path file = dir / "report.html", png = dir / "report.png", profile = dir / "profile";
  WriteFile(file, page);
  // A narrow phone-sized window: the page must still fit and render.
  auto shot = RunCommand(
      "timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage "
      "--enable-logging=stderr --v=0 --user-data-dir=" +
      Quote(profile.string()) + " --window-size=412,1400 --screenshot=" + Quote(png.string()) + " " +
      Quote("file://" + file.string()) + " 2>&1");
  ASSERT_EQ(shot.exit_code, 0) << shot.output;
  for (const char* bad : {"Uncaught", "CONSOLE(", ":ERROR:CONSOLE", "Refused to", "net::ERR_"}) {
    EXPECT_EQ(shot.output.find(bad), std::string::npos) << bad << " in:\n" << shot.output;
  }
  ASSERT_TRUE(fs::exists(png)) << shot.output;
  // The screenshot shows the chart: enough pixels of the actual line's blue
  // (#0b5394) and of the target's red (#cc0000).
  auto pixels = RunCommand("/usr/bin/python3 -c " +
                           Quote("import sys; from PIL import Image\n"
                                 "im = Image.open(sys.argv[1]).convert('RGB'); px = list(im.getdata())\n"
                                 "near = lambda p, c: all(abs(a - b) < 40 for a, b in zip(p, c))\n"
                                 "print(im.size[0], sum(near(p, (11, 83, 148)) for p in px), "
                                 "sum(near(p, (204, 0, 0)) for p in px))") +
                           " " + Quote(png.string()));
  ASSERT_EQ(pixels.exit_code, 0) << pixels.output;
  int width = 0, blue = 0, red = 0;
  std::istringstream(pixels.output) >> width >> blue >> red;
  EXPECT_EQ(width, 412);
  EXPECT_GT(blue, 300) << pixels.output;
  EXPECT_GT(red, 100) << pixels.output;
  const char* keep = std::getenv("SOHOA_REPORT_SCREENSHOT");
  if (keep != nullptr) fs::copy_file(png, keep, fs::copy_options::overwrite_existing);
}

}  // namespace
}  // namespace sohoa
