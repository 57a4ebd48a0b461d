#include "pipeline/core/document.h"

#include <algorithm>
#include <cmath>

namespace sohoa {

std::string OcrLine::Text() const {
  std::string text;
  for (const OcrWord& word : words) {
    if (!text.empty()) text += ' ';
    text += word.text;
  }
  return text;
}

std::string OcrResult::Text() const {
  std::string text;
  int block = lines.empty() ? 0 : lines.front().block;
  for (const OcrLine& line : lines) {
    if (line.block != block) {
      text += '\n';  // paragraph gap between blocks
      block = line.block;
    }
    text += line.Text();
    text += '\n';
  }
  return text;
}

size_t OcrResult::WordCount() const {
  size_t n = 0;
  for (const OcrLine& line : lines) n += line.words.size();
  return n;
}

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPending:
      return "pending";
    case Outcome::kArchived:
      return "archived";
    case Outcome::kReview:
      return "review";
    case Outcome::kQuarantined:
      return "quarantined";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kDeferred:
      return "deferred";
  }
  return "unknown";
}

const char* ResolutionSourceName(ResolutionSource source) {
  switch (source) {
    case ResolutionSource::kFile:
      return "file";
    case ResolutionSource::kEstimated:
      return "estimated";
    case ResolutionSource::kAssumed:
      return "assumed";
  }
  return "unknown";
}

std::string Document::ResolutionNote() const {
  std::string note;
  for (const Page& page : pages) {
    if (page.resolution_source == ResolutionSource::kFile) continue;
    const double dpi = page.image.empty() ? std::max(page.raster.dpi_x, page.raster.dpi_y)
                                          : std::max(page.image.dpi_x, page.image.dpi_y);
    if (!note.empty()) note += "; ";
    note += "page " + std::to_string(page.index + 1) + ": " +
            std::to_string(static_cast<long>(std::lround(dpi))) + " dpi " +
            (page.resolution_source == ResolutionSource::kEstimated ? "estimated from the size of its text"
                                                                    : "assumed") +
            ", the file records none";
  }
  return note;
}

Status Document::FirstPageFailure() const {
  for (const Page& page : pages) {
    if (!page.status.ok()) {
      return page.status.WithContext("page " + std::to_string(page.index + 1));
    }
  }
  return Status::Ok();
}

void Page::ReleaseSourceJpeg() { std::string().swap(source_jpeg); }

void Document::ReleasePageContent() {
  for (Page& page : pages) {
    page.raster.Release();
    page.ReleaseSourceJpeg();
    page.image = EncodedImage();  // assignment from a fresh one frees the bytes
    page.ocr = OcrResult();
  }
}

const OutputFile* Document::FindOutput(const std::string& role) const {
  for (const OutputFile& out : outputs) {
    if (out.role == role) return &out;
  }
  return nullptr;
}

}  // namespace sohoa
