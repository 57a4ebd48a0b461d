// The administrative units a place is written with, as evidence about a
// reading of it (issue 14; each rule found on the tuning layouts).
//
// A place on a civil-status paper names its units from the smallest to the
// province, each in its own comma-separated part that starts with its type
// word: "Ủy ban nhân dân xã Tam Hiệp, huyện Châu Thành, tỉnh Bến Tre",
// "Tại nhà, Thôn 4, xã Phước Kiển, huyện Nhà Bè, thành phố Hồ Chí Minh",
// "Bệnh viện Đa khoa tỉnh Bến Tre". What comes before the first unit (an
// institution, a hamlet, a house) is free; from the first unit on the
// chain is strict, so a reading that breaks it is damaged.
//
// Thread-safety: pure functions over an immutable lexicon.
#pragma once

#include <string>

#include "stages/fields/field_lexicon.h"

namespace sohoa {

// "" when the units of `place` make a chain, else the problem:
//  - a part after the first unit that starts with no type word is a unit
//    that lost words ("xã Tam Hiệp, Thành, tỉnh Bến Tre": "huyện Châu" was
//    read as a line of its own); the last part may be a province's bare
//    name ("…, huyện Mê Linh, Hà Nội");
//  - a unit no larger than one before it in the same part, or smaller than
//    one in an earlier part, is a second place run on ("Bệnh viện Đa khoa
//    tỉnh Bến Tre xã Tam Hiệp, …": a table's next row read into this cell).
//    Units growing inside a part ("huyện Mê Linh thành phố Hà Nội", a comma
//    lost) and a city in a city ("thành phố Thủ Đức, thành phố Hồ Chí
//    Minh") are no problem;
//  - a People's Committee, a health station or a health centre not followed
//    by its unit's type word ("Ủy ban nhân dân xã-Hòa Tiến");
//  - a colon anywhere, or a mark alone between words ("huyện Tân Kỳ, -
//    tỉnh Nghệ An", "kết hôn: Ủy ban …").
// Type words are those of communes, districts and provinces (also "TP.",
// "Q.", "P.", "TX.", "TT."); inside a part only in small letters, as printed
// (a capitalised "Xã" mid-part is a name).
std::string CheckPlaceUnits(const ProvinceLexicon& provinces, const std::string& place);

// Does a place read so far end with its province ("…, tỉnh Bến Tre", "Bệnh
// viện Đa khoa thành phố Hải Phòng", "…, Hà Nội")? A province is always a
// place's last unit: a line after it is another field's (a table's next
// row), not the place wrapping. A reading ending with a comma or a dash
// goes on.
bool PlaceEndsWithProvince(const ProvinceLexicon& provinces, const std::string& place);

// When the first unit run on after a province ("Bệnh viện Đa khoa tỉnh Bến
// Tre xã Tam Hiệp, huyện Châu Thành, tỉnh Bến Tre"), the place as far as
// that province ("Bệnh viện Đa khoa tỉnh Bến Tre"); else `place` unchanged.
std::string CutPlaceAtProvince(const ProvinceLexicon& provinces, const std::string& place);

}  // namespace sohoa
