// The parts of a signature appearance that issue 19 made small: the font
// subset (judged by FreeType, which loads it as any reader would) and the
// indexed seal image.
#include <ft2build.h>
#include FT_FREETYPE_H
#include <gtest/gtest.h>

#include "stages/signing/font_subset.h"
#include "stages/signing/seal_image.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

const char* kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

class Face {
 public:
  explicit Face(const std::string& bytes) : bytes_(bytes) {
    FT_Init_FreeType(&library_);
    ok_ = FT_New_Memory_Face(library_, reinterpret_cast<const FT_Byte*>(bytes_.data()),
                             static_cast<FT_Long>(bytes_.size()), 0, &face_) == 0;
  }
  ~Face() {
    if (ok_) FT_Done_Face(face_);
    FT_Done_FreeType(library_);
  }
  bool ok() const { return ok_; }
  FT_Face get() const { return face_; }
  // Outline points of `glyph` (unscaled), -1 when it does not load.
  int Points(FT_UInt glyph) const {
    if (FT_Load_Glyph(face_, glyph, FT_LOAD_NO_SCALE) != 0) return -1;
    return face_->glyph->outline.n_points;
  }

 private:
  std::string bytes_;
  FT_Library library_ = nullptr;
  FT_Face face_ = nullptr;
  bool ok_ = false;
};

TEST(FontSubsetTest, KeepsTheAskedGlyphsAndTheirAccentsAndLittleElse) {
  const std::string font = testing::ReadFile(kDejaVu);
  ASSERT_GT(font.size(), 100000u) << "DejaVu Sans missing (fonts-dejavu-core)";
  Face original(font);
  ASSERT_TRUE(original.ok());
  // ệ is a composite in DejaVu Sans (e, dot below, circumflex).
  const FT_UInt e_hook = FT_Get_Char_Index(original.get(), U'ệ');
  const FT_UInt n = FT_Get_Char_Index(original.get(), U'N');
  const FT_UInt z = FT_Get_Char_Index(original.get(), U'z');
  ASSERT_NE(e_hook, 0u);
  StatusOr<TrueTypeSubset> subset =
      SubsetTrueType(font, {static_cast<uint16_t>(e_hook), static_cast<uint16_t>(n)}, "DejaVuSans.ttf");
  ASSERT_TRUE(subset.ok()) << subset.status().ToString();
  EXPECT_GT(subset->glyphs.size(), 3u) << "the composite's parts are kept";
  Face cut(subset->program);
  ASSERT_TRUE(cut.ok()) << "FreeType cannot open the subset";
  EXPECT_EQ(cut.get()->num_glyphs, original.get()->num_glyphs) << "glyph ids are kept";
  EXPECT_EQ(cut.Points(e_hook), original.Points(e_hook));
  EXPECT_EQ(cut.Points(n), original.Points(n));
  FT_Load_Glyph(cut.get(), n, FT_LOAD_NO_SCALE);
  const FT_Pos n_advance = cut.get()->glyph->advance.x;
  FT_Load_Glyph(original.get(), n, FT_LOAD_NO_SCALE);
  EXPECT_EQ(n_advance, original.get()->glyph->advance.x);
  EXPECT_EQ(cut.Points(z), 0) << "a glyph not asked for is empty";
  // Uncompressed; the loca and hmtx of 6,000 glyphs are most of it and
  // compress to almost nothing in the PDF.
  EXPECT_LT(subset->program.size(), 60000u);
}

TEST(FontSubsetTest, RejectsWhatIsNotATrueTypeFont) {
  StatusOr<TrueTypeSubset> subset = SubsetTrueType("not a font at all", {1}, "seal.png");
  ASSERT_FALSE(subset.ok());
  EXPECT_EQ(subset.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(subset.status().message().find("seal.png"), std::string::npos);
  std::string truncated = testing::ReadFile(kDejaVu).substr(0, 4000);  // directory, tables cut off
  EXPECT_FALSE(SubsetTrueType(truncated, {1}, "cut.ttf").ok());
}

TEST(SealImageTest, RedSealBecomesFewIndexedColoursWithTransparentOutside) {
  SealImage seal;
  seal.width = 40;
  seal.height = 30;
  seal.dpi_x = seal.dpi_y = 300;
  seal.rgba.assign(40 * 30 * 4, 0);  // transparent
  for (int y = 5; y < 25; ++y) {
    for (int x = 5; x < 35; ++x) {
      uint8_t* px = &seal.rgba[(y * 40 + x) * 4];
      px[0] = static_cast<uint8_t>(200 + x % 3);  // a red with a little noise
      px[1] = static_cast<uint8_t>(10 + y % 5);
      px[2] = 20;
      px[3] = x == 5 ? 160 : 255;  // a half-transparent edge
    }
  }
  const IndexedImage image = IndexSeal(seal);
  EXPECT_EQ(image.bits, 4);
  const size_t entries = image.palette.size() / 3;
  EXPECT_LE(entries, 16u);
  ASSERT_GE(image.transparent, 0);
  ASSERT_EQ(image.samples.size(), 20u * 30u);  // 40 pixels of 4 bits a row
  auto index = [&](int x, int y) {
    const unsigned char byte = static_cast<unsigned char>(image.samples[y * 20 + x / 2]);
    return x % 2 ? byte & 15 : byte >> 4;
  };
  EXPECT_EQ(index(0, 0), image.transparent);
  const int inside = index(20, 12);
  EXPECT_NE(inside, image.transparent);
  EXPECT_GT(static_cast<unsigned char>(image.palette[inside * 3]), 190);
  EXPECT_LT(static_cast<unsigned char>(image.palette[inside * 3 + 1]), 20);
  // The half-transparent edge is composited onto white: a lighter red.
  const int edge = index(5, 12);
  EXPECT_GT(static_cast<unsigned char>(image.palette[edge * 3 + 1]), 60);
}

}  // namespace
}  // namespace sohoa
