// `sohoa export`: the ledger as JSON Lines, one object per input the ledger
// knows (schemas/export.schema.json). Stable field names; later issues add
// fields, never rename them.
#pragma once

#include <ostream>
#include <string>

#include "pipeline/ledger.h"

namespace sohoa {

Status ExportJsonLines(Ledger& ledger, std::ostream& out);

// Opens the ledger of an existing archive (kNotFound if there is none, rather
// than creating an empty archive where the user mistyped a path).
StatusOr<std::unique_ptr<Ledger>> OpenArchiveLedger(const std::string& archive_dir);

}  // namespace sohoa
