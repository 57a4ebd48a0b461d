// The oneTBB flow graph that runs a batch.
//
// RunGraph() takes its stages as parameters (it never names a concrete
// stage), so tests can run the real graph over any stage set. Documents enter
// in the order given; each goes through the document stages that need the
// whole file (admission, probe), is split into pages that flow through the
// page stages concurrently with pages of other documents, is joined again when
// its last page arrives, goes through the document stages that need all pages
// (PDF writing, signing...), and finally reaches the sink, which is called on
// one thread at a time.
//
// Memory: at most `pages_in_flight` pages are between the split and the join
// at once. Page stages are expected to compress the page image and release the
// raster before the join (the encode stage), so what the graph holds beyond
// that bound is compressed pages of unfinished documents.
//
// Every document reaches the sink exactly once, whatever failed: a failure in
// any stage is recorded on the page or document and later stages skip it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/catalog.h"
#include "pipeline/core/document.h"
#include "pipeline/core/stage.h"
#include "pipeline/core/status.h"
#include "pipeline/graph/stage_stats.h"

namespace sohoa {

struct GraphStages {
  std::vector<const DocumentStage*> before_split;  // e.g. admission, probe
  std::vector<const PageStage*> page_stages;       // e.g. decode ... encode
  std::vector<const DocumentStage*> after_join;  // e.g. pdf writer, signer
  // Runs between the join and after_join: makes more documents of one (a
  // register book's entries); null = none.
  const DocumentSplitStage* splitter = nullptr;
};

struct GraphOptions {
  int jobs = 0;             // worker threads; 0 = all cores, and never more
  int pages_in_flight = 0;  // 0 = 2 × jobs
};

// Called once per document, serially, after the last stage.
class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  virtual void Accept(Document& document) = 0;
  // True once the sink can no longer keep results (disk full, ledger gone).
  // Called from other threads than Accept. Documents not yet started then go
  // straight to the sink, deferred, instead of being processed for nothing.
  virtual bool StopRequested() const { return false; }
};

// Resolved values of GraphOptions (0 replaced by defaults, jobs at most the
// cores this process may use).
GraphOptions ResolveGraphOptions(const GraphOptions& options);

// The line that tells the operator their --jobs was more than the cores and
// what was used instead; empty when it was not.
std::string JobsCappedLine(const GraphOptions& asked, const GraphOptions& resolved, UiLang lang);

// Runs every document through the graph. Returns a Configuration error when a
// stage cannot create its workers (nothing is processed then), and Internal
// when a document failed to reach the sink (a bug, reported loudly rather than
// losing a document). Per-stage statistics are added to `stats` if not null.
Status RunGraph(const GraphStages& stages, const GraphOptions& options,
                const std::vector<std::shared_ptr<Document>>& documents, DocumentSink& sink,
                StageStatsTable* stats = nullptr);

}  // namespace sohoa
