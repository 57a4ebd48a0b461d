#include "stages/signing/font_subset.h"

#include <cstring>
#include <map>
#include <vector>

namespace sohoa {
namespace {

uint32_t Read16(const std::string& b, size_t at) {
  return (uint32_t{static_cast<unsigned char>(b[at])} << 8) | static_cast<unsigned char>(b[at + 1]);
}
uint32_t Read32(const std::string& b, size_t at) { return (Read16(b, at) << 16) | Read16(b, at + 2); }
void Put16(std::string& b, size_t at, uint32_t v) {
  b[at] = static_cast<char>((v >> 8) & 0xff);
  b[at + 1] = static_cast<char>(v & 0xff);
}
void Put32(std::string& b, size_t at, uint32_t v) {
  Put16(b, at, v >> 16);
  Put16(b, at + 2, v & 0xffff);
}
void Append32(std::string& b, uint32_t v) {
  b.append(4, '\0');
  Put32(b, b.size() - 4, v);
}

uint32_t Checksum(const std::string& table) {
  std::string padded = table;
  padded.append((4 - padded.size() % 4) % 4, '\0');
  uint32_t sum = 0;
  for (size_t i = 0; i < padded.size(); i += 4) sum += Read32(padded, i);
  return sum;
}

// The tables a PDF renderer reads from an embedded TrueType font (ISO
// 32000-1, 9.9), in tag order as the table directory wants them.
// The glyphs lose their hinting instructions (below), so the hinting
// programs (cvt, fpgm, prep) go too.
constexpr const char* kKept[] = {"glyf", "head", "hhea", "hmtx", "loca", "maxp"};
constexpr const char* kRequired[] = {"glyf", "head", "hhea", "hmtx", "loca", "maxp"};

// Composite glyph flags (OpenType 'glyf').
constexpr uint32_t kArgsAreWords = 0x0001, kHaveScale = 0x0008, kMoreComponents = 0x0020,
                   kHaveXYScale = 0x0040, kHaveTwoByTwo = 0x0080, kHaveInstructions = 0x0100;

// The bytes of one component record from `at`, 0 when truncated.
size_t ComponentSize(const std::string& glyph, size_t at) {
  if (at + 4 > glyph.size()) return 0;
  const uint32_t flags = Read16(glyph, at);
  const size_t size = 4 + ((flags & kArgsAreWords) ? 4 : 2) +
                      ((flags & kHaveScale) ? 2 : (flags & kHaveXYScale) ? 4 : (flags & kHaveTwoByTwo) ? 8 : 0);
  return at + size <= glyph.size() ? size : 0;
}

// `glyph` without its TrueType hinting instructions — most of DejaVu's
// bytes per glyph. PDF viewers draw small text unhinted or auto-hinted
// anyway. Returns the glyph unchanged when it is malformed.
std::string WithoutInstructions(const std::string& glyph) {
  if (glyph.size() < 10) return glyph;
  const int contours = static_cast<int16_t>(Read16(glyph, 0));
  if (contours >= 0) {
    const size_t length_at = 10 + 2 * static_cast<size_t>(contours);
    if (length_at + 2 > glyph.size()) return glyph;
    const size_t instructions = Read16(glyph, length_at);
    if (length_at + 2 + instructions > glyph.size()) return glyph;
    std::string out = glyph.substr(0, length_at) + std::string(2, '\0');
    return out + glyph.substr(length_at + 2 + instructions);
  }
  std::string out = glyph;
  size_t at = 10;
  for (uint32_t flags = kMoreComponents; flags & kMoreComponents;) {
    const size_t size = ComponentSize(glyph, at);
    if (size == 0) return glyph;
    flags = Read16(glyph, at);
    Put16(out, at, flags & ~kHaveInstructions);
    at += size;
  }
  return out.substr(0, at);
}

class Reader {
 public:
  Reader(const std::string& font, const std::string& what) : font_(font), what_(what) {}

  Status Parse() {
    if (font_.size() < 12) return Bad("too short for a font");
    const uint32_t version = Read32(font_, 0);
    if (version != 0x00010000 && version != 0x74727565) return Bad("not a TrueType font (glyf outlines)");
    const size_t count = Read16(font_, 4);
    if (12 + 16 * count > font_.size()) return Bad("table directory past the end");
    for (size_t i = 0; i < count; ++i) {
      const size_t at = 12 + 16 * i;
      const uint32_t offset = Read32(font_, at + 8), length = Read32(font_, at + 12);
      if (offset > font_.size() || length > font_.size() - offset) return Bad("a table past the end");
      tables_[font_.substr(at, 4)] = font_.substr(offset, length);
    }
    for (const char* tag : kRequired) {
      if (!tables_.count(tag)) return Bad(std::string("no '") + tag + "' table");
    }
    const std::string& head = tables_["head"];
    const std::string& maxp = tables_["maxp"];
    const std::string& hhea = tables_["hhea"];
    if (head.size() < 54 || maxp.size() < 6 || hhea.size() < 36) return Bad("head, maxp or hhea too short");
    glyph_count_ = Read16(maxp, 4);
    metrics_count_ = Read16(hhea, 34);
    long_loca_ = Read16(head, 50) != 0;
    const std::string& loca = tables_["loca"];
    if (glyph_count_ == 0 || metrics_count_ == 0 || metrics_count_ > glyph_count_) return Bad("no glyphs");
    if (loca.size() < (glyph_count_ + 1) * (long_loca_ ? 4u : 2u)) return Bad("'loca' too short");
    if (tables_["hmtx"].size() < 4 * metrics_count_ + 2 * (glyph_count_ - metrics_count_)) {
      return Bad("'hmtx' too short");
    }
    return Status::Ok();
  }

