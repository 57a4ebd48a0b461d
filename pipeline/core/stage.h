// The stage interface: what the graph runs.
//
// A stage is immutable configuration plus a factory for workers. The graph
// creates, before the run starts, one worker per concurrent slot (so a
// Tesseract engine is never shared between threads) and hands each invocation
// a worker that no other thread is using. Worker creation can fail (missing
// language data, unreadable key): that is a configuration error and the run
// does not start.
//
// Contract for Process():
//  - Return OK after doing the work, or when there was nothing to do.
//  - Return a non-OK Status for a failure of *this* item; the graph records it
//    on the page/document (prefixed with the stage name) and later stages
//    skip the item. The item is never dropped: it still reaches the archive
//    step, which quarantines it with the message as the reason.
//  - Doubts that do not stop processing (blank page, low confidence) are
//    appended to review_reasons instead and OK is returned.
//  - Do not throw. The graph catches anything that escapes and turns it into
//    kInternal, but a stage knows better what its library's exceptions mean.
//  - Page stages are never called for a page that already failed, nor for a
//    document that failed or was skipped; document stages likewise.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/status.h"

namespace sohoa {

class PageWorker {
 public:
  virtual ~PageWorker() = default;
  // `document` is read-only here: other pages of it are in flight.
  virtual Status Process(const Document& document, Page& page) = 0;
};

class PageStage {
 public:
  virtual ~PageStage() = default;
  virtual std::string Name() const = 0;
  virtual StatusOr<std::unique_ptr<PageWorker>> NewWorker() const = 0;
};

class DocumentWorker {
 public:
  virtual ~DocumentWorker() = default;
  virtual Status Process(Document& document) = 0;
};

class DocumentStage {
 public:
  virtual ~DocumentStage() = default;
  virtual std::string Name() const = 0;
  virtual StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const = 0;
};

// Turns one document into more after its pages are joined: a register book
// into its entries (issue 17, pipeline/core/book.h). The graph sends the
// documents it returns, then the original, through the document stages that
// follow; each reaches the sink exactly once.
class DocumentSplitWorker {
 public:
  virtual ~DocumentSplitWorker() = default;
  // The new documents; empty when there is nothing to split. May change
  // `document` (a book's bookmarks and entry count). A non-OK Status fails
  // the original document only.
  virtual StatusOr<std::vector<std::shared_ptr<Document>>> Split(Document& document) = 0;
};

class DocumentSplitStage {
 public:
  virtual ~DocumentSplitStage() = default;
  virtual std::string Name() const = 0;
  virtual StatusOr<std::unique_ptr<DocumentSplitWorker>> NewWorker() const = 0;
};

}  // namespace sohoa
