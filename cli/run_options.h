// Options of `sohoa run`, gathered from (highest priority first) the command
// line, SOHOA_* environment variables and the --config file (INI:
// `key = value`, same names as the long options without dashes).
#pragma once

#include <map>
#include <string>

namespace sohoa::cli {

struct RunOptions {
  std::string input;
  std::string archive;
  int jobs = 0;               // 0: all cores
  int pages_in_flight = 0;    // 0: 2 × jobs
  std::string lang = "vie";   // Tesseract languages, '+'-joined
  std::string pdfa = "2b";    // 2b | 1b
  int jpeg_quality = 80;
  std::string tessdata;       // empty: Tesseract's default
  std::string log_format = "human";  // human | json
  bool profile = false;
  bool deterministic = false;
  std::string organization;   // bag-info Source-Organization
  std::string operator_name;  // bag-info Contact-Name
  // Where each effective value came from: "default", "config", "env", "flag".
  std::map<std::string, std::string> sources;
};

// Parses argv (argv[0] is the command name). Returns false and prints a
// message for the user on a usage error; `exit_code` says what to return
// (0 after --help).
bool ParseRunOptions(int argc, char** argv, RunOptions* options, int* exit_code);

}  // namespace sohoa::cli
