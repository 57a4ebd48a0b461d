// The review station's field checks (issue 9): the pipeline's own
// normalizers and validators (stages/fields/field_normalize.h) applied to what a
// person typed, with the same cross-field context as field extraction: the
// personal ID against the printed sex and birth date, dates against their
// not-before / not-after fields, the validity period of results that expire.
#pragma once

#include "pipeline/review/review.h"

namespace sohoa::cli {

// Empty values are left empty without a problem (whether a field may be empty
// is the caller's rule: ReviewService refuses empty required fields).
FieldChecker NewFieldChecker();

}  // namespace sohoa::cli
