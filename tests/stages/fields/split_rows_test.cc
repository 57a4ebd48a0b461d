// Rows that OCR split into several lines, put back together from the boxes
// (stages/fields/split_rows.h).
#include "stages/fields/split_rows.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

RowPiece Piece(const std::string& text, int left, int top, int right, int height = 40, int page = 0) {
  return {page, {left, top, right, top + height}, text};
}

std::vector<std::string> Texts(const std::vector<JoinedRow>& rows) {
  std::vector<std::string> texts;
  for (const JoinedRow& row : rows) texts.push_back(row.text);
  return texts;
}

TEST(SplitRowsTest, PiecesOfOneRowAreJoinedLeftToRightWhateverTheirOrder) {
  // Reading order as Tesseract gave it on the tuning layout: the right
  // column's lines between the title's two halves.
  const std::vector<RowPiece> pieces = {Piece("ỦY BAN NHÂN DÂN", 100, 60, 500),
                                        Piece("GIẤY XÁC", 600, 220, 770),
                                        Piece("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 900, 60, 1900),
                                        Piece("NHẬN TÌNH TRẠNG HÔN NHÂN", 800, 224, 1300)};
  const std::vector<JoinedRow> rows = JoinSplitRows(pieces);
  EXPECT_EQ(Texts(rows), std::vector<std::string>{"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"})
      << "the header's two columns, 400 px apart, are not one row";
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, 1u);  // "GIẤY XÁC", the leftmost piece
}

TEST(SplitRowsTest, NeighboursOnOtherRowsPagesOrFarApartAreNotJoined) {
  EXPECT_TRUE(JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770), Piece("NHẬN TÌNH", 800, 250, 1000)}).empty())
      << "centres 30 px apart on 40 px lines";
  EXPECT_TRUE(
      JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770), Piece("NHẬN TÌNH", 800, 220, 1000, 40, 1)}).empty())
      << "another page";
  EXPECT_TRUE(JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770), Piece("NHẬN TÌNH", 880, 220, 1000)}).empty())
      << "110 px apart: more than 2.5 heights";
  EXPECT_TRUE(JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770, 40), Piece("nhận", 790, 232, 900, 18)}).empty())
      << "a line less than half as high";
  EXPECT_TRUE(JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770), Piece("NHẬN TÌNH", 700, 220, 1000)}).empty())
      << "overlapping boxes are not left and right of each other";
  EXPECT_EQ(Texts(JoinSplitRows({Piece("GIẤY XÁC", 600, 220, 770), Piece("NHẬN TÌNH", 780, 235, 1000)})),
            std::vector<std::string>{"GIẤY XÁC NHẬN TÌNH"})
      << "15 px apart: within half a line";
}

TEST(SplitRowsTest, ARowHasAtMostFourPiecesAndEachPieceOneRightNeighbour) {
  std::vector<RowPiece> pieces;
  for (int i = 0; i < 6; ++i)
    pieces.push_back(Piece(std::string(1, static_cast<char>('a' + i)), 100 * i, 0, 100 * i + 80));
  pieces.push_back(Piece("z", 85, 0, 95));  // nearer to "a" than "b" is
  EXPECT_EQ(Texts(JoinSplitRows(pieces)), std::vector<std::string>{"a z b c"});
}

}  // namespace
}  // namespace sohoa
