#include "cli/review/page_images.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

namespace sohoa::cli {
namespace {

// The archive store hands out bytes. poppler reads them in place (no copy):
// `pdf` must outlive the document, which every caller here keeps local.
StatusOr<std::unique_ptr<poppler::document>> Open(const std::string& pdf) {
  if (pdf.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::InvalidInput("the archived PDF is too large to show");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (doc == nullptr || doc->is_locked()) return Status::InvalidInput("cannot open the archived PDF");
  return doc;
}

}  // namespace

StatusOr<std::string> RenderPagePng(const std::string& pdf, int index, double dpi) {
  StatusOr<std::unique_ptr<poppler::document>> doc = Open(pdf);
  if (!doc.ok()) return doc.status();
  if (index < 0 || index >= (*doc)->pages()) {
    return Status::InvalidInput("page " + std::to_string(index + 1) + " is not in the archived PDF");
  }
  std::unique_ptr<poppler::page> page((*doc)->create_page(index));
  if (page == nullptr) return Status::InvalidInput("cannot read page " + std::to_string(index + 1));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  if (!image.is_valid())
    return Status::InvalidInput("poppler could not render page " + std::to_string(index + 1));
  // poppler-cpp saves images to files only.
  char path[] = "/tmp/sohoa-review-page-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Status::IoError("cannot create a temporary file for the page image");
  close(fd);
  const bool saved = image.save(path, "png");
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  unlink(path);
  if (!saved) return Status::Internal("poppler could not encode the page as PNG");
  return bytes.str();
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
