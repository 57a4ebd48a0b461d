#include "pipeline/run/batch_run.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "pipeline/archive/archive_access.h"
#include "pipeline/archive/bag.h"
#include "pipeline/archive/run_lock.h"
#include "pipeline/core/book.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_name.h"
#include "pipeline/core/file_util.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/run/admission.h"
#include "pipeline/run/worker_run.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {

// Lease of a `sohoa run`'s claims on a shared ledger, renewed every third.
constexpr int kSharedRunLeaseSeconds = 300;

std::string NewRunId(bool deterministic) {
  if (deterministic) return "run-deterministic";
  std::string stamp = NowUtcIso8601();  // 2026-11-30T01:02:03Z
  stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
              stamp.end());
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffff);
  return stamp + "-" + suffix;
}

double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string HostName() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return host;
}

}  // namespace

namespace {

// The manifest of a book from its .book.json or its books.csv row (each
// books.csv read once however many books it lists).
StatusOr<BookManifest> ManifestOf(const InputFile& file,
                                  std::map<std::string, StatusOr<std::vector<BookListRow>>>* lists) {
  if (file.book_manifest_line == 0) {
    StatusOr<BookManifest> manifest = ReadBookManifest(file.book_manifest);
    if (manifest.ok()) manifest->manifest = DisplayName(file.relative_name) + kBookManifestSuffix;
    return manifest;
  }
  auto it = lists->find(file.book_manifest);
  if (it == lists->end()) it = lists->emplace(file.book_manifest, ReadBookList(file.book_manifest)).first;
  if (!it->second.ok()) return it->second.status();
  for (const BookListRow& row : *it->second) {
    if (row.line != file.book_manifest_line) continue;
    if (!row.status.ok()) return row.status;
    return row.manifest;
  }
  return Status::InvalidInput("book list " + file.book_manifest + " changed while it was read");
}

}  // namespace

std::vector<std::shared_ptr<Document>> DocumentsOf(const InputWalk& walk, const std::string& book_kind) {
  std::vector<std::shared_ptr<Document>> documents;
  std::map<std::string, StatusOr<std::vector<BookListRow>>> book_lists;
  for (const InputFile& file : walk.files) {
    auto doc = std::make_shared<Document>();
    doc->source_path = file.path;
    doc->page_files = file.page_files;
    doc->relative_path = DisplayName(file.relative_name);
    if (doc->relative_path != file.relative_name) doc->relative_path_bytes = file.relative_name;
    if (!file.book_manifest.empty()) {
      // A register book: a manifest that cannot be read fails the book with
      // its cause (nothing is recorded: fixed, the next run takes it).
      StatusOr<BookManifest> manifest = ManifestOf(file, &book_lists);
      if (manifest.ok()) {
        doc->metadata = BookMetadata(*manifest);
        doc->book = std::move(manifest).value();
      } else {
        doc->status = manifest.status();
      }
    } else if (!book_kind.empty()) {
      BookManifest manifest;
      manifest.kind = book_kind;
      manifest.manifest = "--book-kind";
      doc->metadata = BookMetadata(manifest);
      doc->book = manifest;
    }
    documents.push_back(std::move(doc));
  }
  return documents;
}

namespace {

// Closes this run's bag and any other bag of this archive whose run is over.
// With a shared ledger (PostgreSQL) not the bags of running workers, each
// under its database lock since workers close bags too; a bag whose run this
// ledger does not know (the archive had another ledger before) is not ours to
// judge and is left alone.
Status CloseBags(const BatchOptions& options, ArchiveStore& store, Ledger& ledger, WorkLedger* shared,
                 RunLog& log) {
  if (shared == nullptr) return CompleteBags(ledger, store, options.bag, &log);
  StatusOr<std::vector<RunRecord>> known = ledger.Runs();
  if (!known.ok()) return known.status();
  std::set<std::string> runs_known;
  for (const RunRecord& r : *known) runs_known.insert(r.run_id);
  return CompleteBags(ledger, store, options.bag, &log, nullptr,
                      [&](const std::string& bag, const std::function<Status()>& complete) {
                        if (!runs_known.count(bag)) return Status::Ok();
                        return shared->WithLock("bag:" + bag, complete);
                      });
}

}  // namespace

