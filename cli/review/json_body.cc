#include "cli/review/json_body.h"

#include <string>

#include "pipeline/core/error_text.h"

namespace sohoa::cli {

StatusOr<nlohmann::json> ParseJsonBody(std::string_view body, size_t max_bytes, int max_depth) {
  if (body.size() > max_bytes) {
    return Status::TooLarge(ErrorText("request.body_too_large", {{"max", std::to_string(max_bytes)}}));
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
        return Status::InvalidInput(ErrorText("request.too_deep", {{"max", std::to_string(max_depth)}}));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::InvalidInput(ErrorText("request.not_json", {}));
  return parsed;
}

std::string ExpectedBody(const std::string& shape) {
  return ErrorText("request.expected", {{"shape", shape}});
}

nlohmann::json ErrorBody(const std::string& code, const std::string& message) {
  return {{"error", message},
          {"error_in", {{"vi", ErrorInLang(message, UiLang::kVi)}, {"en", message}}},
          {"code", code}};
}

}  // namespace sohoa::cli
