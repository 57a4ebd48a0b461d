// A field's value checked with the document's other fields as context (a
// date order, an age on another date, the book's year, the ID's province),
// the bar its confidence must clear, and the review reason it gives. Used
// by field extraction, and again by whatever settles a field afterwards:
// the register (pipeline/inventory/register_settle.h) can correct a
// registration date the checks were made against ("2002" read for 2022);
// a birth date "after" the misread date must then be checked again, not
// left in review for a reason that no longer holds.
//
// Thread-safety: pure functions. NewFieldRecheck
// (stages/fields/field_extraction_stage.h) gives CheckAgainWithOtherFields
// with field extraction's catalog and options.
#pragma once

#include <string>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/document.h"
#include "stages/fields/field_lexicon.h"

namespace sohoa {

// The bar for free text (see FieldBar). Tesseract's confidence does not
// tell right free text from wrong: on the tuning layouts and the sample
// batch both sit at 0.96 ("Bố sung" for "Bổ sung" 0.962, "Bệnh phối" 0.962,
// right values 0.959-0.970), so the bar is above every reading measured and
// free text is, in effect, confirmed by a person; README "Field extraction
// on layouts nobody here designed". (A place the gazetteer vouches for
// counts at the same, kGazetteerConfirmed in field_evidence.h.)
inline constexpr double kFreeTextConfidence = 0.97;
// A closed-form value's bar, and a checked name's, as a share of
// review_confidence (0.80 -> 0.40), chosen from measured precision on the
// tuning layouts, seeds 1-7 (every value read without a problem, against
// the truth): the wrong dates, IDs, numbers and checked names read below
// the old bars were read at 0.33 or less (a number "5" for 50 at 0.33, a
// year "1909" at 0.29, "HÃNG" for HẰNG at 0.29); between 0.40 and the old
// bars were 40 closed-form values and 9 names, all right. The bar is the
// next tenth above the highest wrong. (Two wrong ones read higher, "167"
// for 107 at 0.60 and a year at 0.85, are caught by other checks, as
// before.) Figures the two readers dispute are held at 0.30
// (stages/page/figure_reread.h), below it: they stay a person's, unless
// the second reader was very sure (FigureRereadOptions::vouch_confidence).
inline constexpr double kClosedFormShare = 0.5;

// A closed-form value's bar: kClosedFormShare of review_confidence.
double ClosedFormBar(double review_confidence);

// A name that passed its checks — surname on the list, every other word a
// known syllable (ApplyLexicon, NameConfidence) — measured as the closed
// forms are (kClosedFormShare): no checked name wrong above 0.29 on the
// tuning layouts; 9 right ones at 0.40-0.79 went to a person at 0.80.
double NameBar(double review_confidence);

// The bar a value's confidence must clear, by how much else vouches for it.
// Free text (a cause of death, a purpose) has nothing to check it against
// but OCR's own confidence, which on the tuning layouts was wrong at
// 0.82-0.92 ("Bệnh phối", "Suytim", "Đột quy"): a higher bar. A closed
// form — a date, a personal ID, a number, a book number, a sex (strict
// validators and the cross-checks), an ethnic group or nationality (closed
// lexicons) — needs less (kClosedFormShare). Names and places (open sets;
// a lexicon checks only the surname, the gazetteer only what it knows)
// keep review_confidence.
double FieldBar(const FieldSpec& f, const FieldLexicons& lexicons, double review_confidence);

// The value's problem with the other fields of `doc` as context ("" when
// none): its validator given the printed sex and birth date, the order
// against not_before_field / not_after_field, the age on age_at's date, the
// book's year, the ID's province against the registration place, the end
// of a validity against its start. A field with a problem gives no context.
// *unverified when a check lacked its context.
std::string CheckWithOtherFields(const FieldSpec& f, const DocTypeSpec& spec, const std::string& value,
                                 const Document& doc, const ProvinceLexicon& provinces,
                                 const std::string& today, bool* unverified);

// Records the outcome of CheckWithOtherFields on the field: a problem cuts
// the confidence to a third (keeping the confidence before it, so the check
// can be made again); a check that lacked its context, to nine tenths.
void ApplyCheckWithOtherFields(const std::string& problem, bool unverified, FieldValue& v);

// The review reason a found field gives: its problem, or its confidence
// below `bar`; "" when neither.
std::string FieldReason(const std::string& key, const FieldValue& v, double bar);

// After another stage changed field values of `doc` (the register settling
// a registration date): each field that failed its check with the other
// fields is checked again with the values as they are now; its problem,
// confidence and review reason follow.
void CheckAgainWithOtherFields(const DocTypeSpec& spec, const FieldLexicons& lexicons,
                               double review_confidence, const std::string& today, Document& doc);

}  // namespace sohoa
