// `sohoa reseal`'s work (issue 21, pipeline/archive/reseal.h) on archives of
// documents signed by the real signing stage against the loopback PKI, TSA
// and OCSP responder (tests/signing_fixture.h), resealed by the real
// resealer (stages/signing/pdf_long_term.h) and judged by `sohoa verify`'s
// checker, poppler's pdfsig and the BagIt validator. Every date is relative
// to now: the "soon" TSA's certificate ends 100 days after the PKI is made,
// the other one's in ten years.
#include "pipeline/archive/reseal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "pipeline/archive/verify.h"
#include "pipeline/core/clock.h"
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
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;

constexpr int64_t kDay = 86400;

fs::path Pki() { return LtvEnvironment::Get().pki(); }

// A one-page PDF signed B-LTA through the real stage with the TSA at `tsa_path`.
std::string SignedLta(const fs::path& dir, const std::string& tsa_path) {
  Document doc = testing::MakeWrittenDocument(dir);
  Status s = testing::Sign(LtvOptions(SignatureLevel::kLTA, tsa_path), doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ReadFile(testing::PdfPath(doc));
}

// The resealer `sohoa reseal` wires, with the TSA at `tsa_path`.
PdfResealer Resealer(const std::string& tsa_path) {
  const SigningOptions o = LtvOptions(SignatureLevel::kLTA, tsa_path);
  TsaOptions tsa = o.tsa;
  StatusOr<TrustStore> trust = LoadTrustStore(tsa.trust);
  EXPECT_TRUE(trust.ok());
  if (trust.ok()) tsa.trust_store = *trust;
  return [tsa, revocation = o.revocation](const std::string& pdf, const std::vector<std::string>& answer_for) {
    return AddLongTermRevisions(pdf, answer_for, "ArchiveTimeStamp" + std::to_string(NowUnixSeconds()), tsa,
                                revocation, 20480);
  };
}

// An archive of two signed documents: "soon.tif" sealed by the TSA whose
// certificate ends in 100 days, "later.tif" by the one that lasts ten years.
class ResealTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(LtvEnvironment::Get().ready());
    archive_ = std::make_unique<testing::ArchiveBuilder>(dir_ / "archive");
    archive_->StartRun("run-1");
    soon_ = archive_->Archive("soon.tif", false, SignedLta(dir_ / "soon", "/tsa/tsa-soon"));
    later_ = archive_->Archive("later.tif", false, SignedLta(dir_ / "later", "/tsa/tsa"));
    archive_->FinishRun();
    ASSERT_TRUE(archive_->CompleteBags().ok());
    auto checker = NewPdfSignatureChecker((Pki() / "root.pem").string());
    ASSERT_TRUE(checker.ok()) << checker.status().ToString();
    checker_ = std::move(*checker);
  }

  StatusOr<ResealReport> Reseal(int64_t before, const std::string& tsa_path = "/tsa/tsa") {
    ResealOptions o;
    o.archive_dir = archive_->root().string();
    o.ledger = &archive_->ledger();
    o.checker = checker_.get();
    o.resealer = Resealer(tsa_path);
    o.before = before;
    o.operator_name = "Nguyễn Văn A";
    return ResealArchive(o);
  }

  LedgerRecord Record(const std::string& sha256) {
    auto found = archive_->ledger().Find(sha256);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : LedgerRecord{};
  }

  VerifyReport Verify() {
    StatusOr<VerifyReport> report = VerifyArchive({archive_->root().string(), 1.0, 0, checker_.get()});
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  static std::string Text(const VerifyReport& report) {
    std::ostringstream out;
    WriteVerifyText(report, out);
    return out.str();
  }

  ScratchDir dir_{"reseal"};
  std::unique_ptr<testing::ArchiveBuilder> archive_;
  std::unique_ptr<SignatureChecker> checker_;
  std::string soon_, later_;
};

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(ResealTest, AddsATimestampAsANewVersionAndKeepsEarlierSignaturesValid) {
  const LedgerRecord before = Record(soon_);
  const std::string old_bytes = ReadFile(archive_->root() / before.pdf);
  const std::string old_pdfsig = RunCommand("pdfsig " + Quote((archive_->root() / before.pdf).string())).output;
  ASSERT_EQ(Count(old_pdfsig, "Signature is Valid."), 1u) << old_pdfsig;

  StatusOr<ResealReport> report = Reseal(NowUnixSeconds() + 365 * kDay);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->failed.empty()) << report->failed[0].pdf << ": " << report->failed[0].cause;
  ASSERT_EQ(report->resealed.size(), 1u);
  EXPECT_EQ(report->not_due, 1);  // later.tif: sealed for ten years
  const ResealedDocument& r = report->resealed[0];
  EXPECT_EQ(r.sha256, soon_);
  EXPECT_NE(r.old_tsa.find("ending soon"), std::string::npos) << r.old_tsa;
  EXPECT_EQ(r.new_tsa.find("ending soon"), std::string::npos) << r.new_tsa;
  EXPECT_GT(r.new_not_after, NowUnixSeconds() + 365 * kDay);

  // The old version untouched in its bag; the new one in a bag of its own,
  // its first bytes the old file's (an incremental update).
  EXPECT_EQ(ReadFile(archive_->root() / before.pdf), old_bytes);
  const LedgerRecord after = Record(soon_);
  EXPECT_EQ(after.status, "archived");
  EXPECT_EQ(after.pdf, r.new_pdf);
  EXPECT_EQ(after.pdf.rfind("bags/reseal-", 0), 0u) << after.pdf;
  const std::string new_bytes = ReadFile(archive_->root() / after.pdf);
  ASSERT_GT(new_bytes.size(), old_bytes.size());
  EXPECT_EQ(new_bytes.compare(0, old_bytes.size(), old_bytes), 0);
  EXPECT_TRUE(testing::ValidateBagIndependently(archive_->bag(r.bag)).empty());
  const nlohmann::json details = nlohmann::json::parse(after.details_json);
  EXPECT_EQ(details["outputs"]["pdf_v1"]["path"], before.pdf);
  EXPECT_EQ(details["outputs"]["pdf"]["path"], after.pdf);
  ASSERT_EQ(details["reseals"].size(), 1u);
  EXPECT_EQ(details["reseals"][0]["from"], before.pdf);

  // poppler: the signature still valid, and the new time-stamp there.
  const std::string pdfsig = RunCommand("pdfsig " + Quote((archive_->root() / after.pdf).string())).output;
  EXPECT_EQ(Count(pdfsig, "Signature is Valid."), 1u) << pdfsig;
  EXPECT_EQ(Count(pdfsig, "Invalid"), 0u) << pdfsig;
  EXPECT_NE(pdfsig.find("ArchiveTimeStamp"), std::string::npos) << pdfsig;

  // `sohoa verify`: intact, both versions accounted for, B-LTA, and nothing
  // ending within the year any more.
  const VerifyReport verified = Verify();
  EXPECT_TRUE(verified.intact()) << Text(verified);
  EXPECT_TRUE(verified.expiring_timestamps.empty()) << Text(verified);
  const DocumentSignatures resealed = checker_->CheckDocument(new_bytes);
  EXPECT_EQ(resealed.level, "B-LTA");
  ASSERT_EQ(resealed.signatures.size(), 3u);  // signature, first and new document time-stamp
  for (const SignatureResult& s : resealed.signatures) EXPECT_TRUE(s.valid) << s.index << ": " << s.error;
}

