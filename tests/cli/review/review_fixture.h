// The review station's test fixture (issues 9 and 15): a real archive made by
// the built `sohoa run`, the real account store and ledger, and the real
// server on a free loopback port with a real HTTP client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/review/field_checker.h"
#include "cli/review/server.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/review/accounts.h"
#include "pipeline/review/review.h"
#include "stages/signing/pdf_revision.h"
#include "tests/test_support.h"

namespace sohoa {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Quote;

constexpr const char* kPassword = "correct horse battery";

// One archive per suite (OCR is slow), made by the built `sohoa run` from
// `scan_names`; each test works on a copy, served by the real server on a
// free loopback port.
class ReviewFixture : public ::testing::Test {
 protected:
  // Imports into `archive` the sample register with the rows
  // `disputed_records` made to disagree with their documents (issue date,
  // holder), so that the pipeline sends those to review whatever the OCR
  // confidence. `csv` is where the register is written.
  static void ImportDisputedRegister(const std::string& archive, const fs::path& csv,
                                     const std::vector<std::string>& disputed_records) {
    std::istringstream rows(testing::ReadFile(testing::SamplesDir() / "inventory.csv"));
    std::string row, reg;
    while (std::getline(rows, row)) {
      for (const std::string& id : disputed_records) {
        if (row.rfind(id + ",", 0) != 0) continue;
        std::vector<std::string> cols;
        std::istringstream cells(row);
        for (std::string cell; std::getline(cells, cell, ',');) cols.push_back(cell);
        if (cols.size() >= 6) cols[4] = "2000-01-01", cols[5] = "001000000001";
        row.clear();
        for (const std::string& c : cols) row += (row.empty() ? "" : ",") + c;
      }
      reg += row + "\n";
    }
    testing::WriteFile(csv, reg);
    const std::string sohoa = Quote(testing::BinaryPath("sohoa").string());
    testing::CommandResult import =
        testing::RunCommand(sohoa + " inventory import --archive " + archive + " " + Quote(csv.string()));
    ASSERT_EQ(import.exit_code, 0) << import.output;
  }

  // `disputed_records`: the register rows made to disagree with their
  // documents (issue date, holder), so that the pipeline sends those to
  // review whatever the OCR confidence.
  static void MakeMasterArchive(const std::vector<std::string>& scan_names,
                                const std::vector<std::string>& disputed_records = {"R00003", "R00004", "R00011"}) {
    master_ = new testing::ScratchDir("review-master");
    const fs::path scans = master_->path() / "scans";
    fs::create_directories(scans);
    for (const std::string& name : scan_names)
      fs::copy_file(testing::SamplesDir() / "scans" / name, scans / name);
    const std::string sohoa = Quote(testing::BinaryPath("sohoa").string());
    const std::string archive = Quote((master_->path() / "archive").string());
    ImportDisputedRegister(archive, master_->path() / "register.csv", disputed_records);
    testing::CommandResult run = testing::RunCommand(sohoa + " run --deterministic --jobs 2 --input " +
                                                     Quote(scans.string()) + " --archive " + archive);
    ASSERT_EQ(run.exit_code, 3) << "expected documents in review:\n" << run.output;
  }
  static void TearDownTestSuite() {
    delete master_;
    master_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(master_, nullptr);
    scratch_ = std::make_unique<testing::ScratchDir>("review-test");
    archive_ = (scratch_->path() / "archive").string();
    fs::copy(master_->path() / "archive", archive_, fs::copy_options::recursive);
    auto ledger = OpenArchiveLedger(archive_);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ledger_ = std::move(*ledger);
    auto catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::make_unique<DocTypeCatalog>(std::move(*catalog));
    auto accounts = OpenAccountStore(AccountStorePath(archive_));
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    ASSERT_TRUE(accounts_->AddUser("lan", kPassword, Role::kReviewer).ok());
    ASSERT_TRUE(accounts_->AddUser("minh", kPassword, Role::kReviewer).ok());
    ASSERT_TRUE(accounts_->AddUser("admin", kPassword, Role::kAdmin).ok());
    service_ = std::make_unique<ReviewService>(archive_, ledger_.get(), catalog_.get(),
                                               cli::NewFieldChecker(), NewPdfReviser(nullptr));
    StartServer(SessionPolicy{});
  }

  void StartServer(const SessionPolicy& policy) {
    cli::ReviewServerOptions options;
    options.sessions = policy;
    StartServer(options);
  }
  void StartServer(cli::ReviewServerOptions options) {
    StopServer();
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = cli::NewReviewServer(service_.get(), accounts_.get(), options, &log_);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { server_->Serve(); });
  }
  void StopServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  void TearDown() override { StopServer(); }

  struct Login {
    std::string cookie, csrf;
  };
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60);
    return c;
  }
  Login LogIn(const std::string& user) {
    auto res =
        Client().Post("/api/login", json{{"user", user}, {"password", kPassword}}.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    if (!res) return {};
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    return Login{set_cookie.substr(0, set_cookie.find(';')), json::parse(res->body).value("csrf", "")};
  }
  httplib::Result Get(const Login& who, const std::string& path) {
    return Client().Get(path.c_str(), httplib::Headers{{"Cookie", who.cookie}});
  }
  httplib::Result Post(const Login& who, const std::string& path, const json& body) {
    return Client().Post(path.c_str(), httplib::Headers{{"Cookie", who.cookie}, {"X-CSRF-Token", who.csrf}},
                         body.dump(), "application/json");
  }
  std::vector<json> Queue(const Login& who) {
    auto res = Get(who, "/api/queue");
    EXPECT_TRUE(res && res->status == 200);
    std::vector<json> items;
    if (!res) return items;
    const json body = json::parse(res->body);
    for (const json& item : body["items"]) items.push_back(item);
    return items;
  }
  // The form's current values, as a person would submit them unchanged.
  static json FormValues(const json& doc) {
    json values = json::object();
    for (const auto& [key, f] : doc["fields"].items()) values[key] = f.value("value", "");
    return values;
  }

  inline static testing::ScratchDir* master_ = nullptr;
  std::unique_ptr<testing::ScratchDir> scratch_;
  std::string archive_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<DocTypeCatalog> catalog_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<ReviewService> service_;
  std::unique_ptr<cli::ReviewServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::ostringstream log_;
};

}  // namespace sohoa
