#include "cli/run_options.h"

#include <boost/program_options.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/signing_options.h"
#include "cli/ui_text.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "stages/pdf/encode_stage.h"
#include "stages/signing/signing_stage.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

po::options_description Describe(RunOptions* o, UiLang lang) {
  po::options_description d(Tr(lang, N_("sohoa run options")), kUnwrapped);
  OptionsIn(d, lang)("input", po::value(&o->input), N_("batch folder of scans (walked recursively)"))(
      "archive", po::value(&o->archive), N_("archive folder (created if missing)"))(
      "ledger", po::value(&o->ledger),
      N_("ledger: postgresql://user:password@host/db shared with workers (default: ARCHIVE/ledger.sqlite)"))(
      "jobs", po::value(&o->jobs)->default_value(0), N_("worker threads (0 or more than the cores: all cores)"))(
      "pages-in-flight", po::value(&o->pages_in_flight)->default_value(0),
      N_("decoded pages held at once (0 = 2 x jobs); bounds memory, ~30 MB per A4 300-dpi colour page"))(
      "ocr-lang", po::value(&o->lang)->default_value("vie"), N_("OCR languages, '+'-joined (e.g. vie+eng)"))(
      "lang", po::value<std::string>(), N_("older name of --ocr-lang (--ocr-lang wins when both are given)"))(
      "pdfa", po::value(&o->pdfa)->default_value("2b"), N_("PDF/A level: 2b or 1b"))(
      "jpeg-quality", po::value(&o->jpeg_quality)->default_value(80),
      N_("JPEG quality of gray/colour pages"))(
      "image-mode", po::value(&o->image_mode)->default_value("mrc"),
      N_("gray/colour page images: mrc (G4 text mask over a 150-dpi JPEG, the default), jpeg (one JPEG "
         "at scan resolution, --jpeg-quality) or lossless (Flate, the pixels unchanged)"))(
      "tessdata", po::value(&o->tessdata), N_("Tesseract data folder (default: Tesseract's own)"))(
      "log-format", po::value(&o->log_format)->default_value("human"), N_("human or json"))(
      "ui-lang", po::value(&o->ui_lang)->default_value("vi"),
      N_("language of messages: vi (default) or en; --ocr-lang is the OCR language"))(
      "profile", po::bool_switch(&o->profile), N_("print per-stage timing at the end"))(
      "metrics-file", po::value(&o->metrics_file),
      N_("Prometheus text file (node_exporter textfile collector), updated during the run"))(
      "book-kind", po::value(&o->book_kind),
      N_("every input file without a <file>.book.json manifest is a register book of this kind "
         "(khai_sinh, ket_hon, khai_tu, ...): its entries become records (README: Register books)"))(
      "deterministic", po::bool_switch(&o->deterministic),
      N_("fixed run id and timestamps, for reproducible output"))(
      "archive-group", po::value(&o->archive_group),
      N_("group that may read the archive (auditors); the archive is 0750/0640, readable by no one else"))(
      "organization", po::value(&o->organization), N_("organisation named in each bag's bag-info.txt"))(
      "operator", po::value(&o->operator_name), N_("operator named in each bag's bag-info.txt"))(
      "doctypes", po::value(&o->doctypes),
      N_("document-type folder (default: the installed schemas/doctypes)"))(
      "review-confidence", po::value(&o->review_confidence)->default_value(0.80, "0.80"),
      N_("fields read with less confidence (0..1) send their document to review"))(
      "code-separator", po::value(&o->code_separator)->default_value("."),
      N_("between holder ID and type code in the result code"));
  d.add(DescribeSigningOptions(o, lang));
  return d;
}

// SOHOA_JOBS -> jobs, SOHOA_PAGES_IN_FLIGHT -> pages-in-flight.
std::string EnvName(const std::string& env) {
  if (env.rfind("SOHOA_", 0) != 0) return "";
  // The key secrets are read by the signing setup, never as options.
  if (env.size() > 11 && env.compare(env.size() - 11, 11, "_KEY_SECRET") == 0) return "";
  std::string name = env.substr(6);
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return name;
}

// --config and --help: on the command line only.
po::options_description DescribeCommandLineOnly(std::string* config, UiLang lang) {
  po::options_description d(kUnwrapped);
  OptionsIn(d, lang)("config", po::value(config), N_("INI file with any of the options above"))("help,h",
                                                                                                kHelpText);
  return d;
}

void Usage(std::ostream& out, const po::options_description& d, UiLang lang) {
  std::string config;
  po::options_description shown(kUnwrapped);  // one table, one column
  shown.add(d).add(DescribeCommandLineOnly(&config, lang));
  out << Tr(lang, N_("usage: sohoa run --input DIR --archive DIR [options]")) << "\n\n"
      << OptionTable(shown) << "\n"
      << Tr(lang,
            N_("Exit codes: 0 all archived, 3 finished but some documents need a person (quarantined or "
               "review), 2 usage/configuration error."))
      << "\n";
}

}  // namespace

