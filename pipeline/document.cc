#include "pipeline/document.h"

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
    case Outcome::kPending: return "pending";
    case Outcome::kArchived: return "archived";
    case Outcome::kReview: return "review";
    case Outcome::kQuarantined: return "quarantined";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kDeferred: return "deferred";
  }
  return "unknown";
}

Status Document::FirstPageFailure() const {
  for (const Page& page : pages) {
    if (!page.status.ok()) {
      return page.status.WithContext("page " + std::to_string(page.index + 1));
    }
  }
  return Status::Ok();
}

void Document::ReleasePageContent() {
  for (Page& page : pages) {
    page.raster.Release();
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
