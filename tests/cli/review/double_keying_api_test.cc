// Double keying with arbitration (issue 18) against a real archive, the real
// ledger, draft store and accounts, and the real server on loopback: two
// operators key one input blind, one field typed differently goes to a third
// person with the arbiter role, and the ledger and `sohoa export` keep who
// keyed what and the final value. The refusals (same person twice, an
// arbiter who keyed, a keyer reading the other's values) are answered.
#include <sqlite3.h>

#include "pipeline/review/double_keying.h"
#include "tests/cli/review/review_fixture.h"

namespace sohoa {
namespace {

constexpr const char* kFirstName = "NGUYỄN VĂN AN";
constexpr const char* kSecondName = "NGUYỄN VĂN ÂN";

class DoubleKeyingApiTest : public ReviewFixture {
 protected:
  static void SetUpTestSuite() { MakeMasterArchive({"t03_khai_tu_packbits.tif"}); }

  void SetUp() override {
    ReviewFixture::SetUp();
    // chi may arbitrate but keys here; dung only arbitrates.
    ASSERT_TRUE(accounts_->AddUser("chi", kPassword, Role::kArbiter).ok());
    ASSERT_TRUE(accounts_->AddUser("dung", kPassword, Role::kArbiter).ok());
    auto drafts = OpenDraftStore(DraftStorePath(archive_));
    ASSERT_TRUE(drafts.ok()) << drafts.status().ToString();
    drafts_ = std::move(*drafts);
  }
  void Serve(const DoubleKeyingScope& scope) {
    keying_ = std::make_unique<DoubleKeying>(ledger_.get(), service_.get(), drafts_.get(), scope);
    cli::ReviewServerOptions options;
    options.drafts = drafts_.get();
    options.keying = keying_.get();
    StartServer(options);
  }
  json Document(const Login& who, const std::string& sha) {
    auto res = Get(who, "/api/documents/" + sha);
    EXPECT_TRUE(res && res->status == 200);
    return res ? json::parse(res->body) : json();
  }
  httplib::Result Key(const Login& who, const json& doc, const json& fields) {
    return Post(who, "/api/documents/" + doc["sha256"].get<std::string>() + "/confirm",
                {{"version", doc["version"]},
                 {"doc_type", doc["doc_type"]},
                 {"fields", fields},
                 {"record_id", ""},
                 {"stats", {{"keystrokes", 40}, {"seconds", 20.5}, {"field_seconds", {{"ho_ten", 6.0}}}}}});
  }
  json LedgerDetails(const std::string& sha) {
    auto found = ledger_->Find(sha);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? json::parse((*found)->details_json) : json();
  }

  std::unique_ptr<DraftStore> drafts_;
  std::unique_ptr<DoubleKeying> keying_;
};

TEST_F(DoubleKeyingApiTest, TwoBlindKeyingsDisagreeAnArbiterSettlesAndTheLedgerKeepsAllThree) {
  DoubleKeyingScope scope;
  scope.all = true;
  Serve(scope);
  Login lan = LogIn("lan"), chi = LogIn("chi"), dung = LogIn("dung");
  const std::string sha = Queue(lan).at(0)["sha256"];
  json doc = Document(lan, sha);
  ASSERT_TRUE(doc["keying"]["double_keyed"]);
  EXPECT_EQ(doc["keying"]["step"], "key");

  // First keying: kept, nothing archived.
  json lan_values = FormValues(doc);
  lan_values["ho_ten"] = kFirstName;
  auto first = Key(lan, doc, lan_values);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 202) << first->body;
  EXPECT_EQ(json::parse(first->body)["keyed"], "first");
  EXPECT_EQ(Document(lan, sha)["keying"]["step"], "wait");
  EXPECT_EQ(Queue(lan).at(0)["keying_step"], "wait");
  // The same person cannot be the second keyer.
  auto again = Key(lan, doc, lan_values);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403) << again->body;

