// One way to name the ledger (pipeline/ledger/ledger_factory.h): the archive's
// SQLite by default, sqlite:PATH, SOHOA_LEDGER, postgresql:// URLs opening the
// shared ledger of a throwaway cluster; passwords never in messages.
#include "pipeline/ledger/ledger_factory.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "pipeline/ledger/postgres_ledger.h"
#include "tests/support/postgres_cluster.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::PostgresCluster;
using testing::ScratchDir;

// Sets SOHOA_LEDGER for the scope of the object.
class ScopedLedgerEnv {
 public:
  explicit ScopedLedgerEnv(const std::string& value) { ::setenv("SOHOA_LEDGER", value.c_str(), 1); }
  ~ScopedLedgerEnv() { ::unsetenv("SOHOA_LEDGER"); }
};

TEST(LedgerFactoryTest, DefaultIsTheArchivesSqliteAndReadersDoNotCreateOne) {
  ::unsetenv("SOHOA_LEDGER");
  ScratchDir dir("factory_default");
  const std::string archive = (dir / "archive").string();
  fs::create_directories(archive);
  EXPECT_EQ(ResolveLedgerLocation(""), "");
  StatusOr<std::unique_ptr<Ledger>> reader = OpenLedger("", archive, LedgerAccess::kExisting);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find("no sohoa archive at " + archive), std::string::npos);
  EXPECT_FALSE(fs::exists(archive + "/ledger.sqlite"));
  StatusOr<std::unique_ptr<Ledger>> writer = OpenLedger("", archive, LedgerAccess::kCreate);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE(fs::exists(archive + "/ledger.sqlite"));
  EXPECT_EQ(AsWorkLedger(writer->get()), nullptr);
  EXPECT_EQ(DescribeLedger("", archive), archive + "/ledger.sqlite");
  EXPECT_FALSE(IsSharedLedger(""));
  EXPECT_TRUE(OpenLedger("", archive, LedgerAccess::kExisting).ok());
}

TEST(LedgerFactoryTest, SqlitePathsAndTheEnvironmentVariable) {
  ScratchDir dir("factory_sqlite");
  const std::string file = (dir / "elsewhere.sqlite").string();
  StatusOr<std::unique_ptr<Ledger>> a = OpenLedger("sqlite:" + file, "", LedgerAccess::kCreate);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(fs::exists(file));
  EXPECT_TRUE(OpenLedger(file, "", LedgerAccess::kExisting).ok());
  EXPECT_EQ(OpenLedger("sqlite:" + file + ".no", "", LedgerAccess::kExisting).status().code(),
            StatusCode::kNotFound);
  ScopedLedgerEnv env("sqlite:" + file);
  EXPECT_EQ(ResolveLedgerLocation(""), "sqlite:" + file);
  EXPECT_EQ(ResolveLedgerLocation("postgresql://x/y"), "postgresql://x/y");  // the flag wins
}

TEST(LedgerFactoryTest, UnknownSchemesAndNothingToOpenAreConfigurationErrors) {
  StatusOr<std::unique_ptr<Ledger>> bad = OpenLedger("mysql://u:pw@h/db", "/tmp", LedgerAccess::kCreate);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kConfiguration);
  EXPECT_EQ(bad.status().message().find("pw@"), std::string::npos) << bad.status().message();
  StatusOr<std::unique_ptr<Ledger>> nothing = OpenLedger("", "", LedgerAccess::kExisting);
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.status().code(), StatusCode::kConfiguration);
}

TEST(LedgerFactoryTest, PostgresUrlOpensTheSharedWorkLedger) {
  PostgresCluster cluster("pw-factory");
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error, "pw-factory");
  ASSERT_FALSE(url.empty()) << error;
  EXPECT_TRUE(IsSharedLedger(url));
  EXPECT_EQ(DescribeLedger(url, "/ignored").find("pw-factory"), std::string::npos);
  EXPECT_NE(DescribeLedger(url, "/ignored").find("***"), std::string::npos);
  // Readers need no archive folder with a shared ledger.
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(url, "", LedgerAccess::kExisting);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  WorkLedger* work = AsWorkLedger(ledger->get());
  ASSERT_NE(work, nullptr);
  StatusOr<WorkCounts> counts = work->CountWork();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->queued + counts->claimed + counts->done, 0);
  // Through the environment too, and a wrong password is a clear error
  // without the password in it.
  const std::string db = url.substr(url.rfind('/') + 1);
  ScopedLedgerEnv env(cluster.Url(db, "wrong-pw"));
  StatusOr<std::unique_ptr<Ledger>> refused =
      OpenLedger(ResolveLedgerLocation(""), "", LedgerAccess::kExisting);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("refused the password"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find("wrong-pw"), std::string::npos);
}

// systemd's LoadCredential= (README, "Installing sohoa as a Debian
// service"): the URL names no password, $CREDENTIALS_DIRECTORY/ledger-password
// holds it; a URL's own password still wins.
TEST(LedgerFactoryTest, PasswordFromTheSystemdCredentialWhenTheUrlHasNone) {
  PostgresCluster cluster("pw-credential");
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  std::string error;
  const std::string url = cluster.NewDatabase(&error, "pw-credential");
  ASSERT_FALSE(url.empty()) << error;
  const std::string db = url.substr(url.rfind('/') + 1);
  const std::string without_password = cluster.Url(db);
  ASSERT_EQ(RedactPostgresUrl(without_password), without_password) << "the URL must hold no password";
  ::unsetenv("PGPASSWORD");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_FALSE(OpenLedger(without_password, "", LedgerAccess::kExisting).ok()) << "no password anywhere";

  ScratchDir credentials("credentials");
  testing::WriteFile(credentials / "ledger-password", "pw-credential\n");
  ::setenv("CREDENTIALS_DIRECTORY", credentials.path().c_str(), 1);
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(without_password, "", LedgerAccess::kExisting);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  StatusOr<std::unique_ptr<Ledger>> own =
      OpenLedger(cluster.Url(db, "wrong-pw"), "", LedgerAccess::kExisting);
  EXPECT_FALSE(own.ok()) << "the URL's own password wins over the credential";
  ::unsetenv("CREDENTIALS_DIRECTORY");
}

}  // namespace
}  // namespace sohoa
