// How sure a personal name is, word by word (issue 14). A name's value is
// as sure as its least sure OCR word, and on the tuning layouts that word is
// almost always the surname: the commonest sole reason a document went to
// a person was a right name read below the 0.80 bar for names because its
// surname was (NGUYỄN read "NGUYÊN" and corrected, "Đinh" with the second
// reader reading "Đình"), or because of a speck read as a word of its own
// before it ("|", "`", "-").
//
// The surname is a closed form: one of the surnames list's entries
// (schemas/lexicons/surnames.txt), matched on its letters with diacritics
// aside (ApplyLexicon, field_evidence.h), so a misread surname becomes no
// surname — a problem — or is corrected to the one it can only be. It is
// held to the bar of the other closed forms (an ethnic group, a date:
// FieldExtraction's kClosedFormShare of review_confidence), and the
// middle and given names, an open set where one real syllable is misread
// as another ("HÃNG" for HẰNG at 0.90), keep the name's bar. (The numbers
// below were measured when those bars were 0.60 and 0.80; both are 0.40
// now, chosen again from measured precision: field_extraction_stage.cc,
// NameBar.)
//
// Measured on the tuning layouts, seeds 1-7 (371 name fields, 1140 words
// in names whose words OCR read one for one; README, "A checked name's
// surname is held to the closed forms' bar"):
//   surnames: 357 words, none wrong at any confidence; 23 read below 0.80
//     (4 below 0.30, 2 at 0.30-0.50, 3 at 0.50-0.60, 14 at 0.60-0.80),
//     13 of them with the second reader reading the same surname otherwise
//     ("NGUYÊN"/"NGUYỄN", "Đinh"/"Đình");
//   middle and given names: 783 words, 6 wrong; below 0.80 4 wrong (all
//     with the second reader dissenting) and 1 right, so they keep 0.80;
//     2 wrong at 0.96-0.97 that only the syllable list can catch.
// No name wrong against the truth passed its checks below 0.80; the three
// wrong names that did pass them (0.90-0.92: a name cut short by a table
// cell, every word it kept right) pass the gate with or without this.
//
// Thread-safety: a pure function over an immutable lexicon.
#pragma once

#include <string>
#include <vector>

#include "stages/fields/field_lexicon.h"

namespace sohoa {

// One OCR word of a value, as read.
struct ReadWord {
  std::string text;   // punctuation and all ("|NGUYỄN", "VŨ-")
  float confidence;   // 0..1
  std::string other;  // the second reader's reading when it dissented (OcrWord::other_reading), else ""
};

// The confidence a name field's value counts at. `value` is the name as
// checked (surname spelled as the list has it, every syllable known: the
// caller calls this only for a value with no problem), `words` the OCR
// words it was read from, `read_confidence` the lowest of them.
//
// When the surname can be told apart — the words that hold a letter are
// the value's words one for one, the first is a surname the list knows by
// its letters alone (not LA/LÃ, TỐNG/TÒNG, ĐOÀN/DOÃN, whose letters are
// shared), the same surname as the value's, read at `surname_bar` or
// more — or below it with the second reader reading exactly the value's
// surname, marks and all (NGUYÊN at 0.30 read NGUYỄN by the second reader:
// the list and a second model both say NGUYỄN; on tuning seeds 1-7, 5
// documents had gone to a person for such a surname alone, every name
// right) — and the second reader, if it dissented, read that same surname —
// the value counts at its other words' lowest confidence; words that hold
// no letter (a speck read "|") are no part of the name. Otherwise, and
// never below it, at `read_confidence`.
//
// Disputes cap it at kDisputedNameConfidence, below every bar, a person's
// to settle as disputed figures are: a surname the second reader read as
// another surname on the list (VÕ / VŨ: two real names), or another word
// read below `dissent_bar` that the second reader read otherwise (on the
// tuning layouts, every such word below 0.80 but one was wrong: "DƯNG" for
// DUNG; letter_reread.h). So lowering the names' bar to 0.40 left these
// where the 0.80 bar had them.
inline constexpr float kDisputedNameConfidence = 0.30f;  // as figure_reread.h's disagreement

float NameConfidence(const Lexicon& surnames, const std::string& value, const std::vector<ReadWord>& words,
                     float read_confidence, float surname_bar, float dissent_bar);

}  // namespace sohoa
