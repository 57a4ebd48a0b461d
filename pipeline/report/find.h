// `sohoa find`: a citizen's digitized results, found by personal ID or by
// name (and birth date), for a stated purpose, every search audited
// (issue 22; Decree 13/2023: personal data is processed for a purpose and
// every access is recorded).
//
// The search is one indexed query on the ledger (pipeline/ledger/ledger.h
// FindRecords); names are matched on their folded key, so "nguyen van an"
// finds "NGUYỄN VĂN AN". Before anything is shown, the access is appended
// to the ledger's access log: who, when, through what, the purpose, the kind
// of query and which records were disclosed — never the values searched for.
// If the log cannot be written, nothing is disclosed.
//
// The answer is the only place personal data appears: the caller must not
// log a FindRequest's values or a FindResult.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "pipeline/core/catalog.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct FindRequest {
  std::string holder_id;   // personal ID or organisation code; or
  std::string name;        // a person's name, any case and accents
  std::string birth_date;  // with name only: YYYY-MM-DD or DD/MM/YYYY
  std::string doc_type;    // "" = any
  std::string purpose;     // required: why the data is looked at
  std::string who;         // the OS user or the review station's account
  std::string via = "cli";
  int limit = 100;  // 1..1000
};

// One record as a clerk needs it to hand a citizen a copy.
struct FoundRecord {
  std::string sha256;
  std::string doc_type, result_code, holder_id, record_id;
  std::vector<std::string> names;  // the persons the record is about, as read
  std::string number, book;        // số, quyển số as read from the document
  std::string registered_on;       // ngày đăng ký, YYYY-MM-DD
  std::string status;              // archived | review
  std::string updated_at;          // when the current outcome was recorded
  std::string pdf;                 // the current PDF (archive-relative)
  int pdf_version = 1;             // 2 after one review correction, ...
};

struct FindResult {
  std::string query_kind;  // as written to the access log
  std::vector<FoundRecord> records;
  bool truncated = false;  // more records match than `limit`
};

// kInvalidInput for a request without a purpose, with both or neither of
// holder and name, or with a malformed value (the message never repeats
// the value). Other errors come from the ledger; a failed audit write is an
// error and nothing is returned.
StatusOr<FindResult> FindCitizenRecords(Ledger& ledger, const FindRequest& request);

// kInvalidInput unless `purpose` says why personal data is looked at: not
// blank, at most 500 bytes (find and handover, which both disclose it).
Status CheckPurpose(const std::string& purpose);

// What find shows of one ledger record (its fields and PDF as read).
FoundRecord DescribeRecord(const LedgerRecord& record);

// What `sohoa find` prints: its labels in `lang`, the values as recorded.
void WriteFindText(const FindResult& result, UiLang lang, std::ostream& out);
// {"query_kind", "count", "truncated", "records": [...]} (one object).
void WriteFindJson(const FindResult& result, std::ostream& out);

}  // namespace sohoa
