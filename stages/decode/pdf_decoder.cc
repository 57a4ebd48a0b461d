#include "stages/decode/pdf_decoder.h"

#include "stages/decode/jpeg_check.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

// poppler's core API (libpoppler-private-dev), used only to measure images.
#include <GfxState.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <goo/GooString.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace sohoa {
namespace {

// ---- poppler's messages -----------------------------------------------------

// poppler reports through one process-wide callback; each thread collects
// what poppler said while it worked on its own file.
thread_local std::vector<std::string> t_messages;

void CollectMessage(const std::string& message, void* /*closure*/) {
  // poppler-cpp formats "error: <msg>" or "error (<offset>): <msg>".
  std::string text = message;
  if (text.rfind("error", 0) == 0) {
    const size_t colon = text.find(": ");
    if (colon != std::string::npos && colon < 32) text = text.substr(colon + 2);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || t_messages.size() >= 8) return;
  if (std::find(t_messages.begin(), t_messages.end(), text) == t_messages.end()) {
    t_messages.push_back(text);
  }
}

void InstallMessageCollector() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&CollectMessage, nullptr); });
}

// What poppler said since the last call, "; "-joined, or `fallback`.
std::string TakeMessages(const std::string& fallback) {
  std::string out;
  for (const std::string& m : t_messages) {
    if (!out.empty()) out += "; ";
    out += m;
  }
  t_messages.clear();
  return out.empty() ? fallback : out;
}

// ---- measuring a page -------------------------------------------------------

struct DrawnImage {
  int width = 0, height = 0;    // the image's own pixels
  double ppi_x = 0, ppi_y = 0;  // along the page's (displayed) axes
  double coverage = 0;          // fraction of the page area it covers
  PixelKind kind = PixelKind::kRgb;
  int bits = 8;
  std::string damage;  // a JPEG (DCT) image's damage, "" if intact
};

// The encoded bytes of a DCT-compressed image XObject, straight from the file
// (the stream under poppler's DCT filter). Empty for other images and inline
// ones, whose bytes the content parser is still reading.
std::string RawJpegBytes(Stream* str, bool inline_image) {
  if (inline_image || str == nullptr || str->getKind() != strDCT) return "";
  Stream* raw = str->getNextStream();
  if (raw == nullptr) return "";
  std::string bytes;
  raw->reset();
  for (int c = raw->getChar(); c != EOF && bytes.size() < (size_t{1} << 30); c = raw->getChar()) {
    bytes.push_back(static_cast<char>(c));
  }
  raw->close();
  return bytes;
}

// An OutputDev that draws nothing: it records the page size (at 72 dpi, so
// device units are points) and every image with the matrix it is drawn with.
class MeasuringOutputDev : public OutputDev {
 public:
  bool upsideDown() override { return true; }
  bool useDrawChar() override { return true; }
  bool interpretType3Chars() override { return false; }

  void startPage(int /*page*/, GfxState* state, XRef* /*xref*/) override {
    if (state != nullptr) {
      page_width_ = state->getPageWidth();
      page_height_ = state->getPageHeight();
    }
  }

  void drawChar(GfxState*, double, double, double, double, double, double, CharCode, int, const Unicode*,
                int) override {
    has_text_ = true;
  }

  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                     bool interpolate, bool inline_image) override {
    Record(state, width, height, PixelKind::kBilevel, 1);
    // The base class consumes inline image data so the parser resumes after it.
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_image);
  }

  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height,
                 GfxImageColorMap* color_map, bool interpolate, const int* mask_colors,
                 bool inline_image) override {
    PixelKind kind = PixelKind::kRgb;
    int bits = 8;
    if (color_map != nullptr && color_map->getColorSpace() != nullptr) {
      GfxColorSpace* space = color_map->getColorSpace();
      bits = color_map->getBits();
      int components = space->getNComps();
      if (space->getMode() == csIndexed) {
        GfxColorSpace* base = static_cast<GfxIndexedColorSpace*>(space)->getBase();
        components = base != nullptr ? base->getNComps() : 3;
      }
      if (components == 1) kind = bits == 1 ? PixelKind::kBilevel : PixelKind::kGray;
    }
    const size_t recorded = images_.size();
    Record(state, width, height, kind, bits);
    if (images_.size() > recorded) {
      const std::string jpeg = RawJpegBytes(str, inline_image);
      if (!jpeg.empty()) images_.back().damage = JpegDataDamage(jpeg);
    }
    OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_image);
  }
  // drawMaskedImage / drawSoftMaskedImage: the base class forwards to
  // drawImage, which records the image.

  double page_width() const { return page_width_; }
  double page_height() const { return page_height_; }
  bool has_text() const { return has_text_; }
  const std::vector<DrawnImage>& images() const { return images_; }

 private:
  void Record(GfxState* state, int width, int height, PixelKind kind, int bits) {
    if (state == nullptr || width <= 0 || height <= 0 || images_.size() >= 10000) return;
    const double* m = state->getCTM();
    // The image's unit square: x axis along (m0, m1), y axis along (m2, m3).
    const double len_x = std::hypot(m[0], m[1]);
    const double len_y = std::hypot(m[2], m[3]);
    if (!std::isfinite(len_x) || !std::isfinite(len_y) || len_x < 1e-3 || len_y < 1e-3) return;
    DrawnImage image;
    image.width = width;
    image.height = height;
    image.kind = kind;
    image.bits = bits;
    const bool along_x = std::fabs(m[0]) >= std::fabs(m[1]);  // not turned 90°
    image.ppi_x = (along_x ? width / len_x : height / len_y) * 72.0;
    image.ppi_y = (along_x ? height / len_y : width / len_x) * 72.0;
    double x0 = m[4], x1 = m[4], y0 = m[5], y1 = m[5];
    for (const auto& [u, v] : {std::pair{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}}) {
      const double x = m[0] * u + m[2] * v + m[4];
      const double y = m[1] * u + m[3] * v + m[5];
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    const double w = std::min(x1, page_width_) - std::max(x0, 0.0);
    const double h = std::min(y1, page_height_) - std::max(y0, 0.0);
    const double area = page_width_ * page_height_;
    image.coverage = (w > 0 && h > 0 && area > 0) ? w * h / area : 0;
    images_.push_back(image);
  }

  double page_width_ = 0, page_height_ = 0;
  bool has_text_ = false;
  std::vector<DrawnImage> images_;
};

