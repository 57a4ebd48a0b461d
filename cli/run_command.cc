// `sohoa run`: the composition root. Builds the concrete stages from the
// options and hands them to pipeline::RunBatch.
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/run_options.h"
#include "cli/signing_options.h"
#include "cli/stage_set.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/messages.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/run/batch_run.h"
#include "pipeline/run/run_monitor.h"
#include "stages/signing/signing_stage.h"

namespace sohoa::cli {
namespace {

void PrintProfile(const BatchSummary& s) {
  std::fprintf(stderr, "\n%-10s %8s %8s %10s %10s %10s %10s\n", "stage", "items", "failed", "busy s",
               "mean s", "p95 s", "waited s");
  for (const StageStatsSnapshot& st : s.stages) {
    std::fprintf(stderr, "%-10s %8zu %8zu %10.2f %10.3f %10.3f %10.2f\n", st.stage.c_str(), st.items,
                 st.failures, st.busy_seconds, st.mean_seconds, st.p95_seconds, st.wait_seconds);
  }
}

// The run after its options were read; returns the exit status.
int RunWithOptions(const RunOptions& options, UiLang ui_lang, RunLog& log) {
  std::unique_ptr<DocumentStage> signing;
  SignerNames signers;
  if (const std::string problem = SigningOptionsProblem(options, ui_lang); !problem.empty()) {
    log.Error(problem);
    return kExitUsage;
  }
  if (SigningConfigured(options)) {
    StatusOr<std::unique_ptr<DocumentStage>> opened = OpenSigning(options, &signers);
    if (!opened.ok()) {
      log.Error(Tr(ui_lang, N_("signing: ")) + ErrorInLang(opened.status().message(), ui_lang));
      return kExitUsage;
    }
    signing = std::move(opened).value();
  }
  StageSet stages = BuildStageSet(
      options,
      [archive = options.archive, ledger = options.ledger] {
        return OpenLedger(ledger, archive, LedgerAccess::kCreate);
      },
      std::move(signing), signers);
  BatchOptions batch;
  batch.input_dir = options.input;
  batch.archive_dir = options.archive;
  batch.ledger = options.ledger;
  batch.archive_group = options.archive_group;
  batch.book_kind = options.book_kind;
  batch.graph.jobs = options.jobs;
  batch.graph.pages_in_flight = options.pages_in_flight;
  batch.deterministic = options.deterministic;
  batch.monitor.metrics_file = options.metrics_file;
  batch.bag.organization = options.organization;
  batch.bag.operator_name = options.operator_name;

  StatusOr<BatchSummary> summary = RunBatch(batch, stages.graph, log);
  if (!summary.ok()) {
    log.Error(ErrorInLang(summary.status().message(), ui_lang));
    return kExitUsage;
  }
  const BatchSummary& s = *summary;
  RunSummaryFacts facts;
  facts.run_id = s.run_id;
  facts.wall_seconds = s.wall_seconds;
  facts.cpu_seconds = s.cpu_seconds;
  facts.files = s.enumerated;
  facts.archived = s.counts.archived;
  facts.review = s.counts.review;
  facts.quarantined = s.counts.quarantined;
  facts.skipped = s.counts.skipped;
  facts.deferred = s.counts.deferred;
  facts.pages = s.counts.pages;
  facts.passed_over = s.passed_over.size();
  facts.entries_archived = s.entries.archived;
  facts.entries_review = s.entries.review;
  facts.entries_quarantined = s.entries.quarantined;
  facts.entries_skipped = s.entries.skipped;
  log.Info(RunSummaryLine(facts, ui_lang));
  log.Info(ArchiveHintLine(options.archive, ui_lang));
  if (options.profile) PrintProfile(s);
  if (!s.stopped.ok()) {
    log.Error(RunStoppedLine(s.stopped.message(), s.counts.deferred, ui_lang));
    return kExitUsage;
  }
  return s.needs_attention() ? kExitAttention : kExitOk;
}

}  // namespace

int RunMain(int argc, char** argv) {
  RunOptions options;
  int exit_code = kExitOk;
  if (!ParseRunOptions(argc, argv, &options, &exit_code)) return exit_code;
  if (options.deterministic) PinClock(kDeterministicTime);

  UiLang ui_lang = UiLang::kVi;
  ParseUiLang(options.ui_lang, &ui_lang);  // validated by ParseRunOptions
  RunLog log(std::cerr, options.log_format == "json" ? LogFormat::kJson : LogFormat::kHuman,
             ::isatty(STDERR_FILENO) == 1, ui_lang);
  // Without its catalogue a language falls back to English for every
  // message (pipeline/core/catalog.h): said once, then the run goes on.
  if (const std::string problem = CatalogProblem(ui_lang); !problem.empty()) log.Warning(problem);
  exit_code = RunWithOptions(options, ui_lang, log);
  // However the run ended (a bad key, a stopped run), the metrics file says
  // so, and keeps the time of the last run whose results were kept.
  if (!options.metrics_file.empty()) {
    const bool kept = exit_code == kExitOk || exit_code == kExitAttention;
    if (Status m = RecordRunExit(options.metrics_file, exit_code, kept, NowUnixSeconds()); !m.ok()) {
      log.Warning(Tr(ui_lang, N_("metrics file: ")) + m.message());
    }
  }
  return exit_code;
}

}  // namespace sohoa::cli
