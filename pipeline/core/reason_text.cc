#include "pipeline/core/reason_text.h"

#include <vector>

namespace sohoa {
namespace {

constexpr const char* kFieldsPrefix = "fields: ";

// "fields: KEY …" -> "fields: KEY <kind>", or the reason itself when it
// quotes no value.
std::string OneReason(const std::string& reason) {
  if (reason.rfind(kFieldsPrefix, 0) != 0) return reason;
  const std::string rest = reason.substr(std::string(kFieldsPrefix).size());
  if (rest.rfind("required field ", 0) == 0 || rest.rfind("unknown document type", 0) == 0) return reason;
  const size_t end = rest.find_first_of(" :'");
  const std::string key = rest.substr(0, end);
  if (key.empty()) return std::string(kFieldsPrefix) + "a value needs checking";
  const bool low_confidence = reason.find(" read with confidence ") != std::string::npos;
  return kFieldsPrefix + key + (low_confidence ? " read with low confidence" : " failed a check");
}

}  // namespace

std::string ReasonWithoutValues(const std::string& reason) {
  // Reasons are joined with "; " (pipeline/run/archive_sink.h); a value that
  // itself holds "; " only makes a fragment that is not a field reason, and
  // fragments of a field reason are dropped below.
  std::string out;
  size_t start = 0;
  bool in_field_reason = false;
  while (start <= reason.size()) {
    size_t end = reason.find("; ", start);
    if (end == std::string::npos) end = reason.size();
    const std::string part = reason.substr(start, end - start);
    const bool field_reason = part.rfind(kFieldsPrefix, 0) == 0;
    // A fragment after a field reason that is not a reason of its own is the
    // rest of a quoted value: it goes with its reason.
    const bool fragment = !field_reason && in_field_reason && part.find(": ") == std::string::npos;
    if (!fragment) {
      if (!out.empty()) out += "; ";
      out += OneReason(part);
      in_field_reason = field_reason;
    }
    start = end + 2;
  }
  return out;
}

}  // namespace sohoa
