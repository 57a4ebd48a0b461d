#include "cli/review/json_body.h"

#include <string>

#include "pipeline/core/error_text.h"

namespace sohoa::cli {

StatusOr<nlohmann::json> ParseJsonBody(std::string_view body, size_t max_bytes, int max_depth) {
  if (body.size() > max_bytes) {
    return Status::TooLarge("the request body is over " + std::to_string(max_bytes) + " bytes");
  }
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return Status::InvalidInput("the JSON body nests arrays or objects deeper than " +
                                    std::to_string(max_depth) + " levels");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidInput("the request body is not valid JSON");
  return parsed;
}

nlohmann::json ErrorBody(const std::string& code, const std::string& message) {
  return {{"error", message},
          {"error_in", {{"vi", ErrorInLang(message, UiLang::kVi)}, {"en", message}}},
          {"code", code}};
}

}  // namespace sohoa::cli
