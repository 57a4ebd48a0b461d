// JSON request bodies of the review station, bounded before they are parsed
// (issue 15): a document nested 150,000 levels deep crashed the server by
// exhausting the stack of whatever walks it recursively (the parser, a copy,
// the destructor). The depth is counted by a flat scan, without recursion.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "pipeline/core/status.h"

namespace sohoa::cli {

// The parsed body. kTooLarge above `max_bytes`; kInvalidInput for arrays and
// objects nested deeper than `max_depth` or a body that is not JSON, with a
// message for the client.
StatusOr<nlohmann::json> ParseJsonBody(std::string_view body, size_t max_bytes, int max_depth);

// An error answer's body: {"error": message as the library wrote it
// (English), "error_in": {"vi": …, "en": …} the same in each language of the
// station (pipeline/core/error_text.h) for the page to show in its own,
// "code": code}.
nlohmann::json ErrorBody(const std::string& code, const std::string& message);

// The refusal of a body without the keys it needs: "expected " and their
// `shape` ({version, doc_type, fields, record_id}), a kind of the error table.
std::string ExpectedBody(const std::string& shape);

}  // namespace sohoa::cli
