// The archive step with register books (issue 17): every entry of a book is
// claimed and recorded once, the book only after all of its entries, and a
// run killed mid-book leaves nothing that a re-run would record twice.
// Real SQLite ledger, real folder store, real staged files; OCR and PDF
// writing are not under test (the outputs are bytes).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/book.h"
#include "pipeline/core/run_log.h"
#include "pipeline/core/sha256.h"
#include "pipeline/ledger/ledger.h"
#include "pipeline/run/archive_sink.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;

class BookSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::path(::testing::TempDir()) / ("book_sink_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "staging");
    auto store = NewFilesystemStore(root_.string());
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    auto ledger = OpenSqliteLedger((root_ / "ledger.sqlite").string());
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
  }

  // The ledger is closed first: its files are inside root_.
  void TearDown() override {
    ledger_.reset();
    store_.reset();
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  std::unique_ptr<ArchiveSink> StartRun(const std::string& run_id) {
    RunRecord run;
    run.run_id = run_id;
    run.started_at = "2026-01-01T00:00:00Z";
    EXPECT_TRUE(ledger_->StartRun(run).ok());
    return std::make_unique<ArchiveSink>(store_.get(), run_id, run_id, ledger_.get(), &log_);
  }

  // The book as the input walk and admission leave it: claimed, 3 pages.
  std::shared_ptr<Document> Book(const std::string& run_id) {
    auto book = std::make_shared<Document>();
    book->relative_path = "so/ks-01-2018.tif";
    book->sha256 = Sha256Hex("the scan's bytes");
    book->staging_dir = (root_ / "staging").string();
    BookManifest manifest;
    manifest.kind = "khai_sinh";
    manifest.book_no = "01/2018";
    book->book = manifest;
    book->metadata = BookMetadata(manifest);
    book->pages.resize(3);
    for (int i = 0; i < 3; ++i) book->pages[i].index = i;
    auto claim = ledger_->ClaimInput(book->sha256, book->relative_path, run_id, 3600);
    EXPECT_TRUE(claim.ok() && claim->outcome == ClaimOutcome::kClaimed);
    Stage(*book);
    return book;
  }

  std::vector<std::shared_ptr<Document>> Entries(Document& book) {
    std::vector<std::shared_ptr<Document>> entries;
    for (int i = 0; i < 3; ++i) {
      EntryInfo info;
      info.position = i + 1;
      info.number = i + 1;
      info.scan_pages = {i};
      info.page_numbers = {i + 1};
      entries.push_back(NewEntryDocument(book, info, 0));
      Stage(*entries.back());
    }
    book.entry_count = 3;
    return entries;
  }

  void Stage(Document& doc) {
    OutputFile out;
    out.role = "pdf";
    out.staged_path = (root_ / "staging" / (doc.sha256 + ".pdf")).string();
    testing::WriteFile(out.staged_path, "%PDF-1.7\n" + doc.relative_path + "\n");
    doc.outputs = {out};
  }

  int RecordCount() {
    int n = 0;
    EXPECT_TRUE(ledger_->ForEachRecord([&](const LedgerRecord&) { ++n; }).ok());
    return n;
  }

  fs::path root_;
  std::ostringstream log_stream_;
  RunLog log_{log_stream_, LogFormat::kHuman};
  std::unique_ptr<ArchiveStore> store_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(BookSinkTest, TheBookIsRecordedAfterItsLastEntryWithItsEntriesInBookOrder) {
  auto sink = StartRun("r1");
  auto book = Book("r1");
  auto entries = Entries(*book);
  sink->Accept(*entries[2]);
  sink->Accept(*book);  // arrives before two of its entries: waits for them
  auto found = ledger_->Find(book->sha256);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->status, "processing") << "the book was recorded before its entries";
  sink->Accept(*entries[0]);
  sink->Accept(*entries[1]);
  found = ledger_->Find(book->sha256);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->status, "archived");
  const nlohmann::json details = nlohmann::json::parse((*found)->details_json);
  EXPECT_EQ(details["metadata"]["record_kind"], "register_book");
  ASSERT_EQ(details["book"]["entries"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(details["book"]["entries"][i]["position"], i + 1);
    EXPECT_EQ(details["book"]["entries"][i]["sha256"], entries[i]->sha256);
  }
  auto entry = ledger_->Find(entries[1]->sha256);
  ASSERT_TRUE(entry.ok() && entry->has_value());
  const nlohmann::json entry_details = nlohmann::json::parse((*entry)->details_json);
  EXPECT_EQ(entry_details["metadata"]["record_kind"], "register_entry");
  EXPECT_EQ(entry_details["metadata"]["entry_no"], "2");
  EXPECT_EQ(entry_details["metadata"]["book_no"], "01/2018");
  EXPECT_EQ(entry_details["metadata"]["book_sha256"], book->sha256);
  EXPECT_EQ((*entry)->source, "so/ks-01-2018.tif#page2.1");
  EXPECT_EQ(sink->entry_counts().archived, 3u);
  EXPECT_EQ(sink->counts().archived, 1u);
  EXPECT_EQ(RecordCount(), 4);
}

TEST_F(BookSinkTest, ARunKilledMidBookIsResumedWithoutDuplicates) {
  {
    auto sink = StartRun("r1");
    auto book = Book("r1");
    auto entries = Entries(*book);
    sink->Accept(*entries[0]);
    sink->Accept(*entries[1]);
    // killed here: entry 3 and the book never reached the archive step
  }
  EXPECT_EQ(RecordCount(), 2);
  ASSERT_TRUE(ledger_->AbandonRun("r1").ok());

  auto sink = StartRun("r2");
  auto book = Book("r2");  // the book is claimed again: it was never recorded
  auto entries = Entries(*book);
  for (auto& e : entries) sink->Accept(*e);
  sink->Accept(*book);
  EXPECT_EQ(sink->entry_counts().skipped, 2u);
  EXPECT_EQ(sink->entry_counts().archived, 1u);
  EXPECT_EQ(sink->counts().archived, 1u);
  EXPECT_EQ(RecordCount(), 4);  // 3 entries and the book, each once
  auto found = ledger_->Find(book->sha256);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(nlohmann::json::parse((*found)->details_json)["book"]["entries"].size(), 3u);
  // The skipped entries' staged files were not published a second time.
  EXPECT_FALSE(fs::exists(root_ / "staging" / (entries[0]->sha256 + ".pdf")));
}

TEST_F(BookSinkTest, ABookWithAnEntryNotRecordedIsLeftForTheNextRun) {
  auto sink = StartRun("r1");
  auto book = Book("r1");
  auto entries = Entries(*book);
  sink->Accept(*entries[0]);
  entries[1]->outcome = Outcome::kDeferred;  // e.g. the run was stopping
  entries[1]->skip_reason = "not started";
  sink->Accept(*entries[1]);
  sink->Accept(*entries[2]);
  sink->Accept(*book);
  EXPECT_EQ(book->outcome, Outcome::kDeferred);
  auto found = ledger_->Find(book->sha256);
  ASSERT_TRUE(found.ok());
  EXPECT_NE((*found)->status, "archived") << "a book recorded done would never be read again";
  EXPECT_EQ(sink->counts().deferred, 1u);
  EXPECT_EQ(sink->entry_counts().deferred, 1u);
}

}  // namespace
}  // namespace sohoa
