// HTTP API of the review station (issue 9), against a real archive: the
// built `sohoa run` archives three generated scans (which the pipeline sends
// to review), the real server listens on a free loopback port, and a real
// HTTP client logs in, reads, corrects and confirms.
#include <sqlite3.h>

#include "build_paths.h"

#include "pipeline/archive/verify.h"
#include "pipeline/archive/verify_signature.h"
#include "pipeline/report/export.h"
#include "tests/cli/review/review_fixture.h"

namespace sohoa {
namespace {

class ReviewApiTest : public ReviewFixture {
 protected:
  static void SetUpTestSuite() {
    MakeMasterArchive({"t03_khai_tu_packbits.tif", "t04_tinh_trang_gray_none.tif", "t11_khai_tu.jpg"});
  }
};

TEST_F(ReviewApiTest, EveryApiRouteNeedsALoginAndServesNoPersonalDataWithout) {
  auto queue = service_->Queue();
  ASSERT_TRUE(queue.ok());
  ASSERT_FALSE(queue->empty());
  const std::string sha = queue->front().sha256;
  auto doc = service_->DocumentJson(sha);
  ASSERT_TRUE(doc.ok());
  const std::string holder = json::parse(*doc).value("holder_id", "");
  for (const std::string& path : std::vector<std::string>{
           "/api/queue", "/api/session", "/api/audit", "/api/documents/" + sha,
           "/api/documents/" + sha + "/pages/1.png", "/api/documents/" + sha + "/words"}) {
    auto res = Client().Get(path.c_str());
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(res->body.find(queue->front().source), std::string::npos) << path;
    if (!holder.empty()) EXPECT_EQ(res->body.find(holder), std::string::npos) << path;
  }
  // A made-up cookie is no better.
  auto forged =
      Client().Get("/api/queue", httplib::Headers{{"Cookie", "sohoa_session=" + std::string(64, 'a')}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  // The page and script themselves carry nothing from the archive.
  auto page = Client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find(queue->front().source), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(ReviewApiTest, WrongPasswordIsRefusedAndTheRightOneOpensAStrictSession) {
  auto wrong = Client().Post("/api/login", json{{"user", "lan"}, {"password", "not the password"}}.dump(),
                             "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  auto unknown = Client().Post("/api/login", json{{"user", "nobody"}, {"password", kPassword}}.dump(),
                               "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(json::parse(unknown->body)["error"], json::parse(wrong->body)["error"]);  // no name oracle

  auto right =
      Client().Post("/api/login", json{{"user", "lan"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(right);
  ASSERT_EQ(right->status, 200);
  const std::string cookie = right->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  Login lan{cookie.substr(0, cookie.find(';')), json::parse(right->body)["csrf"]};
  auto session = Get(lan, "/api/session");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->status, 200);
  EXPECT_EQ(json::parse(session->body)["user"], "lan");

  // After the free wrong passwords the account must wait, even for the right
  // one, and the answer is the wrong password's (issue 15).
  SessionPolicy slow;
  slow.login.first_delay_seconds = 600;  // no wait can pass during the test
  StartServer(slow);
  for (int i = 0; i <= slow.login.free_failures; ++i) {
    Client().Post("/api/login", json{{"user", "minh"}, {"password", "guess " + std::to_string(i)}}.dump(),
                  "application/json");
  }
  auto waiting =
      Client().Post("/api/login", json{{"user", "minh"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->status, 401);
  EXPECT_EQ(waiting->body, wrong->body);

  // Refused logins are counted apart from the audit log.
  auto failures = accounts_->LoginFailures(100, 0);
  ASSERT_TRUE(failures.ok());
  int64_t refused = 0;
  for (const LoginFailureSummary& f : *failures) refused += f.count;
  EXPECT_EQ(refused, 2 + slow.login.free_failures + 2);
  // Passwords are Argon2id hashes, and never in the request log.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(AccountStorePath(archive_).c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT password_hash FROM users WHERE name='lan'", -1, &q, nullptr);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))).rfind("$argon2id$", 0), 0u);
  sqlite3_finalize(q);
  // The audit log refuses to be rewritten.
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET user='x'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(log_.str().find(kPassword), std::string::npos);
}

TEST_F(ReviewApiTest, OnlyAdminsReadTheAuditLog) {
  Login lan = LogIn("lan");
  Login admin = LogIn("admin");
  auto refused = Get(lan, "/api/audit");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  auto allowed = Get(admin, "/api/audit");
  ASSERT_TRUE(allowed);
  ASSERT_EQ(allowed->status, 200);
  bool saw_login = false;
  const json log = json::parse(allowed->body);
  for (const json& e : log["entries"])
    saw_login = saw_login || (e["action"] == "login" && e["user"] == "lan");
  EXPECT_TRUE(saw_login);
}

TEST_F(ReviewApiTest, PostsNeedTheSessionCsrfTokenJsonAndThisOrigin) {
  Login lan = LogIn("lan");
  const std::vector<json> items = Queue(lan);
  ASSERT_FALSE(items.empty());
  const std::string path = "/api/documents/" + items[0]["sha256"].get<std::string>() + "/confirm";
  const std::string body = json{{"version", items[0]["version"]}}.dump();
  auto no_token =
      Client().Post(path.c_str(), httplib::Headers{{"Cookie", lan.cookie}}, body, "application/json");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 403);
  auto wrong_token = Client().Post(
      path.c_str(), httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", std::string(64, '0')}}, body,
      "application/json");
  ASSERT_TRUE(wrong_token);
  EXPECT_EQ(wrong_token->status, 403);
  auto form =
      Client().Post(path.c_str(), httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}},
                    "version=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto foreign = Client().Post(
      path.c_str(),
      httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}, {"Origin", "http://evil.example"}},
      body, "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  auto still = ledger_->Find(items[0]["sha256"]);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");
}

TEST_F(ReviewApiTest, SessionsExpireWhenIdle) {
  SessionPolicy short_lived;
  short_lived.idle_seconds = 1;
  StartServer(short_lived);
  Login lan = LogIn("lan");
  auto fresh = Get(lan, "/api/queue");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2600));
  auto stale = Get(lan, "/api/queue");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 401);
}

TEST_F(ReviewApiTest, QueueFiltersByReasonTypeAndBatchWithCounts) {
  Login lan = LogIn("lan");
  auto all = Get(lan, "/api/queue");
  ASSERT_TRUE(all);
  const json q = json::parse(all->body);
  ASSERT_GE(q["items"].size(), 2u);
  EXPECT_EQ(q["total"], q["items"].size());
  for (const auto& [type, n] : q["counts"]["type"].items()) {
    auto filtered = Get(lan, "/api/queue?type=" + type);
    ASSERT_TRUE(filtered);
    const json f = json::parse(filtered->body);
    EXPECT_EQ(f["items"].size(), n.get<size_t>()) << type;
    for (const json& item : f["items"]) EXPECT_EQ(item["doc_type"], type);
  }
  for (const auto& [reason, n] : q["counts"]["reason"].items()) {
    auto filtered = Get(lan, "/api/queue?reason=" + reason);
    ASSERT_TRUE(filtered);
    EXPECT_EQ(json::parse(filtered->body)["items"].size(), n.get<size_t>()) << reason;
  }
  // Each item's reasons in both interface languages (issue 20), as many as
  // the stored ones; the Vietnamese ones are said in Vietnamese.
  size_t said_in_vietnamese = 0;
  for (const json& item : q["items"]) {
    said_in_vietnamese += item["reasons_in"]["vi"] != item["reasons"];
    ASSERT_EQ(item["reasons_in"]["vi"].size(), item["reasons"].size()) << item.dump();
    ASSERT_EQ(item["reasons_in"]["en"], item["reasons"]) << item.dump();
    for (const json& reason : item["reasons_in"]["vi"])
      EXPECT_EQ(reason.get<std::string>().find("read with confidence"), std::string::npos) << reason;
  }
  EXPECT_GT(said_in_vietnamese, 0u);
  auto none = Get(lan, "/api/queue?batch=no-such-batch");
  ASSERT_TRUE(none);
  EXPECT_TRUE(json::parse(none->body)["items"].empty());
}

TEST_F(ReviewApiTest, ValidationUsesThePipelineCheckersAndRefusesBadValues) {
  Login lan = LogIn("lan");
  const std::vector<json> items = Queue(lan);
  ASSERT_FALSE(items.empty());
  auto got = Get(lan, "/api/documents/" + items[0]["sha256"].get<std::string>());
  ASSERT_TRUE(got);
  const json doc = json::parse(got->body);
  json values = FormValues(doc);
  ASSERT_TRUE(values.contains("so_dinh_danh") && values.contains("ngay_sinh")) << got->body;
  // The ID's year digits contradict the birth date: the pipeline's ID check says so.
  std::string id = values["so_dinh_danh"];
  id[4] = id[4] == '9' ? '0' : static_cast<char>(id[4] + 1);
  values["so_dinh_danh"] = id;
  values["ngay_sinh"] = "31/02/1990";
  auto check = Post(lan, "/api/check", {{"doc_type", doc["doc_type"]}, {"fields", values}});
  ASSERT_TRUE(check);
  ASSERT_EQ(check->status, 200);
  const json verdicts = json::parse(check->body);
  EXPECT_FALSE(verdicts["ngay_sinh"]["problem"].get<std::string>().empty()) << check->body;
  // The check's words in each language of the station too (issue 20).
  EXPECT_EQ(verdicts["ngay_sinh"]["problem_in"]["en"], verdicts["ngay_sinh"]["problem"]) << check->body;
  EXPECT_EQ(verdicts["ngay_sinh"]["problem_in"]["vi"], "'31/02/1990' không phải một ngày có thật")
      << check->body;
  values["ngay_sinh"] = doc["fields"]["ngay_sinh"]["value"];
  check = Post(lan, "/api/check", {{"doc_type", doc["doc_type"]}, {"fields", values}});
  ASSERT_TRUE(check);
  EXPECT_FALSE(json::parse(check->body)["so_dinh_danh"]["problem"].get<std::string>().empty()) << check->body;
  // Typed dates in the printed form are normalized as the pipeline does.
  json dated = FormValues(doc);
  const std::string iso = doc["fields"]["ngay_sinh"]["value"];
  dated["ngay_sinh"] = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  check = Post(lan, "/api/check", {{"doc_type", doc["doc_type"]}, {"fields", dated}});
  ASSERT_TRUE(check);
  EXPECT_EQ(json::parse(check->body)["ngay_sinh"]["value"], iso);

  auto refused = Post(
      lan, "/api/documents/" + doc["sha256"].get<std::string>() + "/confirm",
      {{"version", doc["version"]}, {"doc_type", doc["doc_type"]}, {"fields", values}, {"record_id", ""}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422) << refused->body;
  EXPECT_NE(refused->body.find("so_dinh_danh"), std::string::npos);
  EXPECT_NE(
      json::parse(refused->body)["error_in"].value("vi", "").find("so_dinh_danh: số định danh cá nhân "),
      std::string::npos)
      << refused->body;
  auto still = ledger_->Find(doc["sha256"]);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");
}

// Issue 20: the station's own refusals come in each language of the
// station ("error_in"), the page showing the one it speaks; "error" stays
// the English the library wrote. Each kind here was English alone before.
TEST_F(ReviewApiTest, RefusalsComeInEachLanguageOfTheStation) {
  auto said_in = [](const httplib::Result& res, int status, const std::string& en, const std::string& vi) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(body["error_in"]["en"], body["error"]) << res->body;
    EXPECT_NE(body.value("error", "").find(en), std::string::npos) << res->body;
    EXPECT_NE(body["error_in"].value("vi", "").find(vi), std::string::npos) << res->body;
  };
  said_in(Client().Get("/api/queue"), 401, "log in first", "hãy đăng nhập trước");
  Login lan = LogIn("lan");
  const std::vector<json> items = Queue(lan);
  ASSERT_FALSE(items.empty());
  const std::string sha = items[0]["sha256"];
  said_in(Client().Post("/api/check", httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}},
                        "doc_type=x", "application/x-www-form-urlencoded"),
          415, "POST bodies must be application/json", "nội dung của POST phải là application/json");
  said_in(Post(lan, "/api/check", {{"doc_type", "no_such_type"}, {"fields", json::object()}}), 422,
          "unknown document type 'no_such_type'", "không biết loại giấy tờ 'no_such_type'");
  said_in(Post(lan, "/api/check", json::array()), 400, "expected a JSON object",
          "nội dung yêu cầu phải là một đối tượng JSON");
  said_in(Get(lan, "/api/documents/" + sha + "/pages/99.png"), 422, "page 99 is not in the archived PDF",
          "trang 99 không có trong PDF đã lưu trữ");
  auto got = Get(lan, "/api/documents/" + sha);
  ASSERT_TRUE(got);
  const json doc = json::parse(got->body);
  const std::string confirm = "/api/documents/" + sha + "/confirm";
  json values = FormValues(doc);
  values["no_such_field"] = "x";
  said_in(Post(lan, confirm,
               {{"version", doc["version"]},
                {"doc_type", doc["doc_type"]},
                {"fields", values},
                {"record_id", ""}}),
          422, "field 'no_such_field' is not a field of ", "'no_such_field' không phải một trường của ");
  values = FormValues(doc);
  ASSERT_FALSE(values.empty()) << got->body;
  const std::string key = values.begin().key();
  values[key] = "A\x1b[31mB";
  said_in(Post(lan, confirm,
               {{"version", doc["version"]},
                {"doc_type", doc["doc_type"]},
                {"fields", values},
                {"record_id", ""}}),
          422, key + ": the value holds the control character U+001B",
          key + ": giá trị chứa ký tự điều khiển U+001B; hãy gõ lại");
  auto still = ledger_->Find(sha);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");
}