bool ParseRunOptions(int argc, char** argv, RunOptions* options, int* exit_code, bool require_paths) {
  const UiLang lang = CommandLang(argc, argv);
  po::options_description described = Describe(options, lang);
  std::string config;
  po::options_description cli_only = DescribeCommandLineOnly(&config, lang);
  po::options_description all;
  all.add(described).add(cli_only);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, all), vm);
    for (const auto& [name, value] : vm) options->sources[name] = value.defaulted() ? "default" : "flag";
    if (vm.count("help")) {
      Usage(std::cout, described, lang);
      *exit_code = kExitOk;
      return false;
    }
    po::variables_map env_vm;
    // Only SOHOA_* variables that name an option: others (the key secrets
    // SOHOA_*_KEY_SECRET, test switches) are not options and must not fail
    // the parse as "unrecognised".
    auto env_name = [&described](const std::string& env) {
      const std::string name = EnvName(env);
      return !name.empty() && described.find_nothrow(name, false) ? name : std::string();
    };
    po::store(po::parse_environment(described, env_name), env_vm);
    for (const auto& [name, value] : env_vm) {
      if (value.defaulted()) continue;
      if (!vm.count(name) || vm[name].defaulted()) options->sources[name] = "env";
    }
    po::store(po::parse_environment(described, env_name), vm);
    if (vm.count("config")) {
      config = vm["config"].as<std::string>();
      po::variables_map file_vm;
      if (const std::string problem = StoreConfigFile(config, described, false, &file_vm, lang);
          !problem.empty()) {
        std::cerr << "sohoa run: " << problem << "\n";
        *exit_code = kExitUsage;
        return false;
      }
      for (const auto& [name, value] : file_vm) {
        if (!file_vm[name].defaulted() && options->sources[name] != "flag" && options->sources[name] != "env")
          options->sources[name] = "config";
      }
      StoreConfigFile(config, described, false, &vm, lang);  // read above without a problem
    }
    po::notify(vm);
    // --lang, from any source, stands for --ocr-lang when that was not given.
    if (vm.count("lang") && vm["ocr-lang"].defaulted()) {
      options->lang = vm["lang"].as<std::string>();
      options->sources["ocr-lang"] = options->sources["lang"];
    }
  } catch (const po::error& e) {
    std::cerr << "sohoa run: " << OptionError(e, lang) << "\n\n";
    Usage(std::cerr, described, lang);
    *exit_code = kExitUsage;
    return false;
  }
  std::string problem;
  if (require_paths && options->input.empty())
    problem = Tr(lang, N_("--input is required"));
  else if (require_paths && options->archive.empty())
    problem = Tr(lang, N_("--archive is required"));
  else if (options->pdfa != "2b" && options->pdfa != "1b")
    problem = Tr(lang, N_("--pdfa must be 2b or 1b"));
  else if (options->jobs < 0)
    problem = Tr(lang, N_("--jobs must be 0 or more"));
  else if (options->jpeg_quality < 10 || options->jpeg_quality > 100)
    problem = Tr(lang, N_("--jpeg-quality must be 10..100"));
  else if (ImageMode mode; !ParseImageMode(options->image_mode, &mode))
    problem = Tr(lang, N_("--image-mode must be mrc, jpeg or lossless"));
  else if (options->log_format != "human" && options->log_format != "json")
    problem = Tr(lang, N_("--log-format must be human or json"));
  else if (options->ui_lang != "vi" && options->ui_lang != "en")
    problem = Tr(lang, N_("--ui-lang must be vi or en"));
  else if (!options->book_kind.empty() &&
           options->book_kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
    problem = Tr(lang, N_("--book-kind must be a document-type key such as khai_sinh"));
  else if (!(options->review_confidence >= 0 && options->review_confidence <= 1))
    problem = Tr(lang, N_("--review-confidence must be 0..1"));
  else if (SignatureLevel level;
           !options->signature_level.empty() && !ParseSignatureLevel(options->signature_level, &level))
    problem = Tr(lang, N_("--signature-level must be b, t, lt or lta"));
  if (!problem.empty()) {
    std::cerr << "sohoa run: " << problem << "\n\n";
    Usage(std::cerr, described, lang);
    *exit_code = kExitUsage;
    return false;
  }
  return true;
}

std::string FormatEffectiveOptions(int argc, char** argv) {
  RunOptions options;
  int exit_code = 0;
  if (!ParseRunOptions(argc, argv, &options, &exit_code, /*require_paths=*/false)) return "";
  // Describe() binds every option to a field of `shown`; re-parsing the same
  // sources into it gives each option's value as text through boost.
  RunOptions shown;
  po::options_description described = Describe(&shown, UiLang::kEn);
  std::ostringstream out;
  std::map<std::string, std::string> values;
  po::variables_map vm;
  po::options_description all;
  std::string config;
  all.add(described).add(DescribeCommandLineOnly(&config, UiLang::kEn));
  po::store(po::parse_command_line(argc, argv, all), vm);
  po::store(po::parse_environment(described,
                                  [&described](const std::string& env) {
                                    const std::string name = EnvName(env);
                                    return !name.empty() && described.find_nothrow(name, false)
                                               ? name
                                               : std::string();
                                  }),
            vm);
  if (vm.count("config")) {
    StoreConfigFile(vm["config"].as<std::string>(), described, false, &vm, UiLang::kEn);
  }
  for (const auto& option : described.options()) {
    const std::string name = option->long_name();
    if (name == "lang") continue;  // shown as the ocr-lang it stands for
    std::string value;
    auto it = vm.find(name);
    if (it != vm.end()) {
      const boost::any& v = it->second.value();
      if (v.type() == typeid(std::string))
        value = boost::any_cast<std::string>(v);
      else if (v.type() == typeid(int))
        value = std::to_string(boost::any_cast<int>(v));
      else if (v.type() == typeid(bool))
        value = boost::any_cast<bool>(v) ? "true" : "false";
    }
    if (name == "ocr-lang") value = options.lang;            // from --lang when only that was given
    if (name == "ledger") value = RedactPostgresUrl(value);  // never show the password
    const std::string source = options.sources.count(name) ? options.sources.at(name) : "default";
    char line[512];
    std::snprintf(line, sizeof line, "%-24s = %-40s # %s\n", name.c_str(), value.c_str(), source.c_str());
    out << line;
  }
  return out.str();
}

}  // namespace sohoa::cli
