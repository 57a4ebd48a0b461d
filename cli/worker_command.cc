// `sohoa worker --ledger URL --archive DIR` (issue 8): takes work that
// `sohoa enqueue` registered in the shared PostgreSQL ledger, in small
// batches under renewed leases, and runs the same graph as `sohoa run`
// (cli/stage_set.h). Start as many as you like, on as many machines as share
// the archive folder; each exits when the queue is empty.
#include <unistd.h>
#include <boost/program_options.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/signing_options.h"
#include "cli/stage_set.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/messages.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "pipeline/run/worker_run.h"
#include "stages/pdf/encode_stage.h"

namespace sohoa::cli {
namespace po = boost::program_options;

bool ResolveLedgerUrl(const std::string& command, std::string* url, UiLang lang);  // enqueue_command.cc

int WorkerMain(int argc, char** argv) {
  WorkerOptions w;
  RunOptions o;  // the stage options a worker shares with `sohoa run`
  std::string log_format = "human";
  std::string config;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa worker options")), kUnwrapped);
  OptionsIn(d, lang)("ledger", po::value(&w.ledger_url),
                     N_("postgresql://user:password@host:port/db (or SOHOA_LEDGER)"))(
      "archive", po::value(&w.archive_dir)->required(), N_("archive folder (shared filesystem)"))(
      "jobs", po::value(&w.graph.jobs)->default_value(0), N_("worker threads (0 or more than the cores: all cores)"))(
      "batch", po::value(&w.batch)->default_value(8), N_("inputs claimed at a time"))(
      "lease", po::value(&w.lease_seconds)->default_value(300), N_("lease seconds (renewed every lease/3)"))(
      "ocr-lang", po::value(&o.lang)->default_value("vie"), N_("OCR languages, '+'-joined (e.g. vie+eng)"))(
      "lang", po::value<std::string>(), N_("older name of --ocr-lang"))("tessdata", po::value(&o.tessdata),
                                                                        N_("Tesseract data folder"))(
      "pdfa", po::value(&o.pdfa)->default_value("2b"), N_("PDF/A level: 2b | 1b"))(
      "jpeg-quality", po::value(&o.jpeg_quality)->default_value(80), N_("JPEG quality of page images"))(
      "image-mode", po::value(&o.image_mode)->default_value("mrc"),
      N_("gray/colour page images: mrc | jpeg | lossless"))(
      "log-format", po::value(&log_format)->default_value("human"), N_("human | json"))(
      "ui-lang", po::value(&o.ui_lang), N_("language of messages: vi (default) or en"))(
      "organization", po::value(&w.bag.organization), N_("organisation named in the worker's bag-info.txt"))(
      "operator", po::value(&w.bag.operator_name), N_("operator named in the worker's bag-info.txt"))(
      "config", po::value(&config), N_("INI file of `sohoa run` options; the worker takes those it has"))(
      "help,h", kHelpText);
  // The same signing options as `sohoa run` (issue 21): a fleet signs too.
  d.add(DescribeSigningOptions(&o, lang));
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout
          << Tr(lang,
                N_("usage: sohoa worker --ledger URL --archive DIR [--jobs N] [--batch 8] [--lease 300]\n"
                   "       [--org-key … --staff-key … --tsa URL --signature-level b|t|lt|lta …]\n"
                   "Key secrets only from SOHOA_ORG_KEY_SECRET / SOHOA_STAFF_KEY_SECRET, the systemd\n"
                   "credentials or the *-key-secret-file options, never the command line.\n"))
          << OptionTable(d);
      return kExitOk;
    }
    // The file the systemd units share with `sohoa run` (/etc/sohoa/sohoa.conf):
    // its run-only keys (input, metrics-file…) are not the worker's business.
    // As for `sohoa run`, the command line wins, then SOHOA_LEDGER, then the file.
    if (vm.count("config")) {
      const bool ledger_flag = vm.count("ledger") > 0;
      if (const std::string problem =
              StoreConfigFile(vm["config"].as<std::string>(), d, /*allow_unregistered=*/true, &vm, lang);
          !problem.empty()) {
        std::cerr << "sohoa worker: " << problem << "\n";
        return kExitUsage;
      }
      if (!ledger_flag && std::getenv("SOHOA_LEDGER") != nullptr) vm.erase("ledger");
    }
    po::notify(vm);
    if (vm.count("lang") && vm["ocr-lang"].defaulted()) o.lang = vm["lang"].as<std::string>();
  } catch (const po::error& e) {
    std::cerr << "sohoa worker: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  // The language CommandLang found (flag, SOHOA_UI_LANG, config file), the
  // one this command's help and errors spoke; a value given is checked.
  UiLang ui_lang = lang;
  if (vm.count("ui-lang") && !ParseUiLang(o.ui_lang, &ui_lang)) {
    std::cerr << "sohoa worker: " << Tr(lang, N_("--ui-lang must be vi or en")) << "\n";
    return kExitUsage;
  }
  if (!ResolveLedgerUrl("worker", &w.ledger_url, lang)) return kExitUsage;
  if (w.batch < 1 || w.lease_seconds < 3) {
    std::cerr << "sohoa worker: " << Tr(lang, N_("--batch must be ≥ 1 and --lease ≥ 3 seconds")) << "\n";
    return kExitUsage;
  }
  if (o.pdfa != "2b" && o.pdfa != "1b") {
    std::cerr << "sohoa worker: " << Tr(lang, N_("--pdfa must be 2b or 1b")) << "\n";
    return kExitUsage;
  }
  if (ImageMode mode; !ParseImageMode(o.image_mode, &mode)) {
    std::cerr << "sohoa worker: " << Tr(lang, N_("--image-mode must be mrc, jpeg or lossless")) << "\n";
    return kExitUsage;
  }
  if (const std::string problem = SigningOptionsProblem(o, lang); !problem.empty()) {
    std::cerr << "sohoa worker: " << problem << "\n";
    return kExitUsage;
  }
  o.archive = w.archive_dir;
  RunLog log(std::cerr, log_format == "json" ? LogFormat::kJson : LogFormat::kHuman, false, ui_lang);
  if (const std::string problem = CatalogProblem(ui_lang); !problem.empty()) log.Warning(problem);
  // Keys are opened and checked before any work is claimed: a wrong PIN
  // stops this worker at once, with nothing taken from the queue.
  std::unique_ptr<DocumentStage> signing;
  SignerNames signers;
  if (SigningConfigured(o)) {
    StatusOr<std::unique_ptr<DocumentStage>> opened = OpenSigning(o, &signers);
    if (!opened.ok()) {
      log.Error(Tr(ui_lang, N_("signing: ")) + ErrorInLang(opened.status().message(), ui_lang));
      return kExitUsage;
    }
    signing = std::move(opened).value();
  }
  const std::string url = w.ledger_url;
  StageSet stages = BuildStageSet(
      o,
      [url]() -> StatusOr<std::unique_ptr<Ledger>> {
        StatusOr<std::unique_ptr<WorkLedger>> ledger = OpenPostgresLedger(url);
        if (!ledger.ok()) return ledger.status();
        return std::unique_ptr<Ledger>(std::move(ledger).value());
      },
      std::move(signing), signers);
  StatusOr<WorkerSummary> summary = RunWorker(w, stages.graph, log);
  if (!summary.ok()) {
    log.Error(ErrorInLang(summary.status().message(), ui_lang));
    return kExitUsage;
  }
  const WorkerSummary& s = *summary;
  char wall[32], per_minute[32];
  std::snprintf(wall, sizeof wall, "%.1f", s.wall_seconds);
  std::snprintf(per_minute, sizeof per_minute, "%.1f",
                s.wall_seconds > 0 ? 60.0 * s.counts.pages / s.wall_seconds : 0.0);
  log.Info(Fill(
      Tr(ui_lang, N_("worker {worker} finished in {wall} s: {claimed} claimed ({reclaimed} reclaimed from "
                     "dead workers) in {batches} batches — {counts}, {deferred} given back; {pages} pages "
                     "({per_minute} pages/min)")),
      {{"worker", s.worker_id},
       {"wall", wall},
       {"claimed", std::to_string(s.claimed)},
       {"reclaimed", std::to_string(s.reclaimed)},
       {"batches", std::to_string(s.batches)},
       {"counts", OutcomeCountsText(s.counts.archived, s.counts.review, s.counts.quarantined,
                                    s.counts.skipped, ui_lang)},
       {"deferred", std::to_string(s.counts.deferred)},
       {"pages", std::to_string(s.counts.pages)},
       {"per_minute", per_minute}}));
  return s.counts.quarantined + s.counts.review > 0 ? kExitAttention : kExitOk;
}

}  // namespace sohoa::cli
