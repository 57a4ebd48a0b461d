// Many operators on one shared PostgreSQL ledger (issue 18): a real cluster,
// the real station (or two stations) on loopback, real operator sessions in
// threads. Entries are handed out with leases (assignments.h): no entry is
// keyed twice outside double keying, an entry someone holds is nobody
// else's, an abandoned one comes back after its lease, and double keying's
// two keyers may sit at different stations (their keyings live in the
// shared ledger).
//
// The 40 entries are register entries recorded in the PostgreSQL ledger as
// the archive sink records them (tests/support/register_books.h), each
// pointing at the PDF that the built `sohoa run` archived for review in the
// suite's master archive; the name (ho_ten) was left unread, and each
// operator keys the name that belongs to the entry they were given.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "pipeline/review/assignments.h"
#include "pipeline/review/double_keying.h"
#include "tests/cli/review/review_fixture.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/register_books.h"

namespace sohoa {
namespace {

constexpr int kEntries = 40;
const char* const kOperators[] = {"lan", "minh", "chi", "dung"};

// 40 different names, upper case as the pipeline keeps them.
std::string NameOf(int i) {
  static const char* const kSurnames[] = {"NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG"};
  static const char* const kGiven[] = {"VĂN AN",   "THỊ BÌNH", "VĂN CƯỜNG", "THỊ DUNG",
                                       "VĂN ĐỨC", "THỊ HOA",  "VĂN KHÁNH", "THỊ LAN"};
  return std::string(kSurnames[i % 5]) + " " + kGiven[i / 5];
}

class SharedLedgerReviewTest : public ReviewFixture {
 protected:
  static void SetUpTestSuite() {
    MakeMasterArchive({"t03_khai_tu_packbits.tif"});
    cluster_ = new testing::PostgresCluster();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    ReviewFixture::TearDownTestSuite();
  }

  void SetUp() override {
    ReviewFixture::SetUp();  // the archive copy, its accounts; a station on its SQLite ledger
    StopServer();
    ASSERT_TRUE(cluster_->ok()) << cluster_->error();
    for (const char* name : {"chi", "dung"}) ASSERT_TRUE(accounts_->AddUser(name, kPassword, Role::kReviewer).ok());
    // The document the pipeline sent to review: its PDF and its values.
    auto queue = service_->Queue();
    ASSERT_TRUE(queue.ok() && !queue->empty());
    auto master = ledger_->Find(queue->front().sha256);
    ASSERT_TRUE(master.ok() && master->has_value());
    auto facts = service_->DocumentJson(queue->front().sha256);
    ASSERT_TRUE(facts.ok());
    form_ = FormValues(json::parse(*facts));
    form_.erase("ho_ten");

    std::string error;
    url_ = cluster_->NewDatabase(&error);
    ASSERT_FALSE(url_.empty()) << error;
    auto shared = OpenLedger(url_, archive_, LedgerAccess::kCreate);
    ASSERT_TRUE(shared.ok()) << shared.status().ToString();
    testing::TestBook book;
    book.sha256 = std::string(64, 'b');
    book.kind = "khai_tu";
    book.pdf = (*master)->pdf;
    for (int i = 0; i < kEntries; ++i) {
      testing::TestEntry e;
      e.position = i + 1;
      e.entry_no = std::to_string(i + 1);
      e.page_no = std::to_string(i / 4 + 1);
      e.scan_page = i / 4 + 1;
      e.slot = i % 4 + 1;
      e.status = "review";
      e.reason = "name not read";
      e.pdf = (*master)->pdf;
      for (const auto& [key, value] : form_.items()) e.fields[key] = value.get<std::string>();
      book.entries.push_back(e);
    }
    testing::RecordBook(**shared, &book);
    for (int i = 0; i < kEntries; ++i) name_of_[book.entries[i].sha256] = NameOf(i);
    ledger_ = std::move(*shared);
    service_ = std::make_unique<ReviewService>(archive_, ledger_.get(), catalog_.get(), cli::NewFieldChecker(),
                                               NewPdfReviser(nullptr));
  }

  // The station as `sohoa review --ledger URL` wires it: blind keyings in
  // the shared ledger, entries handed out with `lease_seconds` leases.
  void Serve(int lease_seconds, const DoubleKeyingScope& scope = {}) {
    keying_ = std::make_unique<DoubleKeying>(ledger_.get(), service_.get(), ledger_->shared_keyings(), scope);
    assignments_ = std::make_unique<Assignments>(ledger_.get(), service_.get(), keying_.get(), lease_seconds);
    cli::ReviewServerOptions options;
    options.keying = keying_.get();
    options.assignments = assignments_.get();
    StartServer(options);
  }

