// The built `sohoa` binary's help and option names as a user meets them
// (issue 20): every -h/--help says what it does, defaults print as typed
// (0.80, not 0.80000000000000004), the OCR language is --ocr-lang with
// --lang kept as its older name in run, and report's interface language is
// --ui-lang with --lang kept.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::BinaryPath;
using testing::Quote;
using testing::RunCommand;

testing::CommandResult Sohoa(const std::string& args) {
  // English: the interface language of every command (issue 20) is Vietnamese unless told.
  return RunCommand("SOHOA_UI_LANG=en " + Quote(BinaryPath("sohoa").string()) + " " + args + " 2>&1");
}

// Every command answers --help with its usage; where it lists its options,
// -h/--help is one of them and says what it does (it printed no text).
TEST(CliHelpTest, EveryHelpOptionIsDescribed) {
  int tables = 0;
  for (const char* command : {"run", "export", "find", "extract", "handover", "verify", "report", "status",
                              "inventory import", "enqueue", "worker", "review", "user add", "ledger check",
                              "ledger backup", "ledger rebuild", "reseal"}) {
    const testing::CommandResult help = Sohoa(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command << ":\n" << help.output;
    EXPECT_NE(help.output.find("usage: sohoa"), std::string::npos) << command << ":\n" << help.output;
    const std::regex help_line("-h \\[ --help \\][^\n]*");
    for (auto it = std::sregex_iterator(help.output.begin(), help.output.end(), help_line);
         it != std::sregex_iterator(); ++it) {
      ++tables;
      EXPECT_NE(it->str().find("show this help"), std::string::npos) << command << ": " << it->str();
    }
  }
  EXPECT_GE(tables, 10);  // the commands with an option table
}

TEST(CliHelpTest, ConfigHelpIsNotAnError) {
  const testing::CommandResult help = Sohoa("config --help");
  EXPECT_EQ(help.exit_code, 0) << help.output;
  EXPECT_NE(help.output.find("usage: sohoa config --print"), std::string::npos) << help.output;
}

TEST(CliHelpTest, DefaultsPrintAsTyped) {
  const testing::CommandResult help = Sohoa("run --help");
  EXPECT_NE(help.output.find("--review-confidence arg (=0.80)"), std::string::npos) << help.output;
  EXPECT_EQ(help.output.find("0000000"), std::string::npos) << help.output;
}

// `sohoa config --print` shows the effective OCR language and where it came
// from, whichever name set it.
TEST(CliHelpTest, OcrLangWithLangAsItsOlderName) {
  const std::regex ocr_lang_line("ocr-lang +=  *([a-z+]+) +# ([a-z]+)");
  auto effective = [&](const std::string& args) {
    const testing::CommandResult r = Sohoa("config --print " + args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(r.output, m, ocr_lang_line)) << r.output;
    EXPECT_EQ(r.output.find("\nlang "), std::string::npos) << "the alias is listed:\n" << r.output;
    return m.size() == 3 ? m[1].str() + " " + m[2].str() : std::string();
  };
  EXPECT_EQ(effective(""), "vie default");
  EXPECT_EQ(effective("--ocr-lang vie+eng"), "vie+eng flag");
  EXPECT_EQ(effective("--lang eng"), "eng flag");
  EXPECT_EQ(effective("--lang eng --ocr-lang fra"), "fra flag");
  EXPECT_NE(Sohoa("worker --help").output.find("--ocr-lang"), std::string::npos);
}

TEST(CliHelpTest, ReportLanguageIsUiLangWithLangAsItsOlderName) {
  EXPECT_NE(Sohoa("report --help").output.find("--ui-lang"), std::string::npos);
  for (const char* option : {"--ui-lang", "--lang"}) {
    const testing::CommandResult r = Sohoa(std::string("report --archive /nonexistent ") + option + " xx");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--ui-lang must be vi or en"), std::string::npos) << option << ": " << r.output;
  }
}

}  // namespace
}  // namespace sohoa
