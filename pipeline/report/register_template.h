// The import template of a register kind (issue 17): the columns a book's
// handover workbook is written in, and where each value comes from, loaded
// from data (schemas/registers/<kind>.json, described by
// schemas/register.schema.json). Adding a register kind is adding a file.
//
// A column is filled from the entry's own facts (số, quyển số, trang số, as
// the book splitter recorded them in the ledger), from a field of the
// entry's document type (as read, or as a person keyed it), or stays empty.
// Nothing is defaulted: a column the entry does not fill is left for the
// person who keys the row (domain.md: never a guess).
//
// Thread-safety: a loaded template is immutable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct RegisterColumn {
  std::string key;                           // the template's column key ("nksNgaySinh")
  std::string from;                          // entry_no | book_no | page_no | field | empty
  std::string field;                         // from == "field": doc-type field key
  std::string format = "text";               // text | date | date_words | code
  std::map<std::string, std::string> codes;  // format == "code": value -> code
  std::string other_code;                    // a non-empty value not in codes
};

struct RegisterTemplate {
  std::string kind;         // "khai_sinh"
  std::string name;         // "Sổ đăng ký khai sinh"
  std::string file_prefix;  // "KS"
  std::vector<RegisterColumn> columns;
  std::string source_file;

  std::vector<std::string> Header() const;  // the column keys, in order
};

// What one entry gives a row: its ledger facts and its fields' values.
struct EntryValues {
  std::string entry_no, book_no, page_no;
  std::map<std::string, std::string> fields;  // field key -> value as stored
};

// The row of `entry` in the template's columns, each cell formatted as the
// column says; empty where nothing fills it. Cells are values, not yet made
// safe for a spreadsheet (SpreadsheetCell does that when written).
std::vector<std::string> TemplateRow(const RegisterTemplate& templ, const EntryValues& entry);

// Loads schemas/registers/<kind>.json from `registers_dir` and checks it
// against the rules of schemas/register.schema.json and against `doctype`
// (every field named is a field of it). kNotFound when the kind has no
// template; kConfiguration naming the file and the rule when one is broken.
StatusOr<RegisterTemplate> LoadRegisterTemplate(const std::string& registers_dir, const std::string& kind,
                                                const DocTypeSpec& doctype);

// sohoa's data folder (pipeline/core/data_dir.h) plus "/registers".
std::string DefaultRegistersDir();

// "2008-08-27" -> "27.08.2008"; "" when `iso` is not a date.
std::string DottedDate(const std::string& iso);
// "2008-08-27" -> "Ngày Hai Mươi Bảy Tháng Tám Năm Hai Nghìn Không Trăm Linh
// Tám" (every word capitalised, as the template's example); "" when not a date.
std::string DateInWords(const std::string& iso);

}  // namespace sohoa
