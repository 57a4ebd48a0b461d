// A place whose units OCR damaged, rebuilt from the gazetteer (issue 14).
//
// On the tuning layouts a third of the wrong field values were places, and
// in many of them every unit's name was still legible while something
// around it was not: a type word garbled ("NHận Mê Linh", "KẾ: Nghi
// Xuân"), a hyphen or a comma inside a name ("Cẩm-Xuyên", "Tiên, Lãng"), a
// stray letter ("huyện j An Lão"), one letter lost ("Cẩm Xuên"). Such a
// place fails the unit checks (place_units.h, Gazetteer::CheckUnits) and
// goes to a person with the damaged text. When the province is known and
// the district's name can be found in the reading within one edit of
// exactly one district the gazetteer lists there — and the commune's, when
// the reading names one, within one edit of exactly one commune of that
// district —, the units are rewritten as the gazetteer prints them. What
// comes before them (an institution, a hamlet, a house) stays as read.
// A district read past an edit ("huyện Tiên Đà)", "huyện Cẩm XÓN") is still
// told when exactly one district of the province fits what surrounds it:
// the commune, spelled exactly, is listed in that district only and one of
// the district's syllables stands where it was read; or the first word
// after the district's type word opens that district's name only, with as
// many words read as the name has.
//
// A rebuilt place is a reading made good: the caller records what was read
// (FieldValue::corrected_from) and sends the value to a person, who then
// confirms instead of retyping — unless every word of it is vouched for by
// the gazetteer (RebuildDamagedPlace, stages/fields/field_evidence.h).
//
// Thread-safety: a pure function over immutable lexicons.
#pragma once

#include <optional>
#include <string>

#include "stages/fields/field_lexicon.h"

namespace sohoa {

// The place with its units as the gazetteer prints them, or nullopt when
// the reading cannot be matched to one chain of units unambiguously, or
// when the rebuilt text is the reading itself.
// "Ủy ban nhân dân xã Tiền Phong, NHận Mê Linh, thành phố Hà Nội" ->
// "Ủy ban nhân dân xã Tiền Phong, huyện Mê Linh, thành phố Hà Nội".
std::optional<std::string> RebuildPlaceFromGazetteer(const FieldLexicons& lexicons, const std::string& place);

}  // namespace sohoa
