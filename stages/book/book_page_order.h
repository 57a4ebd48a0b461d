// The page order of a scanned register book: its printed page numbers
// (page.layout.printed_page_numbers, one per half of a spread) against the
// order of the scan. Used by the book splitter (book_split_stage.h), which
// turns the problems into the book's review reasons.
//
// Thread-safety: a pure function of the book.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"

namespace sohoa {

struct BookPageOrder {
  // Per scan page: the earlier scan page (0-based) it repeats, or -1.
  std::vector<int> repeat_of;
  // Per scan page, per half: its page number, read or (inferred[..]) taken
  // from its neighbours; 0 when nothing could be said.
  std::vector<std::vector<int>> numbers;
  std::vector<std::vector<bool>> inferred;
  // Per scan page: why its page number is in doubt ("page number of scan
  // page 13 read as 113, which does not fit the pages around it: taken as
  // 13, check it"), for its entries' review reasons; empty when it is not.
  std::vector<std::string> doubts;
  // For people, pages and scan pages 1-based, no personal data:
  // "page 13 (scan page 15) repeats scan page 14", "page 20 is missing
  // (between scan pages 18 and 19)", "page 31 (scan page 30) is out of
  // order: it comes after page 33", "page number of scan page 7 not read:
  // taken as 7".
  std::vector<std::string> problems;
};

// The page sequence is a prior: a number read that the book cannot hold
// (outside first_page_number.. twice the scan's length and 20) or that
// no reading within three halves of it predicts within two (a page
// missing, repeated or swapped shifts the sequence by one) does not fit;
// the page's second reading (PageLayout::page_number_alternatives) is
// taken when that one fits, else the number is doubtful: placed between
// the sure numbers around it when they leave exactly one place free, kept
// when the book can hold it, dropped as unread when not, and named in
// `problems` and `doubts` in each case. A doubtful page the sure numbers
// around it leave no place for may be a repeat of the page before it
// (compared by text, as an unread one is).
// Repeats: a scan page whose read numbers equal an earlier page's (or are
// unread, the earlier page being the one just before) and whose words
// overlap with it by at least `repeat_similarity`: its printed words (OCR
// of handwriting differs from one scan of a sheet to the next, print does
// not), all its words when it has few printed ones, in either case less
// the words on half the pages of a book of six or more (the form's labels).
// When too few words are left to compare, pages with the same number read
// are compared with the labels (PrintedTextSimilarity); pages with a number
// unread are not a repeat: an entry is never dropped on labels alone. Then unread numbers are inferred (the half before + 1, or
// the half after - 1, or the manifest's first_page_number counted on), and
// numbers missing from the run first_page_number..highest and halves off
// the longest increasing run of read numbers are reported.
BookPageOrder AnalysePageOrder(const Document& book, double repeat_similarity);

// Dice overlap (0..1) of the folded words of two OCR results.
double TextSimilarity(const OcrResult& a, const OcrResult& b);

// TextSimilarity of the lines not marked handwritten; of all lines when
// either page has fewer than kMinPrintedWords printed words (a page all in
// handwriting: its garbled reading is all there is to compare).
inline constexpr int kMinPrintedWords = 12;
double PrintedTextSimilarity(const OcrResult& a, const OcrResult& b);

}  // namespace sohoa
