#include "pipeline/archive/verify.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/pipeline/archive/archive_fixture.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveBuilder;
using testing::BinaryPath;
using testing::Quote;
using testing::ReadFile;
using testing::RunCommand;
using testing::ScratchDir;
using testing::WriteFile;

// Problems as "fault file" strings, for exact comparisons.
std::vector<std::string> Faults(const VerifyReport& report) {
  std::vector<std::string> out;
  for (const Problem& p : report.problems) out.push_back(std::string(FaultName(p.fault)) + " " + p.file);
  return out;
}

std::string Text(const VerifyReport& report) {
  std::ostringstream out;
  WriteVerifyText(report, out);
  return out.str();
}

std::string OutputPath(const ArchiveBuilder& a, int doc, const char* role) {
  return a.docs()[doc]->FindOutput(role)->archive_path;
}

TEST(VerifyTest, IntactArchiveHasNoProblems) {
  ScratchDir dir("verify-intact");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  for (int i = 0; i < 4; ++i) archive.Archive("d" + std::to_string(i) + ".tif");
  archive.FinishRun();
  ASSERT_TRUE(archive.CompleteBags().ok());
  StatusOr<VerifyReport> report = VerifyArchive({archive.root().string(), 1.0, 0, nullptr});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->intact()) << Text(*report);
  EXPECT_EQ(report->summary.payload_files, 8);
  EXPECT_EQ(report->summary.payload_hashed, 8);
  EXPECT_EQ(report->summary.ledger_records, 4);
  EXPECT_EQ(report->summary.bags_complete, 1);
}

TEST(VerifyTest, ReportsEveryKindOfTamperingInOneRun) {
  ScratchDir dir("verify-tamper");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  for (int i = 0; i < 4; ++i) archive.Archive("a" + std::to_string(i) + ".tif");
  archive.FinishRun();
  archive.StartRun("run-2");
  for (int i = 0; i < 3; ++i) archive.Archive("b" + std::to_string(i) + ".tif");
  archive.FinishRun();
  ASSERT_TRUE(archive.CompleteBags().ok());
  const fs::path root = archive.root();

  // 1. altered: one byte of a PDF in run-1.
  const std::string altered = OutputPath(archive, 0, "pdf");
  std::string bytes = ReadFile(root / altered);
  bytes[bytes.size() / 2] ^= 0x01;
  WriteFile(root / altered, bytes);
  // 2. missing: a text file deleted from run-2.
  const std::string deleted = OutputPath(archive, 5, "text");
  fs::remove(root / deleted);
  // 3. extra: a file added to run-2's data/.
  const std::string added = "bags/run-2/data/zz/added.pdf";
  fs::create_directories(root / "bags/run-2/data/zz");
  WriteFile(root / added, "%PDF smuggled in");
  // 4. rewritten together with its manifest line: only the ledger knows.
  const std::string forged = OutputPath(archive, 2, "text");
  const std::string forged_bytes = "forged text\n";
  const std::string old_sha = archive.docs()[2]->FindOutput("text")->sha256;
  WriteFile(root / forged, forged_bytes);
  std::string manifest = ReadFile(root / "bags/run-1/manifest-sha256.txt");
  manifest.replace(manifest.find(old_sha), 64, Sha256Hex(forged_bytes));
  WriteFile(root / "bags/run-1/manifest-sha256.txt", manifest);

  StatusOr<VerifyReport> report = VerifyArchive({root.string(), 1.0, 0, nullptr});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const std::vector<std::string> expected = {
      "altered " + altered,
      "ledger mismatch " + forged,
      // The manifest edit is itself caught by the tag manifest.
      "altered bags/run-1/manifest-sha256.txt",
      // Payload-Oxum no longer matches data/ (sizes changed in both bags).
      "bad bag bags/run-1/bag-info.txt",
      "bad bag bags/run-2/bag-info.txt",
      "extra " + added,
      "missing " + deleted,
  };
  std::vector<std::string> got = Faults(*report), want = expected;
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want) << Text(*report);
  // Every problem names its bag.
  for (const Problem& p : report->problems)
    EXPECT_EQ(p.file.substr(0, 10), "bags/" + p.bag.substr(0, 5)) << p.file;
  EXPECT_NE(Text(*report).find("result: 7 problems"), std::string::npos) << Text(*report);
}

