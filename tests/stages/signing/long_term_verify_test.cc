// `sohoa verify --trust-store` on PAdES documents (issue 21): levels as the
// files hold them, chains at the signing time, revocation from the DSS,
// time-stamp certificates near their end. Documents are signed by the real
// signing stage against the loopback PKI (tests/signing_fixture.h); the
// revocation data are real answers of `openssl ocsp` and `openssl ca`.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "build_paths.h"
#include "pipeline/archive/verify.h"
#include "pipeline/archive/verify_signature.h"
#include "stages/signing/pdf_long_term.h"
#include "tests/pipeline/archive/archive_fixture.h"
#include "tests/signing_fixture.h"
#include "tests/stages/signing/long_term_fixture.h"
#include "tests/stages/signing/signed_document.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::LtvEnvironment;
using testing::LtvOptions;
using testing::MakeWrittenDocument;
using testing::PdfPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;
using testing::Sign;

fs::path Pki() { return LtvEnvironment::Get().pki(); }

// A PDF signed at `level` through the real stage; its bytes.
std::string SignedBytes(const fs::path& dir, const SigningOptions& options) {
  Document doc = MakeWrittenDocument(dir / "doc");
  Status s = Sign(options, doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ReadFile(PdfPath(doc));
}

DocumentSignatures Check(const std::string& pdf, const fs::path& trust) {
  auto checker = NewPdfSignatureChecker(trust.string());
  EXPECT_TRUE(checker.ok()) << checker.status().ToString();
  return checker.ok() ? (*checker)->CheckDocument(pdf) : DocumentSignatures{};
}

// The PDF archived in a one-document archive, verified with `trust`.
VerifyReport VerifyInArchive(const fs::path& dir, const std::string& pdf, const fs::path& trust) {
  testing::ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  archive.Archive("signed.tif", false, pdf);
  archive.FinishRun();
  EXPECT_TRUE(archive.CompleteBags().ok());
  auto checker = NewPdfSignatureChecker(trust.string());
  EXPECT_TRUE(checker.ok());
  StatusOr<VerifyReport> report = VerifyArchive({archive.root().string(), 1.0, 0, checker->get()});
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : VerifyReport{};
}

std::string Text(const VerifyReport& report) {
  std::ostringstream out;
  WriteVerifyText(report, out);
  return out.str();
}

TEST(LongTermVerifyTest, LtaDocumentIsTrustedAtItsTimestampWithTheRightTrustStore) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-verify-lta");
  const std::string pdf = SignedBytes(dir.path(), LtvOptions(SignatureLevel::kLTA));
  DocumentSignatures doc = Check(pdf, Pki() / "root.pem");
  EXPECT_EQ(doc.level, "B-LTA");
  ASSERT_EQ(doc.signatures.size(), 2u);
  for (const SignatureResult& s : doc.signatures) {
    EXPECT_TRUE(s.valid) << s.index << ": " << s.error;
    EXPECT_EQ(s.trust, Trust::kTrusted) << s.trust_detail;
    EXPECT_EQ(s.time_source, "time-stamp");
    EXPECT_TRUE(s.revocation_in_dss) << s.index;
  }
  EXPECT_FALSE(doc.signatures[0].document_timestamp);
  EXPECT_TRUE(doc.signatures[1].document_timestamp);

  // Through the archive check: intact, the level in text and JSON, no
  // time-stamp certificate ending within a year (the TSA's has 10 years).
  VerifyReport report = VerifyInArchive(dir.path(), pdf, Pki() / "root.pem");
  EXPECT_TRUE(report.intact()) << Text(report);
  EXPECT_NE(Text(report).find("LEVEL B-LTA"), std::string::npos) << Text(report);
  // In Vietnamese (issue 20): the tag, the trust and the time source in
  // words of the catalogue, the level as PAdES names it.
  std::ostringstream vi;
  WriteVerifyText(report, vi, UiLang::kVi);
  for (const char* said : {"MỨC B-LTA", "chữ ký 1 được tin cậy lúc ", "(dấu thời gian)",
                           "kết quả: nguyên vẹn", "mức: 1 B-LTA (mức cơ bản PAdES"})
    EXPECT_NE(vi.str().find(said), std::string::npos) << said << " in:\n" << vi.str();
  for (const char* english : {"LEVEL", "trusted", "time-stamp)", "result"})
    EXPECT_EQ(vi.str().find(english), std::string::npos) << english << " in:\n" << vi.str();
  EXPECT_TRUE(report.expiring_timestamps.empty());
  std::ostringstream json;
  WriteVerifyJson(report, json);
  const nlohmann::json j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j["summary"]["levels"]["B-LTA"], 1);
  EXPECT_EQ(j["documents"][0]["level"], "B-LTA");
  EXPECT_EQ(j["documents"][0]["signatures"][0]["trust"], "trusted");
  EXPECT_EQ(j["documents"][0]["signatures"][0]["time_source"], "time-stamp");

  // Without a trust store: both verify as before (the document time-stamp
  // is a token over the bytes, not a detached signature), no level.
  auto plain = NewPdfSignatureChecker("");
  ASSERT_TRUE(plain.ok());
  DocumentSignatures untrusting = (*plain)->CheckDocument(pdf);
  ASSERT_EQ(untrusting.signatures.size(), 2u);
  for (const SignatureResult& s : untrusting.signatures) EXPECT_TRUE(s.valid) << s.index << ": " << s.error;
  EXPECT_EQ(untrusting.level, "");
}

