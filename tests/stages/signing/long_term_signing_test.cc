// PAdES B-LT and B-LTA at signing (issue 21), judged by tools nobody here
// wrote: qpdf (--json, --check, --show-object), `openssl ocsp -respin`,
// `openssl ts -verify`, poppler's pdfsig and PDFBox Preflight. The PKI, its
// OCSP responder, CRL and TSAs run on loopback (tests/signing_fixture.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "build_paths.h"
#include "stages/signing/signing_stage.h"
#include "tests/signing_fixture.h"
#include "tests/stages/signing/long_term_fixture.h"
#include "tests/stages/signing/signed_document.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Count;
using testing::LtvEnvironment;
using testing::LtvOptions;
using testing::MakeWrittenDocument;
using testing::PdfPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;
using testing::Sign;
using testing::Signatures;
using testing::WriteFile;

// The catalog's /DSS arrays from `qpdf --json`: key -> object ids "N 0 R".
std::map<std::string, std::vector<std::string>> DssArrays(const std::string& pdf) {
  auto r = RunCommand("qpdf --json=1 --json-key=objects " + Quote(pdf));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::map<std::string, std::vector<std::string>> out;
  const nlohmann::json j = nlohmann::json::parse(r.output, nullptr, false);
  if (j.is_discarded()) return out;
  const nlohmann::json& objects = j["objects"];
  std::string dss_ref;
  for (const auto& [id, value] : objects.items()) {
    if (value.is_object() && value.value("/Type", "") == "/Catalog" && value.contains("/DSS")) {
      dss_ref = value["/DSS"].get<std::string>();
    }
  }
  if (dss_ref.empty() || !objects.contains(dss_ref)) return out;
  for (const char* key : {"/Certs", "/OCSPs", "/CRLs"}) {
    if (objects[dss_ref].contains(key)) out[key] = objects[dss_ref][key].get<std::vector<std::string>>();
  }
  return out;
}

// The raw bytes of the stream object "N 0 R".
std::string StreamBytes(const std::string& pdf, const std::string& ref, const fs::path& into) {
  const std::string id = ref.substr(0, ref.find(' '));
  auto r = RunCommand("qpdf --show-object=" + id + " --raw-stream-data " + Quote(pdf) + " > " +
                      Quote(into.string()));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return ReadFile(into);
}

TEST(LongTermSigningTest, LtaDocumentCarriesDssAndDocumentTimestamp) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-lta");
  Document doc = MakeWrittenDocument(dir / "doc");
  Status s = Sign(LtvOptions(SignatureLevel::kLTA), doc);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(doc.metadata["signature_level"], "B-LTA");
  const std::string pdf = PdfPath(doc);
  const fs::path pki = LtvEnvironment::Get().pki();

  // DSS: signer, issuing CA, root, TSA, OCSP responder; OCSP answers for the
  // signer and the TSA; the root's CRL for the issuing CA.
  auto dss = DssArrays(pdf);
  EXPECT_EQ(dss["/Certs"].size(), 5u);
  ASSERT_EQ(dss["/OCSPs"].size(), 2u);
  ASSERT_EQ(dss["/CRLs"].size(), 1u);
  for (size_t i = 0; i < dss["/OCSPs"].size(); ++i) {
    const fs::path file = dir / ("ocsp" + std::to_string(i) + ".der");
    StreamBytes(pdf, dss["/OCSPs"][i], file);
    auto r =
        RunCommand("openssl ocsp -respin " + Quote(file.string()) + " -resp_text -CAfile " +
                   Quote((pki / "root.pem").string()) + " -VAfile " + Quote((pki / "ocsp.pem").string()));
    EXPECT_NE(r.output.find("Response verify OK"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("Cert Status: good"), std::string::npos) << r.output;
  }
  const fs::path crl = dir / "crl.der";
  EXPECT_EQ(StreamBytes(pdf, dss["/CRLs"][0], crl), ReadFile(pki / "root.crl"));
  for (size_t i = 0; i < dss["/Certs"].size(); ++i) {
    const fs::path file = dir / ("cert" + std::to_string(i) + ".der");
    StreamBytes(pdf, dss["/Certs"][i], file);
    auto r = RunCommand("openssl x509 -inform DER -noout -subject -in " + Quote(file.string()));
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }

  // The document time-stamp: last, over the whole file, its token over the
  // bytes it covers, signed by the TSA.
  const std::string bytes = ReadFile(pdf);
  EXPECT_NE(bytes.find("/DocTimeStamp"), std::string::npos);
  EXPECT_NE(bytes.find("/ETSI.RFC3161"), std::string::npos);
  auto signatures = Signatures(bytes);
  ASSERT_EQ(signatures.size(), 2u);
  EXPECT_EQ(signatures[1].end, bytes.size());
  WriteFile(dir / "covered", signatures[1].covered);
  WriteFile(dir / "token.der", signatures[1].cms);
  auto r = RunCommand("openssl ts -verify -token_in -in " + Quote((dir / "token.der").string()) + " -data " +
                      Quote((dir / "covered").string()) + " -CAfile " + Quote((pki / "root.pem").string()));
  EXPECT_NE(r.output.find("Verification: OK"), std::string::npos) << r.output;

  r = RunCommand("qpdf --check " + Quote(pdf));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // poppler 22.02 (Debian 12) validates the signature but does not know
  // ETSI.RFC3161 ("Signature Type: unknown"): the token is checked above.
  r = RunCommand("pdfsig " + Quote(pdf));
  EXPECT_EQ(Count(r.output, "Signature is Valid."), 1u) << r.output;
  EXPECT_NE(r.output.find("DocumentTimeStamp"), std::string::npos) << r.output;
}