  // The second keyer sees nothing of the first's values, by any route.
  const json chi_doc = Document(chi, sha);
  EXPECT_EQ(chi_doc["keying"]["step"], "key");
  EXPECT_EQ(chi_doc.dump().find(kFirstName), std::string::npos);
  // The first keyer is refused (403); chi, an arbiter who has not keyed, is
  // told both keyings are not in yet (409). Neither sees a value.
  for (const auto& [who, status] : {std::pair<const Login*, int>{&lan, 403}, {&chi, 409}}) {
    auto peek = Get(*who, "/api/documents/" + sha + "/keyings");
    ASSERT_TRUE(peek);
    EXPECT_EQ(peek->status, status) << peek->body;
    EXPECT_EQ(peek->body.find(kFirstName), std::string::npos);
  }
  auto early = Get(dung, "/api/documents/" + sha + "/keyings");  // an arbiter, before both are in
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << early->body;
  auto draft = Get(chi, "/api/documents/" + sha + "/draft");
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->body.find(kFirstName), std::string::npos);

  // Second keying, one field typed differently: to arbitration.
  json chi_values = FormValues(chi_doc);
  chi_values["ho_ten"] = kSecondName;
  auto second = Key(chi, chi_doc, chi_values);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 202) << second->body;
  EXPECT_EQ(json::parse(second->body)["keyed"], "arbitration");
  EXPECT_EQ(json::parse(second->body)["disagreements"], 1);
  EXPECT_EQ((*ledger_->Find(sha))->status, "review");
  EXPECT_EQ(Document(chi, sha)["keying"]["step"], "awaits_arbiter");
  EXPECT_EQ(Document(dung, sha)["keying"]["step"], "arbitrate");

  // A keyer with the arbiter role may not settle their own entry; a
  // reviewer may not settle at all.
  const json settle = {{"version", doc["version"]}, {"doc_type", doc["doc_type"]},
                       {"fields", {{"ho_ten", kFirstName}}}, {"record_id", ""}};
  for (const Login* who : {&chi, &lan}) {
    auto refused = Post(*who, "/api/documents/" + sha + "/arbitrate", settle);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << refused->body;
  }
  Login minh = LogIn("minh");
  auto not_arbiter = Get(minh, "/api/documents/" + sha + "/keyings");
  ASSERT_TRUE(not_arbiter);
  EXPECT_EQ(not_arbiter->status, 403);

  // The arbiter sees both values and the one field they differ on.
  auto both = Get(dung, "/api/documents/" + sha + "/keyings");
  ASSERT_TRUE(both);
  ASSERT_EQ(both->status, 200) << both->body;
  const json keyings = json::parse(both->body);
  EXPECT_EQ(keyings["disagreed"], json::array({"ho_ten"}));
  EXPECT_EQ(keyings["keyings"][0]["by"], "lan");
  EXPECT_EQ(keyings["keyings"][0]["fields"]["ho_ten"], kFirstName);
  EXPECT_EQ(keyings["keyings"][1]["by"], "chi");
  EXPECT_EQ(keyings["keyings"][1]["fields"]["ho_ten"], kSecondName);
  auto missing = Post(dung, "/api/documents/" + sha + "/arbitrate",
                      {{"version", doc["version"]}, {"doc_type", doc["doc_type"]}, {"fields", json::object()}});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 422) << missing->body;
  auto settled = Post(dung, "/api/documents/" + sha + "/arbitrate", settle);
  ASSERT_TRUE(settled);
  ASSERT_EQ(settled->status, 200) << settled->body;

  // The ledger: archived with the final value, and all three keyings.
  auto record = ledger_->Find(sha);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->status, "archived");
  const json details = json::parse((*record)->details_json);
  EXPECT_EQ(details["fields"]["ho_ten"]["value"], kFirstName);
  const json& k = details["keying"];
  EXPECT_EQ(k["mode"], "double");
  EXPECT_EQ(k["disagreed"], json::array({"ho_ten"}));
  EXPECT_FALSE(k["agreed"].empty());
  EXPECT_EQ(k["keyings"][0]["by"], "lan");
  EXPECT_EQ(k["keyings"][0]["fields"]["ho_ten"], kFirstName);
  EXPECT_EQ(k["keyings"][0]["corrected"], json::array());
  EXPECT_EQ(k["keyings"][0]["keystrokes"], 40);
  EXPECT_EQ(k["keyings"][1]["by"], "chi");
  EXPECT_EQ(k["keyings"][1]["fields"]["ho_ten"], kSecondName);
  EXPECT_EQ(k["keyings"][1]["corrected"], json::array({"ho_ten"}));
  EXPECT_EQ(k["arbiter"]["by"], "dung");
  EXPECT_EQ(k["arbiter"]["fields"]["ho_ten"], kFirstName);
  auto history = ledger_->ReviewsOf(sha);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reviewer, "dung");
  EXPECT_EQ(json::parse((*history)[0].changes_json)["keying"], k);
  // Settled: the blind keyings left the draft store for the ledger.
  auto left = drafts_->Keyings(sha);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());

  // `sohoa export` shows the three and the final value.
  ledger_.reset();
  testing::CommandResult exported = testing::RunCommand(Quote(testing::BinaryPath("sohoa").string()) +
                                                        " export --archive " + Quote(archive_));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  bool seen = false;
  std::istringstream lines(exported.output);
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || j.value("sha256", "") != sha) continue;
    seen = true;
    EXPECT_EQ(j["fields"]["ho_ten"]["value"], kFirstName);
    EXPECT_EQ(j["keying"], k);
  }
  EXPECT_TRUE(seen) << exported.output;

  // Every step audited, by keys and counts, never a value.
  auto audit = accounts_->AuditLog(AuditQuery{});
  ASSERT_TRUE(audit.ok());
  std::map<std::string, int> actions;
  for (const AuditEntry& e : *audit) {
    ++actions[e.user + ":" + e.action];
    EXPECT_EQ(e.detail.find("NGUY"), std::string::npos) << e.detail;
  }
  EXPECT_EQ(actions["lan:keying_first"], 1);
  EXPECT_EQ(actions["lan:review_forbidden"], 1);
  EXPECT_EQ(actions["chi:keying_second"], 1);
  EXPECT_EQ(actions["chi:keyings_refused"], 1);
  EXPECT_EQ(actions["dung:keyings_read"], 1);
  EXPECT_EQ(actions["dung:arbitration"], 1);
  EXPECT_EQ(actions["chi:arbitration_refused"], 1);
}

