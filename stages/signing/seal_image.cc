#include "stages/signing/seal_image.h"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace sohoa {
namespace {

constexpr size_t kMaxColours = 15;  // and the transparent index: 4 bits

struct Colour {
  std::array<int, 3> rgb;
  uint64_t count;
};

// Median cut: split the box with the widest channel range at its weighted
// median until there are kMaxColours boxes (or no box can be split).
std::vector<std::array<int, 3>> MedianCut(std::vector<Colour> colours) {
  std::vector<std::pair<size_t, size_t>> boxes;
  if (!colours.empty()) boxes.push_back({0, colours.size()});
  auto range = [&](const std::pair<size_t, size_t>& box, int* channel) {
    int widest = -1;
    for (int c = 0; c < 3; ++c) {
      int lo = 255, hi = 0;
      for (size_t i = box.first; i < box.second; ++i) lo = std::min(lo, colours[i].rgb[c]), hi = std::max(hi, colours[i].rgb[c]);
      if (hi - lo > widest) widest = hi - lo, *channel = c;
    }
    return widest;
  };
  while (boxes.size() < kMaxColours) {
    size_t best = boxes.size();
    int best_range = 0, channel = 0;
    for (size_t b = 0; b < boxes.size(); ++b) {
      int c = 0;
      const int r = range(boxes[b], &c);
      if (boxes[b].second - boxes[b].first > 1 && r > best_range) best = b, best_range = r, channel = c;
    }
    if (best == boxes.size()) break;
    auto [first, last] = boxes[best];
    std::sort(colours.begin() + static_cast<long>(first), colours.begin() + static_cast<long>(last),
              [channel](const Colour& a, const Colour& b) { return a.rgb[channel] < b.rgb[channel]; });
    uint64_t total = 0, seen = 0;
    for (size_t i = first; i < last; ++i) total += colours[i].count;
    size_t split = first + 1;
    for (size_t i = first; i + 1 < last; ++i) {
      seen += colours[i].count;
      split = i + 1;
      if (2 * seen >= total) break;
    }
    boxes[best] = {first, split};
    boxes.push_back({split, last});
  }
  std::vector<std::array<int, 3>> palette;
  for (const auto& [first, last] : boxes) {
    std::array<uint64_t, 3> sum{};
    uint64_t n = 0;
    for (size_t i = first; i < last; ++i) {
      for (int c = 0; c < 3; ++c) sum[c] += colours[i].count * static_cast<uint64_t>(colours[i].rgb[c]);
      n += colours[i].count;
    }
    palette.push_back({static_cast<int>((sum[0] + n / 2) / n), static_cast<int>((sum[1] + n / 2) / n),
                       static_cast<int>((sum[2] + n / 2) / n)});
  }
  return palette;
}

}  // namespace

IndexedImage IndexSeal(const SealImage& seal) {
  const size_t pixels = static_cast<size_t>(seal.width) * static_cast<size_t>(seal.height);
  std::vector<int32_t> composited(pixels, -1);  // 0xRRGGBB; -1 transparent
  std::map<int32_t, uint64_t> histogram;
  bool any_transparent = false;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* px = &seal.rgba[i * 4];
    if (px[3] < 128) {
      any_transparent = true;
      continue;
    }
    int32_t rgb = 0;
    for (int c = 0; c < 3; ++c) rgb = (rgb << 8) | ((px[c] * px[3] + 255 * (255 - px[3]) + 127) / 255);
    composited[i] = rgb;
    ++histogram[rgb];
  }
  std::vector<Colour> colours;
  for (const auto& [rgb, count] : histogram) colours.push_back({{rgb >> 16, (rgb >> 8) & 255, rgb & 255}, count});
  const std::vector<std::array<int, 3>> palette = MedianCut(colours);

  std::map<int32_t, int> index_of;
  for (const Colour& colour : colours) {
    int best = 0;
    long best_distance = -1;
    for (size_t p = 0; p < palette.size(); ++p) {
      long d = 0;
      for (int c = 0; c < 3; ++c) d += static_cast<long>(colour.rgb[c] - palette[p][c]) * (colour.rgb[c] - palette[p][c]);
      if (best_distance < 0 || d < best_distance) best = static_cast<int>(p), best_distance = d;
    }
    index_of[(colour.rgb[0] << 16) | (colour.rgb[1] << 8) | colour.rgb[2]] = best;
  }

  IndexedImage image;
  image.width = seal.width;
  image.height = seal.height;
  for (const auto& p : palette) {
    for (int c : p) image.palette.push_back(static_cast<char>(c));
  }
  if (any_transparent) {
    image.transparent = static_cast<int>(palette.size());
    image.palette.append(3, '\xff');  // drawn nowhere: masked out
  }
  const size_t entries = image.palette.size() / 3;
  image.bits = entries <= 2 ? 1 : entries <= 4 ? 2 : 4;
  const size_t row_bytes = (static_cast<size_t>(seal.width) * image.bits + 7) / 8;
  image.samples.assign(row_bytes * static_cast<size_t>(seal.height), '\0');
  for (size_t y = 0; y < static_cast<size_t>(seal.height); ++y) {
    for (size_t x = 0; x < static_cast<size_t>(seal.width); ++x) {
      const int32_t rgb = composited[y * static_cast<size_t>(seal.width) + x];
      const int index = rgb < 0 ? image.transparent : index_of[rgb];
      const size_t bit = x * static_cast<size_t>(image.bits);
      const int shift = 8 - image.bits - static_cast<int>(bit % 8);
      char& byte = image.samples[y * row_bytes + bit / 8];
      byte = static_cast<char>(byte | (index << shift));
    }
  }
  return image;
}

PoDoFo::PdfObject* AddSealImage(PoDoFo::PdfMemDocument& document, const SealImage& seal) {
  const IndexedImage indexed = IndexSeal(seal);
  auto integer = [](long long v) { return PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(v)); };
  PoDoFo::PdfObject* image = document.GetObjects().CreateObject("XObject");
  PoDoFo::PdfDictionary& d = image->GetDictionary();
  d.AddKey("Subtype", PoDoFo::PdfName("Image"));
  d.AddKey("Width", integer(indexed.width));
  d.AddKey("Height", integer(indexed.height));
  PoDoFo::PdfArray colour_space;
  colour_space.push_back(PoDoFo::PdfName("Indexed"));
  colour_space.push_back(PoDoFo::PdfName("DeviceRGB"));
  colour_space.push_back(integer(static_cast<long long>(indexed.palette.size() / 3) - 1));
  colour_space.push_back(
      PoDoFo::PdfString(indexed.palette.data(), static_cast<PoDoFo::pdf_long>(indexed.palette.size()), true));
  d.AddKey("ColorSpace", colour_space);
  d.AddKey("BitsPerComponent", integer(indexed.bits));
  if (indexed.transparent >= 0) {
    PoDoFo::PdfArray key;
    key.push_back(integer(indexed.transparent));
    key.push_back(integer(indexed.transparent));
    d.AddKey("Mask", key);
  }
  image->GetStream()->Set(indexed.samples.data(), static_cast<PoDoFo::pdf_long>(indexed.samples.size()));
  return image;
}

}  // namespace sohoa