TEST_F(ResealTest, SkipsDocumentsSealedPastTheDateAndASecondRunDoesNothing) {
  // Before the soon TSA's end (100 days): nothing is due.
  StatusOr<ResealReport> early = Reseal(NowUnixSeconds() + 30 * kDay);
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_TRUE(early->resealed.empty());
  EXPECT_TRUE(early->failed.empty());
  EXPECT_EQ(early->not_due, 2);

  const int64_t before = NowUnixSeconds() + 365 * kDay;
  StatusOr<ResealReport> first = Reseal(before);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->resealed.size(), 1u);
  const LedgerRecord after_first = Record(soon_);
  const LedgerRecord later = Record(later_);

  StatusOr<ResealReport> second = Reseal(before);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->resealed.empty());
  EXPECT_TRUE(second->failed.empty());
  EXPECT_EQ(second->not_due, 2);
  EXPECT_EQ(Record(soon_).updated_at, after_first.updated_at);
  EXPECT_EQ(Record(soon_).pdf, after_first.pdf);
  EXPECT_EQ(Record(later_).pdf, later.pdf);
  size_t reseal_bags = 0;
  for (const auto& e : fs::directory_iterator(archive_->root() / "bags"))
    reseal_bags += e.path().filename().string().rfind("reseal-", 0) == 0;
  EXPECT_EQ(reseal_bags, 1u);
}

