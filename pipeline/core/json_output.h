// Every JSON document sohoa writes (export, report, verify, logs, ledger
// details, sidecars) goes through DumpJson. nlohmann::json::dump() throws
// type_error.316 on a string that is not UTF-8, and an exception escaping a
// writer aborted `sohoa export` for the whole archive (issue 25). Names are
// made UTF-8 before they get here (pipeline/core/file_name.h: DisplayName, with
// the raw bytes kept as hex); anything that still is not is written with
// U+FFFD in place of the bad bytes rather than abort the process.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sohoa {

// `indent` as in nlohmann::json::dump (-1: one line).
inline std::string DumpJson(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sohoa