  // `glyph`'s bytes in glyf; false when its offsets are out of range.
  bool Glyph(uint32_t glyph, std::string* out) const {
    const std::string& loca = tables_.at("loca");
    const std::string& glyf = tables_.at("glyf");
    const uint32_t start = long_loca_ ? Read32(loca, 4 * glyph) : 2 * Read16(loca, 2 * glyph);
    const uint32_t end = long_loca_ ? Read32(loca, 4 * glyph + 4) : 2 * Read16(loca, 2 * glyph + 2);
    if (start > end || end > glyf.size()) return false;
    *out = glyf.substr(start, end - start);
    return true;
  }

  // Adds the parts of composite glyphs (and their parts) to `glyphs`.
  Status CloseOverComponents(std::set<uint16_t>* glyphs) const {
    std::vector<uint16_t> pending(glyphs->begin(), glyphs->end());
    while (!pending.empty()) {
      const uint16_t glyph = pending.back();
      pending.pop_back();
      if (glyph >= glyph_count_) return Bad("glyph " + std::to_string(glyph) + " out of range");
      std::string bytes;
      if (!Glyph(glyph, &bytes)) return Bad("glyph " + std::to_string(glyph) + " outside 'glyf'");
      if (bytes.size() < 10 || static_cast<int16_t>(Read16(bytes, 0)) >= 0) continue;  // empty or simple
      size_t at = 10;
      for (uint32_t flags = kMoreComponents; flags & kMoreComponents;) {
        const size_t size = ComponentSize(bytes, at);
        if (size == 0) return Bad("composite glyph " + std::to_string(glyph) + " truncated");
        flags = Read16(bytes, at);
        const uint16_t part = static_cast<uint16_t>(Read16(bytes, at + 2));
        at += size;
        if (glyphs->insert(part).second) pending.push_back(part);
      }
    }
    return Status::Ok();
  }

  std::string Build(const std::set<uint16_t>& glyphs) const {
    std::string glyf, loca, hmtx = tables_.at("hmtx");
    for (uint32_t g = 0; g < glyph_count_; ++g) {
      Append32(loca, static_cast<uint32_t>(glyf.size()));
      std::string bytes;
      if (glyphs.count(static_cast<uint16_t>(g)) && Glyph(g, &bytes)) {
        glyf += WithoutInstructions(bytes);
        glyf.append((4 - glyf.size() % 4) % 4, '\0');
      } else if (g < metrics_count_) {
        // The last long metric is every later glyph's advance: keep it.
        if (g + 1 != metrics_count_) Put32(hmtx, 4 * g, 0);
      } else {
        Put16(hmtx, 4 * metrics_count_ + 2 * (g - metrics_count_), 0);
      }
    }
    Append32(loca, static_cast<uint32_t>(glyf.size()));
    std::map<std::string, std::string> out;
    for (const char* tag : kKept) {
      if (auto it = tables_.find(tag); it != tables_.end()) out[tag] = it->second;
    }
    out["glyf"] = glyf;
    out["loca"] = loca;
    out["hmtx"] = hmtx;
    std::string& head = out["head"];
    Put16(head, 50, 1);    // indexToLocFormat: long offsets
    Put32(head, 8, 0);     // checkSumAdjustment, set below
    return Assemble(out);
  }

 private:
  Status Bad(const std::string& why) const { return Status::Configuration(what_ + ": " + why); }

  static std::string Assemble(const std::map<std::string, std::string>& tables) {
    const uint32_t count = static_cast<uint32_t>(tables.size());
    uint32_t power = 1, log2 = 0;
    while (power * 2 <= count) power *= 2, ++log2;
    std::string file(12, '\0');
    Put32(file, 0, 0x00010000);
    Put16(file, 4, count);
    Put16(file, 6, power * 16);
    Put16(file, 8, log2);
    Put16(file, 10, count * 16 - power * 16);
    size_t offset = 12 + 16 * count;
    std::string body;
    size_t head_at = 0;
    for (const auto& [tag, table] : tables) {
      file += tag;
      Append32(file, Checksum(table));
      Append32(file, static_cast<uint32_t>(offset + body.size()));
      Append32(file, static_cast<uint32_t>(table.size()));
      if (tag == "head") head_at = offset + body.size();
      body += table;
      body.append((4 - body.size() % 4) % 4, '\0');
    }
    file += body;
    Put32(file, head_at + 8, 0xB1B0AFBA - Checksum(file));
    return file;
  }

  const std::string& font_;
  const std::string what_;
  std::map<std::string, std::string> tables_;
  uint32_t glyph_count_ = 0, metrics_count_ = 0;
  bool long_loca_ = false;
};

}  // namespace

StatusOr<TrueTypeSubset> SubsetTrueType(const std::string& font, const std::set<uint16_t>& glyphs,
                                        const std::string& what) {
  Reader reader(font, what);
  SOHOA_RETURN_IF_ERROR(reader.Parse());
  TrueTypeSubset subset;
  subset.glyphs = glyphs;
  subset.glyphs.insert(0);  // .notdef
  SOHOA_RETURN_IF_ERROR(reader.CloseOverComponents(&subset.glyphs));
  subset.program = reader.Build(subset.glyphs);
  return subset;
}

}  // namespace sohoa
