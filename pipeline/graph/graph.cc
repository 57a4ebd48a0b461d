#include "pipeline/graph/graph.h"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>
#include <unordered_map>
#include <vector>

#include "pipeline/core/malloc_settings.h"

namespace sohoa {
namespace {

namespace flow = oneapi::tbb::flow;
using Clock = std::chrono::steady_clock;

// glibc keeps freed memory in the heap for reuse: after a colour page's
// 26 MB buffers are freed the heap stays that large. malloc_trim hands the
// free pages back (madvise) once per document; with the faults of taking
// them again it costs tens of milliseconds of CPU per document (~37 ms on a
// dense page measured with perf; with huge pages, 30-60 ms of system time per
// dense page, 4 pages with and without it) against 1-3 s of OCR per page.
// (A fixed mmap threshold did the same and made every page's allocations
// fault in afresh: 27-42% slower. malloc_trim trims every arena: one per
// job, pipeline/core/malloc_settings.h.)
void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

double SecondsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Messages carry the time they were sent so each stage can record how long
// items waited in its queue (the operator's "where is the bottleneck").
struct DocMsg {
  std::shared_ptr<Document> doc;
  Clock::time_point sent;
};
struct PageMsg {
  std::shared_ptr<Document> doc;
  int index = 0;
  Clock::time_point sent;
};

// One worker per concurrent slot, created before the run. A node with
// concurrency N never has more than N bodies running, so Acquire() always
// finds a free worker.
template <typename Worker>
class WorkerPool {
 public:
  void Add(std::unique_ptr<Worker> worker) { free_.push(worker.release()); }
  ~WorkerPool() {
    Worker* w = nullptr;
    while (free_.try_pop(w)) delete w;
  }
  Worker* Acquire() {
    Worker* w = nullptr;
    while (!free_.try_pop(w)) std::this_thread::yield();
    return w;
  }
  void Release(Worker* w) { free_.push(w); }

