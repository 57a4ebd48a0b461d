#include "stages/pdf/pdf_text_layer.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <vector>

namespace sohoa {
namespace {

uint16_t U16(const std::string& b, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(b[at]) << 8) | static_cast<uint8_t>(b[at + 1]));
}
int16_t S16(const std::string& b, size_t at) { return static_cast<int16_t>(U16(b, at)); }
uint32_t U32(const std::string& b, size_t at) { return (uint32_t{U16(b, at)} << 16) | U16(b, at + 2); }

// Shortest fixed-point text for a number, no exponent, '.' decimal point
// whatever the process locale.
std::string Num(double value, int precision = 3) {
  if (std::fabs(value) < 0.5 * std::pow(10.0, -precision)) value = 0;
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, precision);
  std::string s(buf, result.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// UTF-16 code units of the NFC text as uppercase hex, non-BMP -> FFFD.
std::string HexUtf16(const std::string& nfc_utf8) {
  static const char kHex[] = "0123456789ABCDEF";
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(nfc_utf8);
  std::string hex;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    UChar32 c = text.char32At(i);
    if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    for (int shift = 12; shift >= 0; shift -= 4) hex += kHex[(c >> shift) & 0xF];
  }
  return hex;
}

}  // namespace

std::string NormalizeNfc(const std::string& utf8) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error)) return utf8;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  icu::UnicodeString normal = nfc->normalize(text, error);
  if (U_FAILURE(error)) return utf8;
  std::string out;
  normal.toUTF8String(out);
  return out;
}

StatusOr<GlyphlessFont> LoadGlyphlessFont(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Configuration("glyphless font " + path +
                                 " cannot be read (is the tessdata directory right?)");
  }
  GlyphlessFont font;
  font.program.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const std::string& b = font.program;
  auto bad = [&](const std::string& why) {
    return Status::Configuration("glyphless font " + path + " is not usable: " + why);
  };
  if (b.size() < 12 || (U32(b, 0) != 0x00010000 && b.compare(0, 4, "true") != 0)) {
    return bad("not a TrueType font");
  }
  std::map<std::string, std::pair<uint32_t, uint32_t>> tables;  // tag -> offset, length
  const int num_tables = U16(b, 4);
  if (b.size() < 12 + 16u * num_tables) return bad("truncated table directory");
  for (int i = 0; i < num_tables; ++i) {
    const size_t rec = 12 + 16 * i;
    const uint32_t offset = U32(b, rec + 8), length = U32(b, rec + 12);
    if (offset > b.size() || length > b.size() - offset) return bad("table outside the file");
    tables[b.substr(rec, 4)] = {offset, length};
  }
  for (const char* tag : {"head", "hhea", "hmtx", "maxp", "glyf", "loca"}) {
    if (!tables.count(tag)) return bad(std::string("no '") + tag + "' table");
  }
  const auto [head, head_len] = tables["head"];
  const auto [hhea, hhea_len] = tables["hhea"];
  const auto [hmtx, hmtx_len] = tables["hmtx"];
  const auto [maxp, maxp_len] = tables["maxp"];
  if (head_len < 54 || hhea_len < 36 || maxp_len < 6) return bad("short head/hhea/maxp");
  font.units_per_em = U16(b, head + 18);
  if (font.units_per_em < 16) return bad("unitsPerEm out of range");
  const int num_glyphs = U16(b, maxp + 4);
  const int num_hmetrics = U16(b, hhea + 34);
  if (num_glyphs <= font.glyph_id) return bad("fewer than two glyphs");
  if (num_hmetrics < 1 || hmtx_len < 4u * num_hmetrics) return bad("short hmtx");
  const int metric = font.glyph_id < num_hmetrics ? font.glyph_id : num_hmetrics - 1;
  const int advance = U16(b, hmtx + 4 * metric);
  if (advance <= 0) return bad("the glyph has no advance width");
  auto to_pdf = [&](int units) { return static_cast<int>(std::lround(units * 1000.0 / font.units_per_em)); };
  font.default_width = to_pdf(advance);
  font.bbox[0] = to_pdf(S16(b, head + 36));
  font.bbox[1] = to_pdf(S16(b, head + 38));
  font.bbox[2] = to_pdf(S16(b, head + 40));
  font.bbox[3] = to_pdf(S16(b, head + 42));
  return font;
}

