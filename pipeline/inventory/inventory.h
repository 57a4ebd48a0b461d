// The backlog inventory: the commune's register of issued results, the
// denominator of the digitization targets. `sohoa inventory import` reads
// it from CSV (schemas/inventory.schema.json) into the archive's ledger.
//
// CSV: UTF-8 (a leading BOM is ignored), RFC 4180 quoting, a header row
// naming the columns record_id, doc_type, number, book, issue_date,
// holder_id, valid in any order (extra columns are an error: a misspelt
// column must not be silently ignored). Per row:
//   record_id   non-empty, unique within the file
//   doc_type    a catalog key ("khai_sinh") or type code ("GKS")
//   number      as printed: up to 6 digits, optionally a symbol after '/' or
//               '-' ("15", "109/KH", "12/2003", "315/UBND-XNTTHN"); kept as
//               printed (number_printed), matched by its leading number
//               without leading zeros ("007/KS" is 7)
//   book        "NN/YYYY" (or empty when the type has no book)
//   issue_date  YYYY-MM-DD or dd/mm/yyyy
//   holder_id   empty, a 12-digit personal ID, or a 10-digit tax code
//               (optionally "-NNN")
//   valid       1/0, true/false, yes/no (still valid = còn hiệu lực)
// A bad row is reported with its line number and the reason, and skipped;
// the good rows are imported in one transaction. Nothing is dropped silently.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

// The matching key of a register number as printed: its leading number
// without leading zeros ("315/UBND-XNTTHN" -> "315", "007" -> "7"); "" when
// it is not a number of up to 6 digits optionally followed by a symbol
// ('/' or '-', then letters, digits, '/', '-', '.'), at most 48 bytes.
std::string RegisterNumberKey(const std::string& printed);

struct InventoryRowError {
  int line = 0;  // 1-based physical line where the row starts
  std::string message;
};

struct InventoryParseResult {
  std::vector<InventoryRecord> records;
  std::vector<InventoryRowError> errors;
  int rows = 0;  // data rows read (good + bad)
};

// Parses CSV text. A non-OK status only for a file-level problem (no
// header, missing or unknown columns); row problems go to `errors`.
StatusOr<InventoryParseResult> ParseInventoryCsv(const std::string& csv_text, const std::string& file_name,
                                                 const DocTypeCatalog& catalog);

struct InventoryImportReport {
  InventoryParseResult parsed;
  InventoryImportCounts counts;
};

// Reads `csv_path`, parses it and upserts the good rows into `ledger`.
StatusOr<InventoryImportReport> ImportInventory(Ledger& ledger, const std::string& csv_path,
                                                const DocTypeCatalog& catalog);

// The two halves of ImportInventory: the file's bytes, and importing bytes
// already read (`file_name` names the rows' source), so the very bytes
// imported can be kept in the archive (pipeline/archive/register_store.h).
StatusOr<std::string> ReadInventoryFile(const std::string& csv_path);
StatusOr<InventoryImportReport> ImportInventoryBytes(Ledger& ledger, const std::string& bytes,
                                                     const std::string& file_name,
                                                     const DocTypeCatalog& catalog);

}  // namespace sohoa