// Scanners work at whole dpi; placement matrices carry rounding noise.
double SnapDpi(double dpi) {
  const double whole = std::round(dpi);
  return whole > 0 && std::fabs(dpi - whole) <= 0.01 * whole ? whole : dpi;
}

// As poppler's Splash sizes its bitmap.
int PixelsFor(double points, double dpi) {
  const double pixels = points * dpi / 72.0 + 0.5;
  if (!std::isfinite(pixels) || pixels >= 2e9) return -1;
  return std::max(1, static_cast<int>(pixels));
}

}  // namespace

// ---- PdfFile ----------------------------------------------------------------

struct PdfFile::Handle {
  // Order matters: poppler-cpp keeps poppler's global state alive while a
  // document exists, and the core PDFDoc uses it, so it is destroyed first.
  std::unique_ptr<poppler::document> document;
  // Set by poppler whenever it rebuilds the cross-reference table, which can
  // happen lazily, long after opening; declared before `core`, which calls it.
  bool xref_rebuilt = false;
  std::unique_ptr<PDFDoc> core;
  bool encrypted = false;
  std::string open_messages;  // poppler's complaints while opening
  std::string repairs;
};

PdfFile::~PdfFile() = default;

StatusOr<std::unique_ptr<PdfFile>> PdfFile::Open(const std::string& path) {
  InstallMessageCollector();
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  t_messages.clear();
  auto handle = std::make_unique<Handle>();
  handle->document.reset(poppler::document::load_from_file(path));
  if (handle->document == nullptr) {
    return Status::InvalidInput("PDF is damaged: " + TakeMessages("poppler cannot open it"));
  }
  if (handle->document->is_locked()) {
    t_messages.clear();
    return Status::Unsupported(
        "password-protected PDF: it opens only with its password; ask for a copy without one");
  }
  handle->encrypted = handle->document->is_encrypted();
  bool* rebuilt = &handle->xref_rebuilt;
  handle->core = std::make_unique<PDFDoc>(std::make_unique<GooString>(path), std::nullopt, std::nullopt,
                                          nullptr, [rebuilt] { *rebuilt = true; });
  if (!handle->core->isOk()) {
    return Status::InvalidInput("PDF is damaged: " + TakeMessages("poppler cannot open it"));
  }
  if (handle->document->pages() <= 0 || handle->core->getNumPages() != handle->document->pages()) {
    return Status::InvalidInput("PDF is damaged: " + TakeMessages("it has no readable pages"));
  }
  handle->open_messages = TakeMessages("");
  std::unique_ptr<PdfFile> file(new PdfFile());
  file->handle_ = std::move(handle);
  return file;
}

int PdfFile::page_count() const { return handle_->document->pages(); }

bool PdfFile::encrypted() const { return handle_->encrypted; }

const std::string& PdfFile::repairs() const {
  handle_->repairs = handle_->open_messages;
  if (handle_->repairs.empty() && handle_->xref_rebuilt) {
    handle_->repairs = "cross-reference table rebuilt";
  }
  return handle_->repairs;
}

