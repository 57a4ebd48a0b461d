// End to end, issue 4: `sohoa run` signing every archived document, once
// with both keys in PKCS#12 files and once with the organisation key on a
// SoftHSM2 token (PKCS#11), judged by poppler's pdfsig. A few scans of the
// generated batch are enough: signing is per document, and OCR is slow.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/signing_fixture.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::BinaryPath;
using testing::Count;
using testing::Quote;
using testing::RunCommand;
using testing::SamplesDir;
using testing::ScratchDir;
using testing::SigningEnvironment;
using testing::SoftHsmToken;

// Bilevel G4, colour, and the three-page document.
const char* const kScans[] = {"t01_khai_sinh_g4.tif", "t06_ket_hon_rgb_deflate.tif",
                              "t09_khai_sinh_3pages.tif"};

fs::path CopyScans(const ScratchDir& dir) {
  const fs::path input = dir / "input";
  fs::create_directories(input);
  for (const char* name : kScans) fs::copy_file(SamplesDir() / "scans" / name, input / name);
  return input;
}

// `sohoa run` with the secrets in the environment, as an operator would.
testing::CommandResult SignedRun(const fs::path& input, const fs::path& archive, const std::string& org_key,
                                 const std::string& org_secret, const std::string& extra_options = "") {
  const fs::path pki = SigningEnvironment::Get().pki();
  return RunCommand("SOHOA_ORG_KEY_SECRET=" + Quote(org_secret) +
                    " SOHOA_STAFF_KEY_SECRET=" + Quote(testing::kP12Secret) + " " +
                    Quote(BinaryPath("sohoa").string()) + " run --ui-lang en --jobs 2 --input " +
                    Quote(input.string()) + " --archive " + Quote(archive.string()) + " --staff-key " +
                    Quote((pki / "staff.p12").string()) + " --org-key " + Quote(org_key) + " --org-seal " +
                    Quote(SigningEnvironment::Get().seal().string()) + extra_options);
}

std::vector<nlohmann::json> Export(const fs::path& archive) {
  auto r = RunCommand(Quote(BinaryPath("sohoa").string()) + " export --archive " + Quote(archive.string()) +
                      " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<nlohmann::json> entries;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) entries.push_back(nlohmann::json::parse(line));
  return entries;
}

// Every document has a PDF with the staff and the organisation signature,
// both valid and covering the whole file as written.
void ExpectEveryDocumentSignedTwice(const fs::path& archive) {
  std::vector<nlohmann::json> entries = Export(archive);
  ASSERT_EQ(entries.size(), std::size(kScans));
  for (const nlohmann::json& e : entries) {
    ASSERT_TRUE(e["status"] == "archived" || e["status"] == "review") << e.dump();
    const fs::path pdf = archive / e["pdf"].get<std::string>();
    auto sig = RunCommand("pdfsig " + Quote(pdf.string()));
    EXPECT_EQ(Count(sig.output, "Signature is Valid."), 2u) << e["source"] << "\n" << sig.output;
    EXPECT_NE(sig.output.find("Nguyễn Văn An"), std::string::npos) << sig.output;
    EXPECT_NE(sig.output.find("CN=UBND xã Xuân Thành"), std::string::npos) << sig.output;
    // Only the last signature covers the whole file; nothing was appended after it.
    EXPECT_EQ(Count(sig.output, "Total document signed"), 1u) << sig.output;
    auto check = RunCommand("qpdf --check " + Quote(pdf.string()));
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

TEST(SignedRunTest, Pkcs12KeysSignEveryArchivedDocument) {
  ScratchDir dir("e2e-signed-p12");
  const fs::path archive = dir / "archive";
  auto run = SignedRun(CopyScans(dir), archive, (SigningEnvironment::Get().pki() / "org.p12").string(),
                       testing::kP12Secret);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.output;
  EXPECT_NE(run.output.find(" 0 quarantined"), std::string::npos) << run.output;
  ExpectEveryDocumentSignedTwice(archive);
}

TEST(SignedRunTest, SoftHsmTokenSignsEveryArchivedDocumentAsOrganisation) {
  ASSERT_TRUE(SoftHsmToken::Get().ready());
  ScratchDir dir("e2e-signed-p11");
  const fs::path archive = dir / "archive";
  auto run = SignedRun(CopyScans(dir), archive, SoftHsmToken::Get().Uri(), testing::kSoftHsmPin);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.output;
  EXPECT_NE(run.output.find(" 0 quarantined"), std::string::npos) << run.output;
  ExpectEveryDocumentSignedTwice(archive);
}

// A time-stamp authority that does not answer is not the documents' fault:
// none is quarantined or archived unstamped; nothing is recorded, their claims
// are given back, and the next run (here without --tsa) archives them all.
TEST(SignedRunTest, UnreachableTimeStampAuthorityLeavesEveryDocumentForTheNextRun) {
  ScratchDir dir("e2e-signed-notsa");
  const fs::path input = CopyScans(dir);
  const fs::path archive = dir / "archive";
  const std::string org_key = (SigningEnvironment::Get().pki() / "org.p12").string();
  auto run = SignedRun(input, archive, org_key, testing::kP12Secret, " --tsa http://127.0.0.1:9/tsa");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_EQ(Count(run.output, "left for the next run"), std::size(kScans) + 1) << run.output;  // + summary
  EXPECT_NE(run.output.find("127.0.0.1:9"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(" 0 quarantined"), std::string::npos) << run.output;
  EXPECT_TRUE(Export(archive).empty()) << "an outcome was recorded for an unstamped document";
  auto again = SignedRun(input, archive, org_key, testing::kP12Secret);
  ASSERT_TRUE(again.exit_code == 0 || again.exit_code == 3) << again.output;
  EXPECT_EQ(again.output.find("being processed by another run"), std::string::npos) << again.output;
  ExpectEveryDocumentSignedTwice(archive);
}

TEST(SignedRunTest, WrongTokenPinStopsTheRunBeforeAnythingIsArchived) {
  ASSERT_TRUE(SoftHsmToken::Get().ready());
  ScratchDir dir("e2e-signed-pin");
  const fs::path archive = dir / "archive";
  auto run = SignedRun(CopyScans(dir), archive, SoftHsmToken::Get().Uri(), "9999");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("PIN"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("9999"), std::string::npos) << "the PIN was echoed:\n" << run.output;
  int pdfs = 0;
  if (fs::exists(archive)) {
    for (const auto& f : fs::recursive_directory_iterator(archive)) pdfs += f.path().extension() == ".pdf";
  }
  EXPECT_EQ(pdfs, 0) << "documents were archived unsigned";
}

}  // namespace
}  // namespace sohoa