TEST(VerifyTest, SampleIsReproducibleAndSized) {
  ScratchDir dir("verify-sample");
  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  for (int i = 0; i < 10; ++i) archive.Archive("s" + std::to_string(i) + ".tif");
  archive.FinishRun();
  ASSERT_TRUE(archive.CompleteBags().ok());
  // Damage every PDF: a sample sees exactly the damaged files it hashes.
  for (int i = 0; i < 10; ++i) WriteFile(archive.root() / OutputPath(archive, i, "pdf"), "x");
  auto run = [&](double fraction, uint64_t seed) {
    StatusOr<VerifyReport> r = VerifyArchive({archive.root().string(), fraction, seed, nullptr});
    EXPECT_TRUE(r.ok());
    return std::move(*r);
  };
  VerifyReport a = run(0.3, 7), b = run(0.3, 7), c = run(0.3, 8);
  EXPECT_EQ(a.summary.payload_hashed, 6);  // ceil(0.3 x 20)
  EXPECT_EQ(Faults(a), Faults(b));
  // Bag-info oxum changed too; count only payload alterations.
  auto altered = [](const VerifyReport& r) {
    int n = 0;
    for (const Problem& p : r.problems) n += p.fault == Fault::kAltered;
    return n;
  };
  EXPECT_GT(altered(a), 0);
  EXPECT_LE(altered(a), 6);
  EXPECT_NE(Faults(a), Faults(c));  // another seed, another sample (fixed data: checked once)
  EXPECT_EQ(altered(run(1.0, 0)), 10);
}

// A minimal PDF with a detached CMS signature over its byte range, made with
// the openssl command-line tool (independent of the checker under test).
struct Pki {
  fs::path key, cert, other_cert;
};

Pki MakePki(const fs::path& dir) {
  Pki pki{dir / "key.pem", dir / "cert.pem", dir / "other.pem"};
  for (auto [key, cert, cn] : {std::tuple{pki.key, pki.cert, "Cán bộ số hóa"},
                               std::tuple{dir / "other-key.pem", pki.other_cert, "Someone else"}}) {
    auto r = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -utf8 -subj " +
                        Quote(std::string("/CN=") + cn) + " -keyout " + Quote(key.string()) + " -out " +
                        Quote(cert.string()) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  return pki;
}

std::string SignedPdf(const fs::path& dir, const Pki& pki) {
  const std::string head =
      "%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
      "/ByteRange [0 XXXXXXXXXX XXXXXXXXXX XXXXXXXXXX] /Contents ";
  const std::string tail = " >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  const size_t hex_len = 16384;
  std::string pdf = head + "<" + std::string(hex_len, '0') + ">" + tail;
  const size_t b = head.size(), c = b + hex_len + 2, d = pdf.size() - c;
  char range[64];
  std::snprintf(range, sizeof range, "%10zu %10zu %10zu", b, c, d);
  pdf.replace(pdf.find("XXXXXXXXXX XXXXXXXXXX XXXXXXXXXX"), 32, range);
  WriteFile(dir / "signed.bin", pdf.substr(0, b) + pdf.substr(c));
  auto r = RunCommand("openssl cms -sign -binary -outform DER -in " + Quote((dir / "signed.bin").string()) +
                      " -signer " + Quote(pki.cert.string()) + " -inkey " + Quote(pki.key.string()) +
                      " -out " + Quote((dir / "sig.der").string()) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string der = ReadFile(dir / "sig.der");
  std::string hex;
  for (unsigned char ch : der) {
    char h[3];
    std::snprintf(h, sizeof h, "%02X", ch);
    hex += h;
  }
  EXPECT_LT(hex.size(), hex_len);
  pdf.replace(b + 1, hex.size(), hex);
  return pdf;
}

TEST(VerifyTest, ChecksPdfSignaturesAgainstTrustStore) {
  ScratchDir dir("verify-signature");
  const Pki pki = MakePki(dir.path());
  const std::string good = SignedPdf(dir.path(), pki);
  std::string tampered = good;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';  // inside the signed range

  ArchiveBuilder archive(dir / "archive");
  archive.StartRun("run-1");
  archive.Archive("signed.tif", false, good);
  archive.Archive("unsigned.tif");
  archive.FinishRun();
  ASSERT_TRUE(archive.CompleteBags().ok());

  auto checker = NewPdfSignatureChecker(pki.cert.string());
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  StatusOr<VerifyReport> report = VerifyArchive({archive.root().string(), 1.0, 0, checker->get()});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact()) << Text(*report);
  EXPECT_EQ(report->summary.signatures_valid, 1);
  EXPECT_EQ(report->summary.pdfs_unsigned, 1);
  EXPECT_TRUE(report->summary.chain_checked);

  // The wrong trust store: the chain fails, and the report says so.
  auto stranger = NewPdfSignatureChecker(pki.other_cert.string());
  ASSERT_TRUE(stranger.ok());
  report = VerifyArchive({archive.root().string(), 1.0, 0, stranger->get()});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u) << Text(*report);
  EXPECT_EQ(report->problems[0].fault, Fault::kBadSignature);
  EXPECT_NE(report->problems[0].detail.find("certificate"), std::string::npos) << report->problems[0].detail;

  // Checker alone on a tampered copy (the archive check would also call it altered).
  WriteFile(dir / "tampered.pdf", tampered);
  auto results = (*checker)->Check((dir / "tampered.pdf").string());
  ASSERT_TRUE(results.ok());
  ASSERT_EQ(results->size(), 1u);
  EXPECT_FALSE((*results)[0].valid);
  EXPECT_NE((*results)[0].error.find("does not verify"), std::string::npos) << (*results)[0].error;
  EXPECT_NE((*results)[0].signer.find("CN"), std::string::npos);

  EXPECT_EQ(NewPdfSignatureChecker((dir / "no-such.pem").string()).status().code(),
            StatusCode::kConfiguration);
}

