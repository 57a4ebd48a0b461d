// The clerk's search page of the review station and the citizen's extract
// (issue 22, parts 2 and 3), against real archives made by the built `sohoa
// run`: a reviewer confirms a document (it becomes archived), a clerk finds
// it by the holder's ID with a purpose, opens and downloads its PDF and takes
// its extract; the ledger's access log and the station's audit log are read
// back. The extract of a signed archive is judged by poppler's pdfsig and
// pdftotext and by qpdf --check, from the station and from `sohoa extract`.
#include <sqlite3.h>

#include "build_paths.h"

#include "pipeline/core/sha256.h"
#include "stages/signing/extract_cover.h"
#include "stages/signing/signing_key.h"
#include "tests/cli/review/review_fixture.h"

namespace sohoa {
namespace {

constexpr const char* kPurpose = "cấp bản sao trích lục cho công dân";

class ClerkApiTest : public ReviewFixture {
 protected:
  // Both documents in review by their register rows (R00001 is t01's,
  // R00010 t10's), not by how well OCR happened to read them.
  static void SetUpTestSuite() {
    MakeMasterArchive({"t01_khai_sinh_g4.tif", "t10_ket_hon.png"}, {"R00001", "R00010"});
  }

  void SetUp() override {
    ReviewFixture::SetUp();
    ASSERT_TRUE(accounts_->AddUser("thu", kPassword, Role::kClerk).ok());
    ASSERT_TRUE(accounts_->AddUser("ha", kPassword, Role::kClerk).ok());
    StartClerkServer(3, nullptr);
  }

  void StartClerkServer(int per_minute, std::shared_ptr<const ReviewSigner> signer) {
    cli::ClerkDeskOptions o;
    o.searches_per_minute = per_minute;
    if (signer) o.cover = NewCoverMaker(signer);
    desk_ = std::make_unique<cli::ClerkDesk>(ledger_.get(), archive_, o);
    cli::ReviewServerOptions options;
    options.clerk = desk_.get();
    StartServer(options);
  }

  // A reviewer confirms the first document in review as read: archived.
  json ConfirmFirst() {
    Login lan = LogIn("lan");
    const std::vector<json> items = Queue(lan);
    EXPECT_FALSE(items.empty());
    if (items.empty()) return {};
    const json doc = json::parse(Get(lan, "/api/documents/" + items[0]["sha256"].get<std::string>())->body);
    const std::string record =
        doc["inventory"].size() == 1 ? doc["inventory"][0]["record_id"].get<std::string>() : "";
    auto done = Post(lan, "/api/documents/" + doc["sha256"].get<std::string>() + "/confirm",
                     {{"version", doc["version"]},
                      {"doc_type", doc["doc_type"]},
                      {"fields", FormValues(doc)},
                      {"record_id", record}});
    EXPECT_TRUE(done && done->status == 200) << (done ? done->body : "no answer");
    return doc;
  }

  // The ledger's access log, oldest first.
  std::vector<AccessRecord> AccessLog() {
    auto log = ledger_->AccessLog(1000);
    EXPECT_TRUE(log.ok());
    return log.ok() ? *log : std::vector<AccessRecord>{};
  }

