// `sohoa export`: the ledger as JSON Lines, one object per input the ledger
// knows (schemas/export.schema.json). Stable field names; later issues add
// fields, never rename them.
#pragma once

#include <ostream>
#include <string>

#include "pipeline/ledger/ledger.h"

namespace sohoa {

Status ExportJsonLines(Ledger& ledger, std::ostream& out);

}  // namespace sohoa
