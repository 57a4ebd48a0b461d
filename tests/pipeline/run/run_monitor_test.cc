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
