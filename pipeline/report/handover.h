// `sohoa handover`: one register book's handover package (issue 17), as
// commonly handed to the province (domain.md, "Civil-status register
// books"): one zip per book holding
//   <P>-<book>-so-<số>.pdf   each entry's PDF/A (its page or pages), named by
//                            book and entry number (by its position,
//                            <P>-<book>-vitri-<n>.pdf, when the number is
//                            not known)
//   <P>-<book>.pdf           the whole book's PDF/A, a bookmark per entry
//   <P>-<book>.xlsx          one row per entry in the import template's
//                            columns (schemas/registers/<kind>.json)
// where P is the template's file prefix (KS, KH, KT, HN) and <book> the
// quyển số with '/' as '-' ("01-2018"); the zip is <kind>-<book>.zip.
//
// The workbook's first sheet is the template exactly: header row = the
// column keys, one row per entry in book order, so an importer takes it as
// it is. A cell is filled only with what sohoa can vouch for: the entry's
// số/quyển/trang and the fields read or keyed without a problem; a field
// whose value was doubtful, and every column no field gives, stay empty.
// Entries that still need a person (in review, handwritten to key in, a
// số inferred from its neighbours, quarantined) are listed on a second
// sheet, "kiem_tra", by row, with what is to be done and which columns are
// left to key — never in the template's own columns (ghiChu is the
// register's remark and would be imported as one).
//
// The book and its entries come from the ledger as the book splitter
// records them (the contract in README "Register books"); the PDFs through
// the archive store. Every handover discloses personal data to a person,
// so it is recorded in the ledger's access log (who, when, purpose, the
// records handed over) before the package appears; if the log cannot be
// written, no package is left. The package is written atomically: a
// temporary folder in the output folder, then one rename.
#pragma once

#include <string>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct HandoverRequest {
  // The book: its sha256, a prefix of 12 or more hex digits of it, or the
  // path it was read from (as the ledger records it).
  std::string book;
  std::string out_dir;  // created if missing
  std::string purpose;  // required: why the data is handed over
  std::string who;      // the OS user
  std::string via = "cli";
  std::string registers_dir;  // the import templates (DefaultRegistersDir())
};

struct HandoverResult {
  std::string zip_path;
  std::string book_sha256;
  std::string kind, book_no;
  int entries = 0;  // rows of the workbook = entries of the book
  int archived = 0, review = 0, quarantined = 0;
  int keyed = 0;       // archived after a person confirmed them
  int to_check = 0;    // rows listed on the "kiem_tra" sheet
  int entry_pdfs = 0;  // entry PDFs in the zip (a quarantined entry has none)
};

// kInvalidInput: no purpose, an ID that is not a book or names several;
// kNotFound: no such book, an entry or a PDF the ledger names that is not
// there (named); kIoError naming the folder when the output cannot be
// written. Nothing is left in `out_dir` on an error.
StatusOr<HandoverResult> MakeHandover(Ledger& ledger, ArchiveStore& store, const DocTypeCatalog& catalog,
                                      const HandoverRequest& request);

// "khai_sinh-01-2018.zip" for the book; exposed for tests.
std::string HandoverZipName(const std::string& kind, const std::string& book_no,
                            const std::string& book_sha256);

}  // namespace sohoa