TEST_F(ReviewApiTest, TwoReviewersEditingOneDocumentTheSecondIsToldAndNothingIsOverwritten) {
  Login lan = LogIn("lan");
  Login minh = LogIn("minh");
  const std::vector<json> items = Queue(lan);
  ASSERT_FALSE(items.empty());
  const std::string sha = items[0]["sha256"];
  auto seen_by_lan = Get(lan, "/api/documents/" + sha);
  auto seen_by_minh = Get(minh, "/api/documents/" + sha);
  ASSERT_TRUE(seen_by_lan && seen_by_minh);
  const json doc = json::parse(seen_by_lan->body);
  ASSERT_EQ(doc["version"], json::parse(seen_by_minh->body)["version"]);
  const std::string old_pdf = doc["pdf"];

  json lan_values = FormValues(doc);
  lan_values["ho_ten"] = "NGUYỄN KIỂM TRA";
  json minh_values = FormValues(doc);
  minh_values["ho_ten"] = "TRẦN NGƯỜI HAI";
  const std::string record =
      doc["inventory"].size() == 1 ? doc["inventory"][0]["record_id"].get<std::string>() : "";
  auto first = Post(lan, "/api/documents/" + sha + "/confirm",
                    {{"version", doc["version"]},
                     {"doc_type", doc["doc_type"]},
                     {"fields", lan_values},
                     {"record_id", record}});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  auto second = Post(minh, "/api/documents/" + sha + "/confirm",
                     {{"version", doc["version"]},
                      {"doc_type", doc["doc_type"]},
                      {"fields", minh_values},
                      {"record_id", record}});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409) << second->body;
  EXPECT_EQ(json::parse(second->body)["code"], "conflict");

  // The ledger holds Lan's value, archived, with its history; the queue lost it.
  auto now = ledger_->Find(sha);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->status, "archived");
  EXPECT_EQ((*now)->reason, "");
  const json details = json::parse((*now)->details_json);
  EXPECT_EQ(details["fields"]["ho_ten"]["value"], "NGUYỄN KIỂM TRA");
  EXPECT_EQ(details["metadata"]["reviewed_by"], "lan");
  auto history = ledger_->ReviewsOf(sha);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reviewer, "lan");
  EXPECT_NE((*history)[0].changes_json.find("ho_ten"), std::string::npos);
  for (const json& item : Queue(lan)) EXPECT_NE(item["sha256"], sha);

  // New version in a new bag, old version kept, both accounted for.
  EXPECT_NE((*now)->pdf, old_pdf);
  EXPECT_TRUE(fs::exists(fs::path(archive_) / old_pdf));
  const std::string new_pdf = testing::ReadFile(fs::path(archive_) / (*now)->pdf);
  const std::string old_bytes = testing::ReadFile(fs::path(archive_) / old_pdf);
  ASSERT_GT(new_pdf.size(), old_bytes.size());
  EXPECT_EQ(new_pdf.compare(0, old_bytes.size(), old_bytes), 0) << "the new version appends to the old";
  EXPECT_NE(new_pdf.find("NGUYỄN KIỂM TRA", old_bytes.size()), std::string::npos)
      << "corrected value in the new XMP";
  EXPECT_NE(new_pdf.find("<sohoa:ReviewedBy>lan</sohoa:ReviewedBy>"), std::string::npos);
  VerifyOptions verify;
  verify.archive_dir = archive_;
  auto report = VerifyArchive(verify);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::ostringstream problems;
  WriteVerifyText(*report, problems);
  EXPECT_TRUE(report->intact()) << problems.str();
  // The export shows the corrected value.
  std::ostringstream exported;
  ASSERT_TRUE(ExportJsonLines(*ledger_, exported).ok());
  EXPECT_NE(exported.str().find("NGUYỄN KIỂM TRA"), std::string::npos);
  EXPECT_EQ(exported.str().find("TRẦN NGƯỜI HAI"), std::string::npos);
  // Audit: one confirmation, one conflict; field keys only, no values.
  auto audit = accounts_->AuditLog(AuditQuery{});
  ASSERT_TRUE(audit.ok());
  int confirms = 0, conflicts = 0;
  for (const AuditEntry& e : *audit) {
    confirms += e.action == "review_confirm";
    conflicts += e.action == "review_conflict";
    EXPECT_EQ(e.detail.find("KIỂM TRA"), std::string::npos);
  }
  EXPECT_EQ(confirms, 1);
  EXPECT_EQ(conflicts, 1);
  EXPECT_EQ(log_.str().find("KIỂM TRA"), std::string::npos);
}