TEST_F(DoubleKeyingApiTest, KeyingsThatAgreeAsThePipelineReadsThemArchiveAtOnce) {
  DoubleKeyingScope scope;
  ASSERT_TRUE(AddDoubleKeyingScope("batch=" + Queue(LogIn("lan")).at(0)["batch"].get<std::string>(), &scope).ok());
  Serve(scope);
  Login lan = LogIn("lan"), minh = LogIn("minh");
  const std::string sha = Queue(lan).at(0)["sha256"];
  json doc = Document(lan, sha);
  json values = FormValues(doc);
  values["ho_ten"] = kFirstName;
  auto first = Key(lan, doc, values);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 202) << first->body;
  // The same date typed the way people write it: the same canonical value.
  json typed = values;
  const std::string iso = values["ngay_sinh"];
  ASSERT_EQ(iso.size(), 10u) << values.dump();
  typed["ngay_sinh"] = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  auto second = Key(minh, Document(minh, sha), typed);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  const json k = LedgerDetails(sha)["keying"];
  EXPECT_EQ(k["mode"], "double");
  EXPECT_TRUE(k["disagreed"].empty()) << k.dump();
  // Compared field by field, not vacuously: the keyings' values are kept.
  EXPECT_NE(std::find(k["agreed"].begin(), k["agreed"].end(), "ngay_sinh"), k["agreed"].end()) << k.dump();
  EXPECT_EQ(k["keyings"][0]["fields"]["ho_ten"], kFirstName);
  EXPECT_EQ(k["keyings"][1]["fields"]["ngay_sinh"], iso);
  EXPECT_FALSE(k.contains("arbiter"));
  EXPECT_EQ(k["keyings"][1]["by"], "minh");
}