StatusOr<PdfPageHeader> PdfFile::ReadPageHeader(int index, double fallback_dpi) {
  if (index < 0 || index >= page_count()) {
    return Status::InvalidInput("no such page (the PDF has " + std::to_string(page_count()) + " pages)");
  }
  t_messages.clear();
  if (handle_->core->getPage(index + 1) == nullptr) {
    return Status::InvalidInput("cannot be read: " + TakeMessages("damaged page object"));
  }
  MeasuringOutputDev device;
  handle_->core->displayPage(&device, index + 1, 72, 72, /*rotate=*/0, /*useMediaBox=*/false,
                             /*crop=*/true, /*printing=*/false);
  t_messages.clear();  // content-stream complaints show up again when rendering
  PdfPageHeader header;
  header.width_pt = device.page_width();
  header.height_pt = device.page_height();
  header.has_text = device.has_text();
  if (!(header.width_pt >= 1 && header.height_pt >= 1) || !std::isfinite(header.width_pt) ||
      !std::isfinite(header.height_pt)) {
    return Status::InvalidInput("has no usable page size");
  }
  const DrawnImage* scan = nullptr;
  for (const DrawnImage& image : device.images()) {
    if (image.coverage < 0.5) continue;
    if (scan == nullptr ||
        static_cast<double>(image.width) * image.height > static_cast<double>(scan->width) * scan->height) {
      scan = &image;
    }
  }
  if (scan != nullptr) {
    header.scanned = true;
    header.image_width = scan->width;
    header.image_height = scan->height;
    header.render_dpi_x = scan->ppi_x;
    header.render_dpi_y = scan->ppi_y;
    header.dpi_x = SnapDpi(scan->ppi_x);
    header.dpi_y = SnapDpi(scan->ppi_y);
    header.kind = scan->kind;
    header.bits_per_sample = scan->bits;
    header.image_damage = scan->damage;
  } else {
    header.dpi_x = header.dpi_y = header.render_dpi_x = header.render_dpi_y = fallback_dpi;
    header.kind = PixelKind::kRgb;
    header.bits_per_sample = 8;
  }
  header.width = PixelsFor(header.width_pt, header.render_dpi_x);
  header.height = PixelsFor(header.height_pt, header.render_dpi_y);
  if (header.width <= 0 || header.height <= 0) {
    return Status::TooLarge(
        "would need more than 2 billion pixels per side at its image's "
        "resolution");
  }
  return header;
}

Status PdfFile::RenderPage(int index, const PdfPageHeader& header, Raster* raster, std::string* complaints) {
  complaints->clear();
  t_messages.clear();
  std::unique_ptr<poppler::page> page(handle_->document->create_page(index));
  if (page == nullptr) {
    return Status::InvalidInput("cannot be read: " + TakeMessages("damaged page object"));
  }
  poppler::page_renderer renderer;
  renderer.set_paper_color(0xFFFFFFFF);
  const bool gray = header.kind != PixelKind::kRgb;
  renderer.set_image_format(gray ? poppler::image::format_gray8 : poppler::image::format_rgb24);
  if (!header.scanned) {
    // Born-digital: smooth text and lines like a scanner's optics would.
    renderer.set_render_hint(poppler::page_renderer::antialiasing);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
  }
  poppler::image image = renderer.render_page(page.get(), header.render_dpi_x, header.render_dpi_y);
  page.reset();
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
    return Status::InvalidInput("cannot be rendered: " + TakeMessages("poppler produced no image"));
  }
  *complaints = TakeMessages("");
  const int width = image.width(), height = image.height();
  raster->Allocate(width, height, header.kind);
  raster->dpi_x = header.dpi_x;
  raster->dpi_y = header.dpi_y;
  const char* data = image.const_data();
  const size_t stride = static_cast<size_t>(image.bytes_per_row());
  for (int y = 0; y < height; ++y) {
    const uint8_t* in = reinterpret_cast<const uint8_t*>(data + stride * y);
    uint8_t* out = raster->row(y);
    if (header.kind == PixelKind::kBilevel) {
      for (int x = 0; x < width; ++x) out[x] = in[x] < 128 ? 0 : 255;
    } else {
      std::memcpy(out, in, raster->stride());
    }
  }
  image = poppler::image();  // free poppler's bitmap before any conversion
  if (!header.scanned) {
    // Rendered in colour; keep gray pages gray (one byte per pixel).
    const uint8_t* p = raster->pixels.data();
    const size_t n = static_cast<size_t>(width) * height;
    bool all_gray = true;
    for (size_t i = 0; i < n && all_gray; ++i, p += 3) all_gray = p[0] == p[1] && p[1] == p[2];
    if (all_gray) {
      Raster gray_raster;
      gray_raster.Allocate(width, height, PixelKind::kGray);
      gray_raster.dpi_x = raster->dpi_x;
      gray_raster.dpi_y = raster->dpi_y;
      for (size_t i = 0; i < n; ++i) gray_raster.pixels[i] = raster->pixels[3 * i];
      *raster = std::move(gray_raster);
    }
  }
  return Status::Ok();
}

}  // namespace sohoa
