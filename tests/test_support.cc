#include "tests/test_support.h"
#include "build_paths.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

namespace sohoa::testing {
namespace fs = std::filesystem;

ScratchDir::ScratchDir(const std::string& name) {
  std::random_device rd;
  path_ = fs::path(SOHOA_BINARY_DIR) / "test-scratch" / (name + "-" + std::to_string(rd() % 1000000));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  if (std::getenv("SOHOA_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
}

fs::path CorpusFile(const std::string& name) { return fs::path(SOHOA_CORPUS_DIR) / "ocrmypdf" / name; }

fs::path SamplesDir() { return fs::path(SOHOA_TEST_SAMPLES); }

fs::path BinaryPath(const std::string& name) { return fs::path(SOHOA_BINARY_DIR) / "bin" / name; }

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

namespace {

std::u32string DecodeUtf8(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    char32_t cp;
    int extra;
    if (c < 0x80) {
      cp = c;
      extra = 0;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f;
      extra = 1;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f;
      extra = 2;
    } else {
      cp = c & 0x07;
      extra = 3;
    }
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i) cp = (cp << 6) | (s[i] & 0x3f);
    out += cp;
  }
  return out;
}

std::u32string FoldWhitespace(const std::u32string& s) {
  std::u32string out;
  bool pending_space = false;
  for (char32_t c : s) {
    bool space = c == U' ' || c == U'\n' || c == U'\t' || c == U'\r' || c == U'\f';
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += U' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace

double CharacterErrorRate(const std::string& reference, const std::string& hypothesis) {
  std::u32string ref = FoldWhitespace(DecodeUtf8(reference));
  std::u32string hyp = FoldWhitespace(DecodeUtf8(hypothesis));
  if (ref.empty()) return hyp.empty() ? 0.0 : 1.0;
  std::vector<size_t> prev(hyp.size() + 1), cur(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      size_t sub = prev[j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[hyp.size()]) / static_cast<double>(ref.size());
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::set<std::string> PersonalValues(const nlohmann::json& fields) {
  static const std::regex iso_date(R"((\d{4})-(\d{2})-(\d{2}))");
  std::set<std::string> values;
  for (const auto& [key, value] : fields.items()) {
    const bool personal = key.rfind("ho_ten", 0) == 0 || key.rfind("so_dinh_danh", 0) == 0 ||
                          key.rfind("ngay_sinh", 0) == 0 || key == "holder_id" || key == "code";
    if (!personal || !value.is_string()) continue;
    std::string text = value.get<std::string>();
    if (key == "code") text = text.substr(0, text.find('.'));  // "079220363446.GKS": the holder's ID
    if (text.size() < 6) continue;
    values.insert(text);
    std::smatch m;
    if (std::regex_match(text, m, iso_date)) values.insert(m[3].str() + "/" + m[2].str() + "/" + m[1].str());
  }
  return values;
}

std::string FirstFound(const std::string& text, const std::set<std::string>& values) {
  for (const std::string& value : values)
    if (text.find(value) != std::string::npos) return value;
  return "";
}

void DrawFixtures(const std::string& script, const std::filesystem::path& out) {
  const CommandResult made =
      RunCommand("/usr/bin/python3 " + Quote(std::string(SOHOA_SOURCE_DIR) + "/" + script) + " " + Quote(out.string()));
  EXPECT_EQ(made.exit_code, 0) << script << ": " << made.output;
}

}  // namespace sohoa::testing