  // The entry /api/next gives `who`, "" when none is left.
  std::string Next(const Login& who) {
    auto res = Post(who, "/api/next", json::object());
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    if (!res || res->status != 200) return "";
    const json body = json::parse(res->body);
    return body["sha256"].is_string() ? body["sha256"].get<std::string>() : "";
  }
  // Opens the entry and keys its name: the HTTP status of the confirmation.
  int KeyEntry(const Login& who, const std::string& sha) {
    auto opened = Get(who, "/api/documents/" + sha);
    if (!opened || opened->status != 200) return opened ? opened->status : -1;
    const json doc = json::parse(opened->body);
    json fields = FormValues(doc);
    fields["ho_ten"] = name_of_.at(sha);
    auto res = Post(who, "/api/documents/" + sha + "/confirm",
                    {{"version", doc["version"]},
                     {"doc_type", doc["doc_type"]},
                     {"fields", fields},
                     {"record_id", ""},
                     {"stats", {{"keystrokes", 20}, {"seconds", 9.5}}}});
    return res ? res->status : -1;
  }
  int Take(const Login& who, const std::string& sha) {
    auto res = Post(who, "/api/documents/" + sha + "/take", json::object());
    return res ? res->status : -1;
  }
  // The archived entry's name and reviews, as the ledger has them.
  std::string LedgerName(const std::string& sha) {
    auto found = ledger_->Find(sha);
    if (!found.ok() || !found->has_value()) return "";
    const json details = json::parse((*found)->details_json);
    return details["fields"].value("ho_ten", json::object()).value("value", "");
  }