TEST_F(ReviewApiTest, PageImagesAndWordBoxesNeedASessionAndComeFromTheArchivedPdf) {
  Login lan = LogIn("lan");
  const std::vector<json> items = Queue(lan);
  ASSERT_FALSE(items.empty());
  const std::string sha = items[0]["sha256"];
  auto png = Get(lan, "/api/documents/" + sha + "/pages/1.png");
  ASSERT_TRUE(png);
  ASSERT_EQ(png->status, 200);
  EXPECT_EQ(png->body.compare(0, 8, "\x89PNG\r\n\x1a\n"), 0);
  EXPECT_EQ(png->get_header_value("Cache-Control"), "no-store");
  auto beyond = Get(lan, "/api/documents/" + sha + "/pages/99.png");
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 422);
  auto words = Get(lan, "/api/documents/" + sha + "/words");
  ASSERT_TRUE(words);
  ASSERT_EQ(words->status, 200);
  const json pages = json::parse(words->body)["pages"];
  ASSERT_FALSE(pages.empty());
  ASSERT_GT(pages[0]["words"].size(), 20u);
  for (const json& w : pages[0]["words"]) {
    EXPECT_GE(w[1].get<double>(), 0.0);
    EXPECT_LE(w[1].get<double>() + w[3].get<double>(), 1.001);
  }
}