StatusOr<BatchSummary> RunBatch(const BatchOptions& options, const GraphStages& stages, RunLog& log) {
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  BatchSummary summary;
  summary.run_id = NewRunId(options.deterministic);

  std::error_code ec;
  const fs::path input_root = fs::weakly_canonical(options.input_dir, ec);
  // Before the archive is made: a mistyped --input must not leave a new,
  // empty archive behind (the walk below checks again, and reads it).
  if (!fs::is_directory(options.input_dir, ec))
    return Status::Configuration(ErrorText("input.not_folder", {{"folder", options.input_dir}}));
  // Made if missing, resolved and checked writable by the store itself.
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(options.archive_dir);
  if (!store.ok()) return store.status();
  const std::string archive = fs::canonical(options.archive_dir, ec).string();
  if (ec) return Status::Configuration("archive folder " + options.archive_dir + ": " + ec.message());
  SOHOA_RETURN_IF_ERROR(SetArchiveAccess(archive, options.archive_group));

  StatusOr<RunLock> lock = RunLock::Acquire(archive, summary.run_id);
  if (!lock.ok()) return lock.status();
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(options.ledger, archive, LedgerAccess::kCreate);
  if (!ledger.ok()) return ledger.status();
  // A shared ledger (PostgreSQL) has other writers: workers on other
  // machines whose runs are alive although we hold this archive's lock.
  // Their dead are found by expired leases (pipeline/run/worker_run.h), not here.
  WorkLedger* shared = IsSharedLedger(options.ledger) ? AsWorkLedger(ledger->get()) : nullptr;
  const std::string staging_root = archive + "/staging";

  if (shared == nullptr) {
    // We hold the lock, so any run still marked running in this archive died.
    StatusOr<std::vector<RunRecord>> runs = (*ledger)->Runs();
    if (!runs.ok()) return runs.status();
    for (const RunRecord& run : *runs) {
      if (run.state == "finished") continue;  // running = crashed; failed = stopped early
      StatusOr<int> released = (*ledger)->AbandonRun(run.run_id);
      if (!released.ok()) return released.status();
      log.Warning(
          Fill(Tr(log.lang(), N_("run {run} was interrupted; {n} of its documents will be processed again")),
               {{"run", run.run_id}, {"n", std::to_string(*released)}}));
    }
    // Bags that earlier runs did not finish (pipeline/archive/bag.h).
    SOHOA_RETURN_IF_ERROR(CompleteBags(**ledger, **store, options.bag, &log));
    // Staged files of any earlier run are unfinished by definition.
    fs::remove_all(staging_root, ec);
  }
  const std::string staging = staging_root + "/" + summary.run_id;
  SOHOA_RETURN_IF_ERROR(MakeDirectories(staging));

  InputWalkOptions walk_options;
  walk_options.exclude.emplace_back(archive, "the archive");
  if (!options.ledger.empty() && !IsSharedLedger(options.ledger)) {
    const std::string ledger_file =
        options.ledger.rfind("sqlite:", 0) == 0 ? options.ledger.substr(7) : options.ledger;
    walk_options.exclude.emplace_back(ledger_file, "the ledger");
  }
  StatusOr<InputWalk> walk = WalkInputs(input_root.string(), walk_options);
  if (!walk.ok()) return walk.status();
  std::vector<std::shared_ptr<Document>> documents = DocumentsOf(*walk, options.book_kind);
  summary.enumerated = documents.size();
  summary.passed_over = walk->passed_over;
  for (const PassedOver& p : summary.passed_over) {
    const std::string line = PassedOverLine(p, log.lang());
    if (PassedOverNeedsAttention(p.kind))
      log.Warning(line);
    else
      log.Info(line);
  }
  const GraphOptions graph_options = ResolveGraphOptions(options.graph);
  if (const std::string capped = JobsCappedLine(options.graph, graph_options, log.lang()); !capped.empty())
    log.Warning(capped);
  log.Info(Fill(TrN(log.lang(), "run {run}: {n} file in {input}, {jobs} jobs, {pages} pages in flight",
                    "run {run}: {n} files in {input}, {jobs} jobs, {pages} pages in flight",
                    static_cast<long>(documents.size())),
                {{"run", summary.run_id},
                 {"n", std::to_string(documents.size())},
                 {"input", input_root.string()},
                 {"jobs", std::to_string(graph_options.jobs)},
                 {"pages", std::to_string(graph_options.pages_in_flight)}}));

  RunRecord run;
  run.run_id = summary.run_id;
  run.started_at = NowUtcIso8601();
  run.host = HostName();
  run.pid = ::getpid();
  run.input = DisplayName(input_root.string());
  SOHOA_RETURN_IF_ERROR((*ledger)->StartRun(run));
  // On a shared ledger the run keeps a heartbeat like a worker: if it dies,
  // its claims expire within minutes (not the run's 6-hour lease) and a
  // worker cleans up after it and closes its bag.
  std::unique_ptr<LeaseHeartbeat> heartbeat;
  if (shared != nullptr) {
    StatusOr<std::unique_ptr<WorkLedger>> beat = OpenPostgresLedger(options.ledger);
    if (!beat.ok()) return beat.status();
    StatusOr<std::unique_ptr<LeaseHeartbeat>> started =
        StartLeaseHeartbeat(std::move(beat).value(), summary.run_id, kSharedRunLeaseSeconds, &log);
    if (!started.ok()) return started.status();
    heartbeat = std::move(started).value();
  }

  AdmissionOptions admission_options{summary.run_id, staging, options.lease_seconds};
  std::unique_ptr<DocumentStage> admission = NewAdmissionStage(ledger->get(), admission_options);
  GraphStages all = stages;
  all.before_split.insert(all.before_split.begin(), admission.get());

  ArchiveSink sink(store->get(), summary.run_id, summary.run_id, ledger->get(), &log);
  sink.SetLeaseSeconds(options.lease_seconds);
  StageStatsTable stats;
  RunMonitor monitor(options.monitor, &log, &stats, summary.run_id, documents.size());
  sink.SetObserver([&monitor](const OutcomeCounts& counts) { monitor.OnDocument(counts); });
  Status graph_status = RunGraph(all, graph_options, documents, sink, &stats);
  if (Status m = monitor.Finish(sink.counts()); !m.ok())
    log.Warning(Tr(log.lang(), N_("metrics file: ")) + m.message());
  summary.counts = sink.counts();
  summary.entries = sink.entry_counts();
  summary.stages = stats.Snapshot();
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  summary.cpu_seconds = CpuSeconds() - cpu_start;

  // The invariant of every run (STYLE.md): each enumerated file has exactly
  // one outcome. Anything else is a bug and must not pass quietly.
  if (graph_status.ok() && summary.counts.total() != summary.enumerated) {
    graph_status = Status::Internal("outcomes do not add up: " + std::to_string(summary.counts.total()) +
                                    " of " + std::to_string(summary.enumerated) + " files accounted for");
  }
  summary.stopped = sink.fatal();

  run.finished_at = NowUtcIso8601();
  run.state = graph_status.ok() && summary.stopped.ok() ? "finished" : "failed";
  run.counts_json = nlohmann::json{{"enumerated", summary.enumerated},
                                   {"archived", summary.counts.archived},
                                   {"review", summary.counts.review},
                                   {"quarantined", summary.counts.quarantined},
                                   {"skipped", summary.counts.skipped},
                                   {"deferred", summary.counts.deferred},
                                   {"passed_over", summary.passed_over.size()},
                                   {"pages", summary.counts.pages},
                                   {"entries",
                                    {{"archived", summary.entries.archived},
                                     {"review", summary.entries.review},
                                     {"quarantined", summary.entries.quarantined},
                                     {"skipped", summary.entries.skipped},
                                     {"deferred", summary.entries.deferred}}},
                                   {"wall_seconds", summary.wall_seconds},
                                   {"cpu_seconds", summary.cpu_seconds}}
                        .dump();
  heartbeat.reset();
  if (summary.counts.deferred > 0 && summary.stopped.ok()) {
    // Documents left for the next run (an input gone, a time-stamp authority
    // down) still hold this run's claim: give them back now, or the next run
    // would see them "being processed by another run" until the lease ends.
    // (A stopped run's claims are released when the next run starts.)
    if (StatusOr<int> released = (*ledger)->AbandonRun(run.run_id); !released.ok()) {
      log.Warning(
          Tr(log.lang(), N_("claims of the documents left for the next run stay until their lease ends: ")) +
          released.status().message());
    }
  }
  Status finished = (*ledger)->FinishRun(run);
  fs::remove_all(staging, ec);
  // A run that archived nothing but quarantined something still gets a bag:
  // the ledger's account of those outcomes (pipeline/archive/bag_ledger.h).
  if (summary.counts.quarantined > 0) {
    (void)(*store)->MakeFolder(std::string(kBagsDir) + "/" + summary.run_id);
  }
  if (!graph_status.ok()) return graph_status;
  if (!summary.stopped.ok()) {
    // Close this run's bag over what it did record, so the archive verifies
    // clean at once; if even that cannot be written, the next run closes it.
    if (Status bagged = CloseBags(options, **store, **ledger, shared, log); !bagged.ok()) {
      log.Warning(Tr(log.lang(), N_("this run's bag stays open until the next run: ")) + bagged.message());
    }
    return summary;
  }
  if (!finished.ok()) return finished;
  SOHOA_RETURN_IF_ERROR(CloseBags(options, **store, **ledger, shared, log));
  return summary;
}

}  // namespace sohoa
