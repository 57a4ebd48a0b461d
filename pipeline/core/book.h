// Register books (sổ hộ tịch, issue 17): a book is one scanned file whose
// pages hold many entries; each entry becomes a record of its own.
//
// A book enters like any input file (one Document, its pages through the
// page stages), declared by a manifest beside it (BookManifest). After the
// join, the book splitter (stages/book) finds its entries and creates one
// Document per entry (EntryInfo set) that flows through the same document
// stages as a certificate: field extraction, PDF/A writer, signing, archive.
// The book itself goes on too and becomes the whole-book PDF/A with one
// bookmark per entry. The archive sink records the book only after every
// entry of it is recorded, so a run killed mid-book re-reads the book and
// its recorded entries are skipped by their claims: nothing twice.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// What the manifest declares (`<scan>.book.json` beside the scan, or a
// row of `books.csv` in the input folder; README "Register books").
struct BookManifest {
  std::string kind;     // register kind = doc-type key: khai_sinh, ket_hon, khai_tu, ...
  std::string book_no;  // quyển số as printed: "01/2018"
  int year_from = 0;    // years the book covers (0 = not declared)
  int year_to = 0;
  std::string commune;        // name or code of the commune that kept it
  std::string layout;         // "printed" (one entry a page), "ruled" (rows), "" = detect
  int first_page_number = 1;  // trang số of the first scanned page
  std::string manifest;       // where it was declared, for messages ("x.book.json", "books.csv:3")
};

// Found on a book page by the book layout stage while its pixels exist
// (coordinates as in pipeline/core/document.h).
struct PageLayout {
  bool analysed = false;
  std::vector<int> rules_y;  // horizontal rulings (y), top to bottom
  std::vector<int> rules_x;  // vertical rulings (x), left to right
  int gutter_x = -1;         // a spread (two facing pages in one image): the fold; -1 none
  // Trang số printed on the page (a spread: left then right half); 0 = not read.
  std::vector<int> printed_page_numbers;
  // Per half, when the page's number was read twice (the page's OCR and a
  // second, digits-only reading) and the two differ: the reading not taken
  // above, for the book's page sequence to settle; 0 = none.
  std::vector<int> page_number_alternatives;
};

// Where one field of an entry is written (issue 18): found by the book
// splitter (a ruled row's cell; a printed page's "<label>: <value>" line),
// so the keying station can show that part of the page beside the field's
// input. Pixels as in pipeline/core/document.h (right/bottom exclusive).
struct FieldPlace {
  int scan_page = 0;  // 0-based page index in the book's scan
  int left = 0, top = 0, right = 0, bottom = 0;
};

// A FieldPlace on the entry's own PDF: its page (0-based) and the box as
// fractions of that page (top-left origin), as the review station uses them.
struct EntryFieldPlace {
  int page = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

// On an entry Document (created by the book splitter).
struct EntryInfo {
  std::string book_sha256;
  std::string book_source;        // the book's relative path
  std::string kind;               // from the manifest
  std::string book_no;            // from the manifest
  int position = 0;               // 1-based order of the entry in the book
  int number = 0;                 // số as read; 0 = not read
  bool number_inferred = false;   // taken from the entries around it, not read: for review
  std::vector<int> scan_pages;    // 0-based page indexes in the book's scan
  std::vector<int> page_numbers;  // trang số of those pages (0 = unknown)
  bool handwritten = false;       // its values are handwriting: keyed by people, never read by OCR
  std::map<std::string, FieldPlace> field_places;  // field key -> where it is written
};

// The entry metadata "field_places": ';'-separated "<key>@<page>:<x>,<y>,<w>,<h>",
// page 1-based in the entry's PDF, the box in thousandths of that page
// ("ho_ten@1:84,212,830,31"). One place a field of the doc type: a few
// kilobytes at most. Parsing skips malformed parts and keeps at most
// kMaxFieldPlaces (it reads what the ledger holds, which a person may
// have edited).
inline constexpr size_t kMaxFieldPlaces = 200;
std::string FieldPlacesText(const std::map<std::string, EntryFieldPlace>& places);
std::map<std::string, EntryFieldPlace> ParseFieldPlaces(const std::string& text);

// The key an entry is claimed and recorded under: a SHA-256 derived from
// the book's hash and the entry's place in the scan (first page, slot), so
// re-reading the same book gives the same keys, whatever OCR reads.
std::string EntryKey(const std::string& book_sha256, int first_scan_page, int slot);

// "12", "12-13": the trang số of an entry for names and columns.
std::string PageNumbersText(const std::vector<int>& page_numbers);

struct Document;

// A new entry Document of `book` (what a splitter returns): the book's
// pages listed in info.scan_pages copied (compressed image, OCR, layout;
// indexes renumbered from 0), sha256 = EntryKey(book, scan_pages[0], slot),
// relative_path "<book>#page<first scan page, 1-based>.<slot + 1>", the
// book's staging folder, format and manifest, and
// metadata["doc_type_declared"] = the register kind. `slot` is the entry's
// 0-based place among the entries starting on that page.
std::shared_ptr<Document> NewEntryDocument(const Document& book, const EntryInfo& info, int slot);

// What a book's ledger record says of it (details_json "metadata"):
// record_kind "register_book", register_kind, book_no, year_from, year_to,
// commune. (An entry's, set by NewEntryDocument: record_kind
// "register_entry", register_kind, book_sha256, book_no, entry_position,
// entry_no, entry_no_inferred, page_no, scan_pages, handwritten and, when
// the splitter found any, field_places.)
std::map<std::string, std::string> BookMetadata(const BookManifest& manifest);

// Reads a `<scan>.book.json` manifest; kInvalidInput naming the file and
// the cause (unknown kind, bad book number, bounded size).
StatusOr<BookManifest> ReadBookManifest(const std::string& path);

// `books.csv`: one manifest a row for the books of its folder. Header row
// = column names: file (relative to the CSV's folder), kind, book_no,
// year_from, year_to, commune, layout, first_page_number (file and kind
// required). A row's own problem is in its `status` (the other rows stand);
// an unreadable or headless file is the error.
inline constexpr char kBookListName[] = "books.csv";
struct BookListRow {
  int line = 0;
  std::string file;
  BookManifest manifest;  // valid when status is OK
  Status status;
};
StatusOr<std::vector<BookListRow>> ReadBookList(const std::string& path);

}  // namespace sohoa