  std::unique_ptr<cli::ClerkDesk> desk_;
};

TEST_F(ClerkApiTest, ClerkFindsByHolderWithAPurposeAndEveryOpeningIsAudited) {
  const json doc = ConfirmFirst();
  const std::string sha = doc["sha256"];
  const std::string holder = doc.value("holder_id", "");
  ASSERT_EQ(holder.size(), 12u) << "the generated scan's holder ID was not read";
  Login thu = LogIn("thu");

  // No purpose, no search; nothing is disclosed or logged as disclosed.
  auto refused = Post(thu, "/api/clerk/search", {{"holder", holder}, {"purpose", "  "}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_EQ(refused->body.find(holder), std::string::npos);
  EXPECT_TRUE(AccessLog().empty());

  auto found = Post(thu, "/api/clerk/search", {{"holder", holder}, {"purpose", kPurpose}});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  const json answer = json::parse(found->body);
  ASSERT_EQ(answer["count"], 1) << found->body;
  EXPECT_EQ(answer["query_kind"], "holder");
  const json r = answer["records"][0];
  EXPECT_EQ(r["sha256"], sha);
  EXPECT_EQ(r["status"], "archived");
  EXPECT_EQ(r["holder_id"], holder);
  EXPECT_EQ(r["pdf_version"], 2);  // the reviewed version

  // Open and download: the current PDF's bytes, each audited.
  auto pdf = Get(thu, "/api/clerk/records/" + sha + "/pdf");
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->get_header_value("Content-Disposition").rfind("inline", 0), 0u);
  EXPECT_EQ(pdf->body, testing::ReadFile(fs::path(archive_) / r["pdf"].get<std::string>()));
  auto download = Get(thu, "/api/clerk/records/" + sha + "/pdf?download=1");
  ASSERT_TRUE(download && download->status == 200);
  EXPECT_EQ(download->get_header_value("Content-Disposition").rfind("attachment", 0), 0u);

  // A record the clerk's search did not show is refused, and another clerk
  // cannot ride on this one's search.
  const std::vector<json> still_in_review = Queue(LogIn("minh"));
  ASSERT_FALSE(still_in_review.empty());
  auto other = Get(thu, "/api/clerk/records/" + still_in_review[0]["sha256"].get<std::string>() + "/pdf");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403);
  auto ha = Get(LogIn("ha"), "/api/clerk/records/" + sha + "/pdf");
  ASSERT_TRUE(ha);
  EXPECT_EQ(ha->status, 403);

  // The access log: the search, the opening and the download, by this
  // account through the station, with the purpose and the record's sha256;
  // never the searched ID.
  const std::vector<AccessRecord> log = AccessLog();
  ASSERT_EQ(log.size(), 3u);
  const std::vector<std::string> kinds = {"holder", "pdf_open", "pdf_download"};
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].query_kind, kinds[i]);
    EXPECT_EQ(log[i].who, "thu");
    EXPECT_EQ(log[i].via, "review");
    EXPECT_EQ(log[i].purpose, kPurpose);
    EXPECT_EQ(log[i].records_json, json::array({sha}).dump());
    EXPECT_EQ(log[i].records_json.find(holder), std::string::npos);
  }
  // The station's audit log names kinds and hashes, and its request log
  // paths: neither holds the ID searched for.
  auto audit = accounts_->AuditLog(AuditQuery{});
  ASSERT_TRUE(audit.ok());
  int searches = 0, opened = 0;
  for (const AuditEntry& e : *audit) {
    searches += e.action == "clerk_search";
    opened += e.action == "clerk_pdf_open" && e.target == sha;
    EXPECT_EQ(e.detail.find(holder), std::string::npos) << e.action;
  }
  EXPECT_EQ(searches, 1);
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(log_.str().find(holder), std::string::npos) << log_.str();
}