// The DSS and the document time-stamp add nothing PDFBox Preflight objects
// to: a PDF/A-1b signed B-B and the same signed B-LTA (three incremental
// updates after the writer's revision, each loaded and rewritten by PoDoFo)
// are both valid PDF/A-1b, the Info /ModDate still the XMP's.
TEST(LongTermSigningTest, LtaAddsNoPreflightFindingToPdfA1b) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  for (SignatureLevel level : {SignatureLevel::kB, SignatureLevel::kLTA}) {
    ScratchDir dir("ltv-1b");
    Document doc = MakeWrittenDocument(dir / "doc", PdfALevel::k1b);
    SigningOptions o = LtvOptions(level);
    o.pdfa_part = 1;
    Status s = Sign(o, doc);
    ASSERT_TRUE(s.ok()) << s.ToString();
    auto r = RunCommand(Quote(std::string(SOHOA_SOURCE_DIR) + "/scripts/preflight.sh") + " " +
                        Quote(PdfPath(doc)));
    EXPECT_EQ(r.exit_code, 0) << SignatureLevelName(level) << "\n" << r.output;
  }
}

// A replayed time-stamp response (the first answer sent again: wrong imprint
// and nonce) and a token from a TSA outside the trust are refused: the
// document is left for the next run, its PDF untouched.
TEST(LongTermSigningTest, BadTimestampResponsesAreRefused) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  struct Case {
    const char* name;
    std::string tsa_path, trust, expected;
  };
  const fs::path other_root = testing::SigningEnvironment::Get().pki() / "ca.pem";
  const Case cases[] = {
      {"replayed", "/replay/tsa", "", "refused"},
      {"untrusted TSA", "/tsa/tsa", other_root.string(), "refused"},
  };
  for (const Case& c : cases) {
    ScratchDir dir("ltv-badtsa");
    Document doc = MakeWrittenDocument(dir / "doc");
    const std::string before = ReadFile(PdfPath(doc));
    SigningOptions o = LtvOptions(SignatureLevel::kT, c.tsa_path);
    // Two signatures: the second gets the replayed answer.
    o.staff = o.org;
    if (!c.trust.empty()) o.tsa.trust = c.trust;
    Status s = Sign(o, doc);
    EXPECT_EQ(s.code(), StatusCode::kIoError) << c.name << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.expected), std::string::npos) << c.name << ": " << s.message();
    EXPECT_EQ(ReadFile(PdfPath(doc)), before) << c.name;
    EXPECT_EQ(doc.metadata.count("signature_level"), 0u) << c.name;
  }
}

TEST(LongTermSigningTest, UnreachableResponderLeavesTheDocumentForTheNextRun) {
  ASSERT_TRUE(LtvEnvironment::Get().ready());
  ScratchDir dir("ltv-noocsp");
  Document doc = MakeWrittenDocument(dir / "doc");
  const std::string before = ReadFile(PdfPath(doc));
  // The SigningEnvironment's certificates name no responder and no CRL.
  const fs::path old_pki = testing::SigningEnvironment::Get().pki();
  SigningOptions o = LtvOptions(SignatureLevel::kLT);
  o.org.key_spec = (old_pki / "org.p12").string();
  Status s = Sign(o, doc);
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.ToString();
  EXPECT_NE(s.message().find("neither an OCSP responder nor a CRL"), std::string::npos) << s.message();
  EXPECT_EQ(ReadFile(PdfPath(doc)), before);
}

}  // namespace
}  // namespace sohoa