 private:
  oneapi::tbb::concurrent_queue<Worker*> free_;
};

template <typename Stage, typename Worker>
Status FillPool(const Stage& stage, int count, WorkerPool<Worker>& pool) {
  for (int i = 0; i < count; ++i) {
    auto worker = stage.NewWorker();
    if (!worker.ok()) return worker.status().WithContext("stage " + stage.Name());
    pool.Add(std::move(worker).value());
  }
  return Status::Ok();
}

// The same with the workers made side by side, one thread each: a page
// stage's worker may load a model (the OCR stage's Tesseract language data,
// ~0.13 CPU s each), and made one after the other they kept all but one
// core idle before the first page (a stage is thread-safe, NewWorker
// included: STYLE.md). The first error in worker order is returned.
template <typename Stage, typename Worker>
Status FillPoolSideBySide(const Stage& stage, int count, WorkerPool<Worker>& pool) {
  if (count <= 1) return FillPool(stage, count, pool);
  std::vector<StatusOr<std::unique_ptr<Worker>>> made;
  made.reserve(count);
  for (int i = 0; i < count; ++i) made.emplace_back(Status::Internal("worker not made"));
  auto make = [&](int i) {
    try {  // an exception must not leave a thread (std::terminate)
      made[i] = stage.NewWorker();
    } catch (const std::exception& e) {
      made[i] = Status::Internal(std::string("making a worker threw: ") + e.what());
    } catch (...) {
      made[i] = Status::Internal("making a worker threw a non-standard exception");
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(count - 1);
  for (int i = 1; i < count; ++i) threads.emplace_back(make, i);
  make(0);
  for (std::thread& t : threads) t.join();
  for (auto& worker : made) {
    if (!worker.ok()) return worker.status().WithContext("stage " + stage.Name());
  }
  for (auto& worker : made) pool.Add(std::move(worker).value());
  return Status::Ok();
}

// Runs `body` turning any escaping exception into a Status: an exception
// leaving a node body would cancel the whole graph (STYLE.md).
template <typename Body>
Status Guarded(const std::string& stage, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Status::Internal("stage " + stage + " threw: " + e.what());
  } catch (...) {
    return Status::Internal("stage " + stage + " threw a non-standard exception");
  }
}

class DocumentStep {
 public:
  DocumentStep(const DocumentStage& stage, StageStatsTable* stats)
      : stage_(stage), name_(stage.Name()), stats_(stats) {}
  Status Prepare(int jobs) { return FillPool(stage_, jobs, pool_); }

  DocMsg operator()(DocMsg msg) {
    Document& doc = *msg.doc;
    if (doc.failed() || doc.decided()) return msg;
    Clock::time_point start = Clock::now();
    DocumentWorker* worker = pool_.Acquire();
    Status status = Guarded(name_, [&] { return worker->Process(doc); });
    pool_.Release(worker);
    Clock::time_point end = Clock::now();
    double seconds = SecondsBetween(start, end);
    doc.timings.push_back({name_, seconds});
    if (!status.ok() && doc.status.ok()) doc.status = status;
    if (stats_) stats_->Record(name_, seconds, SecondsBetween(msg.sent, start), !status.ok());
    msg.sent = end;
    return msg;
  }

 private:
  const DocumentStage& stage_;
  std::string name_;
  StageStatsTable* stats_;
  WorkerPool<DocumentWorker> pool_;
};

class PageStep {
 public:
  PageStep(const PageStage& stage, StageStatsTable* stats)
      : stage_(stage), name_(stage.Name()), stats_(stats) {}
  Status Prepare(int jobs) { return FillPoolSideBySide(stage_, jobs, pool_); }

  PageMsg operator()(PageMsg msg) {
    Page& page = msg.doc->pages[msg.index];
    if (!page.status.ok()) return msg;
    Clock::time_point start = Clock::now();
    PageWorker* worker = pool_.Acquire();
    Status status = Guarded(name_, [&] { return worker->Process(*msg.doc, page); });
    pool_.Release(worker);
    Clock::time_point end = Clock::now();
    double seconds = SecondsBetween(start, end);
    page.timings.push_back({name_, seconds});
    if (!status.ok()) page.status = status;
    if (stats_) stats_->Record(name_, seconds, SecondsBetween(msg.sent, start), !status.ok());
    msg.sent = end;
    return msg;
  }

 private:
  const PageStage& stage_;
  std::string name_;
  StageStatsTable* stats_;
  WorkerPool<PageWorker> pool_;
};

// Runs the splitter (a register book into its entries) and counts the
// documents it creates, so the run can check that every one reached the sink.
class SplitStep {
 public:
  SplitStep(const DocumentSplitStage& stage, StageStatsTable* stats)
      : stage_(stage), name_(stage.Name()), stats_(stats) {}
  Status Prepare(int jobs) { return FillPool(stage_, jobs, pool_); }

  // The new documents (to be sent first), then the original.
  std::vector<std::shared_ptr<Document>> operator()(const DocMsg& msg) {
    std::vector<std::shared_ptr<Document>> out;
    Document& doc = *msg.doc;
    if (!doc.failed() && !doc.decided()) {
      Clock::time_point start = Clock::now();
      DocumentSplitWorker* worker = pool_.Acquire();
      std::vector<std::shared_ptr<Document>> made;
      Status status = Guarded(name_, [&] {
        StatusOr<std::vector<std::shared_ptr<Document>>> split = worker->Split(doc);
        if (!split.ok()) return split.status();
        made = std::move(split).value();
        return Status::Ok();
      });
      pool_.Release(worker);
      const double seconds = SecondsBetween(start, Clock::now());
      doc.timings.push_back({name_, seconds});
      if (!status.ok()) {
        if (doc.status.ok()) doc.status = status;
      } else {
        out = std::move(made);
      }
      if (stats_) stats_->Record(name_, seconds, SecondsBetween(msg.sent, start), !status.ok());
    }
    created_ += out.size();
    out.push_back(msg.doc);
    return out;
  }
  size_t created() const { return created_.load(); }

 private:
  const DocumentSplitStage& stage_;
  std::string name_;
  StageStatsTable* stats_;
  WorkerPool<DocumentSplitWorker> pool_;
  std::atomic<size_t> created_{0};
};

}  // namespace

GraphOptions ResolveGraphOptions(const GraphOptions& options) {
  GraphOptions resolved = options;
  // No more jobs than cores: each job has its own workers in every stage (a
  // Tesseract engine and its models among them), measured at ~0.25 s CPU and
  // ~12 MB a job before the first page, and pages are CPU-bound, so jobs past
  // the cores only add that (issue 24: --jobs 8 on 2 cores, one page: +1.5 s
  // CPU, +72 MB against --jobs 2). default_concurrency() counts the cores
  // this process may use (its affinity mask), not the machine's.
  const int cores = oneapi::tbb::info::default_concurrency();
  if (resolved.jobs <= 0 || resolved.jobs > cores) resolved.jobs = cores;
  if (resolved.pages_in_flight <= 0) resolved.pages_in_flight = 2 * resolved.jobs;
  return resolved;
}

std::string JobsCappedLine(const GraphOptions& asked, const GraphOptions& resolved, UiLang lang) {
  if (asked.jobs <= resolved.jobs) return "";
  return Fill(Tr(lang, N_("--jobs {asked} is more than the {cores} cores this process may use: {cores} jobs (a job "
                          "more than the cores loads its own OCR engines and reads no page sooner)")),
              {{"asked", std::to_string(asked.jobs)}, {"cores", std::to_string(resolved.jobs)}});
}

Status RunGraph(const GraphStages& stages, const GraphOptions& options,
                const std::vector<std::shared_ptr<Document>>& documents, DocumentSink& sink,
                StageStatsTable* stats) {
  const GraphOptions opt = ResolveGraphOptions(options);

  // One malloc arena per job, allowed before the workers' threads exist:
  // glibc fixes the limit when the first of them needs an arena, and raised
  // after they had loaded their models the one arena stayed the only one for
  // the run (malloc_settings.h; 32 documents at --jobs 2: 58,000-64,000
  // futex calls, 284-297 since).
  LimitMallocArenas(opt.jobs);

  // Workers first: a stage that cannot start (missing language data, bad key)
  // stops the run before any document is touched.
  std::vector<std::unique_ptr<DocumentStep>> before, after;
  std::vector<std::unique_ptr<PageStep>> page_steps;
  for (const DocumentStage* s : stages.before_split)
    before.push_back(std::make_unique<DocumentStep>(*s, stats));
  for (const PageStage* s : stages.page_stages) page_steps.push_back(std::make_unique<PageStep>(*s, stats));
  for (const DocumentStage* s : stages.after_join) after.push_back(std::make_unique<DocumentStep>(*s, stats));
  for (auto& s : before) SOHOA_RETURN_IF_ERROR(s->Prepare(opt.jobs));
  for (auto& s : page_steps) SOHOA_RETURN_IF_ERROR(s->Prepare(opt.jobs));
  for (auto& s : after) SOHOA_RETURN_IF_ERROR(s->Prepare(opt.jobs));
  std::unique_ptr<SplitStep> split_step;
  if (stages.splitter != nullptr) {
    split_step = std::make_unique<SplitStep>(*stages.splitter, stats);
    SOHOA_RETURN_IF_ERROR(split_step->Prepare(opt.jobs));
  }

  size_t delivered = 0;
  oneapi::tbb::task_arena arena(opt.jobs);
  arena.execute([&] {
    //   source ──▶ before_split[0..] ──▶ split ──(pages)──▶ page queue ──▶ limiter
    //                                      │                                  │
    //                                      │ (no pages: failed/skipped)       ▼
    //                                      │                     page_stages[0..] (decode … encode)
    //                                      │                                  │
    //                                      ▼                                  ▼
    //                                   after_join[0..] ◀──(whole document)── join ──(1 per page)──▶
    //                                   limiter.decrementer
    //                                      │
    //                                      ▼
    //                                    sink (serial)
    flow::graph g;
    size_t next = 0;
    flow::input_node<DocMsg> source(g, [&](oneapi::tbb::flow_control& fc) -> DocMsg {
      if (next >= documents.size()) {
        fc.stop();
        return {};
      }
      const std::shared_ptr<Document>& doc = documents[next++];
      if (sink.StopRequested() && !doc->decided()) {
        // Results can no longer be kept: pass the rest straight to the sink
        // rather than spend the night on work it would have to drop.
        doc->outcome = Outcome::kDeferred;
        doc->skip_reason = "not started: the run stopped (see the error above); left for the next run";
      }
      return DocMsg{doc, Clock::now()};
    });

    std::vector<std::unique_ptr<flow::function_node<DocMsg, DocMsg>>> before_nodes, after_nodes;
    for (auto& step : before)
      before_nodes.push_back(std::make_unique<flow::function_node<DocMsg, DocMsg>>(
          g, opt.jobs, [s = step.get()](DocMsg m) { return (*s)(std::move(m)); }));
    for (auto& step : after)
      after_nodes.push_back(std::make_unique<flow::function_node<DocMsg, DocMsg>>(
          g, opt.jobs, [s = step.get()](DocMsg m) { return (*s)(std::move(m)); }));

    using SplitNode = flow::multifunction_node<DocMsg, std::tuple<PageMsg, DocMsg>>;
    SplitNode split(g, flow::serial, [](const DocMsg& m, SplitNode::output_ports_type& out) {
      Document& doc = *m.doc;
      if (doc.failed() || doc.decided() || doc.pages.empty()) {
        if (!doc.failed() && !doc.decided()) doc.status = Status::InvalidInput("no pages");
        std::get<1>(out).try_put(DocMsg{m.doc, Clock::now()});
        return;
      }
      for (int i = 0; i < doc.page_count(); ++i) std::get<0>(out).try_put(PageMsg{m.doc, i, Clock::now()});
    });

    // Page jobs are tiny (a pointer and an index): queueing all of them is
    // cheap. Pixels are only allocated past the limiter.
    flow::queue_node<PageMsg> page_queue(g);
    flow::limiter_node<PageMsg, int> limiter(g, static_cast<size_t>(opt.pages_in_flight));

    std::vector<std::unique_ptr<flow::function_node<PageMsg, PageMsg>>> page_nodes;
    for (auto& step : page_steps)
      page_nodes.push_back(std::make_unique<flow::function_node<PageMsg, PageMsg>>(
          g, opt.jobs, [s = step.get()](PageMsg m) { return (*s)(std::move(m)); }));

    // Serial, so the arrival counts need no lock. Each arriving page returns
    // its token to the limiter: its raster has been released by then.
    std::unordered_map<const Document*, int> arrived;
    using JoinNode = flow::multifunction_node<PageMsg, std::tuple<DocMsg, int>>;
    JoinNode join(g, flow::serial, [&arrived](const PageMsg& m, JoinNode::output_ports_type& out) {
      std::get<1>(out).try_put(1);
      Document& doc = *m.doc;
      Page& page = doc.pages[m.index];
      page.raster.Release();  // in case a page failed before encoding
      if (++arrived[&doc] < doc.page_count()) return;
      arrived.erase(&doc);
      if (doc.status.ok()) doc.status = doc.FirstPageFailure();
      std::get<0>(out).try_put(DocMsg{m.doc, Clock::now()});
    });

    // After the join: one document may become several (a register book and
    // its entries); each is sent on alone.
    using FanOutNode = flow::multifunction_node<DocMsg, std::tuple<DocMsg>>;
    std::unique_ptr<FanOutNode> fan_out;
    if (split_step) {
      fan_out = std::make_unique<FanOutNode>(
          g, opt.jobs, [s = split_step.get()](const DocMsg& m, FanOutNode::output_ports_type& out) {
            for (std::shared_ptr<Document>& doc : (*s)(m))
              std::get<0>(out).try_put(DocMsg{std::move(doc), Clock::now()});
          });
    }

    // The one serial step of the run: its busy time per document bounds the
    // documents per second however many cores there are (issue 24), so it is
    // in the profile as "archive", memory handed back included.
    flow::function_node<DocMsg, flow::continue_msg> sink_node(
        g, flow::serial, [&sink, &delivered, stats](const DocMsg& m) {
          const Clock::time_point start = Clock::now();
          try {
            sink.Accept(*m.doc);
          } catch (const std::exception& e) {
            // The sink owns the ledger; an exception here is a bug, but the
            // count check below will report the lost document loudly.
            m.doc->status = Status::Internal(std::string("archive step threw: ") + e.what());
            return flow::continue_msg();
          }
          m.doc->ReleasePageContent();
          ReturnFreedMemory();
          ++delivered;
          if (stats)
            stats->Record("archive", SecondsBetween(start, Clock::now()), SecondsBetween(m.sent, start),
                          false);
          return flow::continue_msg();
        });

    // ---- edges: the whole shape in one place ----
    flow::sender<DocMsg>* doc_tail = &source;
    for (auto& node : before_nodes) {
      flow::make_edge(*doc_tail, *node);
      doc_tail = node.get();
    }
    flow::make_edge(*doc_tail, split);
    flow::make_edge(flow::output_port<0>(split), page_queue);
    flow::make_edge(page_queue, limiter);
    flow::sender<PageMsg>* page_tail = &limiter;
    for (auto& node : page_nodes) {
      flow::make_edge(*page_tail, *node);
      page_tail = node.get();
    }
    flow::make_edge(*page_tail, join);
    flow::make_edge(flow::output_port<1>(join), limiter.decrementer());
    flow::receiver<DocMsg>* after_head =
        after_nodes.empty() ? static_cast<flow::receiver<DocMsg>*>(&sink_node) : after_nodes.front().get();
    if (fan_out) {
      flow::make_edge(flow::output_port<0>(join), *fan_out);
      flow::make_edge(flow::output_port<0>(*fan_out), *after_head);
    } else {
      flow::make_edge(flow::output_port<0>(join), *after_head);
    }
    flow::make_edge(flow::output_port<1>(split), *after_head);
    for (size_t i = 0; i + 1 < after_nodes.size(); ++i) flow::make_edge(*after_nodes[i], *after_nodes[i + 1]);
    if (!after_nodes.empty()) flow::make_edge(*after_nodes.back(), sink_node);

    source.activate();
    g.wait_for_all();
  });

  const size_t expected = documents.size() + (split_step ? split_step->created() : 0);
  if (delivered != expected) {
    return Status::Internal("flow graph delivered " + std::to_string(delivered) + " of " +
                            std::to_string(expected) +
                            " documents to the archive step; the rest were lost (a bug)");
  }
  return Status::Ok();
}

}  // namespace sohoa
