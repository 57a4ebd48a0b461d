#include "stages/decode/tiff_decoder.h"

#include <tiffio.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <utility>

#include "stages/decode/orientation.h"

namespace sohoa {
namespace {

// Messages from libtiff paths that bypass the per-handle handler (old
// TIFFErrorExt callers) land here instead of on stderr.
thread_local std::string t_stray_errors;

void AppendMessage(std::string* out, const char* module, const char* fmt, va_list ap) {
  constexpr size_t kMaxCollected = 600;  // a reason a person reads, not a log
  if (out->size() >= kMaxCollected) return;
  char text[512];
  va_list copy;
  va_copy(copy, ap);
  std::vsnprintf(text, sizeof text, fmt, copy);
  va_end(copy);
  if (!out->empty()) *out += "; ";
  // Open errors use the file name as module: the caller names the file.
  if (module != nullptr && *module != '\0' && std::strchr(module, '/') == nullptr) {
    *out += module;
    *out += ": ";
  }
  *out += text;
}

void StrayError(thandle_t, const char* module, const char* fmt, va_list ap) {
  AppendMessage(&t_stray_errors, module, fmt, ap);
}

void InstallGlobalHandlersOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetErrorHandlerExt(&StrayError);
    TIFFSetWarningHandler(nullptr);
    TIFFSetWarningHandlerExt(nullptr);
  });
}

std::string CompressionName(uint16_t c) {
  switch (c) {
    case COMPRESSION_NONE:
      return "uncompressed";
    case COMPRESSION_CCITTRLE:
      return "CCITT RLE";
    case COMPRESSION_CCITTFAX3:
      return "CCITT G3";
    case COMPRESSION_CCITTFAX4:
      return "CCITT G4";
    case COMPRESSION_LZW:
      return "LZW";
    case COMPRESSION_OJPEG:
      return "old-style JPEG";
    case COMPRESSION_JPEG:
      return "JPEG";
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE:
      return "Deflate";
    case COMPRESSION_PACKBITS:
      return "PackBits";
    case COMPRESSION_JBIG:
      return "JBIG";
    case 34712:
      return "JPEG 2000";
    default:
      break;
  }
  if (const TIFFCodec* codec = TIFFFindCODEC(c)) return codec->name;
  return "unknown compression " + std::to_string(c);
}

// How the samples of a page are laid out and what they become.
struct Layout {
  enum class Color { kGray, kRgb, kCmyk, kPalette };
  Color color = Color::kGray;
  bool min_is_white = false;
  int bps = 8;
  int spp = 1;
  int alpha = -1;  // sample index of the alpha channel, or -1
  bool premultiplied = false;
  bool native = true;       // false: libtiff's RGBA reader, band by band
  bool jpeg_ycbcr = false;  // ask the JPEG codec for RGB
  PixelKind kind = PixelKind::kGray;
  std::array<std::vector<uint8_t>, 3> palette;
};

Layout DescribeLayout(TIFF* tif) {
  Layout l;
  uint16_t photometric = PHOTOMETRIC_MINISBLACK, bps = 1, spp = 1, planar = PLANARCONFIG_CONTIG;
  uint16_t sample_format = SAMPLEFORMAT_UINT, compression = COMPRESSION_NONE, inkset = INKSET_CMYK;
  TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &sample_format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
  l.bps = bps;
  l.spp = spp;
  int channels = 1;
  switch (photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
      l.min_is_white = photometric == PHOTOMETRIC_MINISWHITE;
      break;
    case PHOTOMETRIC_RGB:
      l.color = Layout::Color::kRgb;
      channels = 3;
      break;
    case PHOTOMETRIC_PALETTE:
      l.color = Layout::Color::kPalette;
      break;
    case PHOTOMETRIC_SEPARATED:
      l.color = Layout::Color::kCmyk;
      channels = 4;
      l.native = inkset == INKSET_CMYK;
      break;
    case PHOTOMETRIC_YCBCR:
      l.color = Layout::Color::kRgb;
      channels = 3;
      l.jpeg_ycbcr = compression == COMPRESSION_JPEG;
      l.native = l.jpeg_ycbcr;
      break;
    default:
      l.color = Layout::Color::kRgb;
      l.native = false;
  }
  if (spp < channels || (planar == PLANARCONFIG_SEPARATE && spp > 1) ||
      (sample_format != SAMPLEFORMAT_UINT && sample_format != SAMPLEFORMAT_VOID) ||
      !(bps == 1 || bps == 2 || bps == 4 || bps == 8 || bps == 16)) {
    l.native = false;
  }
  uint16_t extra_count = 0;
  uint16_t* extra_types = nullptr;
  if (TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra_types)) {
    for (int i = 0; i < extra_count && channels + i < spp; ++i) {
      if (extra_types[i] == EXTRASAMPLE_ASSOCALPHA || extra_types[i] == EXTRASAMPLE_UNASSALPHA) {
        l.alpha = channels + i;
        l.premultiplied = extra_types[i] == EXTRASAMPLE_ASSOCALPHA;
        break;
      }
    }
  }
  if (l.color != Layout::Color::kGray) {
    l.kind = PixelKind::kRgb;
  } else {
    l.kind = (bps == 1 && l.alpha < 0) ? PixelKind::kBilevel : PixelKind::kGray;
  }
  return l;
}

