// SigningStage against judges nobody here wrote: poppler's pdfsig and
// pdftoppm, the openssl CLI (cms -verify, ts -reply/-verify), qpdf, zbarimg,
// SoftHSM2 as a PKCS#11 token, OpenSC's pkcs11-spy to count C_Login calls.
// The PKI is made per test binary by scripts/test-pki/make-test-pki.sh.
#include "stages/signing_stage.h"

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/sha.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "stages/encode_stage.h"
#include "stages/pdf_writer_stage.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;
using testing::WriteFile;

constexpr char kSecret[] = "test-secret";
constexpr double kDpi = 200;
constexpr int kWidth = 1654, kHeight = 2339;  // A4 at 200 dpi

// The PKI, the seal and the SoftHSM token, made once for the whole binary.
class SigningEnvironment {
 public:
  static SigningEnvironment& Get() {
    static SigningEnvironment* env = new SigningEnvironment();
    return *env;
  }
  fs::path pki() const { return dir_.path() / "pki"; }
  fs::path seal() const { return dir_.path() / "seal.png"; }

 private:
  SigningEnvironment() : dir_("signing-env") {
    const fs::path script = fs::path(SOHOA_SOURCE_DIR) / "scripts/test-pki/make-test-pki.sh";
    auto r = RunCommand(Quote(script.string()) + " " + Quote(pki().string()));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // A red seal, 40 mm across at 300 dpi (472 px), transparent outside.
    r = RunCommand("/usr/bin/python3 -c " +
                   Quote("from PIL import Image, ImageDraw\n"
                         "im = Image.new('RGBA', (472, 472), (0, 0, 0, 0))\n"
                         "d = ImageDraw.Draw(im)\n"
                         "d.ellipse((4, 4, 467, 467), outline=(220, 20, 20, 255), width=18)\n"
                         "d.ellipse((150, 150, 321, 321), fill=(220, 20, 20, 255))\n"
                         "im.save('" + seal().string() + "', dpi=(300, 300))\n"));
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  ScratchDir dir_;
};

// A one-page A4 document written by the real PDF writer: white margins, a
// grey "text" block in the middle of the page.
Document MakeWrittenDocument(const fs::path& staging, PdfALevel level = PdfALevel::k2b) {
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

SigningOptions Pkcs12Options() {
  const fs::path pki = SigningEnvironment::Get().pki();
  SigningOptions o;
  o.staff.key_spec = (pki / "staff.p12").string();
  o.staff.secret = kSecret;
  o.org.key_spec = (pki / "org.p12").string();
  o.org.secret = kSecret;
  o.org.name = "UBND xã Xuân Thành";
  o.org_seal_png = SigningEnvironment::Get().seal().string();
  o.location = "Xuân Thành";
  return o;
}

Status Sign(const SigningOptions& options, Document& doc) {
  StatusOr<std::unique_ptr<DocumentStage>> stage = OpenSigningStage(options);
  if (!stage.ok()) return stage.status();
  auto worker = (*stage)->NewWorker();
  if (!worker.ok()) return worker.status();
  return (*worker)->Process(doc);
}

std::string PdfPath(const Document& doc) { return doc.FindOutput("pdf")->staged_path; }

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

struct SignatureBytes {
  std::string covered;  // the ByteRange content
  std::string cms;      // DER from /Contents (trailing zero padding dropped by DER length)
  size_t end = 0;       // end of the covered range = end of that revision
};

// Every /ByteRange [a b c d] with its /Contents <hex>, in file order.
std::vector<SignatureBytes> Signatures(const std::string& pdf) {
  std::vector<SignatureBytes> out;
  std::regex range(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), range); it != std::sregex_iterator();
       ++it) {
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

TEST(SigningStageTest, Pkcs12TwoSignaturesValidInPdfsig) {
  ScratchDir dir("signing-two");
  Document doc = MakeWrittenDocument(dir.path());
  const size_t unsigned_size = fs::file_size(PdfPath(doc));
  Status s = Sign(Pkcs12Options(), doc);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string pdf = ReadFile(PdfPath(doc));
  EXPECT_EQ(doc.FindOutput("pdf")->bytes, pdf.size());
  EXPECT_GT(pdf.size(), unsigned_size);
  std::cerr << "unsigned " << unsigned_size << " bytes, signed " << pdf.size() << " bytes\n";

  auto r = RunCommand("pdfsig " + Quote(PdfPath(doc)));
  std::cerr << r.output;
  EXPECT_NE(r.output.find("Signature #2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Signature #3"), std::string::npos) << r.output;
  EXPECT_EQ(Count(r.output, "Signature Validation: Signature is Valid."), 2u) << r.output;
  // The organisation's signature, last, covers the whole file.
  const size_t second = r.output.find("Signature #2");
  EXPECT_NE(r.output.find("Total document signed", second), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ETSI.CAdES.detached"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Nguyễn Văn An"), std::string::npos) << r.output;

  EXPECT_EQ(doc.metadata["signed"], R"(["Nguyễn Văn An","UBND xã Xuân Thành"])");
  r = RunCommand("qpdf --check " + Quote(PdfPath(doc)));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("No syntax or stream encoding errors"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sohoa
