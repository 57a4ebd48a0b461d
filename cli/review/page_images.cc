#include "cli/review/page_images.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include "pipeline/core/error_text.h"

namespace sohoa::cli {
namespace {

// The archive store hands out bytes. poppler reads them in place (no copy):
// `pdf` must outlive the document, which every caller here keeps local.
StatusOr<std::unique_ptr<poppler::document>> Open(const std::string& pdf) {
  if (pdf.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::InvalidInput(ErrorText("page.pdf_too_large", {}));
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (doc == nullptr || doc->is_locked()) return Status::InvalidInput(ErrorText("page.cannot_open_pdf", {}));
  return doc;
}

}  // namespace

namespace {

// Renders page `index` at `dpi`, the whole page or, when `region` is given,
// that part of it, as PNG bytes.
StatusOr<std::string> Render(const std::string& pdf, int index, double dpi, const PageRegion* region,
                             int max_pixels) {
  StatusOr<std::unique_ptr<poppler::document>> doc = Open(pdf);
  if (!doc.ok()) return doc.status();
  if (index < 0 || index >= (*doc)->pages()) {
    return Status::InvalidInput(ErrorText("page.not_in_pdf", {{"page", std::to_string(index + 1)}}));
  }
  std::unique_ptr<poppler::page> page((*doc)->create_page(index));
  if (page == nullptr)
    return Status::InvalidInput(ErrorText("page.cannot_read", {{"page", std::to_string(index + 1)}}));
  int x = -1, y = -1, w = -1, h = -1;
  if (region != nullptr) {
    const poppler::rectf rect = page->page_rect(poppler::media_box);
    const double width_in = rect.width() / 72, height_in = rect.height() / 72;
    if (width_in <= 0 || height_in <= 0)
      return Status::InvalidInput(ErrorText("page.no_size", {{"page", std::to_string(index + 1)}}));
    // The resolution that keeps the crop within max_pixels on its longer side.
    const double longest_in = std::max(region->w * width_in, region->h * height_in);
    if (longest_in <= 0) return Status::InvalidInput(ErrorText("page.empty_part", {}));
    dpi = std::min(dpi, max_pixels / longest_in);
    x = static_cast<int>(region->x * width_in * dpi);
    y = static_cast<int>(region->y * height_in * dpi);
    w = std::max(1, static_cast<int>(region->w * width_in * dpi));
    h = std::max(1, static_cast<int>(region->h * height_in * dpi));
  }
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi, x, y, w, h);
  if (!image.is_valid())
    return Status::InvalidInput(ErrorText("page.cannot_render", {{"page", std::to_string(index + 1)}}));
  // poppler-cpp saves images to files only.
  char path[] = "/tmp/sohoa-review-page-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Status::IoError(ErrorText("page.temp_file", {}));
  close(fd);
  const bool saved = image.save(path, "png");
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  unlink(path);
  if (!saved) return Status::Internal(ErrorText("page.cannot_encode", {}));
  return bytes.str();
}

}  // namespace

StatusOr<std::string> RenderPagePng(const std::string& pdf, int index, double dpi) {
  return Render(pdf, index, dpi, nullptr, 0);
}

StatusOr<std::string> RenderPageRegionPng(const std::string& pdf, int index, const PageRegion& region,
                                          double max_dpi, int max_pixels) {
  PageRegion r = region;
  r.x = std::clamp(r.x, 0.0, 1.0);
  r.y = std::clamp(r.y, 0.0, 1.0);
  r.w = std::clamp(r.w, 0.0, 1.0 - r.x);
  r.h = std::clamp(r.h, 0.0, 1.0 - r.y);
  if (r.w < 0.005 || r.h < 0.005) return Status::InvalidInput(ErrorText("page.empty_region", {}));
  return Render(pdf, index, max_dpi, &r, std::clamp(max_pixels, 16, 4000));
}

StatusOr<std::vector<PageWords>> ReadPageWords(const std::string& pdf) {
  StatusOr<std::unique_ptr<poppler::document>> doc = Open(pdf);
  if (!doc.ok()) return doc.status();
  std::vector<PageWords> pages;
  for (int i = 0; i < (*doc)->pages(); ++i) {
    std::unique_ptr<poppler::page> page((*doc)->create_page(i));
    PageWords out;
    if (page == nullptr) {
      pages.push_back(out);
      continue;
    }
    const poppler::rectf rect = page->page_rect(poppler::media_box);
    out.width_pt = rect.width();
    out.height_pt = rect.height();
    if (out.width_pt <= 0 || out.height_pt <= 0) {
      pages.push_back(out);
      continue;
    }
    for (const poppler::text_box& box : page->text_list()) {
      const poppler::byte_array utf8 = box.text().to_utf8();
      const poppler::rectf b = box.bbox();
      WordBox w;
      w.text.assign(utf8.begin(), utf8.end());
      w.x = b.x() / out.width_pt;
      w.y = b.y() / out.height_pt;
      w.w = b.width() / out.width_pt;
      w.h = b.height() / out.height_pt;
      out.words.push_back(std::move(w));
    }
    pages.push_back(std::move(out));
  }
  return pages;
}

}  // namespace sohoa::cli