double Round2(double v) { return std::round(v * 100) / 100; }

int Orientation(TIFF* tif) {
  uint16_t o = ORIENTATION_TOPLEFT;
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &o);
  return (o >= 1 && o <= 8) ? o : ORIENTATION_TOPLEFT;
}

// ---- Sample conversion -----------------------------------------------------

inline unsigned Sample(const uint8_t* row, size_t index, int bps) {
  switch (bps) {
    case 8:
      return row[index];
    case 16: {
      uint16_t v;  // libtiff already swapped it to host order
      std::memcpy(&v, row + 2 * index, 2);
      return v;
    }
    default: {
      size_t bit = index * bps;
      return (row[bit >> 3] >> (8 - bps - (bit & 7))) & ((1u << bps) - 1);
    }
  }
}

inline unsigned To8(unsigned v, int bps) {
  if (bps == 8) return v;
  if (bps == 16) return (v * 255 + 32767) / 65535;
  return v * 255 / ((1u << bps) - 1);
}

inline uint8_t OnWhite(unsigned v, unsigned a, bool premultiplied) {
  if (premultiplied) return static_cast<uint8_t>(std::min(255u, v + 255 - a));
  return static_cast<uint8_t>((v * a + 255 * (255 - a) + 127) / 255);
}

// Converts `count` pixels of one stored row (or tile row) to raster bytes.
void ConvertRow(const Layout& l, const uint8_t* src, int count, uint8_t* dst) {
  if (l.color == Layout::Color::kGray && l.spp == 1 && l.bps == 1) {
    const uint8_t ink = l.min_is_white ? 0 : 255;  // value of a set bit
    for (int i = 0; i < count; ++i) {
      dst[i] = ((src[i >> 3] >> (7 - (i & 7))) & 1) ? ink : 255 - ink;
    }
    return;
  }
  if (l.color == Layout::Color::kGray && l.spp == 1 && l.bps == 8) {
    if (!l.min_is_white) {
      std::memcpy(dst, src, count);
    } else {
      for (int i = 0; i < count; ++i) dst[i] = 255 - src[i];
    }
    return;
  }
  if (l.color == Layout::Color::kRgb && l.spp == 3 && l.bps == 8) {
    std::memcpy(dst, src, static_cast<size_t>(count) * 3);
    return;
  }
  const int bps = l.bps;
  for (int i = 0; i < count; ++i) {
    const size_t base = static_cast<size_t>(i) * l.spp;
    unsigned c[3];
    int n = 3;
    switch (l.color) {
      case Layout::Color::kGray:
        c[0] = To8(Sample(src, base, bps), bps);
        if (l.min_is_white) c[0] = 255 - c[0];
        n = 1;
        break;
      case Layout::Color::kRgb:
        for (int k = 0; k < 3; ++k) c[k] = To8(Sample(src, base + k, bps), bps);
        break;
      case Layout::Color::kCmyk: {
        unsigned k = 255 - To8(Sample(src, base + 3, bps), bps);
        for (int j = 0; j < 3; ++j) {
          c[j] = ((255 - To8(Sample(src, base + j, bps), bps)) * k + 127) / 255;
        }
        break;
      }
      case Layout::Color::kPalette: {
        unsigned index = Sample(src, base, bps);
        for (int k = 0; k < 3; ++k) c[k] = l.palette[k][index];
        break;
      }
    }
    if (l.alpha >= 0) {
      unsigned a = To8(Sample(src, base + l.alpha, bps), bps);
      for (int k = 0; k < n; ++k) c[k] = OnWhite(c[k], a, l.premultiplied);
    }
    for (int k = 0; k < n; ++k) dst[static_cast<size_t>(i) * n + k] = static_cast<uint8_t>(c[k]);
  }
}

