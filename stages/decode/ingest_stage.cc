#include "stages/decode/ingest_stage.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/core/reason.h"
#include "stages/decode/image_decoder.h"
#include "stages/decode/pdf_decoder.h"
#include "stages/decode/tiff_decoder.h"
#include "stages/page/text_size.h"

namespace sohoa {
namespace {

// ---- Reading the file -------------------------------------------------------

// Reads up to `limit` bytes from the start of `path` (the whole file when
// limit is 0) and reports the file's size.
Status ReadBytes(const std::string& path, size_t limit, std::string* bytes, uint64_t* size) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  const std::streamoff end = in.tellg();
  if (end < 0) return Status::IoError("cannot read the size of " + path);
  *size = static_cast<uint64_t>(end);
  const size_t want = limit == 0 ? *size : std::min<uint64_t>(limit, *size);
  bytes->resize(want);
  in.seekg(0);
  if (want > 0 && !in.read(bytes->data(), static_cast<std::streamsize>(want))) {
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

// The first bytes of a file as a person can read them in a message.
std::string Printable(const std::string& head, size_t n) {
  std::string out;
  for (size_t i = 0; i < std::min(n, head.size()); ++i) {
    const unsigned char c = static_cast<unsigned char>(head[i]);
    if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

bool StartsWith(const std::string& s, const char* prefix, size_t n) {
  return s.size() >= n && std::memcmp(s.data(), prefix, n) == 0;
}

// The format from the content's signature: "tiff", "png", "jpeg", "pdf", or
// a Status naming what the file is instead.
Status Sniff(const std::string& head, uint64_t size, std::string* format) {
  format->clear();
  if (size == 0) return Status::InvalidInput("empty file (0 bytes)");
  if (StartsWith(head, "II*\0", 4) || StartsWith(head, "MM\0*", 4) ||  // classic TIFF
      StartsWith(head, "II+\0", 4) || StartsWith(head, "MM\0+", 4)) {  // BigTIFF
    *format = "tiff";
  } else if (StartsWith(head, "\x89PNG\r\n\x1a\n", 8)) {
    *format = "png";
  } else if (StartsWith(head, "\xFF\xD8\xFF", 3)) {
    *format = "jpeg";
  } else if (head.find("%PDF-") != std::string::npos) {  // may follow junk
    *format = "pdf";
  } else if (StartsWith(head, "GIF87a", 6) || StartsWith(head, "GIF89a", 6)) {
    return Status::Unsupported("GIF images are not supported; rescan or convert to TIFF or PNG");
  } else if (head.size() >= 12 && StartsWith(head, "RIFF", 4) && head.compare(8, 4, "WEBP") == 0) {
    return Status::Unsupported("WebP images are not supported; convert to TIFF or PNG");
  } else if (StartsWith(head, "\0\0\0\x0CjP  ", 8) || StartsWith(head, "\xFF\x4F\xFF\x51", 4)) {
    return Status::Unsupported("JPEG 2000 images are not supported; convert to TIFF or PNG");
  } else if (head.size() >= 10 && StartsWith(head, "BM", 2) &&
             head.compare(6, 4, std::string(4, '\0')) == 0) {
    return Status::Unsupported("BMP images are not supported; convert to TIFF or PNG");
  } else {
    return Status::InvalidInput("not an image: file starts with '" + Printable(head, 8) + "'");
  }
  return Status::Ok();
}

// ---- Limits -----------------------------------------------------------------

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

Status CheckSize(uint64_t width, uint64_t height, const IngestOptions& options) {
  const std::string size = std::to_string(width) + "×" + std::to_string(height) + " pixels";
  if (width * height > options.max_pixels_per_page) {
    return Status::TooLarge(size + " exceeds the limit of " + Number(options.max_pixels_per_page / 1e6) +
                            " megapixels");
  }
  const uint64_t limit = static_cast<uint64_t>(std::max(options.max_dimension, 0));
  if (width > limit || height > limit) {
    return Status::TooLarge(size + " exceeds the limit of " + std::to_string(limit) + " pixels per side");
  }
  const uint64_t minimum = static_cast<uint64_t>(std::max(options.min_dimension, 0));
  if (width < minimum || height < minimum) {
    return Status::InvalidInput(size + " is too small to be a page scan (under " + std::to_string(minimum) +
                                " pixels on a side)");
  }
  return Status::Ok();
}

std::string PageName(int index) { return "page " + std::to_string(index + 1); }

// "1-3, 7" for 0-based indices {0, 1, 2, 6}.
std::string PageList(const std::vector<int>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size();) {
    size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(indices[i] + 1);
    if (j > i) {
      out += '-';
      out += std::to_string(indices[j] + 1);
    }
    i = j + 1;
  }
  return out;
}

// ---- probe ------------------------------------------------------------------

struct PageGeometry {
  int width = 0, height = 0;
  double dpi_x = 0, dpi_y = 0;
};

class ProbeWorker : public DocumentWorker {
 public:
  explicit ProbeWorker(const IngestOptions& options) : options_(options) {}

  Status Process(Document& doc) override {
    if (!doc.page_files.empty()) return ProbeBookFolder(doc);
    std::vector<PageGeometry> pages;
    SOHOA_RETURN_IF_ERROR(ProbeFile(doc, doc.source_path, &doc.format, &pages));
    doc.pages.clear();
    doc.pages.resize(pages.size());
    for (size_t i = 0; i < pages.size(); ++i) doc.pages[i].index = static_cast<int>(i);
    // A page without a recorded resolution gets one in decode (estimated or
    // assumed, Page::resolution_source), which has its pixels.
    return Status::Ok();
  }

 private:
  // The format (from content) and pages of the file at `path`.
  Status ProbeFile(Document& doc, const std::string& path, std::string* format, std::vector<PageGeometry>* pages) {
    std::string head;
    uint64_t size = 0;
    SOHOA_RETURN_IF_ERROR(ReadBytes(path, 1024, &head, &size));
    SOHOA_RETURN_IF_ERROR(Sniff(head, size, format));
    if (*format == "tiff") return ProbeTiff(doc, path, pages);
    if (*format == "pdf") return ProbePdf(doc, path, pages);
    std::string bytes;
    SOHOA_RETURN_IF_ERROR(ReadBytes(path, 0, &bytes, &size));
    StatusOr<ImageHeader> header = ReadImageHeader(bytes);
    if (!header.ok()) return header.status();
    SOHOA_RETURN_IF_ERROR(CheckSize(header->width, header->height, options_).WithContext(PageName(0)));
    pages->push_back({header->width, header->height, header->dpi_x, header->dpi_y});
    return Status::Ok();
  }

  // A register book given as a folder: its page files one after the other,
  // each of any format; a file that is not a page image fails the book
  // naming it (a book with a page left out would be renumbered).
  Status ProbeBookFolder(Document& doc) {
    doc.format = "folder";
    doc.page_file_formats.assign(doc.page_files.size(), "");
    doc.pages.clear();
    for (size_t k = 0; k < doc.page_files.size(); ++k) {
      const std::string& path = doc.page_files[k];
      std::vector<PageGeometry> pages;
      Status probed = ProbeFile(doc, path, &doc.page_file_formats[k], &pages);
      if (!probed.ok()) return probed.WithContext(path.substr(path.find_last_of('/') + 1));
      for (size_t i = 0; i < pages.size(); ++i) {
        if (static_cast<int>(doc.pages.size()) >= options_.max_pages) {
          return Status::TooLarge("book folder of more than " + std::to_string(options_.max_pages) + " pages");
        }
        Page page;
        page.index = static_cast<int>(doc.pages.size());
        page.source_file = static_cast<int>(k);
        page.index_in_file = static_cast<int>(i);
        doc.pages.push_back(std::move(page));
      }
    }
    return Status::Ok();
  }

  Status ProbeTiff(Document& doc, const std::string& path, std::vector<PageGeometry>* pages) {
    StatusOr<std::unique_ptr<TiffFile>> file = TiffFile::Open(path);
    if (!file.ok()) return file.status();
    std::string damage;
    StatusOr<std::vector<TiffPageHeader>> headers = (*file)->ReadAllHeaders(options_.max_pages, &damage);
    if (!headers.ok()) return headers.status();
    for (size_t i = 0; i < headers->size(); ++i) {
      const TiffPageHeader& h = (*headers)[i];
      const std::string where = PageName(static_cast<int>(i));
      if (!h.codec_available) {
        return Status::Unsupported(where + ": " + h.compression_name + " compression is not supported");
      }
      SOHOA_RETURN_IF_ERROR(CheckSize(h.width, h.height, options_).WithContext(where));
      pages->push_back({h.width, h.height, h.dpi_x, h.dpi_y});
    }
    if (!damage.empty()) {
      doc.review_reasons.push_back("only " + std::to_string(pages->size()) + " page(s) could be read; " +
                                   damage);
    }
    return Status::Ok();
  }

  // Every page is measured (no pixels) so absurd sizes are refused here.
  Status ProbePdf(Document& doc, const std::string& path, std::vector<PageGeometry>* pages) {
    try {
      StatusOr<std::unique_ptr<PdfFile>> file = PdfFile::Open(path);
      if (!file.ok()) return file.status();
      const int count = (*file)->page_count();
      if (count > options_.max_pages) {
        return Status::TooLarge("PDF of " + std::to_string(count) + " pages exceeds the limit of " +
                                std::to_string(options_.max_pages) + " pages");
      }
      std::vector<int> rasterised, with_text;
      for (int i = 0; i < count; ++i) {
        StatusOr<PdfPageHeader> h = (*file)->ReadPageHeader(i, options_.default_dpi);
        if (!h.ok()) return h.status().WithContext(PageName(i));
        SOHOA_RETURN_IF_ERROR(CheckSize(h->width, h->height, options_).WithContext(PageName(i)));
        pages->push_back({h->width, h->height, h->dpi_x, h->dpi_y});
        if (!h->scanned) rasterised.push_back(i);
        if (h->has_text) with_text.push_back(i);
      }
      std::string note;
      if (!rasterised.empty()) {
        note = std::string(rasterised.size() == 1 ? "page " : "pages ") + PageList(rasterised) +
               ": no page-sized scanned image; rasterised at " + Number(options_.default_dpi) + " dpi";
      }
      if (!with_text.empty()) {
        if (!note.empty()) note += "; ";
        note += std::string(with_text.size() == 1 ? "page " : "pages ") + PageList(with_text) +
                ": the PDF's own text layer is not kept (the page image is OCRed again)";
      }
      if ((*file)->encrypted()) {
        if (!note.empty()) note += "; ";
        note += "the PDF is encrypted without a password (permissions only)";
      }
      if (!note.empty()) doc.metadata["ingest.pdf_note"] = note;
      if (!(*file)->repairs().empty()) {
        // Readable again, but something was lost or moved: a person checks.
        doc.review_reasons.push_back("damaged PDF, repaired on reading (" + (*file)->repairs() +
                                     "); check that every page is complete");
      }
    } catch (const std::bad_alloc&) {
      return Status::TooLarge("out of memory while reading the PDF");
    } catch (const std::exception& e) {
      return Status::Internal(std::string("unexpected error while reading the PDF: ") + e.what());
    }
    return Status::Ok();
  }

  const IngestOptions options_;
};

class ProbeStage : public DocumentStage {
 public:
  explicit ProbeStage(const IngestOptions& options) : options_(options) {}
  std::string Name() const override { return "probe"; }
  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    return std::unique_ptr<DocumentWorker>(new ProbeWorker(options_));
  }

 private:
  const IngestOptions options_;
};

// ---- decode -----------------------------------------------------------------

class DecodeWorker : public PageWorker {
 public:
  explicit DecodeWorker(const IngestOptions& options) : options_(options) {}

  Status Process(const Document& doc, Page& page) override {
    Status status;
    try {
      const bool in_folder = page.source_file >= 0;
      if (in_folder && page.source_file >= static_cast<int>(doc.page_files.size())) {
        return Status::Internal("decode: page of a book folder without its file");
      }
      status = in_folder ? Decode(doc.page_files[page.source_file], doc.page_file_formats[page.source_file],
                                  page.index_in_file, page)
                         : Decode(doc.source_path, doc.format, page.index, page);
    } catch (const std::bad_alloc&) {
      status = Status::TooLarge("out of memory while decoding");
    } catch (const std::exception& e) {
      status = Status::Internal(std::string("unexpected error while decoding: ") + e.what());
    }
    if (!status.ok()) {
      page.raster.Release();
      return status;  // the graph names the page (Document::FirstPageFailure)
    }
    Raster& raster = page.raster;
    if (raster.dpi_x <= 0 || raster.dpi_y <= 0) SupplyResolution(page);
    if (std::min(raster.dpi_x, raster.dpi_y) < options_.min_dpi) {
      const std::string dpi = raster.dpi_x == raster.dpi_y
                                  ? Number(raster.dpi_x)
                                  : Number(raster.dpi_x) + "×" + Number(raster.dpi_y);
      // The reason table's text (pipeline/core/reason.cc), so that the
      // ledger's reason parses back and is said in the reader's language.
      const bool estimated = page.resolution_source == ResolutionSource::kEstimated;
      page.review_reasons.push_back(ReasonText(
          estimated ? "page.low_dpi_estimated" : "page.low_dpi",
          {{"page", std::to_string(page.index + 1)}, {"dpi", dpi}, {"minimum", Number(options_.min_dpi)}}));
    }
    return Status::Ok();
  }

 private:
  // The file records no resolution (a screenshot, a phone photo): estimate
  // it from the text (stages/page/text_size.h), else assume options.default_dpi.
  // Assuming 300 dpi for a 70 dpi photo made its letters look like specks
  // to the blank check and gave its PDF a 6 cm page.
  void SupplyResolution(Page& page) const {
    Raster& raster = page.raster;
    double dpi = 0;
    if (options_.estimate_missing_dpi) {
      // Leptonica failing here is no reason to lose the page: assume.
      StatusOr<TextSize> size = MeasureTextSize(raster);
      if (size.ok()) dpi = std::round(EstimateResolution(*size));
    }
    page.resolution_source = dpi > 0 ? ResolutionSource::kEstimated : ResolutionSource::kAssumed;
    raster.dpi_x = raster.dpi_y = dpi > 0 ? dpi : options_.default_dpi;
  }

  // Page `index` of the file at `path`, of `format`.
  Status Decode(const std::string& path, const std::string& format, int index, Page& page) {
    if (format == "tiff") {
      StatusOr<std::unique_ptr<TiffFile>> file = TiffFile::Open(path);
      if (!file.ok()) return file.status();
      StatusOr<TiffPageHeader> header = (*file)->SelectPage(index);
      if (!header.ok()) return header.status();
      SOHOA_RETURN_IF_ERROR(CheckSize(header->width, header->height, options_));
      page.source_kind = header->kind;
      page.source_bits = header->bits_per_sample;
      return (*file)->DecodeCurrentPage(&page.raster);
    }
    if (format == "pdf") {
      StatusOr<std::unique_ptr<PdfFile>> file = PdfFile::Open(path);
      if (!file.ok()) return file.status();
      StatusOr<PdfPageHeader> header = (*file)->ReadPageHeader(index, options_.default_dpi);
      if (!header.ok()) return header.status();
      SOHOA_RETURN_IF_ERROR(CheckSize(header->width, header->height, options_));
      if (header->scanned && !header->image_damage.empty()) {
        return Status::InvalidInput("damaged page image (JPEG): " + header->image_damage);
      }
      page.source_bits = header->bits_per_sample;
      std::string complaints;
      SOHOA_RETURN_IF_ERROR((*file)->RenderPage(index, *header, &page.raster, &complaints));
      if (!complaints.empty()) {
        // A scan with damaged image data would be archived half gray: refuse
        // it like a damaged TIFF strip. A born-digital page is a person's call.
        if (header->scanned) return Status::InvalidInput("damaged page image: " + complaints);
        page.review_reasons.push_back(PageName(page.index) + ": the PDF renderer reported: " + complaints);
      }
      // A born-digital page is rendered in colour and may turn out gray.
      page.source_kind = header->scanned ? header->kind : page.raster.kind;
      return Status::Ok();
    }
    if (format == "png" || format == "jpeg") {
      if (index != 0) return Status::InvalidInput("a " + format + " file has a single page");
      std::string bytes;
      uint64_t size = 0;
      SOHOA_RETURN_IF_ERROR(ReadBytes(path, 0, &bytes, &size));
      StatusOr<ImageHeader> header = ReadImageHeader(bytes);
      if (!header.ok()) return header.status();
      SOHOA_RETURN_IF_ERROR(CheckSize(header->width, header->height, options_));
      page.source_kind = header->kind;
      page.source_bits = header->bits_per_sample;
      SOHOA_RETURN_IF_ERROR(DecodeImage(bytes, *header, &page.raster));
      // Kept for the encode stage's pass-through (stages/pdf/jpeg_passthrough.h).
      if (header->format == "jpeg") page.source_jpeg = std::move(bytes);
      return Status::Ok();
    }
    return Status::Internal("decode reached a file of format '" + format + "' that probe did not accept");
  }

  const IngestOptions options_;
};

class DecodeStage : public PageStage {
 public:
  explicit DecodeStage(const IngestOptions& options) : options_(options) {}
  std::string Name() const override { return "decode"; }
  StatusOr<std::unique_ptr<PageWorker>> NewWorker() const override {
    return std::unique_ptr<PageWorker>(new DecodeWorker(options_));
  }

 private:
  const IngestOptions options_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewIngestProbeStage(const IngestOptions& options) {
  return std::make_unique<ProbeStage>(options);
}

std::unique_ptr<PageStage> NewIngestDecodeStage(const IngestOptions& options) {
  return std::make_unique<DecodeStage>(options);
}

}  // namespace sohoa
