// Helpers shared by the signing tests: a document written by the real PDF
// writer, signing it with a stage, and the signatures found in the bytes.
#pragma once

#include <gtest/gtest.h>
#include <openssl/cms.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"
#include "stages/signing/signing_stage.h"

namespace sohoa::testing {

constexpr double kDpi = 200;
constexpr int kWidth = 1654, kHeight = 2339;  // A4 at 200 dpi

// A one-page A4 document written by the real PDF writer: white margins, a
// grey "text" block in the middle of the page.
inline Document MakeWrittenDocument(const std::filesystem::path& staging, PdfALevel level = PdfALevel::k2b) {
  Document doc;
  doc.relative_path = "2021/xác nhận 12.tif";
  doc.sha256 = std::string(60, 'b') + "5678";
  doc.staging_dir = staging.string();
  doc.mtime_ns = int64_t{1627455000} * 1000000000;
  Page page;
  page.raster.Allocate(kWidth, kHeight, PixelKind::kGray);
  page.raster.dpi_x = page.raster.dpi_y = kDpi;
  for (int y = 0; y < kHeight; ++y) {
    uint8_t* row = page.raster.row(y);
    for (int x = 0; x < kWidth; ++x) {
      const bool text = y > 400 && y < 1800 && x > 200 && x < 1450 && y % 40 < 16 && (x / 9) % 3;
      row[x] = text ? 40 : 255;
    }
  }
  Document unused;
  auto encoder = NewEncodeStage(EncodeOptions{})->NewWorker();
  EXPECT_TRUE(encoder.ok());
  EXPECT_TRUE((*encoder)->Process(unused, page).ok());
  doc.pages.push_back(std::move(page));
  PdfWriterOptions pdf;
  pdf.level = level;
  pdf.deterministic = true;
  auto writer = NewPdfWriterStage(pdf)->NewWorker();
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  Status s = (*writer)->Process(doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return doc;
}

inline Status Sign(const SigningOptions& options, Document& doc) {
  StatusOr<std::unique_ptr<DocumentStage>> stage = OpenSigningStage(options);
  if (!stage.ok()) return stage.status();
  auto worker = (*stage)->NewWorker();
  if (!worker.ok()) return worker.status();
  return (*worker)->Process(doc);
}

inline std::string PdfPath(const Document& doc) { return doc.FindOutput("pdf")->staged_path; }

struct SignatureBytes {
  std::string covered;  // the ByteRange content
  std::string cms;      // DER from /Contents (trailing zero padding dropped by DER length)
  size_t end = 0;       // end of the covered range = end of that revision
};

// Every /ByteRange [a b c d] with its /Contents <hex>, in file order.
inline std::vector<SignatureBytes> Signatures(const std::string& pdf) {
  std::vector<SignatureBytes> out;
  std::regex range(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), range); it != std::sregex_iterator(); ++it) {
    const size_t a = std::stoul((*it)[1]), b = std::stoul((*it)[2]), c = std::stoul((*it)[3]),
                 d = std::stoul((*it)[4]);
    SignatureBytes s;
    s.covered = pdf.substr(a, b) + pdf.substr(c, d);
    s.end = c + d;
    const std::string hex = pdf.substr(b + 1, c - b - 2);
    std::string der;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      der.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    // Cut the zero padding: the DER's own length says where it ends.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    if (cms != nullptr) {
      der.resize(static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(der.data())));
      CMS_ContentInfo_free(cms);
    }
    s.cms = der;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sohoa::testing
