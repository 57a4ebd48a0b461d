#include "stages/pdf/encode_stage.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>
#include <string>

#include <jpeglib.h>
#include <zlib.h>

#include "stages/pdf/jpeg_passthrough.h"
#include "stages/pdf/mrc_encoder.h"

namespace sohoa {
namespace {

// Owns a PIX (Leptonica's destroy functions take PIX**).
struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

struct CidDeleter {
  void operator()(L_COMP_DATA* cid) const { l_CIDataDestroy(&cid); }
};
using CidPtr = std::unique_ptr<L_COMP_DATA, CidDeleter>;

// Copies our tightly packed raster into a Leptonica PIX of the matching
// depth: 1 bpp (1 = black), 8 bpp gray, or 32 bpp RGB.
StatusOr<PixPtr> RasterToPix(const Raster& raster) {
  const int depth = raster.kind == PixelKind::kBilevel ? 1 : raster.kind == PixelKind::kGray ? 8 : 32;
  PixPtr pix(pixCreate(raster.width, raster.height, depth));
  if (!pix) {
    return Status::TooLarge("cannot allocate a " + std::to_string(raster.width) + "x" +
                            std::to_string(raster.height) + " image for encoding");
  }
  const int wpl = pixGetWpl(pix.get());
  l_uint32* data = pixGetData(pix.get());
  for (int y = 0; y < raster.height; ++y) {
    const uint8_t* src = raster.row(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    switch (raster.kind) {
      case PixelKind::kBilevel:
        // pixCreate zero-fills (white); set the black bits only.
        for (int x = 0; x < raster.width; ++x) {
          if (src[x] < 128) SET_DATA_BIT(line, x);
        }
        break;
      case PixelKind::kGray:
        for (int x = 0; x < raster.width; ++x) SET_DATA_BYTE(line, x, src[x]);
        break;
      case PixelKind::kRgb:
        for (int x = 0; x < raster.width; ++x) {
          l_uint32 pixel;
          composeRGBPixel(src[3 * x], src[3 * x + 1], src[3 * x + 2], &pixel);
          line[x] = pixel;
        }
        break;
    }
  }
  pixSetResolution(pix.get(), static_cast<l_int32>(std::lround(raster.dpi_x)),
                   static_cast<l_int32>(std::lround(raster.dpi_y)));
  return pix;
}

// libjpeg reports errors through error_exit, which must not return: jump
// back to EncodeJpegInto's setjmp with the message.
struct JpegErrorManager {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void JpegErrorExit(j_common_ptr cinfo) {
  auto* error = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, error->message);
  std::longjmp(error->jump, 1);
}

// Baseline JPEG straight from our raster rows (no PIX copy). Same settings as
// Leptonica's writer gave before (jpeg_set_quality with baseline tables,
// 2x2 chroma subsampling for colour, ISLOW DCT, JFIF with the resolution),
// so the decoded pixels are identical; the difference is optimize_coding:
// Huffman tables computed for the page instead of the standard ones, which
// is lossless and measured 5-10% smaller on the generated noisy gray and
// colour scans (jpegtran -optimize on sohoa's pages: 481->459, 935->845,
// 947->857 KB gray, 454->419 KB colour), for a second pass over the
// coefficients. Only plain-old-data lives in this function between setjmp
// and a possible longjmp. On failure returns false with `message` set; on
// success the caller frees *buffer with free().
bool EncodeJpegInto(const Raster& raster, int quality, unsigned char** buffer, unsigned long* size,
                    char* message) {
  jpeg_compress_struct cinfo;
  JpegErrorManager error;
  cinfo.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = JpegErrorExit;
  error.message[0] = '\0';
  if (setjmp(error.jump) != 0) {
    jpeg_destroy_compress(&cinfo);
    std::snprintf(message, JMSG_LENGTH_MAX, "%s", error.message);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, buffer, size);
  cinfo.image_width = static_cast<JDIMENSION>(raster.width);
  cinfo.image_height = static_cast<JDIMENSION>(raster.height);
  const bool rgb = raster.kind == PixelKind::kRgb;
  cinfo.input_components = rgb ? 3 : 1;
  cinfo.in_color_space = rgb ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, /*force_baseline=*/TRUE);
  cinfo.optimize_coding = TRUE;
  cinfo.density_unit = 1;  // dots per inch
  cinfo.X_density = static_cast<UINT16>(std::lround(raster.dpi_x));
  cinfo.Y_density = static_cast<UINT16>(std::lround(raster.dpi_y));
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPLE*>(raster.row(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

StatusOr<std::vector<uint8_t>> EncodeJpegBytes(const Raster& raster, int quality) {
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  char message[JMSG_LENGTH_MAX] = {0};
  const bool ok = EncodeJpegInto(raster, quality, &buffer, &size, message);
  std::vector<uint8_t> data;
  if (ok && buffer != nullptr) data.assign(buffer, buffer + size);
  std::free(buffer);
  if (!ok || data.empty()) {
    return Status::Internal(std::string("libjpeg failed to encode a ") + PixelKindName(raster.kind) +
                            " page: " + message);
  }
  return data;
}

namespace {

// Raw G4 data of a 1 bpp PIX (1 = black).
StatusOr<std::vector<uint8_t>> G4OfPix(PIX* pix, int width, int height) {
  L_COMP_DATA* raw_cid = nullptr;
  if (pixGenerateCIData(pix, L_G4_ENCODE, 0, /*ascii85=*/0, &raw_cid) != 0 || raw_cid == nullptr) {
    return Status::Internal("Leptonica failed to encode a bilevel image as CCITT G4");
  }
  CidPtr cid(raw_cid);
  if (cid->datacomp == nullptr || cid->nbytescomp == 0 || cid->w != width || cid->h != height) {
    return Status::Internal("Leptonica returned inconsistent compressed data");
  }
  if (cid->minisblack) {
    // Our contract (and the PDF writer's /BlackIs1 false) is min-is-white.
    return Status::Internal("Leptonica produced min-is-black G4 data");
  }
  return std::vector<uint8_t>(cid->datacomp, cid->datacomp + cid->nbytescomp);
}

}  // namespace

StatusOr<std::vector<uint8_t>> EncodeG4Bytes(const Raster& raster) {
  StatusOr<PixPtr> pix = RasterToPix(raster);
  if (!pix.ok()) return pix.status();
  return G4OfPix(pix->get(), raster.width, raster.height);
}

StatusOr<std::vector<uint8_t>> EncodeG4Mask(const std::vector<uint32_t>& words, int words_per_row, int width,
                                            int height, double dpi_x, double dpi_y) {
  if (width <= 0 || height <= 0 || words_per_row != (width + 31) / 32 ||
      words.size() != static_cast<size_t>(words_per_row) * height) {
    return Status::InvalidInput("G4 mask size does not match its pixels");
  }
  PixPtr pix(pixCreateNoInit(width, height, 1));
  if (!pix) return Status::TooLarge("cannot allocate a " + std::to_string(width) + "x" + std::to_string(height) +
                                    " mask for encoding");
  // Leptonica's 1 bpp layout is ours word for word (wpl = words_per_row).
  const int wpl = pixGetWpl(pix.get());
  l_uint32* data = pixGetData(pix.get());
  for (int y = 0; y < height; ++y) {
    std::copy_n(words.data() + static_cast<size_t>(y) * words_per_row, words_per_row,
                data + static_cast<size_t>(y) * wpl);
  }
  pixSetPadBits(pix.get(), 0);
  pixSetResolution(pix.get(), static_cast<l_int32>(std::lround(dpi_x)), static_cast<l_int32>(std::lround(dpi_y)));
  return G4OfPix(pix.get(), width, height);
}

namespace {

inline uint8_t Paeth(int left, int up, int up_left) {
  const int estimate = left + up - up_left;
  const int to_left = std::abs(estimate - left), to_up = std::abs(estimate - up),
            to_up_left = std::abs(estimate - up_left);
  if (to_left <= to_up && to_left <= to_up_left) return static_cast<uint8_t>(left);
  return static_cast<uint8_t>(to_up <= to_up_left ? up : up_left);
}

// One row filtered with PNG filter `type` (RFC 2083, 6.3) into `out`.
void FilterRow(int type, const uint8_t* row, const uint8_t* above, size_t bytes, int bpp, uint8_t* out) {
  for (size_t i = 0; i < bytes; ++i) {
    const int left = i >= static_cast<size_t>(bpp) ? row[i - bpp] : 0;
    const int up = above != nullptr ? above[i] : 0;
    const int up_left = above != nullptr && i >= static_cast<size_t>(bpp) ? above[i - bpp] : 0;
    int predicted = 0;
    switch (type) {
      case 1:
        predicted = left;
        break;
      case 2:
        predicted = up;
        break;
      case 3:
        predicted = (left + up) / 2;
        break;
      case 4:
        predicted = Paeth(left, up, up_left);
        break;
    }
    out[i] = static_cast<uint8_t>(row[i] - predicted);
  }
}

}  // namespace

StatusOr<std::vector<uint8_t>> EncodeFlateBytes(const Raster& raster) {
  if (raster.kind == PixelKind::kBilevel) return Status::InvalidInput("a bilevel page is stored as G4");
  const int bpp = raster.channels();
  const size_t bytes = static_cast<size_t>(raster.width) * bpp;
  // The usual PNG heuristic: per row, the filter whose output has the
  // smallest sum of absolute (signed) values.
  std::vector<uint8_t> filtered((bytes + 1) * raster.height);
  std::vector<uint8_t> candidate(bytes), best(bytes);
  for (int y = 0; y < raster.height; ++y) {
    const uint8_t* above = y > 0 ? raster.row(y - 1) : nullptr;
    uint64_t best_cost = UINT64_MAX;
    int best_type = 0;
    for (int type = 0; type <= 4; ++type) {
      FilterRow(type, raster.row(y), above, bytes, bpp, candidate.data());
      uint64_t cost = 0;
      for (uint8_t v : candidate) cost += v < 128 ? v : 256 - v;
      if (cost < best_cost) {
        best_cost = cost;
        best_type = type;
        best.swap(candidate);
      }
    }
    uint8_t* out = filtered.data() + static_cast<size_t>(y) * (bytes + 1);
    out[0] = static_cast<uint8_t>(best_type);
    std::copy(best.begin(), best.end(), out + 1);
  }
  uLongf size = compressBound(static_cast<uLong>(filtered.size()));
  std::vector<uint8_t> data(size);
  if (compress2(data.data(), &size, filtered.data(), static_cast<uLong>(filtered.size()), 6) != Z_OK) {
    return Status::Internal("zlib failed to compress a " + std::string(PixelKindName(raster.kind)) + " page");
  }
  data.resize(size);
  return data;
}

namespace {

// The scanner's own JPEG, unchanged (stages/pdf/jpeg_passthrough.h).
EncodedImage ScannerJpeg(const Page& page) {
  EncodedImage image;
  image.codec = EncodedImage::Codec::kJpeg;
  image.data.assign(page.source_jpeg.begin(), page.source_jpeg.end());
  image.width = page.raster.width;
  image.height = page.raster.height;
  image.components = page.raster.channels();
  image.bits_per_component = 8;
  image.dpi_x = page.raster.dpi_x;
  image.dpi_y = page.raster.dpi_y;
  return image;
}

class EncodeWorker : public PageWorker {
 public:
  explicit EncodeWorker(const EncodeOptions& options) : options_(options) {}

  Status Process(const Document& document, Page& page) override {
    if (options_.image_mode == ImageMode::kJpeg && !page.source_jpeg.empty() &&
        JpegDecodesTo(page.source_jpeg, page.raster)) {
      page.image = ScannerJpeg(page);
    } else {
      StatusOr<EncodedImage> image = EncodeRaster(page.raster, page.ocr, options_);
      if (!image.ok()) return image.status();
      page.image = std::move(image).value();
    }
    // The point of this stage: from here on the page costs only its
    // compressed bytes.
    page.raster.Release();
    page.ReleaseSourceJpeg();
    return Status::Ok();
  }

 private:
  const EncodeOptions options_;
};

class EncodeStage : public PageStage {
 public:
  explicit EncodeStage(const EncodeOptions& options) : options_(options) {}
  std::string Name() const override { return "encode"; }
  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    if (options_.jpeg_quality < 1 || options_.jpeg_quality > 100) {
      return Status::Configuration("encode: jpeg_quality must be 1..100, got " +
                                   std::to_string(options_.jpeg_quality));
    }
    return std::unique_ptr<PageWorker>(new EncodeWorker(options_));
  }

 private:
  const EncodeOptions options_;
};

}  // namespace

StatusOr<EncodedImage> EncodeRaster(const Raster& raster, int jpeg_quality) {
  return EncodeRaster(raster, jpeg_quality, /*lossless=*/false);
}

StatusOr<EncodedImage> EncodeRaster(const Raster& raster, int jpeg_quality, bool lossless) {
  if (raster.empty() || raster.width <= 0 || raster.height <= 0) {
    return Status::InvalidInput("no raster to encode (already released or never decoded)");
  }
  if (raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("raster holds " + std::to_string(raster.pixels.size()) + " bytes, expected " +
                                std::to_string(raster.byte_size()));
  }
  if (!(raster.dpi_x > 0) || !(raster.dpi_y > 0)) {
    return Status::InvalidInput("raster has no resolution; the page size would be unknown");
  }
  if (jpeg_quality < 1 || jpeg_quality > 100) {
    return Status::Configuration("jpeg_quality must be 1..100");
  }
  const bool bilevel = raster.kind == PixelKind::kBilevel;
  EncodedImage image;
  if (bilevel) {
    StatusOr<std::vector<uint8_t>> g4 = EncodeG4Bytes(raster);
    if (!g4.ok()) return g4.status();
    image.codec = EncodedImage::Codec::kCcittG4;
    image.data = std::move(*g4);
  } else if (lossless) {
    StatusOr<std::vector<uint8_t>> flate = EncodeFlateBytes(raster);
    if (!flate.ok()) return flate.status();
    image.codec = EncodedImage::Codec::kFlate;
    image.data = std::move(*flate);
  } else {
    StatusOr<std::vector<uint8_t>> jpeg = EncodeJpegBytes(raster, jpeg_quality);
    if (!jpeg.ok()) return jpeg.status();
    image.codec = EncodedImage::Codec::kJpeg;
    image.data = std::move(*jpeg);
  }
  image.width = raster.width;
  image.height = raster.height;
  image.components = raster.kind == PixelKind::kRgb ? 3 : 1;
  image.bits_per_component = bilevel ? 1 : 8;
  image.dpi_x = raster.dpi_x;
  image.dpi_y = raster.dpi_y;
  return image;
}

StatusOr<EncodedImage> EncodeRaster(const Raster& raster, const OcrResult& ocr, const EncodeOptions& options) {
  if (options.image_mode == ImageMode::kMrc && raster.kind != PixelKind::kBilevel && !raster.empty() &&
      raster.pixels.size() == raster.byte_size() && raster.dpi_x > 0 && raster.dpi_y > 0) {
    StatusOr<EncodedImage> mrc = EncodeMrc(raster, ocr, MrcOptions{});
    if (!mrc.ok()) return mrc.status();
    if (!mrc->masks.empty()) return mrc;
    // No ink to mask (a photo, a blank page): the plain JPEG says it better.
  }
  return EncodeRaster(raster, options.jpeg_quality, options.image_mode == ImageMode::kLossless);
}

const char* ImageModeName(ImageMode mode) {
  switch (mode) {
    case ImageMode::kMrc:
      return "mrc";
    case ImageMode::kJpeg:
      return "jpeg";
    case ImageMode::kLossless:
      return "lossless";
  }
  return "?";
}

bool ParseImageMode(const std::string& name, ImageMode* mode) {
  if (name == "mrc") *mode = ImageMode::kMrc;
  else if (name == "jpeg") *mode = ImageMode::kJpeg;
  else if (name == "lossless") *mode = ImageMode::kLossless;
  else return false;
  return true;
}

std::unique_ptr<PageStage> NewEncodeStage(const EncodeOptions& options) {
  return std::make_unique<EncodeStage>(options);
}

}  // namespace sohoa
