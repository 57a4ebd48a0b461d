// The review station under a hostile client (issue 15): each finding of the
// attack on loopback is a test here, against the real server (in this
// process, with short deadlines so the suite stays quick) and, for the last
// test, against the built `sohoa review` process with its default limits,
// which must still answer afterwards with its memory back where it started.
// Everything is loopback only and bounded in count and time; attackers use
// their own loopback addresses (127.0.0.2...) so the per-address limits are
// what keeps the station open for the person on 127.0.0.1.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>

#include "pipeline/core/text_safety.h"
#include "tests/cli/review/review_fixture.h"
#include "tests/support/free_port.h"

extern char** environ;

namespace sohoa {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A raw TCP client from a chosen loopback address: the attacks need bytes an
// HTTP library would not send.
class RawClient {
 public:
  RawClient(const std::string& from, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    timeval tv{10, 0};  // no attack step may hang the test
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    connected_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // What the server says until it closes (or 10 s pass).
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  // True once the server has answered unasked (a refusal), closed or reset
  // the connection: an attacker's request is never complete.
  bool ServerGaveUp() {
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, MSG_DONTWAIT);
    return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

std::string Nested(const std::string& prefix, int depth, const std::string& suffix) {
  return prefix + std::string(depth, '[') + std::string(depth, ']') + suffix;
}

int StatusOf(const std::string& response) {
  return response.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(response.c_str() + 9) : 0;
}

class ReviewHostileTest : public ReviewFixture {
 protected:
  static void SetUpTestSuite() { MakeMasterArchive({"t03_khai_tu_packbits.tif"}); }

  // Short deadlines so a slow client is cut within the test's patience.
  static cli::HttpLimits QuickLimits() {
    cli::HttpLimits limits;
    limits.header_seconds = 2;
    limits.request_seconds = 4;
    limits.idle_seconds = 2;
    return limits;
  }
  void StartQuickServer(SessionPolicy policy = {}) {
    cli::ReviewServerOptions options;
    options.sessions = policy;
    options.limits = QuickLimits();
    StartServer(options);
  }
  bool StationAnswers() {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(5);
    auto res = c.Get("/api/session");
    return res && res->status == 401;
  }
  json FirstDocument(const Login& who) {
    const std::vector<json> items = Queue(who);
    if (items.empty()) return json();
    auto got = Get(who, "/api/documents/" + items[0]["sha256"].get<std::string>());
    return got && got->status == 200 ? json::parse(got->body) : json();
  }
  json Submission(const json& doc, const json& values) {
    return {
        {"version", doc["version"]}, {"doc_type", doc["doc_type"]}, {"fields", values}, {"record_id", ""}};
  }
};

// Finding 1: nested JSON killed the server (stack exhaustion).
TEST_F(ReviewHostileTest, DeeplyNestedJsonIsRefusedOnEveryRouteWithoutCrashing) {
  auto login =
      Client().Post("/api/login", Nested(R"({"user":"x","password":)", 150000, "}"), "application/json");
  ASSERT_TRUE(login) << "the server died";
  EXPECT_EQ(login->status, 400);
  EXPECT_NE(login->body.find("deeper than"), std::string::npos) << login->body;
  Login lan = LogIn("lan");
  auto check =
      Client().Post("/api/check", httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}},
                    Nested(R"({"doc_type":)", 500000, "}"), "application/json");
  ASSERT_TRUE(check) << "the server died";
  EXPECT_EQ(check->status, 400);
  const json doc = FirstDocument(lan);
  ASSERT_TRUE(doc.is_object());
  auto confirm = Client().Post(("/api/documents/" + doc["sha256"].get<std::string>() + "/confirm").c_str(),
                               httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}},
                               Nested(R"({"version":"x","fields":)", 40, "}"), "application/json");
  ASSERT_TRUE(confirm);
  EXPECT_EQ(confirm->status, 400);
  // Ordinary nesting still works.
  auto ok = Post(lan, "/api/check", {{"doc_type", doc["doc_type"]}, {"fields", FormValues(doc)}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(StationAnswers());
}

// Finding 2: chunked bodies escaped the 1 MiB limit.
TEST_F(ReviewHostileTest, ChunkedBodiesAreHeldToTheBodyLimit) {
  StartQuickServer();
  const std::string chunk(64 << 10, 'a');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  {
    RawClient attacker("127.0.0.2", port_);
    ASSERT_TRUE(attacker.connected());
    ASSERT_TRUE(
        attacker.Send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n"));
    size_t sent = 0;
    while (sent < (48u << 20) && attacker.Send(size_line + chunk + "\r\n")) sent += chunk.size();
    // 2 MiB read, then the socket buffers of loopback (a few MiB) fill.
    EXPECT_LT(sent, 24u << 20) << "the server kept reading a chunked body far past its limit";
  }
  // With a session: a 3 MiB field value, chunked, is refused and stored nowhere.
  Login lan = LogIn("lan");
  const json doc = FirstDocument(lan);
  ASSERT_TRUE(doc.is_object());
  json values = FormValues(doc);
  values["ho_ten"] = std::string(3 << 20, 'A');
  const std::string body = Submission(doc, values).dump();
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(30);
  size_t offset = 0;
  auto res = c.Post(("/api/documents/" + doc["sha256"].get<std::string>() + "/confirm").c_str(),
                    httplib::Headers{{"Cookie", lan.cookie}, {"X-CSRF-Token", lan.csrf}},
                    [&](size_t, httplib::DataSink& sink) {  // no length given: chunked
                      const size_t n = std::min<size_t>(64 << 10, body.size() - offset);
                      if (n > 0 && !sink.write(body.data() + offset, n)) return false;
                      offset += n;
                      if (offset >= body.size()) sink.done();
                      return true;
                    },
                    "application/json");
  if (res) EXPECT_EQ(res->status, 413) << res->body.substr(0, 200);
  auto still = ledger_->Find(doc["sha256"]);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");
  // A body where none belongs is refused before it is read.
  RawClient get("127.0.0.2", port_);
  ASSERT_TRUE(get.Send("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_EQ(StatusOf(get.ReadAll()), 400);
  EXPECT_TRUE(StationAnswers());
}

// Finding 3: eight slow clients (or ~200 idle ones) stopped everyone.
TEST_F(ReviewHostileTest, SlowAndIdleClientsCannotHoldTheStation) {
  StartQuickServer();
  const cli::HttpLimits limits = QuickLimits();
  std::atomic<int> cut{0}, still_open_long{0};
  // 24 slow-loris connections, one header byte every 300 ms each, for at most
  // 8 s; the header deadline (2 s, not re-armed per byte) must cut them.
  std::vector<std::thread> loris;
  for (int i = 0; i < 24; ++i) {
    loris.emplace_back([&, i] {
      RawClient slow("127.0.0." + std::to_string(2 + i % 3), port_);
      if (!slow.connected()) return;
      const auto start = Clock::now();
      if (!slow.Send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")) return;
      while (SecondsSince(start) < 8) {
        if (!slow.Send("a") || slow.ServerGaveUp()) {
          ++cut;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
      ++still_open_long;
    });
  }
  // 200 idle connections from one more address.
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(std::make_unique<RawClient>("127.0.0.9", port_));
  // Meanwhile the person on 127.0.0.1 is served.
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(StationAnswers()) << "a legitimate request waited more than 5 s during the attack";
  }
  int idle_refused = 0;
  for (auto& c : idle) idle_refused += c->ServerGaveUp();
  EXPECT_GE(idle_refused, 200 - limits.connections_per_address - 8)
      << "idle connections beyond the per-address cap";
  for (std::thread& t : loris) t.join();
  EXPECT_EQ(still_open_long, 0) << "slow clients kept their connection by sending a byte at a time";
  EXPECT_GT(cut, 0);
  EXPECT_TRUE(StationAnswers());
}

// Finding 4: simultaneous guesses outran the failure counter.
TEST_F(ReviewHostileTest, ABurstOfGuessesIsCountedBeforeAnyIsChecked) {
  SessionPolicy policy;
  policy.login.free_failures = 2;          // fewer Argon2 checks: a quicker test
  policy.login.first_delay_seconds = 600;  // no wait passes during the burst
  std::atomic<int> checked{0}, waited{0};
  std::vector<std::thread> burst;
  for (int i = 0; i < 16; ++i) {
    burst.emplace_back([&, i] {
      auto s = accounts_->Login("minh", "guess number " + std::to_string(i), "127.0.0.7", policy);
      if (s.status().code() == StatusCode::kInvalidInput) ++checked;
      if (s.status().code() == StatusCode::kBusy) ++waited;
    });
  }
  for (std::thread& t : burst) t.join();
  // free_failures without waiting, then one that starts the wait.
  EXPECT_LE(checked, policy.login.free_failures + 1);
  EXPECT_EQ(checked + waited, 16);
  auto right = accounts_->Login("minh", kPassword, "127.0.0.7", policy);
  EXPECT_EQ(right.status().code(), StatusCode::kBusy) << "the right password right after the burst";
}

// Finding 5: five wrong POSTs locked anyone out for 15 minutes, and 429 vs
// 401 told which names exist.
TEST_F(ReviewHostileTest, GuessingSlowsTheGuesserNotTheOwnerAndAnswersAreIdentical) {
  SessionPolicy policy;
  policy.login.free_failures = 1;
  policy.login.first_delay_seconds = 300;
  policy.login.account_max_delay_seconds = 1;
  for (int i = 0; i < 4; ++i)
    (void)accounts_->Login("admin", "guess " + std::to_string(i), "10.9.9.9", policy);
  // The guesser's address waits; the admin, elsewhere, waits a second at most.
  EXPECT_EQ(accounts_->Login("admin", kPassword, "10.9.9.9", policy).status().code(), StatusCode::kBusy);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto owner = accounts_->Login("admin", kPassword, "10.1.1.1", policy);
  EXPECT_TRUE(owner.ok()) << owner.status().ToString();

  // An admin clears an account's count: `sohoa user unlock`.
  policy.login.account_max_delay_seconds = 600;
  for (int i = 0; i < 3; ++i)
    (void)accounts_->Login("minh", "guess", "10.2.2." + std::to_string(i), policy);  // many addresses
  EXPECT_EQ(accounts_->Login("minh", kPassword, "10.3.3.3", policy).status().code(), StatusCode::kBusy);
  testing::CommandResult unlock = testing::RunCommand(Quote(testing::BinaryPath("sohoa").string()) +
                                                      " user unlock --archive " + Quote(archive_) + " minh");
  ASSERT_EQ(unlock.exit_code, 0) << unlock.output;
  EXPECT_TRUE(accounts_->Login("minh", kPassword, "10.3.3.3", policy).ok());
  auto audit = accounts_->AuditLog(AuditQuery{.limit = 10, .action = "user_unlock"});
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 1u);

  // Over HTTP: unknown name, wrong password and waiting answer the same.
  SessionPolicy slow;
  slow.login.free_failures = 2;
  slow.login.first_delay_seconds = 600;
  StartServer(slow);
  auto attempt = [&](const std::string& user, const std::string& password) {
    auto res =
        Client().Post("/api/login", json{{"user", user}, {"password", password}}.dump(), "application/json");
    return res ? std::to_string(res->status) + " " + res->body : std::string("no answer");
  };
  const std::string wrong = attempt("lan", "not the password");
  const std::string unknown = attempt("nobody-here", "not the password");
  EXPECT_EQ(unknown, wrong);
  (void)attempt("lan", "guess");  // the third failure from this address starts its wait
  EXPECT_EQ(attempt("lan", kPassword), wrong) << "waiting must look like a wrong password";
  EXPECT_EQ(wrong.rfind("401 ", 0), 0u) << wrong;
}

// Finding 6: a foreign Host (DNS rebinding) was served.
TEST_F(ReviewHostileTest, ForeignHostIsRefusedAndAnHttpsPublicUrlMakesTheCookieSecure) {
  const std::string body = json{{"user", "lan"}, {"password", kPassword}}.dump();
  auto foreign = Client().Post("/api/login",
                               httplib::Headers{{"Host", "evil.example"}, {"Origin", "http://evil.example"}},
                               body, "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 421);
  EXPECT_FALSE(foreign->has_header("Set-Cookie"));
  auto page = Client().Get("/", httplib::Headers{{"Host", "evil.example:" + std::to_string(port_)}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 421);
  auto local = Client().Post("/api/login", httplib::Headers{{"Host", "localhost:" + std::to_string(port_)}},
                             body, "application/json");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200);
  EXPECT_EQ(local->get_header_value("Set-Cookie").find("Secure"), std::string::npos);

  cli::ReviewServerOptions options;
  options.public_url = "https://Review.Example.VN/station";
  StartServer(options);
  auto proxied = Client().Post(
      "/api/login", httplib::Headers{{"Host", "review.example.vn"}, {"Origin", "https://review.example.vn"}},
      body, "application/json");
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->status, 200) << proxied->body;
  EXPECT_NE(proxied->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
}

// Finding 7: U+FFFF made the new version's XMP ill-formed; controls and
// direction overrides were stored as typed.
TEST_F(ReviewHostileTest, FieldValuesMustBeCleanTextAndTheXmpStaysWellFormed) {
  Login lan = LogIn("lan");
  const json doc = FirstDocument(lan);
  ASSERT_TRUE(doc.is_object());
  const std::string path = "/api/documents/" + doc["sha256"].get<std::string>() + "/confirm";
  for (const auto& [bad, named] :
       std::vector<std::pair<std::string, std::string>>{{"NGUYỄN\xEF\xBF\xBF", "U+FFFF"},
                                                        {std::string("NGUY\0N", 6), "U+0000"},
                                                        {"NGUYỄN\x1b[2J", "U+001B"},
                                                        {"NGUYỄN \xE2\x80\xAE"
                                                         "NĂV",
                                                         "U+202E"}}) {
    json values = FormValues(doc);
    values["ho_ten"] = bad;
    auto check = Post(lan, "/api/check", {{"doc_type", doc["doc_type"]}, {"fields", values}});
    ASSERT_TRUE(check);
    EXPECT_NE(json::parse(check->body)["ho_ten"]["problem"].get<std::string>().find(named),
              std::string::npos);
    auto refused = Post(lan, path, Submission(doc, values));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 422) << named;
    EXPECT_NE(refused->body.find("ho_ten"), std::string::npos) << refused->body;
    EXPECT_NE(refused->body.find(named), std::string::npos) << refused->body;
  }
  auto still = ledger_->Find(doc["sha256"]);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");

  // Markup characters are fine, and the new XMP packet parses as XML.
  json values = FormValues(doc);
  values["nguyen_nhan_chet"] = "Bệnh <tim> & \"phổi\"";
  auto confirmed = Post(lan, path, Submission(doc, values));
  ASSERT_TRUE(confirmed);
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  const std::string pdf =
      testing::ReadFile(fs::path(archive_) / json::parse(confirmed->body)["pdf"].get<std::string>());
  const size_t begin = pdf.rfind("<?xpacket begin");
  const size_t end = pdf.find("<?xpacket end", begin);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const fs::path xmp = scratch_->path() / "new-version.xmp";
  testing::WriteFile(xmp, pdf.substr(begin, pdf.find("?>", end) + 2 - begin));
  testing::CommandResult parsed = testing::RunCommand(
      "/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
      "print(\"\\n\".join(e.text or \"\" for e in r.iter() if e.tag.endswith(\"}nguyen_nhan_chet\")))' " +
      Quote(xmp.string()));
  EXPECT_EQ(parsed.exit_code, 0) << parsed.output;
  EXPECT_NE(parsed.output.find("<tim> & \"phổi\""), std::string::npos) << parsed.output;
}

// Finding 8: 520 failed anonymous logins pushed every review out of view.
TEST_F(ReviewHostileTest, RefusedLoginsAreCountedApartAndTheAuditViewPagesAndFilters) {
  SessionPolicy policy;
  policy.login.free_failures = 2;  // the rest wait: a quick test
  policy.login.first_delay_seconds = 600;
  StartServer(policy);
  Login admin = LogIn("admin");
  Login lan = LogIn("lan");
  for (int i = 0; i < 30; ++i) {  // the first few are checked, the rest wait: quick
    Client().Post("/api/login",
                  json{{"user", "intruder" + std::to_string(i % 3)}, {"password", "guess"}}.dump(),
                  "application/json");
  }
  auto view = Get(admin, "/api/audit");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->status, 200);
  const json entries = json::parse(view->body)["entries"];
  bool saw_lan = false;
  for (const json& e : entries) {
    EXPECT_NE(e["action"], "login_refused");
    saw_lan = saw_lan || (e["action"] == "login" && e["user"] == "lan");
  }
  EXPECT_TRUE(saw_lan);
  auto logins = Get(admin, "/api/audit/logins");
  ASSERT_TRUE(logins);
  ASSERT_EQ(logins->status, 200);
  const json failures = json::parse(logins->body)["failures"];
  int64_t total = 0;
  for (const json& f : failures) {
    total += f["count"].get<int64_t>();
    EXPECT_EQ(f["account"], "");  // unknown names are not kept: they may be mistyped passwords
    EXPECT_EQ(f["address"], "127.0.0.1");
  }
  EXPECT_EQ(total, 30);
  EXPECT_LE(failures.size(), 2u);  // one row per hour, address and account

  // Pages: one entry at a time, newest first, then the next older one.
  auto first = Get(admin, "/api/audit?limit=1");
  ASSERT_TRUE(first);
  const json page1 = json::parse(first->body);
  ASSERT_EQ(page1["entries"].size(), 1u);
  ASSERT_GT(page1["next_before"].get<int64_t>(), 0);
  auto second =
      Get(admin, "/api/audit?limit=1&before=" + std::to_string(page1["next_before"].get<int64_t>()));
  ASSERT_TRUE(second);
  const json page2 = json::parse(second->body);
  ASSERT_EQ(page2["entries"].size(), 1u);
  EXPECT_LT(page2["entries"][0]["id"].get<int64_t>(), page1["entries"][0]["id"].get<int64_t>());
  auto only_admin = Get(admin, "/api/audit?user=admin&action=login");
  ASSERT_TRUE(only_admin);
  const json filtered = json::parse(only_admin->body)["entries"];
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0]["user"], "admin");
}

// Finding 9: the request log printed the decoded path (forged lines, terminal escapes).
TEST_F(ReviewHostileTest, TheRequestLogEscapesControlCharacters) {
  log_.str("");
  {
    RawClient c("127.0.0.1", port_);
    ASSERT_TRUE(
        c.Send("GET /x%0Areview:%20POST%20/api/login%20200%20user=admin%1b[2J HTTP/1.1\r\n"
               "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(StatusOf(c.ReadAll()), 404);
  }
  ASSERT_TRUE(StationAnswers());
  StopServer();  // a request is logged after its answer is sent: wait for the workers
  const std::string log = log_.str();
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
  std::istringstream lines(log);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    EXPECT_EQ(line.rfind("review: GET /", 0), 0u) << line;
  EXPECT_EQ(count, 2) << log;
  EXPECT_NE(log.find("\\n"), std::string::npos) << log;
}

// Finding 10: absolute paths in answers, a world-readable review.sqlite, and
// the register-match check outside the confirming transaction.
TEST_F(ReviewHostileTest, AnswersHoldNoAbsolutePathAndDatabasesArePrivate) {
  Login lan = LogIn("lan");
  const json doc = FirstDocument(lan);
  ASSERT_TRUE(doc.is_object());
  auto beyond = Get(lan, "/api/documents/" + doc["sha256"].get<std::string>() + "/pages/99.png");
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 422);
  EXPECT_EQ(beyond->body.find(archive_), std::string::npos) << beyond->body;
  EXPECT_EQ(beyond->body.find(scratch_->path().string()), std::string::npos) << beyond->body;

  const fs::path fresh = scratch_->path() / "fresh";
  fs::create_directories(fresh);
  {
    auto store = OpenAccountStore(AccountStorePath(fresh.string()));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto ledger = OpenSqliteLedger((fresh / "ledger.sqlite").string());
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    for (const char* name : {"review.sqlite", "review.sqlite-wal", "ledger.sqlite"}) {
      struct stat st {};
      ASSERT_EQ(::stat((fresh / name).c_str(), &st), 0) << name;
      // Password hashes are the owner's only; the ledger may be read by the
      // archive's auditors' group (issue 25), by no one else.
      EXPECT_EQ(st.st_mode & 0777, std::string(name) == "ledger.sqlite" ? 0640u : 0600u) << name;
    }
  }
  // A store made 0644 by an older version is narrowed when opened.
  ASSERT_EQ(::chmod((fresh / "review.sqlite").c_str(), 0644), 0);
  ASSERT_TRUE(OpenAccountStore(AccountStorePath(fresh.string())).ok());
  struct stat st {};
  ASSERT_EQ(::stat((fresh / "review.sqlite").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ReviewHostileTest, ARegisterRecordMatchedWhileConfirmingIsRefusedInTheTransaction) {
  const json doc = json::parse(*service_->DocumentJson(service_->Queue()->front().sha256));
  ASSERT_FALSE(doc["inventory"].empty()) << doc.dump();
  const std::string record = doc["inventory"][0]["record_id"];
  // Another confirmation takes the record while this one writes its PDF
  // (after the early check, before the ledger transaction).
  PdfReviser real = NewPdfReviser(nullptr);
  ReviewService racing(
      archive_, ledger_.get(), catalog_.get(), cli::NewFieldChecker(), [&](const PdfRevision& revision) {
        EXPECT_TRUE(ledger_->ClaimInput(std::string(64, 'f'), "other.tif", "run-x", 60).ok());
        LedgerRecord other;
        other.sha256 = std::string(64, 'f');
        other.source = "other.tif";
        other.status = "archived";
        other.run_id = "run-x";
        other.details_json = json{{"metadata", {{"record_id", record}}}}.dump();
        EXPECT_TRUE(ledger_->RecordOutcome(other).ok());
        return real(revision);
      });
  ReviewSubmission s;
  s.sha256 = doc["sha256"];
  s.version = doc["version"];
  s.reviewer = "lan";
  s.doc_type = doc["doc_type"];
  for (const auto& [key, f] : doc["fields"].items()) s.fields[key] = f["value"];
  s.record_id = record;
  auto outcome = racing.Confirm(s);
  ASSERT_FALSE(outcome.ok()) << "two documents matched to one register record";
  EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(outcome.status().message().find("already matched"), std::string::npos)
      << outcome.status().ToString();
  auto still = ledger_->Find(s.sha256);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->status, "review");
}

// The whole attack against the built `sohoa review` (default limits): it
// still answers afterwards, and its memory is back within 20% of the start.
class ReviewProcess {
 public:
  explicit ReviewProcess(const std::string& archive) {
    port_ = testing::FreeLocalPort();
    const std::string binary = testing::BinaryPath("sohoa").string();
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string log = archive + "/../review-process.log";
    std::vector<std::string> args = {binary, "review", "--archive", archive, "--listen", listen};
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (posix_spawn(&pid_, binary.c_str(), &files, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&files);
  }
  ~ReviewProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status;
      ::waitpid(pid_, &status, 0);
    }
  }
  int port() const { return port_; }
  bool Alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  int64_t RssKib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(ReviewHostileTest, AfterTheWholeAttackTheStationAnswersWithItsMemoryBack) {
  StopServer();  // the process serves this archive now
  ReviewProcess station(archive_);
  httplib::Client c("127.0.0.1", station.port());
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  auto answers = [&] {
    auto res = c.Get("/api/session");
    return res && res->status == 401;
  };
  bool up = false;
  for (int i = 0; i < 100 && !(up = answers()); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(up) << "sohoa review did not start";
  auto login = [&](const std::string& body) {
    auto res = c.Post("/api/login", body, "application/json");
    return res ? res->status : 0;
  };
  // Warm up what an ordinary day touches (a login, pages, every worker).
  ASSERT_EQ(login(json{{"user", "lan"}, {"password", kPassword}}.dump()), 200);
  std::vector<std::thread> warm;
  for (int i = 0; i < 48; ++i) {
    warm.emplace_back([&, i] {
      RawClient w("127.0.0." + std::to_string(10 + i % 3), station.port());
      w.Send("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      w.ReadAll();
    });
  }
  for (std::thread& t : warm) t.join();
  const int64_t start_rss = station.RssKib();
  ASSERT_GT(start_rss, 0);

  // 1: nested JSON, unauthenticated.
  EXPECT_EQ(login(Nested(R"({"user":"x","password":)", 150000, "}")), 400);
  // 2: a chunked body far over the limit.
  {
    RawClient attacker("127.0.0.2", station.port());
    attacker.Send(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
    for (int i = 0; i < 512 && attacker.Send(chunk); ++i) {
    }
  }
  // 3: slow and idle connections from two addresses, 3 s.
  {
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 40; ++i) {
      held.push_back(std::make_unique<RawClient>(i % 2 ? "127.0.0.3" : "127.0.0.4", station.port()));
      held.back()->Send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    EXPECT_TRUE(answers()) << "the station stopped answering under slow clients";
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  // 4-5: a burst of guesses.
  std::vector<std::thread> burst;
  for (int i = 0; i < 12; ++i)
    burst.emplace_back([&, i] {
      httplib::Client g("127.0.0.1", station.port());
      g.set_read_timeout(30);
      g.Post("/api/login", json{{"user", "admin"}, {"password", "guess " + std::to_string(i)}}.dump(),
             "application/json");
    });
  for (std::thread& t : burst) t.join();
  // 6 and 9: a foreign Host, a path forging log lines.
  auto foreign = c.Get("/", httplib::Headers{{"Host", "evil.example"}});
  EXPECT_TRUE(foreign && foreign->status == 421);
  {
    RawClient forger("127.0.0.5", station.port());
    forger.Send("GET /%0Aforged%1b[2J HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    forger.ReadAll();
  }

  EXPECT_TRUE(station.Alive()) << "sohoa review died";
  EXPECT_TRUE(answers());
  int64_t end_rss = station.RssKib();
  for (int i = 0; i < 20 && end_rss > start_rss * 12 / 10; ++i) {  // connections still closing
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    end_rss = station.RssKib();
  }
  EXPECT_LE(end_rss, start_rss * 12 / 10)
      << "RSS " << start_rss << " KiB before the attack, " << end_rss << " KiB after";
  std::cerr << "sohoa review RSS: " << start_rss << " KiB before the attack, " << end_rss << " KiB after\n";
}

}  // namespace
}  // namespace sohoa
