#include "pipeline/run/run_monitor.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tests/test_support.h"

namespace sohoa {
namespace {

TEST(RunMonitorTest, MetricsFileIsPrometheusTextWithEveryOutcomeAndStage) {
  testing::ScratchDir dir("monitor");
  std::ostringstream out;
  RunLog log(out, LogFormat::kHuman);
  StageStatsTable stats;
  stats.Record("ocr", 0.5, 0.1, false);
  stats.Record("ocr", 1.5, 0.2, true);
  MonitorOptions options;
  options.metrics_file = (dir / "sohoa.prom").string();
  RunMonitor monitor(options, &log, &stats, "run-1", 5);
  OutcomeCounts counts;
  counts.archived = 2;
  counts.quarantined = 1;
  counts.pages = 7;
  monitor.OnDocument(counts);
  ASSERT_TRUE(monitor.Finish(counts).ok());
  const std::string text = testing::ReadFile(dir / "sohoa.prom");
  EXPECT_NE(text.find("sohoa_documents{run=\"run-1\",status=\"archived\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sohoa_documents{run=\"run-1\",status=\"quarantined\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("sohoa_pages{run=\"run-1\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("sohoa_stage_items{run=\"run-1\",stage=\"ocr\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("sohoa_stage_failures{run=\"run-1\",stage=\"ocr\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("sohoa_stage_busy_seconds{run=\"run-1\",stage=\"ocr\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("sohoa_run_in_progress{run=\"run-1\"} 0\n"), std::string::npos);
  // Every sample line belongs to a declared metric family.
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> declared;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0)
      declared.insert(line.substr(7, line.find(' ', 7) - 7));
    else if (!line.empty() && line[0] != '#')
      EXPECT_TRUE(declared.count(line.substr(0, line.find('{')))) << line;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "sohoa.prom.part"));
}

// For an alert on a nightly job that stopped working: the exit status of
// the last run, and when a run last kept its results — kept through a failed
// run and while the next run goes on.
TEST(RunMonitorTest, ExitStatusAndLastSuccessOutliveTheRun) {
  testing::ScratchDir dir("monitor_exit");
  const std::string file = (dir / "sohoa.prom").string();
  std::ostringstream out;
  RunLog log(out, LogFormat::kHuman);
  MonitorOptions options;
  options.metrics_file = file;
  OutcomeCounts counts;
  counts.archived = 1;
  {
    RunMonitor first(options, &log, nullptr, "run-1", 1);
    ASSERT_TRUE(first.Finish(counts).ok());
  }
  ASSERT_TRUE(RecordRunExit(file, 3, /*succeeded=*/true, 1700000000).ok());
  std::string text = testing::ReadFile(file);
  EXPECT_NE(text.find("\nsohoa_last_success_timestamp_seconds 1700000000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nsohoa_last_exit_status 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sohoa_documents{run=\"run-1\",status=\"archived\"} 1\n"), std::string::npos) << text;

  // The next run: while it goes on, the file still says how the last ended.
  RunMonitor second(options, &log, nullptr, "run-2", 1);
  text = second.MetricsText(counts, /*in_progress=*/true);
  EXPECT_NE(text.find("\nsohoa_last_success_timestamp_seconds 1700000000\n"), std::string::npos) << text;
  ASSERT_TRUE(second.Finish(counts).ok());
  // It fails: the exit status changes, the last success stays, once each.
  ASSERT_TRUE(RecordRunExit(file, 2, /*succeeded=*/false, 1700086400).ok());
  text = testing::ReadFile(file);
  EXPECT_EQ(testing::Count(text, "\nsohoa_last_success_timestamp_seconds 1700000000\n"), 1u) << text;
  EXPECT_EQ(testing::Count(text, "\nsohoa_last_exit_status 2\n"), 1u) << text;
  EXPECT_EQ(testing::Count(text, "# TYPE sohoa_last_exit_status gauge"), 1u) << text;
  EXPECT_NE(text.find("run=\"run-2\""), std::string::npos) << text;
  const RunExitRecord record = ParseRunExitRecord(text);
  EXPECT_EQ(record.last_success_unix, 1700000000);
  EXPECT_EQ(record.exit_status, 2);

  // A run that fails before writing anything (a bad key) still says so.
  const std::string fresh = (dir / "fresh.prom").string();
  ASSERT_TRUE(RecordRunExit(fresh, 2, false, 1700000000).ok());
  text = testing::ReadFile(fresh);
  EXPECT_EQ(text.find("sohoa_last_success_timestamp_seconds"), std::string::npos) << text;
  EXPECT_NE(text.find("sohoa_last_exit_status 2\n"), std::string::npos) << text;
}

TEST(RunMonitorTest, PlainProgressLinesWhenNotATerminal) {
  std::ostringstream out;
  RunLog log(out, LogFormat::kHuman, /*terminal=*/false);
  MonitorOptions options;
  options.plain_interval_seconds = 0;
  RunMonitor monitor(options, &log, nullptr, "run-2", 4);
  OutcomeCounts counts;
  counts.archived = 1;
  counts.pages = 3;
  monitor.OnDocument(counts);
  EXPECT_NE(out.str().find("progress: 1/4 documents (3 pages)"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
}

TEST(RunMonitorTest, TerminalStatusLineIsRedrawnBelowLogLines) {
  std::ostringstream out;
  RunLog log(out, LogFormat::kHuman, /*terminal=*/true);
  log.SetStatusLine("1/2 documents");
  log.Info("hello");
  const std::string s = out.str();
  EXPECT_NE(s.find("1/2 documents\r\033[Ksohoa: hello\n1/2 documents"), std::string::npos) << s;
}

}  // namespace
}  // namespace sohoa
