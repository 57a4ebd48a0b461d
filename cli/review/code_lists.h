// The code lists behind the keying station's type-ahead (issue 18), read
// once when `sohoa review` starts from the lexicons the field extraction
// already uses (schemas/lexicons: derived from the statistics office's list
// of administrative units, see ATTRIBUTION.md there): no second copy of the
// gazetteer ships.
//
// JSON: {provinces: [name], districts: [[name, province index]], communes:
// [[name, district index]], institutions: [name], ethnic_groups:
// [[printed, other spellings...]], nationalities and surnames: [[...]], sexes: [[name,
// template code]]}. Names are printed forms with their type in lower case
// ("xã Tiền Phong", "huyện Mê Linh", "thành phố Hà Nội"), as places are
// written; the browser builds the chains ("xã Tiền Phong, huyện Mê Linh,
// thành phố Hà Nội"). About 400 kB for the 10,047 communes.
//
// Errors: kConfiguration naming the file that cannot be read.
#pragma once

#include <string>

#include "pipeline/core/status.h"

namespace sohoa::cli {

// `lexicons_dir`: "" for the folder beside DefaultDocTypesDir().
StatusOr<std::string> CodeListsJson(const std::string& lexicons_dir);

}  // namespace sohoa::cli
