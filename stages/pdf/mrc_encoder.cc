#include "stages/pdf/mrc_encoder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "stages/pdf/encode_stage.h"

namespace sohoa {
namespace {

// Rec. 601 luma, integer.
inline int Chroma(const uint8_t* p, int channels) {
  if (channels == 1) return 0;
  return std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]});
}

// Otsu's threshold of a 256-bin histogram: the split that maximises the
// between-class variance.
int OtsuThreshold(const std::array<uint64_t, 256>& histogram) {
  double total = 0, sum = 0;
  for (int i = 0; i < 256; ++i) {
    total += histogram[i];
    sum += static_cast<double>(i) * histogram[i];
  }
  double weight_below = 0, sum_below = 0, best = -1;
  int first = 127, last = 127;  // the range of splits that share the best variance
  for (int t = 0; t < 256; ++t) {
    weight_below += histogram[t];
    if (weight_below == 0) continue;
    const double weight_above = total - weight_below;
    if (weight_above == 0) break;
    sum_below += static_cast<double>(t) * histogram[t];
    const double mean_below = sum_below / weight_below;
    const double mean_above = (sum - sum_below) / weight_above;
    const double between = weight_below * weight_above * (mean_below - mean_above) * (mean_below - mean_above);
    if (between > best * (1 + 1e-12)) {
      best = between;
      first = last = t;
    } else if (between >= best * (1 - 1e-12)) {
      last = t;
    }
  }
  // Ink is luma < threshold. Empty bins between two clean levels give many
  // equal splits: the middle one, not the one hugging the ink.
  return (first + last) / 2 + 1;
}

// The ink grown by one pixel in each direction (3x3), a row at a time for
// rows asked in increasing order: what the background must not take its
// colour from. Separable (a row's 1x3, then three such rows' 3x1), and no
// page-sized array: three rows of the 1x3 step are kept.
class GrownInkRows {
 public:
  GrownInkRows(const std::vector<uint8_t>& ink, int width, int height)
      : ink_(ink), width_(width), height_(height), wide_(3, std::vector<uint8_t>(width)), out_(width) {}

  const uint8_t* Row(int y) {
    for (int r = std::max(next_, y - 1); r <= std::min(height_ - 1, y + 1); ++r) Widen(r);
    next_ = std::max(next_, std::min(height_, y + 2));
    const uint8_t* mid = wide_[y % 3].data();
    const uint8_t* above = y > 0 ? wide_[(y - 1) % 3].data() : mid;
    const uint8_t* below = y + 1 < height_ ? wide_[(y + 1) % 3].data() : mid;
    for (int x = 0; x < width_; ++x) out_[x] = above[x] | mid[x] | below[x];
    return out_.data();
  }

 private:
  void Widen(int r) {
    const uint8_t* in = ink_.data() + static_cast<size_t>(r) * width_;
    uint8_t* out = wide_[r % 3].data();
    for (int x = 0; x < width_; ++x) {
      out[x] = in[x] | (x > 0 ? in[x - 1] : 0) | (x + 1 < width_ ? in[x + 1] : 0);
    }
  }

  const std::vector<uint8_t>& ink_;
  const int width_, height_;
  std::vector<std::vector<uint8_t>> wide_;  // rows r of the 1x3 step at r % 3
  std::vector<uint8_t> out_;
  int next_ = 0;  // the first row not widened yet
};

