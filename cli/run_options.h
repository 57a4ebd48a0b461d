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
  // Ledger location (pipeline/ledger/ledger_factory.h): "" = <archive>/ledger.sqlite;
  // postgresql://… = the ledger a fleet of workers shares (SOHOA_LEDGER).
  std::string ledger;
  std::string archive_group;  // group that may read the archive ("" = none)
  std::string book_kind;      // every input without a manifest is a register book of this kind
  int jobs = 0;               // 0: all cores
  int pages_in_flight = 0;    // 0: 2 × jobs
  std::string lang = "vie";   // Tesseract languages, '+'-joined: --ocr-lang (or its older name --lang)
  std::string pdfa = "2b";    // 2b | 1b
  int jpeg_quality = 80;
  std::string image_mode = "mrc";    // mrc | jpeg | lossless (stages/pdf/encode_stage.h ImageMode)
  std::string tessdata;              // empty: Tesseract's default
  std::string log_format = "human";  // human | json
  std::string ui_lang = "vi";        // language of messages: vi | en (not the OCR --ocr-lang)
  bool profile = false;
  std::string metrics_file;  // Prometheus textfile, rewritten during the run
  bool deterministic = false;
  std::string organization;   // bag-info Source-Organization
  std::string operator_name;  // bag-info Contact-Name
  // Signing (issue 4). Key specs are PKCS#12 paths or pkcs11: URIs. The
  // secrets are never options: SOHOA_ORG_KEY_SECRET / SOHOA_STAFF_KEY_SECRET,
  // else the file named by org-key-secret-file / staff-key-secret-file.
  std::string org_key, org_name, org_seal, org_key_secret_file;
  std::string staff_key, staff_name, staff_key_secret_file;
  std::string tsa;        // RFC 3161 URL: PAdES B-T and above
  std::string tsa_trust;  // PEM file/folder of CAs for the TSA's certificate ("" = system)
  // b | t | lt | lta; "" = lta with a TSA, b without (README: Signature levels).
  std::string signature_level;
  bool qr = false;  // QR code top-left on page 1
  // Field extraction (issue 3).
  std::string doctypes;  // empty: DefaultDocTypesDir()
  double review_confidence = 0.80;
  std::string code_separator = ".";
  // Where each effective value came from: "default", "config", "env", "flag".
  std::map<std::string, std::string> sources;
};

// Parses argv (argv[0] is the command name). Returns false and prints a
// message for the user on a usage error; `exit_code` says what to return
// (0 after --help).
// `require_paths` false (sohoa config --print) accepts a missing --input and
// --archive.
bool ParseRunOptions(int argc, char** argv, RunOptions* options, int* exit_code, bool require_paths = true);

// "name = value    # source" for every option, sorted, secrets never shown
// (the *-secret-file options show the file name, not its content).
std::string FormatEffectiveOptions(int argc, char** argv);

}  // namespace sohoa::cli
