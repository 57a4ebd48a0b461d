#include "cli/review/field_checker.h"

#include "stages/fields/field_normalize.h"

namespace sohoa::cli {
namespace {

std::map<std::string, FieldVerdict> Check(const DocTypeSpec& spec,
                                          const std::map<std::string, std::string>& values,
                                          const std::string& today) {
  std::map<std::string, FieldVerdict> out;
  // Normalize first: validation reads the other fields' canonical values.
  for (const FieldSpec& f : spec.fields) {
    auto it = values.find(f.key);
    if (it == values.end()) continue;
    FieldVerdict& v = out[f.key];
    if (it->second.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    // The form shows the canonical values the pipeline stored; a canonical
    // date (YYYY-MM-DD) is not a printed one and is taken as it is.
    const size_t first = it->second.find_first_not_of(" \t"), last = it->second.find_last_not_of(" \t");
    const std::string trimmed = it->second.substr(first, last - first + 1);
    if (f.normalizer == "date" && IsIsoDate(trimmed)) {
      v.value = trimmed;
      continue;
    }
    const Normalized n = NormalizeField(f.normalizer, it->second);
    v.value = n.value;
    if (!n.ok()) v.problem = n.problem;
  }
  auto valid = [&](const std::string& key) -> std::string {
    auto it = out.find(key);
    return key.empty() || it == out.end() || !it->second.problem.empty() ? "" : it->second.value;
  };
  for (const FieldSpec& f : spec.fields) {
    auto it = out.find(f.key);
    if (it == out.end() || !it->second.problem.empty() || it->second.value.empty()) continue;
    FieldVerdict& v = it->second;
    ValidationContext context;
    context.today = today;
    context.sex = f.sex.empty() ? valid(f.sex_field) : f.sex;
    context.birth_date = valid(f.birth_date_field);
    std::string problem = ValidateField(f.validator, v.value, context, &v.unverified);
    const std::string before = valid(f.not_before_field), after = valid(f.not_after_field);
    if (problem.empty() && !before.empty() && v.value < before)
      problem = v.value + " is before " + f.not_before_field + " " + before;
    if (problem.empty() && !after.empty() && v.value > after)
      problem = v.value + " is after " + f.not_after_field + " " + after;
    if (problem.empty() && f.key == spec.validity.until_field && spec.validity.months > 0) {
      std::optional<std::string> expected = AddMonths(valid(spec.validity.from_field), spec.validity.months);
      if (expected && *expected != v.value) {
        problem = "valid until " + v.value + " but " + spec.validity.from_field + " + " +
                  std::to_string(spec.validity.months) + " months is " + *expected;
      }
    }
    v.problem = problem;
  }
  return out;
}

}  // namespace

FieldChecker NewFieldChecker() { return &Check; }

}  // namespace sohoa::cli