TEST(LongTermVerifyTest, WrongTrustStoreLeavesEverySignatureUntrusted) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-verify-wrong");
  const std::string pdf = SignedBytes(dir.path(), LtvOptions(SignatureLevel::kLTA));
  const fs::path stranger = testing::SigningEnvironment::Get().pki() / "ca.pem";
  VerifyReport report = VerifyInArchive(dir.path(), pdf, stranger);
  ASSERT_EQ(report.problems.size(), 2u) << Text(report);
  EXPECT_EQ(report.problems[0].fault, Fault::kBadSignature);
  EXPECT_NE(report.problems[0].detail.find("signature 1"), std::string::npos) << report.problems[0].detail;
  EXPECT_NE(report.problems[0].detail.find("untrusted"), std::string::npos) << report.problems[0].detail;
  EXPECT_NE(report.problems[1].detail.find("document time-stamp 2"), std::string::npos)
      << report.problems[1].detail;
  // The level is what the file holds, trusted or not.
  ASSERT_EQ(report.signed_pdfs.size(), 1u);
  EXPECT_EQ(report.signed_pdfs[0].level, "B-LTA");
  EXPECT_EQ(report.summary.signatures_invalid, 2);
}

// A signer whose key was compromised from the start: revoked as of its
// notBefore, after the document was signed B-LT. The DSS then gets the
// revocation data (appended as a B-LT update does): an OCSP "revoked"
// answer, or the issuing CA's CRL listing it. The revocation precedes the
// signature time-stamp: revoked.
TEST(LongTermVerifyTest, SignerRevokedBeforeItsTimestampIsFlagged) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  const fs::path pki = Pki();
  const std::string script = Quote(std::string(SOHOA_SOURCE_DIR) + "/scripts/test-pki/make-ltv-pki.sh");
  for (const char* source : {"ocsp", "crl"}) {
    SCOPED_TRACE(source);
    ScratchDir dir("ltv-verify-revoked");
    const std::string name = std::string("compromised-") + source;
    auto r = RunCommand(script + " signer " + Quote(pki.string()) + " " + name);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string signed_lt =
        SignedBytes(dir.path(), LtvOptions(SignatureLevel::kLT, "/tsa/tsa", name + ".p12"));
    EXPECT_EQ(Check(signed_lt, pki / "root.pem").level, "B-LT");
    EXPECT_EQ(Check(signed_lt, pki / "root.pem").signatures[0].trust, Trust::kTrusted);

    r = RunCommand(script + " revoke-from-start " + Quote(pki.string()) + " " + name);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ValidationData data;
    if (std::string(source) == "ocsp") {
      const fs::path answer = dir / "revoked.der";
      r = RunCommand("openssl ocsp -issuer " + Quote((pki / "ica.pem").string()) + " -cert " +
                     Quote((pki / (name + ".pem")).string()) + " -url " +
                     Quote(LtvEnvironment::Get().base_url() + "/ocsp") + " -respout " +
                     Quote(answer.string()) + " -CAfile " + Quote((pki / "root.pem").string()) +
                     " -timeout 60 2>&1");
      ASSERT_NE(r.output.find(": revoked"), std::string::npos) << r.output;
      data.ocsps.push_back(ReadFile(answer));
    } else {
      data.crls.push_back(ReadFile(pki / "ica.crl"));
    }
    StatusOr<std::string> revoked = AppendDss(signed_lt, data);
    ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();

    VerifyReport report = VerifyInArchive(dir.path(), *revoked, pki / "root.pem");
    ASSERT_EQ(report.problems.size(), 1u) << Text(report);
    const std::string& detail = report.problems[0].detail;
    EXPECT_NE(detail.find("signature 1"), std::string::npos) << detail;
    EXPECT_NE(detail.find("revoked"), std::string::npos) << detail;
    EXPECT_NE(detail.find("before the time-stamp"), std::string::npos) << detail;
    EXPECT_NE(detail.find(std::string(source) == "ocsp" ? "(OCSP)" : "(CRL)"), std::string::npos) << detail;
    ASSERT_EQ(report.signed_pdfs.size(), 1u);
    EXPECT_EQ(report.signed_pdfs[0].signatures[0].trust, Trust::kRevoked);
  }
}