// Applies a TIFF Orientation (2..8) so that row 0 is the visual top.
Raster Orient(const Raster& in, int orientation) {
  const bool transpose = orientation >= 5;
  Raster out;
  out.Allocate(transpose ? in.height : in.width, transpose ? in.width : in.height, in.kind);
  out.dpi_x = transpose ? in.dpi_y : in.dpi_x;
  out.dpi_y = transpose ? in.dpi_x : in.dpi_y;
  const int ch = in.channels();
  for (int y = 0; y < out.height; ++y) {
    uint8_t* dst = out.row(y);
    for (int x = 0; x < out.width; ++x) {
      int sx = 0, sy = 0;
      StoredPosition(orientation, in.width, in.height, x, y, &sx, &sy);
      std::memcpy(dst + static_cast<size_t>(x) * ch, in.row(sy) + static_cast<size_t>(sx) * ch, ch);
    }
  }
  return out;
}

}  // namespace

struct TiffFile::Handle {
  TIFF* tif = nullptr;
  std::string errors;    // this handle's libtiff errors since the last Take
  std::string warnings;  // and warnings: the detail when no error says why

  std::string TakeErrors() {
    std::string all = std::move(errors);
    errors.clear();
    if (!t_stray_errors.empty()) {
      if (!all.empty()) all += "; ";
      all += t_stray_errors;
      t_stray_errors.clear();
    }
    if (all.empty()) all = warnings;
    warnings.clear();
    return all.empty() ? "libtiff reported no detail" : all;
  }
  void ClearErrors() {
    errors.clear();
    warnings.clear();
    t_stray_errors.clear();
  }
  StatusOr<TiffPageHeader> ReadHeader();
  Status ReadScanlines(const Layout& l, Raster* raster);
  Status ReadTiles(const Layout& l, Raster* raster);
  Status ReadRgbaBands(const Layout& l, Raster* raster);
};

namespace {

// user_data points at a Handle's errors or warnings string.
int CollectMessage(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  AppendMessage(static_cast<std::string*>(user_data), module, fmt, ap);
  return 1;  // handled: do not reach the global handlers
}

}  // namespace

StatusOr<std::unique_ptr<TiffFile>> TiffFile::Open(const std::string& path) {
  InstallGlobalHandlersOnce();
  std::unique_ptr<TiffFile> file(new TiffFile());
  file->handle_ = std::make_unique<Handle>();
  Handle& h = *file->handle_;
  h.ClearErrors();
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, &CollectMessage, &h.errors);
  TIFFOpenOptionsSetWarningHandlerExtR(options, &CollectMessage, &h.warnings);
  h.tif = TIFFOpenExt(path.c_str(), "r", options);
  TIFFOpenOptionsFree(options);
  if (h.tif == nullptr) {
    return Status::InvalidInput("not a readable TIFF: " + h.TakeErrors());
  }
  return file;
}

TiffFile::~TiffFile() {
  if (handle_ && handle_->tif != nullptr) TIFFClose(handle_->tif);
}

StatusOr<TiffPageHeader> TiffFile::Handle::ReadHeader() {
  uint32_t width = 0, height = 0;
  if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) ||
      width == 0 || height == 0) {
    return Status::InvalidInput("its directory records no image dimensions");
  }
  TiffPageHeader header;
  const Layout layout = DescribeLayout(tif);
  header.kind = layout.kind;
  header.bits_per_sample = layout.bps;
  uint16_t compression = COMPRESSION_NONE;
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
  header.compression = compression;
  header.compression_name = CompressionName(compression);
  header.codec_available = TIFFIsCODECConfigured(compression) != 0;

  float xres = 0, yres = 0;
  uint16_t unit = RESUNIT_INCH;
  bool has_x = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) && std::isfinite(xres) && xres > 0;
  bool has_y = TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres) && std::isfinite(yres) && yres > 0;
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  if (unit != RESUNIT_NONE && (has_x || has_y)) {
    const double factor = unit == RESUNIT_CENTIMETER ? 2.54 : 1.0;
    header.dpi_x = Round2((has_x ? xres : yres) * factor);
    header.dpi_y = Round2((has_y ? yres : xres) * factor);
  }
  // Dimensions beyond int are reported as INT32_MAX: still refused by the
  // caller's limit, never wrapped.
  header.width = static_cast<int>(std::min<uint32_t>(width, INT32_MAX));
  header.height = static_cast<int>(std::min<uint32_t>(height, INT32_MAX));
  if (Orientation(tif) >= ORIENTATION_LEFTTOP) {
    std::swap(header.width, header.height);
    std::swap(header.dpi_x, header.dpi_y);
  }
  return header;
}

