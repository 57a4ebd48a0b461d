// Log lines carry their priority when stderr is systemd's journal
// (pipeline/core/journal_stream.h, RunLog::set_journal_priorities), so
// `journalctl -p warning` shows warnings and errors instead of all `info`.
#include "pipeline/core/journal_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/core/run_log.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

// JOURNAL_STREAM for the scope of the object, as systemd sets it.
class ScopedJournalStream {
 public:
  explicit ScopedJournalStream(const std::string& value) { ::setenv("JOURNAL_STREAM", value.c_str(), 1); }
  ~ScopedJournalStream() { ::unsetenv("JOURNAL_STREAM"); }
};

std::string DeviceAndInode(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

TEST(JournalStreamTest, OnlyTheStreamJournalStreamNames) {
  testing::ScratchDir dir("journal_stream");
  const int journal = ::open((dir / "journal").c_str(), O_CREAT | O_WRONLY, 0600);
  const int other = ::open((dir / "other").c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(journal, 0);
  ASSERT_GE(other, 0);
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(IsJournalStream(journal)) << "no JOURNAL_STREAM: not run by systemd";
  {
    ScopedJournalStream env(DeviceAndInode(journal));
    EXPECT_TRUE(IsJournalStream(journal));
    EXPECT_FALSE(IsJournalStream(other)) << "stderr redirected by a shell in between";
  }
  for (const std::string& bad : std::vector<std::string>{"", "12", "x:y", DeviceAndInode(journal) + "junk"}) {
    ScopedJournalStream env(bad);
    EXPECT_FALSE(IsJournalStream(journal)) << bad;
  }
  ::close(journal);
  ::close(other);
}

TEST(JournalStreamTest, RunLogLinesStartWithTheirPriority) {
  for (LogFormat format : {LogFormat::kHuman, LogFormat::kJson}) {
    std::ostringstream out;
    RunLog log(out, format);
    log.set_journal_priorities(true);
    log.Error("e");
    log.Warning("w");
    log.Info("i");
    Document quarantined, review, archived;
    quarantined.relative_path = "q.tif";
    quarantined.outcome = Outcome::kQuarantined;
    review.relative_path = "r.tif";
    review.outcome = Outcome::kReview;
    archived.relative_path = "a.tif";
    archived.outcome = Outcome::kArchived;
    log.DocumentOutcome(quarantined, "page 1: unreadable", 0.1);
    log.DocumentOutcome(review, "", 0.1);
    log.DocumentOutcome(archived, "", 0.1);
    std::istringstream lines(out.str());
    std::string line;
    std::string prefixes;
    while (std::getline(lines, line)) prefixes += line.substr(0, 3);
    EXPECT_EQ(prefixes, "<3><4><6><4><5><6>") << out.str();
  }
  // Not the journal: no prefix (a terminal, a file, cron mail).
  std::ostringstream plain;
  RunLog log(plain, LogFormat::kHuman);
  log.Warning("w");
  EXPECT_EQ(plain.str(), "sohoa: warning: w\n");
}

}  // namespace
}  // namespace sohoa
