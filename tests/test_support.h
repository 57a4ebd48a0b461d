// Helpers shared by the tests: scratch folders, test data locations, running
// a program and capturing its output. Nothing here fakes a library: tests run
// the real stages on real files.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace sohoa::testing {

// A fresh empty folder under the build tree, removed when the object dies
// (kept when SOHOA_KEEP_TEST_DIRS is set, for post-mortems).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& child) const { return path_ / child; }

 private:
  std::filesystem::path path_;
};

// ../shared/corpus/ocrmypdf/<name> (real-world files nobody here made).
std::filesystem::path CorpusFile(const std::string& name);
// Generated scans (scripts/make_samples.py --preset test) in the build tree.
std::filesystem::path SamplesDir();
// build/bin/<name>
std::filesystem::path BinaryPath(const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};
// Runs `command` through /bin/sh; never throws.
CommandResult RunCommand(const std::string& command);
// Shell-quotes one argument.
std::string Quote(const std::string& arg);
// Runs one of the tests' drawing scripts (`script`: its path under the
// source tree, e.g. "tests/stages/page/make_figure_lines.py") with `out` as
// its one argument; fails the calling test when the script fails.
void DrawFixtures(const std::string& script, const std::filesystem::path& out);

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

// Character error rate: Levenshtein distance over Unicode code points between
// the two texts after NFC-free whitespace folding (runs of white space become
// one space, ends trimmed), divided by the reference length.
double CharacterErrorRate(const std::string& reference, const std::string& hypothesis);

// How many times `needle` occurs in `text` (overlapping occurrences count).
size_t Count(const std::string& text, const std::string& needle);

// The values of a generator's truth "fields" object that no log, status or
// report may hold (issue 20): names (ho_ten*), personal IDs (so_dinh_danh*,
// holder_id, the ID inside a result code), birth dates (ngay_sinh*, as
// generated and as printed, dd/mm/yyyy). Values under 6 characters are left
// out: nothing that short is one person's.
std::set<std::string> PersonalValues(const nlohmann::json& fields);
// The first of `values` that occurs in `text`, or "" when none does.
std::string FirstFound(const std::string& text, const std::set<std::string>& values);

}  // namespace sohoa::testing