// The real binary on real scans: run, verify intact (exit 0), tamper, verify
// lists all three faults (exit 1), JSON too.
TEST(VerifyTest, CommandLineOnSampleArchive) {
  ScratchDir dir("verify-cli");
  const fs::path input = dir / "input";
  fs::create_directories(input);
  int copied = 0;
  for (const auto& e : fs::directory_iterator(testing::SamplesDir() / "scans")) {
    const std::string name = e.path().filename().string();
    if (name.find("t10") == 0 || name.find("t11") == 0) {
      fs::copy_file(e.path(), input / name);
      ++copied;
    }
  }
  ASSERT_EQ(copied, 2) << "samples t10/t11 expected in " << testing::SamplesDir();
  const std::string sohoa = BinaryPath("sohoa").string();
  const fs::path archive = dir / "archive";
  auto run = RunCommand(Quote(sohoa) + " run --jobs 2 --input " + Quote(input.string()) + " --archive " +
                        Quote(archive.string()) + " --organization 'UBND xã Test' 2>&1");
  // 0 all archived, 3 some in review: both archive the documents.
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.output;
  auto verify = [&](const std::string& extra) {
    return RunCommand(Quote(sohoa) + " verify --ui-lang en --archive " + Quote(archive.string()) + " " +
                      extra + " 2>&1");
  };
  auto ok = verify("");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("result: intact"), std::string::npos) << ok.output;

  fs::path bag;
  for (const auto& e : fs::directory_iterator(archive / "bags")) bag = e.path();
  EXPECT_TRUE(testing::ValidateBagIndependently(bag).empty());
  std::vector<fs::path> payload;
  for (const auto& e : fs::recursive_directory_iterator(bag / "data"))
    if (e.is_regular_file()) payload.push_back(e.path());
  std::sort(payload.begin(), payload.end());
  ASSERT_GE(payload.size(), 4u);  // pdf + text (+ later outputs) of 2 documents
  WriteFile(payload[0], ReadFile(payload[0]) + " ");
  fs::remove(payload[1]);
  WriteFile(bag / "data" / "extra.txt", "added");

  auto bad = verify("");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  for (const fs::path& p : {payload[0], payload[1], bag / "data" / "extra.txt"}) {
    EXPECT_NE(bad.output.find(fs::relative(p, archive).generic_string()), std::string::npos) << bad.output;
  }
  EXPECT_NE(bad.output.find("ALTERED"), std::string::npos);
  EXPECT_NE(bad.output.find("MISSING"), std::string::npos);
  EXPECT_NE(bad.output.find("EXTRA"), std::string::npos);
  auto json = RunCommand(Quote(sohoa) + " verify --format json --archive " + Quote(archive.string()));
  EXPECT_EQ(json.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(json.output, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << json.output;
  EXPECT_FALSE(j["intact"].get<bool>());
  EXPECT_EQ(verify("--sample 0").exit_code, 2);
  EXPECT_EQ(
      RunCommand(Quote(sohoa) + " verify --archive " + Quote((dir / "nowhere").string()) + " 2>&1").exit_code,
      2);
}

}  // namespace
}  // namespace sohoa