  inline static testing::PostgresCluster* cluster_ = nullptr;
  std::string url_;
  json form_;
  std::map<std::string, std::string> name_of_;  // entry sha256 -> the name to key
  std::unique_ptr<DoubleKeying> keying_;
  std::unique_ptr<Assignments> assignments_;
};

TEST_F(SharedLedgerReviewTest, FourOperatorsKeyFortyEntriesEachExactlyOnce) {
  Serve(kDefaultReviewLeaseSeconds);
  std::vector<Login> logins;
  for (const char* name : kOperators) logins.push_back(LogIn(name));
  struct Keyed {
    std::string who, sha;
    int status;
  };
  std::mutex mutex;
  std::vector<Keyed> keyed;
  std::vector<std::thread> operators;
  for (int o = 0; o < 4; ++o) {
    operators.emplace_back([&, o] {
      // Bounded: never more rounds than entries (plus slack for a refusal).
      for (int round = 0; round < 2 * kEntries; ++round) {
        const std::string sha = Next(logins[o]);
        if (sha.empty()) return;
        const int status = KeyEntry(logins[o], sha);
        std::lock_guard<std::mutex> lock(mutex);
        keyed.push_back({kOperators[o], sha, status});
      }
    });
  }
  for (std::thread& t : operators) t.join();

  // Every entry given out once and keyed by the one it was given to.
  std::map<std::string, std::string> keyer;
  for (const Keyed& k : keyed) {
    EXPECT_EQ(k.status, 200) << k.who << " keying " << k.sha.substr(0, 12);
    EXPECT_TRUE(keyer.emplace(k.sha, k.who).second) << k.sha.substr(0, 12) << " given twice";
  }
  EXPECT_EQ(keyed.size(), static_cast<size_t>(kEntries));
  ASSERT_EQ(keyer.size(), static_cast<size_t>(kEntries));
  for (const Login& who : logins) EXPECT_EQ(Next(who), "");  // nothing left for anyone

  // The ledger: each archived once, with the name its keyer typed.
  for (const auto& [sha, who] : keyer) {
    ASSERT_EQ(name_of_.count(sha), 1u);
    auto reviews = ledger_->ReviewsOf(sha);
    ASSERT_TRUE(reviews.ok());
    ASSERT_EQ(reviews->size(), 1u) << sha.substr(0, 12);
    EXPECT_EQ((*reviews)[0].reviewer, who);
    EXPECT_EQ(LedgerName(sha), name_of_[sha]);
  }
  // The export, as `sohoa export --ledger URL` prints it.
  testing::CommandResult exported =
      testing::RunCommand(Quote(testing::BinaryPath("sohoa").string()) + " export --ledger " + Quote(url_));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  std::istringstream lines(exported.output);
  int entries = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    const json record = json::parse(line);
    const std::string sha = record.value("sha256", "");
    if (keyer.count(sha) == 0) continue;
    ++entries;
    EXPECT_EQ(record["status"], "archived");
    EXPECT_EQ(record["fields"]["ho_ten"]["value"], name_of_[sha]);
    EXPECT_EQ(record["keying"]["mode"], "single");
    EXPECT_EQ(record["keying"]["keyings"].size(), 1u);
    EXPECT_EQ(record["keying"]["keyings"][0]["by"], keyer[sha]);
  }
  EXPECT_EQ(entries, kEntries);
}

TEST_F(SharedLedgerReviewTest, AnEntrySomeoneHoldsIsNobodyElses) {
  Serve(kDefaultReviewLeaseSeconds);
  Login lan = LogIn("lan"), chi = LogIn("chi");
  const std::string held = Next(lan);
  ASSERT_FALSE(held.empty());
  EXPECT_EQ(Take(lan, held), 200);  // the holder's heartbeat renews it
  EXPECT_EQ(Take(chi, held), 409);
  EXPECT_EQ(KeyEntry(chi, held), 409);  // nor can it be keyed past the lease
  const std::string other = Next(chi);
  ASSERT_FALSE(other.empty());
  EXPECT_NE(other, held);
  EXPECT_EQ(Next(lan), held);  // a reloaded browser gets its own entry back
  EXPECT_EQ(KeyEntry(lan, held), 200);
  EXPECT_EQ(KeyEntry(chi, other), 200);
  EXPECT_EQ(LedgerName(held), name_of_[held]);
}

TEST_F(SharedLedgerReviewTest, AnAbandonedEntryGoesToTheNextOperatorAfterItsLease) {
  Serve(/*lease_seconds=*/2);
  Login lan = LogIn("lan"), chi = LogIn("chi");
  const std::string abandoned = Next(lan);  // lan takes it and goes silent
  ASSERT_FALSE(abandoned.empty());
  // chi asks for it until lan's lease has run out (bounded: a minute).
  bool taken = false;
  for (int i = 0; i < 240 && !taken; ++i) {
    taken = Take(chi, abandoned) == 200;
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(taken) << "the abandoned entry never came back";
  EXPECT_EQ(KeyEntry(chi, abandoned), 200);
  EXPECT_EQ(KeyEntry(lan, abandoned), 409);  // lan, back, finds it done; nothing overwritten
  auto reviews = ledger_->ReviewsOf(abandoned);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_EQ((*reviews)[0].reviewer, "chi");
}

TEST_F(SharedLedgerReviewTest, DoubleKeyingsTwoKeyersAtTwoStationsShareTheLedger) {
  DoubleKeyingScope scope;
  scope.all = true;
  Serve(kDefaultReviewLeaseSeconds, scope);  // station A
  // Station B: another process's view — its own connection to the ledger.
  auto ledger_b = OpenLedger(url_, archive_, LedgerAccess::kExisting);
  ASSERT_TRUE(ledger_b.ok()) << ledger_b.status().ToString();
  ReviewService service_b(archive_, ledger_b->get(), catalog_.get(), cli::NewFieldChecker(),
                          NewPdfReviser(nullptr));
  DoubleKeying keying_b(ledger_b->get(), &service_b, (*ledger_b)->shared_keyings(), scope);
  Assignments assignments_b(ledger_b->get(), &service_b, &keying_b, kDefaultReviewLeaseSeconds);
  cli::ReviewServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.keying = &keying_b;
  options.assignments = &assignments_b;
  std::ostringstream log_b;
  auto station_b = cli::NewReviewServer(&service_b, accounts_.get(), options, &log_b);
  auto port_b = station_b->Bind();
  ASSERT_TRUE(port_b.ok()) << port_b.status().ToString();
  std::thread serving_b([&] { station_b->Serve(); });
  const int port_a = port_;

  Login lan = LogIn("lan");  // at A
  port_ = *port_b;
  Login minh = LogIn("minh");  // at B
  const std::string sha = Next(minh);
  port_ = port_a;
  Login dung = LogIn("dung");
  // Two keyers may hold a double-keyed entry; a third may not.
  EXPECT_EQ(Next(lan), sha);
  EXPECT_EQ(Take(dung, sha), 409);
  const std::string third = Next(dung);
  EXPECT_NE(third, sha);
  EXPECT_EQ(KeyEntry(lan, sha), 202);  // the first keying, kept blind, at A
  port_ = *port_b;
  EXPECT_EQ(KeyEntry(minh, sha), 200);  // the second, at B, agrees: archived
  station_b->Stop();
  serving_b.join();
  port_ = port_a;

  auto found = ledger_->Find(sha);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->status, "archived");
  const json keying = json::parse((*found)->details_json)["keying"];
  EXPECT_EQ(keying["mode"], "double");
  ASSERT_EQ(keying["keyings"].size(), 2u);
  EXPECT_EQ(keying["keyings"][0]["by"], "lan");
  EXPECT_EQ(keying["keyings"][1]["by"], "minh");
  auto left = ledger_->shared_keyings()->Keyings(sha);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());  // settled: the blind keyings are gone
}

}  // namespace
}  // namespace sohoa
