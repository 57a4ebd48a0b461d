// Evidence about an extracted value beyond Tesseract's word confidence
// (issue 14), each a small check the field extractor applies after
// normalisation (stages/fields/field_extraction_stage.cc):
//   - lexicons (stages/fields/field_lexicon.h): the value is an entry, or is
//     corrected to the one entry it is unambiguously close to (recorded in
//     FieldValue::corrected_from), or goes to a person;
//   - the province of a place ("..., tỉnh Hà Tình" -> "Hà Tĩnh"), corrected
//     the same way;
//   - the personal ID's first three digits against the province where the
//     birth was registered;
//   - a value printed twice (the number in the header and in the body) must
//     read the same both times.
// Each returns "" when the value passes, else the problem (a short English
// phrase for the review reason).
//
// Thread-safety: pure functions over immutable lexicons.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "stages/fields/field_lexicon.h"
#include "stages/fields/name_confidence.h"

namespace sohoa {

// `lexicon` is a FieldSpec::lexicon name. For "surnames" the first word of
// the (upper-case) name is looked up and corrected, and every other word
// must be spelled as a known syllable of middle and given names or a
// surname (FieldLexicons::name_syllables), else the name is a person's to
// confirm (a rare real name exists): a word with the letters of exactly one
// syllable and of no surname, its marks aside ("HÃNG": HẰNG), is written as
// that one for them, the reading recorded. For the others the whole value
// is looked up. An empty value (a person "không có thông tin") passes.
std::string ApplyLexicon(const FieldLexicons& lexicons, const std::string& lexicon, FieldValue* value);

// A marital status in one of its standard phrasings ("Chưa đăng ký kết hôn
// với ai.", "Đang có vợ/chồng là <NAME>."), read with at most two skeleton
// edits in the fixed words, is rewritten in them (recorded) and *matched is
// set: the phrasing vouches for its words. The name in it must follow
// "là" read as its letters, and is checked as a name field's value is
// (ApplyLexicon "surnames": surname and every syllable; corrected or a
// problem), so the phrasing never vouches for a name that alone would go
// to a person. A divorce in the wording of the Ministry's guidance ("Đã
// đăng ký kết hôn, nhưng đã ly hôn theo Bản án|Quyết định số N ngày D của
// Tòa án nhân dân DISTRICT; hiện tại chưa đăng ký kết hôn với ai.") is
// matched too when its slots vouch for each other: the judgment's number
// N/YYYY/CODE is of its date's year, the date is real, the court's district
// one the gazetteer lists, spelled exactly. Other wordings are left as
// read, free text. Returns the problem, "" when none.
std::string MatchMaritalStatus(const FieldLexicons& lexicons, FieldValue* value, bool* matched);

// A free-text value that is one of its field's standard phrases
// (FieldLexicons::Phrases: causes of death, what a certificate is for) but
// for diacritics, case, spaces and punctuation — "Bệnh phối mạn tính",
// "Suytim", "Đột quy", "Làm thử tục xuất cảnh", each read at 0.90-0.96 on
// the tuning layouts — is rewritten in the phrase (recorded) and *matched
// is set: the phrase vouches for its words. A letter more or less, a word
// run on ("... nhà đất ngày 6 tháng 2"), or a phrase not in the list is
// left as read, free text, a person's to confirm. Never a problem.
void MatchStandardPhrase(const Lexicon& phrases, FieldValue* value, bool* matched);

// Corrects the province a place ends with to its lexicon spelling when OCR
// damaged it and the match is unambiguous; records the correction. Never a
// problem: a place that names no known province is left as read.
void CorrectPlaceProvince(const ProvinceLexicon& provinces, FieldValue* place);

// Cuts a place that ran on after its province into another place
// (CutPlaceAtProvince, stages/fields/place_units.h); records the reading.
void CutPlaceRunOn(const ProvinceLexicon& provinces, FieldValue* place);

// The place's district and commune against the gazetteer
// (Gazetteer::CheckUnits): a misspelling in diacritics only is corrected and
// recorded; a unit the province or district does not have is the problem
// returned.
std::string CheckPlaceInGazetteer(const FieldLexicons& lexicons, FieldValue* place);

// Confidence of a place whose every word the gazetteer vouches for
// (GazetteerVouchesFor): free text's bar (kFreeTextConfidence, field_checks.h).
inline constexpr float kGazetteerConfirmed = 0.97f;

// Printed as a certificate prints a place: a space after every comma and
// none before it, the province's part (after the last comma) opening with
// its type word ("tỉnh", "thành phố"). Gazetteer::Confirms reads units
// between commas whatever the spacing, and a province by its name alone:
// what it confirms is vouched for only when printed so ("…, huyện Nhà Bè,
// Hồ Chí Minh" lost its "thành phố" to OCR).
bool PrintedAsAPlace(const std::string& place);

// Every word of `place` is an institution or a unit inside the next
// (Gazetteer::Confirms), printed as a place is (PrintedAsAPlace).
bool GazetteerVouchesFor(const FieldLexicons& lexicons, const std::string& place);

// A place with `problem` (non-empty) whose units can still be matched to
// the gazetteer's (RebuildPlaceFromGazetteer, place_rebuild.h) is rewritten
// with them and the reading recorded. When the rebuilt place is, word for
// word, an institution a certificate names and a chain of real units the
// gazetteer confirms (Gazetteer::Confirms), printed as such a place is —
// ", " between its parts, the province with its type word — the unique
// close match is a lexicon correction like any other: no problem, and the
// gazetteer's confidence (kGazetteerConfirmed). On the tuning layouts
// (seeds 1-23) 16 of 38 rebuilt places were such and 7 more homes (below),
// all right; the 7 wrong
// rebuilds had junk kept before the institution or the hamlet, a comma
// without its space, or a province without "thành phố". Any other rebuilt
// place gets the problem "read as …, the units taken from the gazetteer",
// a person's to confirm (what comes before an institution, a hamlet, a
// house, is no unit and nothing vouches for it) — unless it is a home and
// its hamlet ("Tại nhà, Thôn 5, "), every word of it the first of the OCR
// `words` the place was read from, each read at `bar` or more: what OCR
// vouches for in any place, before what the gazetteer vouches for (the
// confidence is then the lower of the two). Returns the place's problem
// after: `problem` itself when nothing was rebuilt.
std::string RebuildDamagedPlace(const FieldLexicons& lexicons, const std::string& problem,
                                const std::vector<ReadWord>& words, double bar, FieldValue* place);

// Corrects the institution a place starts with ("Trung tẩm Y tế huyện …")
// to its spelling among PlaceInstitutions() when the two differ only in
// diacritics (the same letters folded, not the same letters in small case),
// and its first letter to a capital; records the correction. The institutions fold to distinct strings, so
// the match is never ambiguous. "Uỷ ban nhân dân" (the older placement of the mark) is a spelling, not an
// error. Its letters misread too ("Ủy bari nhân dân", read at 0.90 and
// archived so on held-back seed 53 once the register had settled the rest
// of that document): corrected to the one institution of 10 letters or more
// within 2 edits of the place's first words, every other at least 3 edits
// further.
void CorrectPlaceInstitution(FieldValue* place);

// The ID's province digits against the province the registration place
// names. *unverified when the place names no province.
std::string CheckRegistrationProvince(const ProvinceLexicon& provinces, const std::string& id,
                                      const std::string& place, bool* unverified);

// A place on a civil-status paper ends with its province ("…, tỉnh Hà
// Tĩnh", "Bệnh viện Đa khoa thành phố Hải Phòng"). A reading that names
// none — a label's tail taken for the value ("khai sinh" after "Nơi đăng
// ký"), a fragment — cannot be vouched for by OCR's confidence: a problem.
std::string CheckPlaceNamesProvince(const ProvinceLexicon& provinces, const std::string& place);

// Every reading of a value printed more than once must agree.
std::string CheckPrintedTwice(const std::vector<std::string>& readings);

// A birth date (ISO) against the date `on` (ISO) of field `on_field`
// (FieldSpec::age_at): the holder's age in whole years on that day must be
// min_years..max_years — a wife of 110 on her wedding day, a man dead at
// 1000 are years misread (tuning seeds: "1996" read as "1909" at 0.96).
// "" when it is, or when either date is not YYYY-MM-DD.
std::string CheckAgeAt(const std::string& birth, const std::string& on, const std::string& on_field,
                       int min_years, int max_years);

}  // namespace sohoa