// A document sealed by the TSA whose certificate ends in 100 days: listed,
// with its end, so an operator re-seals in time.
TEST(LongTermVerifyTest, TimestampCertificateEndingWithinAYearIsListed) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-verify-soon");
  const std::string pdf = SignedBytes(dir.path(), LtvOptions(SignatureLevel::kLTA, "/tsa/tsa-soon"));
  VerifyReport report = VerifyInArchive(dir.path(), pdf, Pki() / "root.pem");
  EXPECT_TRUE(report.intact()) << Text(report);
  ASSERT_EQ(report.expiring_timestamps.size(), 1u) << Text(report);
  EXPECT_NE(report.expiring_timestamps[0].tsa.find("TSA ending soon"), std::string::npos);
  const std::string text = Text(report);
  EXPECT_NE(text.find("EXPIRING"), std::string::npos) << text;
  // 100 days from the PKI's making, counted in whole days: 100 when the PKI
  // was made in the same second, 99 a second later.
  EXPECT_TRUE(text.find("in 99 days") != std::string::npos || text.find("in 100 days") != std::string::npos)
      << text;
}

TEST(LongTermVerifyTest, PlainSignatureIsLevelBAtItsClaimedTime) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-verify-b");
  const std::string pdf = SignedBytes(dir.path(), LtvOptions(SignatureLevel::kB));
  VerifyReport report = VerifyInArchive(dir.path(), pdf, Pki() / "root.pem");
  EXPECT_TRUE(report.intact()) << Text(report);
  ASSERT_EQ(report.signed_pdfs.size(), 1u);
  EXPECT_EQ(report.signed_pdfs[0].level, "B-B");
  ASSERT_EQ(report.signed_pdfs[0].signatures.size(), 1u);
  EXPECT_EQ(report.signed_pdfs[0].signatures[0].time_source, "claimed signing time");
  EXPECT_EQ(report.summary.levels.at("B-B"), 1);
}

}  // namespace
}  // namespace sohoa