TEST_F(DoubleKeyingApiTest, OutsideTheScopeOneKeyingConfirmsAndItsFiguresAreKept) {
  DoubleKeyingScope scope;
  ASSERT_TRUE(AddDoubleKeyingScope("book=khai_sinh:01/2018", &scope).ok());
  EXPECT_EQ(AddDoubleKeyingScope("twice", &scope).code(), StatusCode::kConfiguration);
  Serve(scope);
  Login lan = LogIn("lan");
  const std::string sha = Queue(lan).at(0)["sha256"];
  json doc = Document(lan, sha);
  EXPECT_FALSE(doc["keying"]["double_keyed"]);
  json values = FormValues(doc);
  values["ho_ten"] = kFirstName;
  auto confirmed = Key(lan, doc, values);
  ASSERT_TRUE(confirmed);
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  const json k = LedgerDetails(sha)["keying"];
  EXPECT_EQ(k["mode"], "single");
  EXPECT_EQ(k["keyings"][0]["by"], "lan");
  EXPECT_EQ(k["keyings"][0]["keystrokes"], 40);
  EXPECT_DOUBLE_EQ(k["keyings"][0]["field_seconds"]["ho_ten"].get<double>(), 6.0);
}

// An archive whose accounts were made before the arbiter role: the
// migration that widens the role's CHECK rebuilds "users" and "sessions";
// the accounts, their passwords and the open sessions must survive it.
TEST(ArbiterRoleMigrationTest, AccountsAndSessionsOfAnOlderArchiveSurvive) {
  testing::ScratchDir dir("arbiter-migration");
  const std::string path = (dir.path() / "accounts.sqlite").string();
  const SessionPolicy policy;
  std::string token;
  {
    auto store = OpenAccountStore(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->AddUser("lan", "correct horse battery", Role::kReviewer).ok());
    auto session = (*store)->Login("lan", "correct horse battery", "127.0.0.1", policy);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    token = session->token;
  }
  {  // Back to the schema before the arbiter role (version 2): the old CHECK.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, R"sql(
      PRAGMA foreign_keys=OFF;
      BEGIN;
      CREATE TABLE users_v2 (
        name          TEXT PRIMARY KEY,
        role          TEXT NOT NULL CHECK (role IN ('reviewer','admin')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until  INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO users_v2 SELECT * FROM users;
      DROP TABLE users;
      ALTER TABLE users_v2 RENAME TO users;
      PRAGMA user_version=2;
      COMMIT;
    )sql", nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK);
  }
  auto store = OpenAccountStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto session = (*store)->Authenticate(token, policy);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user, "lan");
  EXPECT_EQ(session->role, Role::kReviewer);
  EXPECT_TRUE((*store)->Login("lan", "correct horse battery", "127.0.0.1", policy).ok());
  ASSERT_TRUE((*store)->AddUser("dung", "correct horse battery", Role::kArbiter).ok());
  auto users = (*store)->Users();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ(RoleName((*users)[0].name == "dung" ? (*users)[0].role : (*users)[1].role), std::string("arbiter"));
  // Removing an account still ends its sessions.
  ASSERT_TRUE((*store)->RemoveUser("lan").ok());
  EXPECT_FALSE((*store)->Authenticate(token, policy).ok());
}

TEST(KeyingStatsTest, OutOfBoundFiguresAreDroppedNotTrusted) {
  const KeyingStats stats =
      ParseKeyingStats(R"({"keystrokes": -5, "seconds": 1e12, "field_seconds": {"ho_ten": 3.5, "so": -1}})");
  EXPECT_EQ(stats.keystrokes, -1);
  EXPECT_EQ(stats.seconds, -1);
  ASSERT_EQ(stats.field_seconds.size(), 1u);
  EXPECT_EQ(stats.field_seconds.at("ho_ten"), 3.5);
  EXPECT_EQ(ParseKeyingStats("not json").keystrokes, -1);
}

}  // namespace
}  // namespace sohoa
