// sohoa finds its data (schemas/: document types, lexicons, register
// templates) beside the program, wherever it is installed or copied, unless
// SOHOA_SCHEMAS says otherwise; without them it names the folder it looked in
// (pipeline/core/data_dir.h).
#include "pipeline/core/catalog.h"
#include "pipeline/core/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "pipeline/core/doctype_catalog.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using testing::Quote;
using testing::RunCommand;
using testing::ScratchDir;

class ScopedSchemasEnv {
 public:
  explicit ScopedSchemasEnv(const std::string& value) { ::setenv("SOHOA_SCHEMAS", value.c_str(), 1); }
  ~ScopedSchemasEnv() { ::unsetenv("SOHOA_SCHEMAS"); }
};

// A program of the build tree (this test, build/bin/sohoa) reads
// build/share/sohoa/schemas, CMake's link to the checkout's schemas/: the
// same rule as an installed /usr/bin/sohoa, no source path compiled in.
TEST(DataDirTest, FoundBesideTheRunningProgram) {
  ::unsetenv("SOHOA_SCHEMAS");
  const fs::path program = fs::read_symlink("/proc/self/exe");
  const DataDirLookup lookup = FindDataDir();
  EXPECT_EQ(lookup.path, (program.parent_path().parent_path() / "share/sohoa/schemas").string());
  EXPECT_EQ(lookup.how, "beside the program " + program.string());
  StatusOr<std::string> dir = DataDir();
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_TRUE(fs::is_regular_file(fs::path(*dir) / "doctypes/khai_sinh.json"));
  EXPECT_EQ(DefaultDocTypesDir(), lookup.path + "/doctypes");
  EXPECT_TRUE(DocTypeCatalog::Load(DefaultDocTypesDir()).ok());
}

TEST(DataDirTest, SohoaSchemasOverridesAndAMissingFolderIsNamed) {
  ScratchDir dir("data_dir_override");
  const std::string missing = (dir / "nowhere").string();
  ScopedSchemasEnv env(missing);
  EXPECT_EQ(FindDataDir().path, missing);
  EXPECT_EQ(FindDataDir().how, "SOHOA_SCHEMAS");
  StatusOr<std::string> data = DataDir();
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kConfiguration);
  EXPECT_NE(
      data.status().message().find("sohoa's data folder " + missing + " (SOHOA_SCHEMAS) does not exist"),
      std::string::npos)
      << data.status().message();
  // Every command loads its document types through this folder: the error
  // says where sohoa looked and what to do, not just "no doctypes".
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(DefaultDocTypesDir());
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.status().message().find(missing), std::string::npos) << catalog.status().message();
  EXPECT_NE(catalog.status().message().find("set SOHOA_SCHEMAS"), std::string::npos)
      << catalog.status().message();
}

// The built program copied into another prefix (as `make install` or the
// .deb puts it): it reads PREFIX/share/sohoa/schemas and nothing of the build
// or source tree; without that folder it stops before any work, naming it.
// The built sohoa copied into PREFIX/bin, SOHOA_SCHEMAS unset; its path.
fs::path CopyOfSohoaIn(const ScratchDir& prefix) {
  ::unsetenv("SOHOA_SCHEMAS");
  fs::create_directories(prefix / "bin");
  const fs::path program = prefix / "bin/sohoa";
  fs::copy_file(testing::BinaryPath("sohoa"), program);
  return program;
}

TEST(DataDirTest, ACopiedProgramReadsItsOwnPrefix) {
  ScratchDir prefix("data_dir_prefix");
  const fs::path program = CopyOfSohoaIn(prefix);
  // `run` is one of the commands sohoa hands to the engine beside it
  // (cli/engine.h); the engine reads the same prefix's data.
  const fs::path engine = prefix / "bin/sohoa-engine";
  fs::copy_file(testing::BinaryPath("sohoa-engine"), engine);
  const fs::path data = prefix / "share/sohoa/schemas";

  fs::create_directories(prefix / "in");
  fs::copy_file(testing::SamplesDir() / "scans/t01_khai_sinh_g4.tif", prefix / "in/a.tif");
  const std::string run = Quote(program.string()) + " run --jobs 1 --input " +
                          Quote((prefix / "in").string()) + " --archive " +
                          Quote((prefix / "archive").string()) + " 2>&1";
  testing::CommandResult missing = RunCommand(run);
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("sohoa's data folder " + data.string() + " (beside the program " +
                                engine.string() + ") does not exist"),
            std::string::npos)
      << missing.output;

  // Its own copy of the data, with a document type the checkout does not
  // have: `version` names the folder, and the copy is what is read.
  fs::create_directories(data);
  fs::copy(fs::path(DefaultDocTypesDir()).parent_path(), data, fs::copy_options::recursive);
  testing::CommandResult version = RunCommand(Quote(program.string()) + " version --ui-lang en");
  EXPECT_EQ(version.exit_code, 0) << version.output;
  EXPECT_NE(version.output.find("data: " + data.string() + " (beside the program " + program.string() + ")"),
            std::string::npos)
      << version.output;
  testing::WriteFile(data / "doctypes/broken.json", "{");
  testing::CommandResult broken = RunCommand(run);
  EXPECT_EQ(broken.exit_code, 2) << broken.output;
  EXPECT_NE(broken.output.find((data / "doctypes/broken.json").string()), std::string::npos) << broken.output;

  // SOHOA_SCHEMAS wins over the folder beside the program.
  testing::CommandResult overridden =
      RunCommand("SOHOA_SCHEMAS=" + Quote(fs::path(DefaultDocTypesDir()).parent_path().string()) + " " +
                 Quote(program.string()) + " version");
  EXPECT_NE(overridden.output.find("(SOHOA_SCHEMAS)"), std::string::npos) << overridden.output;
}

// sohoa copied without the engine beside it: the ledger's readers still
// work (they are sohoa's own), and a command that needs the engine stops
// with exit 2 naming the file it looked for, instead of crashing or hanging.
TEST(DataDirTest, ACopyWithoutItsEngineNamesTheMissingEngine) {
  ScratchDir prefix("data_dir_no_engine");
  const fs::path program = CopyOfSohoaIn(prefix);
  // The copy has no share/locale beside it: the build's catalogue, so that
  // the default language (Vietnamese) is the one said.
  testing::CommandResult run =
      RunCommand("SOHOA_LOCALE_DIR=" + Quote(LocaleDir()) + " " + Quote(program.string()) + " run --input " +
                 Quote((prefix / "in").string()) + " --archive " + Quote((prefix / "archive").string()) + " 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find((prefix / "bin/sohoa-engine").string() + ", nhưng không khởi động được"),
            std::string::npos)
      << run.output;
  testing::CommandResult in_english =
      RunCommand(Quote(program.string()) + " run --ui-lang en --input " + Quote((prefix / "in").string()) +
                 " --archive " + Quote((prefix / "archive").string()) + " 2>&1");
  EXPECT_EQ(in_english.exit_code, 2) << in_english.output;
  EXPECT_NE(in_english.output.find((prefix / "bin/sohoa-engine").string() + ", which could not be started"),
            std::string::npos)
      << in_english.output;
  testing::CommandResult status = RunCommand(Quote(program.string()) + " status --ui-lang en --archive " +
                                             Quote((prefix / "archive").string()) + " 2>&1");
  EXPECT_NE(status.output.find("no sohoa archive at"), std::string::npos)
      << status.output;  // status's own answer
  EXPECT_EQ(status.output.find("sohoa-engine"), std::string::npos) << status.output;
}

}  // namespace
}  // namespace sohoa