StatusOr<std::vector<TiffPageHeader>> TiffFile::ReadAllHeaders(int max_pages, std::string* damage) {
  Handle& h = *handle_;
  h.ClearErrors();
  damage->clear();
  if (!TIFFSetDirectory(h.tif, 0)) {
    return Status::InvalidInput("cannot read the first page's directory: " + h.TakeErrors());
  }
  std::vector<TiffPageHeader> pages;
  while (true) {
    StatusOr<TiffPageHeader> header = h.ReadHeader();
    const std::string where = "page " + std::to_string(pages.size() + 1);
    if (!header.ok()) {
      if (pages.empty()) return header.status().WithContext(where);
      *damage = where + ": " + header.status().message();
      break;
    }
    pages.push_back(*header);
    if (TIFFLastDirectory(h.tif)) break;  // the chain ends normally
    if (static_cast<int>(pages.size()) >= max_pages) {
      return Status::TooLarge("the file has more than " + std::to_string(max_pages) +
                              " pages, the configured limit");
    }
    if (!TIFFReadDirectory(h.tif)) {
      *damage = "the page directory chain is damaged after page " + std::to_string(pages.size()) + " (" +
                h.TakeErrors() + ")";
      break;
    }
  }
  return pages;
}

StatusOr<TiffPageHeader> TiffFile::SelectPage(int index) {
  Handle& h = *handle_;
  h.ClearErrors();
  if (index < 0 || !TIFFSetDirectory(h.tif, static_cast<tdir_t>(index))) {
    return Status::InvalidInput("cannot read this page's directory: " + h.TakeErrors());
  }
  return h.ReadHeader();
}

Status TiffFile::Handle::ReadScanlines(const Layout& l, Raster* raster) {
  std::vector<uint8_t> line(static_cast<size_t>(TIFFScanlineSize64(tif)));
  for (int row = 0; row < raster->height; ++row) {
    if (TIFFReadScanline(tif, line.data(), static_cast<uint32_t>(row), 0) < 0) {
      return Status::InvalidInput("cannot decode row " + std::to_string(row) + ": " + TakeErrors());
    }
    ConvertRow(l, line.data(), raster->width, raster->row(row));
  }
  return Status::Ok();
}

Status TiffFile::Handle::ReadTiles(const Layout& l, Raster* raster) {
  uint32_t tile_w = 0, tile_h = 0;
  TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tile_w);
  TIFFGetField(tif, TIFFTAG_TILELENGTH, &tile_h);
  const tmsize_t tile_size = TIFFTileSize(tif);
  const tmsize_t row_size = TIFFTileRowSize(tif);
  if (tile_w == 0 || tile_h == 0 || tile_size <= 0 || row_size <= 0) {
    return Status::InvalidInput("bad tile geometry: " + TakeErrors());
  }
  std::vector<uint8_t> tile(static_cast<size_t>(tile_size));
  const uint32_t width = raster->width, height = raster->height;
  for (uint32_t y = 0; y < height; y += tile_h) {
    for (uint32_t x = 0; x < width; x += tile_w) {
      if (TIFFReadEncodedTile(tif, TIFFComputeTile(tif, x, y, 0, 0), tile.data(), tile_size) < 0) {
        return Status::InvalidInput("cannot decode the tile at x=" + std::to_string(x) +
                                    " y=" + std::to_string(y) + ": " + TakeErrors());
      }
      const uint32_t rows = std::min(tile_h, height - y), cols = std::min(tile_w, width - x);
      for (uint32_t r = 0; r < rows; ++r) {
        ConvertRow(l, tile.data() + r * row_size, cols,
                   raster->row(y + r) + static_cast<size_t>(x) * raster->channels());
      }
    }
  }
  return Status::Ok();
}