TEST_F(ClerkApiTest, OnlyClerksSearchAndClerksSeeNothingElse) {
  Login thu = LogIn("thu");
  for (const char* path : {"/api/queue", "/api/codelists", "/api/audit"}) {
    auto res = Get(thu, path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 403) << path;
  }
  auto queue = service_->Queue();
  ASSERT_TRUE(queue.ok() && !queue->empty());
  auto doc = Get(thu, "/api/documents/" + queue->front().sha256);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 403);
  auto session = Get(thu, "/api/session");
  ASSERT_TRUE(session && session->status == 200);
  EXPECT_EQ(json::parse(session->body)["role"], "clerk");
  for (const char* who : {"lan", "admin"}) {
    auto res = Post(LogIn(who), "/api/clerk/search", {{"holder", "001190123456"}, {"purpose", kPurpose}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << who;
  }
  EXPECT_TRUE(AccessLog().empty());
}

TEST_F(ClerkApiTest, SearchesPastTheLimitAreAnswered429WithRetryAfter) {
  Login thu = LogIn("thu");
  for (int i = 0; i < 3; ++i) {
    auto res = Post(thu, "/api/clerk/search", {{"name", "nguyen van an"}, {"purpose", kPurpose}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
  }
  auto over = Post(thu, "/api/clerk/search", {{"name", "nguyen van an"}, {"purpose", kPurpose}});
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 429);
  const int retry = std::stoi(over->get_header_value("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  const json refused = json::parse(over->body);
  EXPECT_EQ(refused["retry_after"], retry);
  // In each language of the station (issue 20; it was English alone).
  EXPECT_EQ(refused["error_in"]["en"], refused["error"]) << over->body;
  EXPECT_NE(refused["error_in"].value("vi", "").find("nhiều nhất 3 lần tra cứu mỗi phút: hãy thử lại sau "),
            std::string::npos)
      << over->body;
  // Per account: another clerk still searches.
  auto ha = Post(LogIn("ha"), "/api/clerk/search", {{"name", "nguyen van an"}, {"purpose", kPurpose}});
  ASSERT_TRUE(ha);
  EXPECT_EQ(ha->status, 200);
  EXPECT_EQ(AccessLog().size(), 4u);  // the refused search disclosed nothing
}

TEST_F(ClerkApiTest, HostileSearchBodiesAreBoundedAndRefused) {
  Login thu = LogIn("thu");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto res =
      Client().Post("/api/clerk/search", httplib::Headers{{"Cookie", thu.cookie}, {"X-CSRF-Token", thu.csrf}},
                    deep, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  // An error the message catalogue knows comes in each language of the
  // station too (issue 20): the page shows it in its own.
  auto long_purpose =
      Post(thu, "/api/clerk/search", {{"holder", "001190000001"}, {"purpose", std::string(5000, 'p')}});
  ASSERT_TRUE(long_purpose);
  EXPECT_EQ(long_purpose->status, 422) << long_purpose->body;
  const nlohmann::json refused = nlohmann::json::parse(long_purpose->body, nullptr, false);
  EXPECT_NE(refused.value("error", "").find("the purpose is longer than "), std::string::npos)
      << long_purpose->body;
  EXPECT_EQ(refused["error_in"]["en"], refused["error"]) << long_purpose->body;
  EXPECT_NE(refused["error_in"].value("vi", "").find("mục đích dài quá "), std::string::npos)
      << long_purpose->body;
  auto long_name = Post(thu, "/api/clerk/search", {{"name", std::string(5000, 'a')}, {"purpose", kPurpose}});
  ASSERT_TRUE(long_name);
  EXPECT_EQ(long_name->status, 422);
  auto bad_id = Post(thu, "/api/clerk/search", {{"holder", "12345' OR 1=1"}, {"purpose", kPurpose}});
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 422);
  EXPECT_EQ(bad_id->body.find("OR 1=1"), std::string::npos);
  auto no_csrf =
      Client().Post("/api/clerk/search", httplib::Headers{{"Cookie", thu.cookie}},
                    json{{"holder", "001190123456"}, {"purpose", kPurpose}}.dump(), "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
}

// Runs `command`, expecting exit 0; its output.
std::string Ok(const std::string& command) {
  testing::CommandResult r = testing::RunCommand(command);
  EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.output;
  return r.output;
}

// pdfsig's verdict on every signature of `pdf`: how many it found, all
// "Signature is Valid." and covering what they claim.
int ValidSignatures(const fs::path& pdf) {
  const std::string out = testing::RunCommand("pdfsig " + Quote(pdf.string())).output;
  int signatures = 0, valid = 0;
  for (size_t at = 0; (at = out.find("Signature #", at)) != std::string::npos; ++at) ++signatures;
  for (size_t at = 0; (at = out.find("Signature Validation: Signature is Valid.", at)) != std::string::npos;
       ++at)
    ++valid;
  EXPECT_EQ(valid, signatures) << pdf << "\n" << out;
  return valid;
}

// A signed archive (the test PKI's staff and organisation keys), one record
// confirmed and signed again: its extract from the station (zip) and from
// `sohoa extract` (files) keeps the original byte for byte with every
// signature valid, beside a signed PDF/A cover that names the original's
// SHA-256.
TEST_F(ClerkApiTest, ExtractOfASignedRecordKeepsItsSignaturesBesideASignedCover) {
  const fs::path root = SOHOA_SOURCE_DIR;
  const fs::path pki = scratch_->path() / "pki";
  Ok("bash " + Quote((root / "scripts/test-pki/make-test-pki.sh").string()) + " " + Quote(pki.string()));
  const fs::path scans = scratch_->path() / "signed-scans";
  fs::create_directories(scans);
  fs::copy_file(testing::SamplesDir() / "scans" / "t01_khai_sinh_g4.tif", scans / "t01.tif");
  const std::string signed_archive = (scratch_->path() / "signed").string();
  const std::string sohoa = Quote(testing::BinaryPath("sohoa").string());
  // In review by its register row, not by how well OCR happened to read it.
  ImportDisputedRegister(Quote(signed_archive), scratch_->path() / "register.csv", {"R00001"});
  const std::string keys = "SOHOA_ORG_KEY_SECRET=test-secret SOHOA_STAFF_KEY_SECRET=test-secret ";
  testing::CommandResult run =
      testing::RunCommand(keys + sohoa + " run --input " + Quote(scans.string()) + " --archive " +
                          Quote(signed_archive) + " --org-key " + Quote((pki / "org.p12").string()) +
                          " --staff-key " + Quote((pki / "staff.p12").string()));
  ASSERT_EQ(run.exit_code, 3) << run.output;

  // The station over the signed archive, signing with the organisation key.
  StopServer();
  auto ledger = OpenArchiveLedger(signed_archive);
  ASSERT_TRUE(ledger.ok());
  ledger_ = std::move(*ledger);
  archive_ = signed_archive;
  auto key = LoadSigningKey((pki / "org.p12").string(), "test-secret");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto signer = std::make_shared<ReviewSigner>();
  signer->key = *key;
  signer->name = "UBND xã Tiền Phong";
  service_ = std::make_unique<ReviewService>(archive_, ledger_.get(), catalog_.get(), cli::NewFieldChecker(),
                                             NewPdfReviser(signer));
  StartClerkServer(10, signer);
  const json doc = ConfirmFirst();
  const std::string sha = doc["sha256"];
  const std::string holder = doc.value("holder_id", "");
  ASSERT_FALSE(holder.empty());

  Login thu = LogIn("thu");
  auto found = Post(thu, "/api/clerk/search", {{"holder", holder}, {"purpose", kPurpose}});
  ASSERT_TRUE(found && found->status == 200);
  const std::string current_pdf = json::parse(found->body)["records"][0]["pdf"];
  const std::string archived = testing::ReadFile(fs::path(archive_) / current_pdf);
  auto zip = Get(thu, "/api/clerk/records/" + sha + "/extract");
  ASSERT_TRUE(zip);
  ASSERT_EQ(zip->status, 200) << zip->body;
  EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
  const fs::path from_station = scratch_->path() / "from-station";
  fs::create_directories(from_station);
  testing::WriteFile(from_station / "extract.zip", zip->body);
  Ok("cd " + Quote(from_station.string()) + " && unzip -q extract.zip");

  // The same from the command line, as the OS user.
  const fs::path from_cli = scratch_->path() / "from-cli";
  const std::string printed =
      Ok("SOHOA_ORG_KEY_SECRET=test-secret " + sohoa + " extract --archive " + Quote(archive_) +
         " --record " + sha + " --purpose " + Quote(kPurpose) + " --out " + Quote(from_cli.string()) +
         " --org-key " + Quote((pki / "org.p12").string()) + " --org-name " + Quote("UBND xã Tiền Phong"));
  EXPECT_NE(printed.find(Sha256Hex(archived)), std::string::npos) << printed;

  for (const fs::path& dir : {from_station, from_cli}) {
    const fs::path original = dir / ("khai_sinh-" + sha.substr(0, 12) + ".pdf");
    const fs::path cover = dir / ("khai_sinh-" + sha.substr(0, 12) + "-cover.pdf");
    ASSERT_TRUE(fs::exists(original) && fs::exists(cover)) << dir;
    // The original: the archived bytes, its three signatures (staff,
    // organisation, the review's) all valid.
    EXPECT_EQ(testing::ReadFile(original), archived) << dir;
    EXPECT_EQ(ValidSignatures(original), 3) << dir;
    // The cover: a sound PDF, signed validly, naming the original's SHA-256.
    Ok("qpdf --check " + Quote(cover.string()));
    EXPECT_EQ(ValidSignatures(cover), 1) << dir;
    const std::string text = Ok("pdftotext -enc UTF-8 " + Quote(cover.string()) + " -");
    EXPECT_NE(text.find(Sha256Hex(archived)), std::string::npos) << text;
    EXPECT_NE(text.find(kPurpose), std::string::npos) << text;
    EXPECT_NE(text.find("UBND xã Tiền Phong"), std::string::npos) << text;
    EXPECT_EQ(text.find(holder), std::string::npos) << "the cover carries no personal ID";
    const std::string info = Ok("pdfinfo -meta " + Quote(cover.string()));
    EXPECT_NE(info.find("pdfaid:part"), std::string::npos) << info;
  }
  // A PDF/A-1b cover (an archive of part 1) as one zip, judged by PDFBox
  // Preflight (PDF/A-1b only): valid, signed.
  const fs::path zip_1b = scratch_->path() / "extract-1b.zip";
  Ok("SOHOA_ORG_KEY_SECRET=test-secret " + sohoa + " extract --archive " + Quote(archive_) + " --record " +
     sha + " --purpose " + Quote(kPurpose) + " --zip " + Quote(zip_1b.string()) + " --pdfa 1b --org-key " +
     Quote((pki / "org.p12").string()));
  const fs::path unzipped = scratch_->path() / "extract-1b";
  fs::create_directories(unzipped);
  Ok("cd " + Quote(unzipped.string()) + " && unzip -q " + Quote(zip_1b.string()));
  const fs::path cover_1b = unzipped / ("khai_sinh-" + sha.substr(0, 12) + "-cover.pdf");
  EXPECT_EQ(testing::ReadFile(unzipped / ("khai_sinh-" + sha.substr(0, 12) + ".pdf")), archived);
  testing::CommandResult preflight =
      testing::RunCommand(Quote((root / "scripts/preflight.sh").string()) + " " + Quote(cover_1b.string()));
  if (preflight.exit_code == 2) {
    std::cout << "PDFBox Preflight not installed: the PDF/A-1b cover was not validated\n";
  } else {
    EXPECT_EQ(preflight.exit_code, 0) << preflight.output;
  }
  EXPECT_EQ(ValidSignatures(cover_1b), 1);

  // The extracts audited, one through the station and two from the CLI.
  std::vector<std::string> vias;
  for (const AccessRecord& a : AccessLog())
    if (a.query_kind == "extract+cover") vias.push_back(a.via + ":" + a.records_json);
  EXPECT_EQ(vias, (std::vector<std::string>{"review:" + json::array({sha}).dump(),
                                            "cli:" + json::array({sha}).dump(),
                                            "cli:" + json::array({sha}).dump()}));
  // Without a purpose the command refuses, before reading anything.
  testing::CommandResult no_purpose =
      testing::RunCommand(sohoa + " extract --archive " + Quote(archive_) + " --record " + sha + " --out " +
                          Quote((scratch_->path() / "nothing").string()));
  EXPECT_EQ(no_purpose.exit_code, 2) << no_purpose.output;
  EXPECT_FALSE(fs::exists(scratch_->path() / "nothing"));
}

// An archive whose accounts were made before the clerk role (schema version
// 3): the migration widens the role's CHECK; accounts, passwords and open
// sessions survive, and a clerk can be added.
TEST(ClerkRoleMigrationTest, AccountsAndSessionsOfAnOlderArchiveSurvive) {
  testing::ScratchDir dir("clerk-migration");
  const std::string path = (dir.path() / "accounts.sqlite").string();
  const SessionPolicy policy;
  std::string token;
  {
    auto store = OpenAccountStore(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->AddUser("dung", kPassword, Role::kArbiter).ok());
    auto session = (*store)->Login("dung", kPassword, "127.0.0.1", policy);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    token = session->token;
  }
  {  // Back to the schema before the clerk role (version 3): the old CHECK.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, R"sql(
      PRAGMA foreign_keys=OFF;
      BEGIN;
      CREATE TABLE users_v3 (
        name          TEXT PRIMARY KEY,
        role          TEXT NOT NULL CHECK (role IN ('reviewer','arbiter','admin')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until  INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO users_v3 SELECT * FROM users;
      DROP TABLE users;
      ALTER TABLE users_v3 RENAME TO users;
      PRAGMA user_version=3;
      COMMIT;
    )sql",
                                nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK);
  }
  auto store = OpenAccountStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto session = (*store)->Authenticate(token, policy);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->role, Role::kArbiter);
  ASSERT_TRUE((*store)->AddUser("thu", kPassword, Role::kClerk).ok());
  auto clerk = (*store)->Login("thu", kPassword, "127.0.0.1", policy);
  ASSERT_TRUE(clerk.ok()) << clerk.status().ToString();
  EXPECT_EQ(clerk->session.role, Role::kClerk);
  Role parsed;
  ASSERT_TRUE(ParseRole("clerk", &parsed));
  EXPECT_EQ(parsed, Role::kClerk);
  EXPECT_EQ(std::string(RoleName(Role::kClerk)), "clerk");
}

}  // namespace
}  // namespace sohoa