TEST_F(ResealTest, UnreachableTsaLeavesTheDocumentAsItWasWithANamedError) {
  const LedgerRecord before = Record(soon_);
  ResealOptions o;
  o.archive_dir = archive_->root().string();
  o.ledger = &archive_->ledger();
  o.checker = checker_.get();
  // A TSA on a loopback port nobody listens on (the trust services' server
  // answers /tsa/<name> only for names it has: "/nothing" is refused).
  SigningOptions options = LtvOptions(SignatureLevel::kLTA, "/tsa/tsa");
  TsaOptions tsa = options.tsa;
  tsa.url = "http://127.0.0.1:1/tsa";
  tsa.timeout_seconds = 10;
  tsa.trust_store = *LoadTrustStore(tsa.trust);
  o.resealer = [tsa, revocation = options.revocation](const std::string& pdf,
                                                      const std::vector<std::string>& answer_for) {
    return AddLongTermRevisions(pdf, answer_for, "ArchiveTimeStamp1", tsa, revocation, 20480);
  };
  o.before = NowUnixSeconds() + 365 * kDay;
  StatusOr<ResealReport> report = ResealArchive(o);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->resealed.empty());
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].sha256, soon_);
  EXPECT_EQ(report->failed[0].pdf, before.pdf);
  EXPECT_NE(report->failed[0].cause.find("127.0.0.1:1"), std::string::npos) << report->failed[0].cause;
  EXPECT_NE(report->failed[0].cause.find("time-stamp"), std::string::npos) << report->failed[0].cause;
  // Nothing written: the same record, no new bag; the archive still intact.
  const LedgerRecord after = Record(soon_);
  EXPECT_EQ(after.pdf, before.pdf);
  EXPECT_EQ(after.updated_at, before.updated_at);
  for (const auto& e : fs::directory_iterator(archive_->root() / "bags"))
    EXPECT_NE(e.path().filename().string().rfind("reseal-", 0), 0u) << e.path();
  EXPECT_TRUE(Verify().intact());
}

TEST_F(ResealTest, DamagedDocumentIsNamedAndTheOthersAreStillResealed) {
  // A third document sealed soon, then altered in the archive after bagging:
  // its signature no longer verifies, so no new time-stamp may seal it.
  archive_->StartRun("run-2");
  std::string damaged_pdf = SignedLta(dir_ / "damaged", "/tsa/tsa-soon");
  const std::string damaged = archive_->Archive("damaged.tif", false, damaged_pdf);
  archive_->FinishRun();
  ASSERT_TRUE(archive_->CompleteBags().ok());
  const LedgerRecord record = Record(damaged);
  std::string bytes = ReadFile(archive_->root() / record.pdf);
  const size_t at = bytes.find("/Producer");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = 'p';
  fs::permissions(archive_->root() / record.pdf, fs::perms::owner_write, fs::perm_options::add);
  testing::WriteFile(archive_->root() / record.pdf, bytes);

  StatusOr<ResealReport> report = Reseal(NowUnixSeconds() + 365 * kDay);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].sha256, damaged);
  EXPECT_NE(report->failed[0].cause.find("does not verify"), std::string::npos) << report->failed[0].cause;
  ASSERT_EQ(report->resealed.size(), 1u);
  EXPECT_EQ(report->resealed[0].sha256, soon_);
  EXPECT_EQ(Record(damaged).pdf, record.pdf);
}

TEST_F(ResealTest, RefusesATsaWhoseCertificateEndsBeforeTheDateToo) {
  // Resealing with the soon TSA would leave the document due again: refused,
  // so a second run has nothing to redo.
  const LedgerRecord before = Record(soon_);
  StatusOr<ResealReport> report = Reseal(NowUnixSeconds() + 365 * kDay, "/tsa/tsa-soon");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->resealed.empty());
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_NE(report->failed[0].cause.find("outlasts"), std::string::npos) << report->failed[0].cause;
  EXPECT_EQ(Record(soon_).pdf, before.pdf);
}

}  // namespace
}  // namespace sohoa
