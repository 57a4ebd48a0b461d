// Register books in a real ledger, recorded exactly as the contract in
// README "Register books" (and the lead's BOOKS.md) says the archive sink
// records them: an entry record per entry (sha256 = EntryKey, source
// "<book>#page<N>.<slot>", metadata record_kind register_entry, book facts,
// fields as the field extraction writes them) and, after its entries, the
// book record (metadata record_kind register_book, book.entries). For the
// tests of handover and report until `sohoa run` records books itself.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/core/book.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa::testing {

struct TestEntry {
  int position = 0;
  std::string entry_no;  // "" = not read
  bool entry_no_inferred = false;
  std::string page_no;
  int scan_page = 1;  // 1-based
  int slot = 1;       // 1-based
  bool handwritten = false;
  std::string status = "archived";  // archived | review | quarantined
  std::string reason;
  std::string pdf;  // archive key; "" = none
  // field key -> value; a key in `doubtful` gets a "problem".
  std::map<std::string, std::string> fields;
  std::vector<std::string> doubtful;
  std::string reviewed_by;  // a person confirmed it (the review station writes metadata reviewed_by)
  std::string sha256;       // filled by RecordBook
};

struct TestBook {
  std::string sha256;
  std::string source = "so/ks-01-2018.tif";
  std::string kind = "khai_sinh";
  std::string book_no = "01/2018";
  int year_from = 2018, year_to = 2018;
  std::string pdf;  // archive key of the whole-book PDF
  std::string status = "archived";
  std::vector<TestEntry> entries;
};

inline void RecordTestRecord(Ledger& ledger, const LedgerRecord& record) {
  auto claim = ledger.ClaimInput(record.sha256, record.source, record.run_id, 3600);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
  ASSERT_EQ(claim->outcome, ClaimOutcome::kClaimed);
  Status s = ledger.RecordOutcome(record);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Records every entry of `book`, then the book; fills each entry's sha256.
inline void RecordBook(Ledger& ledger, TestBook* book, const std::string& run_id = "run-books") {
  nlohmann::json listed = nlohmann::json::array();
  for (TestEntry& e : book->entries) {
    e.sha256 = EntryKey(book->sha256, e.scan_page - 1, e.slot - 1);
    nlohmann::json metadata = {{"record_kind", "register_entry"},
                               {"register_kind", book->kind},
                               {"book_sha256", book->sha256},
                               {"book_no", book->book_no},
                               {"entry_position", std::to_string(e.position)},
                               {"entry_no", e.entry_no},
                               {"entry_no_inferred", e.entry_no_inferred ? "1" : "0"},
                               {"page_no", e.page_no},
                               {"scan_pages", std::to_string(e.scan_page)},
                               {"handwritten", e.handwritten ? "1" : "0"}};
    if (e.status != "quarantined" && !e.handwritten) metadata["doc_type"] = book->kind;
    if (!e.reviewed_by.empty()) metadata["reviewed_by"] = e.reviewed_by;
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : e.fields) {
      fields[key] = {{"value", value}, {"confidence", e.reviewed_by.empty() ? 0.93 : 1.0}};
      for (const std::string& d : e.doubtful)
        if (d == key) fields[key]["problem"] = "read with low confidence";
    }
    LedgerRecord r;
    r.sha256 = e.sha256;
    r.source = book->source + "#page" + std::to_string(e.scan_page) + "." + std::to_string(e.slot);
    r.status = e.status;
    r.reason = e.reason;
    r.pages = 1;
    r.pdf = e.pdf;
    r.run_id = run_id;
    r.details_json = nlohmann::json{{"metadata", metadata}, {"fields", fields}}.dump();
    RecordTestRecord(ledger, r);
    listed.push_back(
        {{"position", e.position}, {"sha256", e.sha256}, {"entry_no", e.entry_no}, {"page_no", e.page_no}});
  }
  nlohmann::json metadata = {{"record_kind", "register_book"},
                             {"register_kind", book->kind},
                             {"book_no", book->book_no},
                             {"year_from", std::to_string(book->year_from)},
                             {"year_to", std::to_string(book->year_to)},
                             {"commune", "Xã Tân Lập"},
                             {"entry_count", std::to_string(book->entries.size())}};
  LedgerRecord r;
  r.sha256 = book->sha256;
  r.source = book->source;
  r.status = book->status;
  r.pages = static_cast<int>(book->entries.size());
  r.pdf = book->pdf;
  r.run_id = run_id;
  r.details_json = nlohmann::json{{"metadata", metadata},
                                  {"book", {{"entries", listed}, {"problems", nlohmann::json::array()}}}}
                       .dump();
  RecordTestRecord(ledger, r);
}

}  // namespace sohoa::testing
