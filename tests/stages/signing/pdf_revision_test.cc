// The review station's new version (stages/signing/pdf_revision.h) signed
// with a time-stamp when a TSA is configured (issue 21): against the loopback
// PKI, TSA and OCSP responder (tests/signing_fixture.h), judged by `sohoa
// verify`'s checker and poppler's pdfsig.
#include "stages/signing/pdf_revision.h"

#include <gtest/gtest.h>

#include "pipeline/archive/verify_signature.h"
#include "tests/signing_fixture.h"
#include "tests/stages/signing/long_term_fixture.h"
#include "tests/stages/signing/signed_document.h"

namespace sohoa {
namespace {

using testing::LtvEnvironment;
using testing::LtvOptions;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;

TEST(PdfRevisionTest, ReviewSignatureCarriesATimestampAtLevelLta) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("revision-lta");
  Document doc = testing::MakeWrittenDocument(dir / "doc");
  const SigningOptions o = LtvOptions(SignatureLevel::kLTA);
  ASSERT_TRUE(testing::Sign(o, doc).ok());

  auto signer = std::make_shared<ReviewSigner>();
  StatusOr<std::shared_ptr<SigningKey>> key = LoadSigningKey(o.org.key_spec, o.org.secret);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  signer->key = *key;
  signer->name = "UBND xã Xuân Thành";
  signer->level = SignatureLevel::kLTA;
  signer->tsa = o.tsa;
  StatusOr<TrustStore> trust = LoadTrustStore(o.tsa.trust);
  ASSERT_TRUE(trust.ok());
  signer->tsa.trust_store = *trust;
  PdfRevision r;
  r.sha256 = doc.sha256;
  r.source_pdf = testing::PdfPath(doc);
  r.target_pdf = (dir / "reviewed.pdf").string();
  r.metadata = {{"doc_type", "khai_sinh"}};
  r.reviewer = "reviewer1";
  r.unix_time = 1700000000;
  Status s = NewPdfReviser(signer)(r);
  ASSERT_TRUE(s.ok()) << s.ToString();

  auto checker = NewPdfSignatureChecker((LtvEnvironment::Get().pki() / "root.pem").string());
  ASSERT_TRUE(checker.ok());
  const DocumentSignatures checked = (*checker)->CheckDocument(ReadFile(dir / "reviewed.pdf"));
  EXPECT_EQ(checked.level, "B-LTA");
  // The run's signature and time-stamp, the review signature, its document time-stamp.
  ASSERT_EQ(checked.signatures.size(), 4u);
  for (const SignatureResult& sig : checked.signatures) EXPECT_TRUE(sig.valid) << sig.index << ": " << sig.error;
  EXPECT_FALSE(checked.signatures[2].document_timestamp);
  EXPECT_TRUE(checked.signatures[2].timestamped) << "the review signature has no signature time-stamp";
  EXPECT_TRUE(checked.signatures[3].document_timestamp);
  const std::string pdfsig = RunCommand("pdfsig " + Quote((dir / "reviewed.pdf").string())).output;
  EXPECT_NE(pdfsig.find("ReviewTimeStamp1700000000"), std::string::npos) << pdfsig;
  EXPECT_EQ(pdfsig.find("Invalid"), std::string::npos) << pdfsig;
}

}  // namespace
}  // namespace sohoa