Status TiffFile::Handle::ReadRgbaBands(const Layout& l, Raster* raster) {
  char message[1024] = "";
  if (!TIFFRGBAImageOK(tif, message)) {
    return Status::Unsupported(std::string("this TIFF layout cannot be read: ") + message);
  }
  TIFFRGBAImage image;
  if (!TIFFRGBAImageBegin(&image, tif, 1, message)) {
    return Status::InvalidInput(std::string("cannot start decoding: ") + message);
  }
  image.req_orientation = image.orientation;  // stored order; Orient() follows
  uint32_t band = 0;
  if (TIFFIsTiled(tif)) {
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &band);
  } else {
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &band);
  }
  band = std::clamp<uint32_t>(band, 1, raster->height);
  std::vector<uint32_t> pixels(static_cast<size_t>(raster->width) * band);
  Status status;
  for (int y = 0; y < raster->height && status.ok(); y += band) {
    const int rows = std::min<int>(band, raster->height - y);
    image.row_offset = y;
    if (!TIFFRGBAImageGet(&image, pixels.data(), raster->width, rows)) {
      status = Status::InvalidInput("cannot decode rows " + std::to_string(y) + "-" +
                                    std::to_string(y + rows - 1) + ": " + TakeErrors());
      break;
    }
    for (int r = 0; r < rows; ++r) {
      uint8_t* dst = raster->row(y + r);
      const uint32_t* src = pixels.data() + static_cast<size_t>(r) * raster->width;
      for (int x = 0; x < raster->width; ++x) {
        // The RGBA reader premultiplies alpha.
        const unsigned a = TIFFGetA(src[x]);
        if (l.kind == PixelKind::kRgb) {
          dst[3 * x] = OnWhite(TIFFGetR(src[x]), a, true);
          dst[3 * x + 1] = OnWhite(TIFFGetG(src[x]), a, true);
          dst[3 * x + 2] = OnWhite(TIFFGetB(src[x]), a, true);
        } else {
          const uint8_t v = OnWhite(TIFFGetR(src[x]), a, true);
          dst[x] = l.kind == PixelKind::kBilevel ? (v >= 128 ? 255 : 0) : v;
        }
      }
    }
  }
  TIFFRGBAImageEnd(&image);
  return status;
}

Status TiffFile::DecodeCurrentPage(Raster* raster) {
  Handle& h = *handle_;
  h.ClearErrors();
  StatusOr<TiffPageHeader> header = h.ReadHeader();
  if (!header.ok()) return header.status();
  if (!header->codec_available) {
    return Status::Unsupported(header->compression_name + " compression is not supported");
  }
  Layout layout = DescribeLayout(h.tif);
  if (layout.jpeg_ycbcr) TIFFSetField(h.tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  if (layout.native && layout.color == Layout::Color::kPalette) {
    uint16_t *red = nullptr, *green = nullptr, *blue = nullptr;
    if (!TIFFGetField(h.tif, TIFFTAG_COLORMAP, &red, &green, &blue)) {
      return Status::InvalidInput("palette image without a colour map");
    }
    const size_t n = size_t{1} << layout.bps;
    // Some writers store 8-bit values in the 16-bit map; libtiff's own reader
    // makes the same guess.
    bool eight_bit = true;
    for (size_t i = 0; i < n; ++i) eight_bit &= red[i] < 256 && green[i] < 256 && blue[i] < 256;
    const uint16_t* maps[3] = {red, green, blue};
    for (int k = 0; k < 3; ++k) {
      layout.palette[k].resize(n);
      for (size_t i = 0; i < n; ++i) {
        layout.palette[k][i] = static_cast<uint8_t>(eight_bit ? maps[k][i] : maps[k][i] / 257);
      }
    }
  }
  const bool transpose = Orientation(h.tif) >= ORIENTATION_LEFTTOP;
  Raster stored;
  stored.Allocate(transpose ? header->height : header->width, transpose ? header->width : header->height,
                  layout.kind);
  Status status = !layout.native       ? h.ReadRgbaBands(layout, &stored)
                  : TIFFIsTiled(h.tif) ? h.ReadTiles(layout, &stored)
                                       : h.ReadScanlines(layout, &stored);
  if (!status.ok()) return status;
  const int orientation = Orientation(h.tif);
  if (orientation == ORIENTATION_TOPLEFT) {
    *raster = std::move(stored);
  } else {
    *raster = Orient(stored, orientation);
  }
  raster->dpi_x = header->dpi_x;
  raster->dpi_y = header->dpi_y;
  return Status::Ok();
}

}  // namespace sohoa