TEST_F(ReviewApiTest, ConfirmingASignedDocumentKeepsItsSignaturesAndSignsTheCorrection) {
  // Signed at archiving time with the test PKI (staff + organisation).
  const fs::path root = SOHOA_SOURCE_DIR;
  const fs::path pki = scratch_->path() / "pki";
  testing::CommandResult made = testing::RunCommand(
      "bash " + Quote((root / "scripts/test-pki/make-test-pki.sh").string()) + " " + Quote(pki.string()));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const fs::path scans = scratch_->path() / "signed-scans";
  fs::create_directories(scans);
  fs::copy_file(testing::SamplesDir() / "scans" / "t03_khai_tu_packbits.tif", scans / "t03.tif");
  const std::string signed_archive = (scratch_->path() / "signed").string();
  const std::string sohoa = Quote(testing::BinaryPath("sohoa").string());
  testing::CommandResult import =
      testing::RunCommand(sohoa + " inventory import --archive " + Quote(signed_archive) + " " +
                          Quote((master_->path() / "register.csv").string()));
  ASSERT_EQ(import.exit_code, 0) << import.output;
  testing::CommandResult run = testing::RunCommand(
      "SOHOA_ORG_KEY_SECRET=test-secret SOHOA_STAFF_KEY_SECRET=test-secret " + sohoa + " run --input " +
      Quote(scans.string()) + " --archive " + Quote(signed_archive) + " --org-key " +
      Quote((pki / "org.p12").string()) + " --staff-key " + Quote((pki / "staff.p12").string()));
  ASSERT_EQ(run.exit_code, 3) << run.output;

  auto ledger = OpenArchiveLedger(signed_archive);
  ASSERT_TRUE(ledger.ok());
  // The corrected version is signed again, by the organisation's key.
  auto key = LoadSigningKey((pki / "org.p12").string(), "test-secret");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto signer = std::make_shared<ReviewSigner>();
  signer->key = *key;
  signer->name = "UBND xã Tiền Phong";
  ReviewService service(signed_archive, ledger->get(), catalog_.get(), cli::NewFieldChecker(),
                        NewPdfReviser(signer));
  auto queue = service.Queue();
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  const json doc = json::parse(*service.DocumentJson(queue->front().sha256));
  ReviewSubmission s;
  s.sha256 = doc["sha256"];
  s.version = doc["version"];
  s.reviewer = "lan";
  s.doc_type = doc["doc_type"];
  for (const auto& [key, f] : doc["fields"].items()) s.fields[key] = f["value"];
  s.fields["ho_ten"] = "HOÀNG PHƯƠNG ĐIỆP";
  auto outcome = service.Confirm(s);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(outcome->changed_fields, std::vector<std::string>{"ho_ten"});

  auto checker = NewPdfSignatureChecker((pki / "ca.pem").string());
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  VerifyOptions verify;
  verify.archive_dir = signed_archive;
  verify.signatures = checker->get();
  auto report = VerifyArchive(verify);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::ostringstream text;
  WriteVerifyText(*report, text);
  EXPECT_TRUE(report->intact()) << text.str();
  EXPECT_EQ(report->summary.pdfs_checked, 2) << text.str();      // the old and the new version
  EXPECT_EQ(report->summary.signatures_valid, 5) << text.str();  // 2 old + 2 kept + 1 new
  EXPECT_EQ(report->summary.signatures_invalid, 0) << text.str();
}

}  // namespace
}  // namespace sohoa