// Block-averages the pixels not under the grown ink into a factor-times smaller
// raster; a block entirely under it is filled from its neighbours, pass by
// pass (text strokes are thin: a few passes close every hole), and whatever
// is left after that from the page's paper colour.
Raster Background(const Raster& raster, const std::vector<uint8_t>& ink, int factor, const uint8_t* paper) {
  GrownInkRows exclude(ink, raster.width, raster.height);
  const int channels = raster.channels();
  Raster small;
  small.Allocate((raster.width + factor - 1) / factor, (raster.height + factor - 1) / factor, raster.kind);
  small.dpi_x = raster.dpi_x / factor;
  small.dpi_y = raster.dpi_y / factor;
  const size_t cells = static_cast<size_t>(small.width) * small.height;
  std::vector<uint8_t> known(cells, 0);
  // One band of `factor` rows at a time, each row added into its blocks'
  // sums (row order, so the page is read once, front to back).
  std::vector<uint32_t> sums(static_cast<size_t>(small.width) * 3), counts(small.width);
  for (int by = 0; by < small.height; ++by) {
    std::fill(sums.begin(), sums.end(), 0);
    std::fill(counts.begin(), counts.end(), 0);
    for (int y = by * factor; y < std::min(raster.height, (by + 1) * factor); ++y) {
      const uint8_t* row = raster.row(y);
      const uint8_t* skip = exclude.Row(y);
      for (int bx = 0, x0 = 0; bx < small.width; ++bx, x0 += factor) {
        const int x1 = std::min(raster.width, x0 + factor);
        uint32_t* sum = sums.data() + static_cast<size_t>(bx) * 3;
        uint32_t count = 0;
        if (channels == 1) {
          for (int x = x0; x < x1; ++x) {
            if (skip[x]) continue;
            sum[0] += row[x];
            ++count;
          }
        } else {
          for (int x = x0; x < x1; ++x) {
            if (skip[x]) continue;
            sum[0] += row[3 * x];
            sum[1] += row[3 * x + 1];
            sum[2] += row[3 * x + 2];
            ++count;
          }
        }
        counts[bx] += count;
      }
    }
    for (int bx = 0; bx < small.width; ++bx) {
      const uint32_t count = counts[bx];
      if (count == 0) continue;
      const uint32_t* sum = sums.data() + static_cast<size_t>(bx) * 3;
      uint8_t* out = small.row(by) + static_cast<size_t>(bx) * channels;
      for (int c = 0; c < channels; ++c) out[c] = static_cast<uint8_t>((sum[c] + count / 2) / count);
      known[static_cast<size_t>(by) * small.width + bx] = 1;
    }
  }
  constexpr int kMaxPasses = 16;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    std::vector<uint8_t> next = known;
    bool holes = false;
    for (int by = 0; by < small.height; ++by) {
      for (int bx = 0; bx < small.width; ++bx) {
        if (known[static_cast<size_t>(by) * small.width + bx]) continue;
        uint32_t sum[3] = {0, 0, 0};
        uint32_t count = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int y = by + dy, x = bx + dx;
            if (y < 0 || y >= small.height || x < 0 || x >= small.width) continue;
            if (!known[static_cast<size_t>(y) * small.width + x]) continue;
            const uint8_t* p = small.row(y) + static_cast<size_t>(x) * channels;
            for (int c = 0; c < channels; ++c) sum[c] += p[c];
            ++count;
          }
        }
        if (count == 0) {
          holes = true;
          continue;
        }
        uint8_t* out = small.row(by) + static_cast<size_t>(bx) * channels;
        for (int c = 0; c < channels; ++c) out[c] = static_cast<uint8_t>((sum[c] + count / 2) / count);
        next[static_cast<size_t>(by) * small.width + bx] = 1;
      }
    }
    known.swap(next);
    if (!holes) break;
  }
  for (size_t i = 0; i < cells; ++i) {
    if (known[i]) continue;
    for (int c = 0; c < channels; ++c) small.pixels[i * channels + c] = paper[c];
  }
  return small;
}

// Clears from `mask` (0/1) each 8-connected blot of at most max_area pixels.
void RemoveSpecks(std::vector<uint8_t>& mask, int width, int height, size_t max_area) {
  if (max_area == 0) return;
  // While flooding, 2 marks ink already seen (no second page-sized array).
  constexpr uint8_t kSeen = 2;
  std::vector<size_t> blot, stack;
  for (size_t start = 0; start < mask.size(); ++start) {
    if (mask[start] != 1) continue;
    // Flood the whole blot (to mark it seen), remembering its pixels only
    // while it is still small enough to be a speck.
    blot.clear();
    bool speck = true;
    stack.assign(1, start);
    mask[start] = kSeen;
    while (!stack.empty()) {
      const size_t i = stack.back();
      stack.pop_back();
      if (speck && blot.size() == max_area) speck = false;
      if (speck) blot.push_back(i);
      const int x = static_cast<int>(i % width), y = static_cast<int>(i / width);
      for (int yy = std::max(0, y - 1); yy <= std::min(height - 1, y + 1); ++yy) {
        for (int xx = std::max(0, x - 1); xx <= std::min(width - 1, x + 1); ++xx) {
          const size_t j = static_cast<size_t>(yy) * width + xx;
          if (mask[j] == 1) {
            mask[j] = kSeen;
            stack.push_back(j);
          }
        }
      }
    }
    if (speck) {
      for (size_t i : blot) mask[i] = 0;
    }
  }
  for (uint8_t& v : mask) v = v != 0 ? 1 : 0;
}

