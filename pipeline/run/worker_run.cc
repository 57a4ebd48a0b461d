#include "pipeline/run/worker_run.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/bag.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/malloc_settings.h"
#include "pipeline/ledger/postgres_ledger.h"
#include "pipeline/run/admission.h"

namespace sohoa {
namespace fs = std::filesystem;

namespace {

std::string NewWorkerId() {
  char host[128] = {0};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffff);
  return std::string("w-") + host + "-" + std::to_string(::getpid()) + "-" + suffix;
}

// Renews the worker's leases every lease/3 seconds on its own connection
// until stopped. A failed renewal is logged; the leases then expire and
// other workers take the items (this worker's late outcomes are refused).
class Heartbeat final : public LeaseHeartbeat {
 public:
  Heartbeat(std::unique_ptr<WorkLedger> ledger, std::string worker_id, int lease_seconds, RunLog* log)
      : ledger_(std::move(ledger)),
        worker_id_(std::move(worker_id)),
        lease_(lease_seconds),
        log_(log),
        thread_([this] { Loop(); }) {}
  ~Heartbeat() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    const auto period = std::chrono::milliseconds(std::max(200, lease_ * 1000 / 3));
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cv_.wait_for(lock, period, [this] { return stop_; })) {
      StatusOr<int> held = ledger_->RenewLeases(worker_id_, lease_);
      if (!held.ok()) log_->Warning(Tr(log_->lang(), N_("heartbeat: ")) + held.status().message());
    }
  }
  std::unique_ptr<WorkLedger> ledger_;
  std::string worker_id_;
  int lease_;
  RunLog* log_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Closes the bag of worker `bag` (itself as it exits, or a dead one) under
// the database-wide lock of that bag: several workers may find the same
// worker dead at once, and only one may write its tag files.
Status CloseWorkerBag(WorkLedger& ledger, ArchiveStore& store, const std::string& bag,
                      const BagOptions& options, RunLog& log) {
  // A run of the same ledger may have written to another archive folder:
  // never create a bag here for it.
  StatusOr<std::vector<std::string>> bags = store.ListChildren(kBagsDir);
  if (!bags.ok()) return bags.status();
  if (std::find(bags->begin(), bags->end(), bag + "/") == bags->end()) return Status::Ok();
  return ledger.WithLock("bag:" + bag, [&] { return CompleteBag(ledger, store, bag, options, &log); });
}

// `dead` stopped renewing its leases: mark its run interrupted, release its
// claims, delete what it left that the ledger does not record (staged files,
// and archive files published but never recorded), then close its bag with
// what it did record.
Status CleanUpDeadWorker(WorkLedger& ledger, ArchiveStore& store, const std::string& archive,
                         const std::string& dead, const BagOptions& bag_options, RunLog& log) {
  StatusOr<int> released = ledger.AbandonRun(dead);
  if (!released.ok()) return released.status();
  std::error_code ec;
  fs::remove_all(archive + "/staging/" + dead, ec);
  const std::string bag = std::string(kBagsDir) + "/" + dead + "/";
  StatusOr<std::vector<std::string>> files = store.List(bag + "data");
  if (!files.ok()) return files.status();
  int removed = 0;
  for (const std::string& key : *files) {
    const std::string name = fs::path(key).filename().string();
    const std::string sha = name.substr(0, name.find('.'));
    StatusOr<std::optional<LedgerRecord>> record = ledger.Find(sha);
    if (!record.ok()) return record.status();
    const bool recorded =
        record->has_value() && (*record)->status != "processing" && (*record)->pdf.rfind(bag, 0) == 0;
    if (recorded) continue;
    Status gone = store.Remove(key);
    if (gone.ok())
      ++removed;
    else if (gone.code() != StatusCode::kNotFound)
      return gone;  // another worker removed it
  }
  log.Warning(
      Fill(Tr(log.lang(), N_("worker {worker} stopped renewing its leases; {claims} claims released, "
                             "{files} unrecorded archive files removed")),
           {{"worker", dead}, {"claims", std::to_string(*released)}, {"files", std::to_string(removed)}}));
  return CloseWorkerBag(ledger, store, dead, bag_options, log);
}

}  // namespace