std::string IdentityToUnicodeCMap() {
  static const char kHex[] = "0123456789ABCDEF";
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  // One bfrange per high byte (a range may vary only in its last byte),
  // at most 100 per block; D8..DF (surrogates) are left unmapped.
  std::vector<int> highs;
  for (int high = 0; high < 256; ++high) {
    if (high < 0xD8 || high > 0xDF) highs.push_back(high);
  }
  for (size_t start = 0; start < highs.size(); start += 100) {
    const size_t end = std::min(highs.size(), start + 100);
    cmap += std::to_string(end - start) + " beginbfrange\n";
    for (size_t i = start; i < end; ++i) {
      const std::string hh = {kHex[highs[i] >> 4], kHex[highs[i] & 0xF]};
      cmap += "<" + hh + "00> <" + hh + "FF> <" + hh + "00>\n";
    }
    cmap += "endbfrange\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return cmap;
}

std::string ConstantCidToGidMap(int glyph_id) {
  std::string map(2 * 65536, '\0');
  for (size_t i = 0; i < map.size(); i += 2) {
    map[i] = static_cast<char>((glyph_id >> 8) & 0xFF);
    map[i + 1] = static_cast<char>(glyph_id & 0xFF);
  }
  return map;
}

std::vector<double> LineFontSizesPx(const OcrResult& ocr) {
  std::vector<double> sizes(ocr.lines.size(), 0);
  // Lines of one Tesseract block, in order.
  std::map<int, std::vector<size_t>> blocks;
  for (size_t i = 0; i < ocr.lines.size(); ++i) {
    if (ocr.lines[i].box.height() > 0) blocks[ocr.lines[i].block].push_back(i);
  }
  for (const auto& [block, lines] : blocks) {
    std::vector<int> heights;
    for (size_t i : lines) heights.push_back(ocr.lines[i].box.height());
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    const double median_height = heights[heights.size() / 2];
    // Widest baseline-to-baseline step between neighbouring lines; steps of
    // more than kMaxStepInHeights line heights are paragraph breaks, which
    // a reader may well keep apart.
    constexpr double kMaxStepInHeights = 2.0;
    double widest_step = 0;
    for (size_t k = 1; k < lines.size(); ++k) {
      const double step = ocr.lines[lines[k]].baseline_y - ocr.lines[lines[k - 1]].baseline_y;
      if (step > 0 && step <= kMaxStepInHeights * median_height) {
        widest_step = std::max(widest_step, step);
      }
    }
    // pdftotext keeps lines in one block only while the baseline step is
    // under 1.5 font sizes; 1.4 leaves a margin. Never smaller than the ink,
    // never so large that selection boxes swallow the neighbouring lines.
    const double size = std::clamp(widest_step / 1.4, median_height, 1.5 * median_height);
    for (size_t i : lines) sizes[i] = size;
  }
  return sizes;
}

std::string TextLayerOperators(const OcrResult& ocr, const PageGeometry& g, const std::string& font_name,
                               int default_width) {
  std::string ops;
  const std::vector<double> font_sizes_px = LineFontSizesPx(ocr);
  for (size_t line_index = 0; line_index < ocr.lines.size(); ++line_index) {
    const OcrLine& line = ocr.lines[line_index];
    if (line.words.empty() || line.box.height() <= 0) continue;
    const double font_size = font_sizes_px[line_index] * g.pt_per_px_y;
    // Tesseract's baseline lies within the line box; anything else means
    // the caller did not fill it, and the box bottom is the best guess.
    double baseline = line.baseline_y;
    if (!(baseline > line.box.top && baseline <= line.box.bottom + line.box.height())) {
      baseline = line.box.bottom;
    }
    // Baseline direction in page space (y up).
    const double dx = g.pt_per_px_x, dy = -line.baseline_slope * g.pt_per_px_y;
    const double norm = std::hypot(dx, dy);
    const double cos_a = dx / norm, sin_a = dy / norm;
    std::string line_ops;
    for (size_t i = 0; i < line.words.size(); ++i) {
      const OcrWord& word = line.words[i];
      std::string hex = HexUtf16(NormalizeNfc(word.text));
      if (hex.empty()) continue;
      const double units = hex.size() / 4.0;
      const double natural = units * default_width / 1000.0 * font_size;
      const double box_pt = word.box.width() * g.pt_per_px_x;
      const double scale = box_pt > 0 ? 100.0 * box_pt / natural : 100.0;
      const double x = word.box.left * g.pt_per_px_x;
      const double y_px = baseline + line.baseline_slope * (word.box.left - line.box.left);
      const double y = g.height_pt - y_px * g.pt_per_px_y;
      if (i + 1 < line.words.size()) hex += "0020";
      line_ops += Num(cos_a, 5) + " " + Num(sin_a, 5) + " " + Num(-sin_a, 5) + " " + Num(cos_a, 5) + " " +
                  Num(x) + " " + Num(y) + " Tm " + Num(scale) + " Tz <" + hex + "> Tj\n";
    }
    if (line_ops.empty()) continue;
    ops += "/" + font_name + " " + Num(font_size) + " Tf\n" + line_ops;
  }
  if (ops.empty()) return "";
  return "BT\n3 Tr\n" + ops + "ET\n";
}

}  // namespace sohoa