// Median of a 256-bin histogram.
uint8_t Median(const std::array<uint64_t, 256>& histogram, uint64_t count) {
  uint64_t seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += histogram[v];
    if (seen * 2 >= count) return static_cast<uint8_t>(v);
  }
  return 0;
}

// A bilevel mask keeps text legible only when its strokes are several
// pixels wide: below that the scan's gray edges carry the letter shapes
// (web images and screenshots at 70-120 dpi read 10-50% differently by
// Tesseract once binarised: README, "Page images").
bool LargeEnoughToBinarise(const Raster& raster, const OcrResult& ocr, const MrcOptions& options) {
  if (std::min(raster.dpi_x, raster.dpi_y) < options.min_dpi) return false;
  std::vector<int> heights;
  for (const OcrLine& line : ocr.lines) {
    for (const OcrWord& word : line.words) heights.push_back(word.box.height());
  }
  if (heights.empty()) return true;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2] >= options.min_word_height_px;
}

}  // namespace

StatusOr<EncodedImage> EncodeMrc(const Raster& raster, const OcrResult& ocr, const MrcOptions& options) {
  if (raster.empty() || raster.width <= 0 || raster.height <= 0 ||
      raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("MRC: no raster to encode");
  }
  if (raster.kind == PixelKind::kBilevel) return Status::InvalidInput("MRC: a bilevel page is stored as G4");
  if (!(raster.dpi_x > 0) || !(raster.dpi_y > 0)) return Status::InvalidInput("MRC: raster has no resolution");
  if (!(options.background_dpi > 0) || options.background_quality < 1 || options.background_quality > 100) {
    return Status::Configuration("MRC: background_dpi must be > 0 and background_quality 1..100");
  }
  const int width = raster.width, height = raster.height, channels = raster.channels();
  const size_t size = static_cast<size_t>(width) * height;
  EncodedImage image;
  image.width = width;
  image.height = height;
  image.components = channels;
  image.bits_per_component = 8;
  image.dpi_x = raster.dpi_x;
  image.dpi_y = raster.dpi_y;
  if (!LargeEnoughToBinarise(raster, ocr, options)) return image;  // no masks: the caller stores a JPEG

  // The page's gray values, read by every pass below: the raster itself
  // when it is gray, else its luma computed once (GrayAt's formula).
  std::vector<uint8_t> luma_of_rgb;
  const uint8_t* luma = raster.pixels.data();
  if (channels == 3) {
    luma_of_rgb.resize(size);
    const uint8_t* p = raster.pixels.data();
    for (size_t i = 0; i < size; ++i, p += 3) {
      luma_of_rgb[i] = static_cast<uint8_t>((299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000);
    }
    luma = luma_of_rgb.data();
  }
  std::array<uint64_t, 256> luma_histogram{};
  std::array<uint64_t, 256> paper_histogram[3] = {};
  for (size_t i = 0; i < size; ++i) ++luma_histogram[luma[i]];
  const int threshold = OtsuThreshold(luma_histogram);

  // Ink: darker than the threshold, and not coloured. One threshold for the
  // whole page: a stricter one outside the OCR's word boxes (tried first,
  // to keep photos' mid-tones out) left the letters Tesseract had not boxed
  // and the diacritics above its boxes in the blurred background, and the
  // re-OCRed rendering of the generated 200-dpi pages read 0.2-3.8 CER
  // points worse than the JPEG one.
  std::vector<uint8_t> ink(size, 0);
  std::array<uint64_t, 256> ink_luma_histogram{};
  uint64_t ink_count = 0, paper_count = 0;
  for (size_t i = 0; i < size; ++i) {
    const uint8_t* p = raster.pixels.data() + i * channels;
    const int level = luma[i];
    if (level < threshold) {
      if (Chroma(p, channels) <= options.max_ink_chroma) {
        ink[i] = 1;
        ++ink_count;
        ++ink_luma_histogram[level];
      }
    } else {
      ++paper_count;
      for (int c = 0; c < channels; ++c) ++paper_histogram[c][p[c]];
    }
  }
  if (ink_count == 0) return image;  // nothing to mask: the caller stores a plain JPEG

  // What the stencil draws: the ink, or at high resolution only its pixels
  // darker than the edge level (MrcOptions::edge_fraction). The background
  // is still filled under all of the ink, so the fringe left out becomes
  // paper, not a blurred ghost. The mask's colour: the median of the drawn
  // level's pixels (specks included, as they are ink too).
  const double dpi = std::min(raster.dpi_x, raster.dpi_y);
  const int ink_level = Median(ink_luma_histogram, ink_count);
  const int edge = dpi >= options.edge_min_dpi
                       ? threshold - static_cast<int>(options.edge_fraction * (threshold - ink_level))
                       : threshold;
  std::array<uint64_t, 256> ink_histogram[3] = {};
  uint64_t drawn_count = 0;
  for (size_t i = 0; i < size; ++i) {
    if (!ink[i] || luma[i] >= edge) continue;
    ++drawn_count;
    const uint8_t* p = raster.pixels.data() + i * channels;
    for (int c = 0; c < channels; ++c) ++ink_histogram[c][p[c]];
  }
  if (drawn_count == 0) return image;  // nothing dark enough to draw

  // Specks leave the mask before the background is made, so the background
  // keeps their pixels.
  const double mm_per_pixel = 25.4 / dpi;
  RemoveSpecks(ink, width, height,
               static_cast<size_t>(options.max_speck_mm2 / (mm_per_pixel * mm_per_pixel)));
  // The stencil, packed as it is drawn: rows of 32-pixel words, the
  // leftmost pixel in the most significant bit, 1 = black (the drawn ink).
  const int words_per_row = (width + 31) / 32;
  std::vector<uint32_t> stencil(static_cast<size_t>(words_per_row) * height, 0);
  bool any_drawn = false;
  for (int y = 0; y < height; ++y) {
    const size_t row = static_cast<size_t>(y) * width;
    uint32_t* words = stencil.data() + static_cast<size_t>(y) * words_per_row;
    for (int x0 = 0; x0 < width; x0 += 32) {
      const int n = std::min(32, width - x0);
      uint32_t word = 0;
      for (int b = 0; b < n; ++b) {
        const size_t i = row + x0 + b;
        word |= static_cast<uint32_t>(ink[i] != 0 && luma[i] < edge) << (31 - b);
      }
      words[x0 / 32] = word;
      any_drawn = any_drawn || word != 0;
    }
  }
  if (!any_drawn) return image;  // only specks

  EncodedImage::Mask mask;
  {
    StatusOr<std::vector<uint8_t>> g4 =
        EncodeG4Mask(stencil, words_per_row, width, height, raster.dpi_x, raster.dpi_y);
    if (!g4.ok()) return g4.status();
    mask.g4 = std::move(*g4);
  }
  stencil = std::vector<uint32_t>();
  luma_of_rgb = std::vector<uint8_t>();
  uint8_t ink_colour[3], paper[3];
  for (int c = 0; c < 3; ++c) {
    const int source = channels == 1 ? 0 : c;
    ink_colour[c] = Median(ink_histogram[source], drawn_count);
    paper[c] = paper_count > 0 ? Median(paper_histogram[source], paper_count) : 255;
  }
  mask.red = ink_colour[0];
  mask.green = ink_colour[1];
  mask.blue = ink_colour[2];

  const int factor = std::max(
      1, static_cast<int>(std::ceil(std::max(raster.dpi_x, raster.dpi_y) / options.background_dpi - 1e-6)));
  const Raster background = Background(raster, ink, factor, paper);
  StatusOr<std::vector<uint8_t>> jpeg = EncodeJpegBytes(background, options.background_quality);
  if (!jpeg.ok()) return jpeg.status();
  image.codec = EncodedImage::Codec::kJpeg;
  image.data = std::move(*jpeg);
  image.background_width = background.width;
  image.background_height = background.height;
  image.masks.push_back(std::move(mask));
  return image;
}

}  // namespace sohoa