StatusOr<std::unique_ptr<LeaseHeartbeat>> StartLeaseHeartbeat(std::unique_ptr<WorkLedger> ledger,
                                                              const std::string& run_id, int lease_seconds,
                                                              RunLog* log) {
  // The first renewal now: from here on the run counts as alive.
  SOHOA_RETURN_IF_ERROR(ledger->RenewLeases(run_id, lease_seconds).status());
  return std::unique_ptr<LeaseHeartbeat>(
      std::make_unique<Heartbeat>(std::move(ledger), run_id, lease_seconds, log));
}

StatusOr<WorkerSummary> RunWorker(const WorkerOptions& options, const GraphStages& stages, RunLog& log) {
  const auto start = std::chrono::steady_clock::now();
  WorkerSummary summary;
  summary.worker_id = NewWorkerId();
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(options.archive_dir);
  if (!store.ok()) return store.status();
  std::error_code ec;
  const std::string archive = fs::canonical(options.archive_dir, ec).string();
  StatusOr<std::unique_ptr<WorkLedger>> ledger = OpenPostgresLedger(options.ledger_url);
  if (!ledger.ok()) return ledger.status();
  StatusOr<std::unique_ptr<WorkLedger>> beat_ledger = OpenPostgresLedger(options.ledger_url);
  if (!beat_ledger.ok()) return beat_ledger.status();
  WorkLedger& db = **ledger;

  RunRecord run;
  run.run_id = summary.worker_id;
  run.started_at = NowUtcIso8601();
  char host[128] = {0};
  gethostname(host, sizeof host - 1);
  run.host = host;
  run.pid = ::getpid();
  run.input = "worker";
  SOHOA_RETURN_IF_ERROR(db.StartRun(run));
  // The first heartbeat now: from here on the worker counts as alive.
  SOHOA_RETURN_IF_ERROR(db.RenewLeases(summary.worker_id, options.lease_seconds).status());

  const std::string staging = archive + "/staging/" + summary.worker_id;
  SOHOA_RETURN_IF_ERROR(MakeDirectories(staging));
  AdmissionOptions admission_options{summary.worker_id, staging, options.lease_seconds};
  std::unique_ptr<DocumentStage> admission = NewAdmissionStage(&db, admission_options);
  GraphStages all = stages;
  all.before_split.insert(all.before_split.begin(), admission.get());
  // One bag per worker process, named by its id (unique per host, pid and
  // start), closed by the worker as it exits or by whoever finds it dead.
  ArchiveSink sink(store->get(), summary.worker_id, summary.worker_id, &db, &log);
  const GraphOptions graph_options = ResolveGraphOptions(options.graph);
  if (const std::string capped = JobsCappedLine(options.graph, graph_options, log.lang()); !capped.empty())
    log.Warning(capped);
  log.Info(Fill(
      Tr(log.lang(), N_("worker {worker} on {ledger}, {jobs} jobs, batches of {batch}, lease {lease} s")),
      {{"worker", summary.worker_id},
       {"ledger", RedactPostgresUrl(options.ledger_url)},
       {"jobs", std::to_string(graph_options.jobs)},
       {"batch", std::to_string(options.batch)},
       {"lease", std::to_string(options.lease_seconds)}}));

  Status status;
  {
    // Before the heartbeat's thread: glibc fixes the arena count the first
    // time a thread other than the main one takes one (malloc_settings.h).
    LimitMallocArenas(graph_options.jobs);
    Heartbeat heartbeat(std::move(beat_ledger).value(), summary.worker_id, options.lease_seconds, &log);
    while (status.ok()) {
      int reclaimed = 0;
      StatusOr<std::vector<WorkItem>> items =
          db.ClaimWork(summary.worker_id, options.batch, options.lease_seconds, &reclaimed);
      if (!items.ok()) {
        status = items.status();
        break;
      }
      if (items->empty()) {
        StatusOr<WorkCounts> counts = db.CountWork();
        if (!counts.ok()) {
          status = counts.status();
          break;
        }
        if (counts->queued == 0 && counts->claimed == 0) break;  // all done
        // Others hold live leases: wait, they may die and leave work.
        std::this_thread::sleep_for(std::chrono::duration<double>(options.poll_seconds));
        continue;
      }
      ++summary.batches;
      summary.claimed += items->size();
      summary.reclaimed += reclaimed;
      std::set<std::string> dead;
      for (const WorkItem& item : *items) {
        if (!item.previous_worker.empty() && item.previous_worker != summary.worker_id) {
          dead.insert(item.previous_worker);
        }
      }
      for (const std::string& worker : dead) {
        status = CleanUpDeadWorker(db, **store, archive, worker, options.bag, log);
        if (!status.ok()) break;
      }
      if (!status.ok()) break;

      std::vector<std::shared_ptr<Document>> documents;
      for (const WorkItem& item : *items) {
        auto doc = std::make_shared<Document>();
        doc->source_path = item.path;
        doc->relative_path = item.source;
        documents.push_back(std::move(doc));
      }
      status = RunGraph(all, graph_options, documents, sink, nullptr);
      if (status.ok()) status = sink.fatal();
      if (!status.ok()) break;
      // Items with a recorded outcome are done already (same transaction as
      // the outcome). Others: done if the content is in the archive by now,
      // else given back to the queue.
      bool gave_back = false;
      for (size_t i = 0; i < items->size() && status.ok(); ++i) {
        const WorkItem& item = (*items)[i];
        const Document& doc = *documents[i];
        const std::string sha = doc.sha256.empty() ? item.sha256 : doc.sha256;
        StatusOr<std::optional<LedgerRecord>> record = db.Find(sha);
        if (!record.ok()) {
          status = record.status();
          break;
        }
        const bool settled = record->has_value() && (*record)->status != "processing";
        const bool finish = settled || doc.sha256.empty();
        Status s = finish ? db.FinishWork(item.sha256, summary.worker_id)
                          : db.ReleaseWork(item.sha256, summary.worker_id);
        if (!s.ok() && s.code() != StatusCode::kBusy) status = s;
        gave_back = gave_back || !finish;
      }
      // Given back (held by a `sohoa run`, or still being written): do not
      // spin on it.
      if (gave_back) std::this_thread::sleep_for(std::chrono::duration<double>(options.poll_seconds));
    }
  }
  fs::remove_all(staging, ec);
  summary.counts = sink.counts();
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.finished_at = NowUtcIso8601();
  run.state = status.ok() ? "finished" : "failed";
  // "enumerated": the documents this worker gave an outcome (what `sohoa
  // status` and `sohoa report` count per run).
  run.counts_json =
      nlohmann::json{{"enumerated", summary.counts.total()}, {"claimed", summary.claimed},
                     {"reclaimed", summary.reclaimed},       {"archived", summary.counts.archived},
                     {"review", summary.counts.review},      {"quarantined", summary.counts.quarantined},
                     {"skipped", summary.counts.skipped},    {"pages", summary.counts.pages},
                     {"wall_seconds", summary.wall_seconds}}
          .dump();
  Status finished = db.FinishRun(run);
  if (!status.ok()) return status;
  if (!finished.ok()) return finished;
  // Close this worker's bag: everything it recorded is final now.
  if (summary.counts.quarantined > 0) {  // its bag keeps the quarantine outcomes (bag_ledger.h)
    (void)(*store)->MakeFolder(std::string(kBagsDir) + "/" + summary.worker_id);
  }
  SOHOA_RETURN_IF_ERROR(CloseWorkerBag(db, **store, summary.worker_id, options.bag, log));
  // Workers that died after their last claim (nobody reclaimed anything of
  // theirs) would leave their bags open forever: find them by their
  // expired heartbeat and clean them up too.
  StatusOr<std::vector<WorkerInfo>> workers = db.Workers();
  if (!workers.ok()) return workers.status();
  for (const WorkerInfo& w : *workers) {
    if (w.expired)
      SOHOA_RETURN_IF_ERROR(CleanUpDeadWorker(db, **store, archive, w.worker_id, options.bag, log));
  }
  return summary;
}

}  // namespace sohoa
