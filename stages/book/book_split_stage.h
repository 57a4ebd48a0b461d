// Book split: a register book (Document::is_book()) becomes its entries
// (issue 17, /work/wt/BOOKS.md). A DocumentSplitStage after the join; it
// reads what the book layout stage left on each page (page.layout, the OCR
// lines and their `handwritten` marks) and returns one entry Document per
// entry (NewEntryDocument, pipeline/core/book.h). Documents that are not
// books give no entries.
//
// Layout: the manifest's, else "ruled" when most analysed pages carry a
// table (at least four horizontal and three vertical rulings), else
// "printed".
//  - printed: one entry a page (a spread: one a half). Its số is read from
//    the "Số: N" label line (ParseEntryNumberLabel); its field lines are the
//    OCR lines of its page (half).
//  - ruled: the first row between rulings that holds text is the header;
//    every later row with text is one entry, across the gutter on a spread
//    (the row's left and right halves: two trang số). Each column title is
//    matched to a field of the register kind's doc type
//    (schemas/doctypes/<kind>.json: the label whose words cover the title's
//    best); field_lines are synthetic OCR lines "<field label>: <cell
//    words>" in column order, the cell words keeping their confidences;
//    columns no field matches (e.g. "Ghi chú") are left out, empty cells
//    too. The số is the number in the "Số" column (else the first column).
//    When no column gives the quyển số, a line "Quyển số: <book_no>" from
//    the manifest is added (declared by a person, not read).
//
// Entry numbers: as read. A printed entry's "Số: N" reaches field
// extraction as a field line of its own carrying that N (what followed
// the number on the row, a separate line), so the fields and the entry
// agree on the số. One not read is inferred from its neighbours
// (printed books: its page number plus the page-to-number offset of the
// nearest entry whose số was read, so a swapped page keeps its số; ruled:
// the one before + 1, or the one after - 1), number_inferred = true, with
// the review reason "entry number inferred from its neighbours, check it".
// A number read that the nearest read numbers around it contradict while
// leaving it exactly one free number, more than two off the one read
// (12, "113", 14), takes that number,
// inferred, with the reason "entry number read as 113 does not fit between
// 12 and 14: taken as 13, check it". Any other break of the sequence (a
// page missing or out of order) is kept as read and gets a review reason.
// An entry on a page whose page number is in doubt
// (BookPageOrder::doubts) gets that doubt as a review reason.
//
// Handwriting: lines marked handwritten (OcrLine::handwritten) are never
// read: a printed entry's field_lines leave them out (its số is not read
// from them either), so the fields they held are not found and go to a
// person. A printed entry with any handwritten value line ("<label>:
// <value>") gets the review reason "handwritten: key it in", and its lines
// not marked whose value holds a word read below unsure_confidence give
// no value either (writing whose ink passed for print; the entry goes to
// a person anyway, a guess must not be archived); it is
// EntryInfo::handwritten when at least half of its value lines are. A ruled
// row with a handwritten line is handwritten, with that reason, no
// field_lines and its số not read (inferred from its neighbours). A printed line a signature touches may be marked too: that
// costs a look, never a guessed value.
//
// Page order: the printed page numbers are compared with the scan order and
// reported in the book's review_reasons, by page and scan page (1-based):
// a scan page whose numbers and text (word overlap >= repeat_similarity)
// equal an earlier one's repeats it and gives no entries; page numbers
// never read are listed missing; pages off the longest increasing run of
// numbers are out of order; an unread page number is inferred from its
// neighbours and said so. The book gets `bookmarks` (one per entry: "Số 12
// — trang 12", at its first scan page) and `entry_count`.
//
// Errors: NewWorker() -> kConfiguration when the doc-type catalog cannot be
// loaded. Split() -> kInvalidInput when the book's kind is not in the
// catalog (the run goes on; the book is quarantined with that reason).
//
// Thread-safety: the stage holds the immutable catalog; workers share it.
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/stage.h"

namespace sohoa {

struct BookSplitOptions {
  // Folder of the document-type files; empty: DefaultDocTypesDir().
  std::string doctypes_dir;
  // Word-bag overlap (Dice, 0..1) at which two scans of the same page
  // number are the same page scanned twice.
  double repeat_similarity = 0.8;
  // In a printed entry with a handwritten value line, a line not marked
  // whose value holds a word read below this confidence gives no value.
  float unsure_confidence = 62;
};

// Name() is "book_split".
std::unique_ptr<DocumentSplitStage> NewBookSplitStage(const BookSplitOptions& options = {});

}  // namespace sohoa
