#include "stages/fields/field_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "pipeline/core/reason.h"
#include "stages/fields/field_evidence.h"
#include "stages/fields/field_normalize.h"

namespace sohoa {
namespace {

// A problem cuts a value's confidence to this share.
constexpr float kProblemShare = 0.3f;
// A check that lacked its context (an ID without a printed sex) to this.
constexpr float kUnverifiedShare = 0.9f;

// A field's value as context for another's check: "" when not found or
// when it has a problem of its own.
std::string ContextValue(const Document& doc, const std::string& key) {
  if (key.empty()) return "";
  auto it = doc.fields.find(key);
  return it == doc.fields.end() || !it->second.problem.empty() ? "" : it->second.value;
}

// {"confidence", "0.79"}, {"minimum", "0.80"}: a confidence below its
// threshold, printed so that the comparison is true as printed (rounding
// both to 2 decimals once gave "0.80 < 0.80"). The threshold is printed
// exactly (2 to 6 decimals, else rounded up at 6), the confidence rounded
// down at the same precision.
MessageParams ConfidenceBelow(double value, double threshold) {
  int decimals = 2;
  double scale = 100;
  while (decimals < 6 && std::abs(threshold * scale - std::round(threshold * scale)) > 1e-9) {
    ++decimals;
    scale *= 10;
  }
  const double shown_threshold = std::ceil(threshold * scale - 1e-9) / scale;
  const double shown_value = std::floor(value * scale) / scale;
  char shown[2][32];
  std::snprintf(shown[0], sizeof shown[0], "%.*f", decimals, shown_value);
  std::snprintf(shown[1], sizeof shown[1], "%.*f", decimals, shown_threshold);
  return {{"confidence", shown[0]}, {"minimum", shown[1]}};
}

}  // namespace

double ClosedFormBar(double review_confidence) { return review_confidence * kClosedFormShare; }

double NameBar(double review_confidence) { return ClosedFormBar(review_confidence); }

double FieldBar(const FieldSpec& f, const FieldLexicons& lexicons, double review_confidence) {
  // A phrase lexicon vouches only for the values it matched (EvidenceOf);
  // any other wording is free text.
  const bool phrases = f.lexicon == "marital_status" || lexicons.Phrases(f.lexicon) != nullptr;
  const bool unchecked = f.normalizer == "text" && (f.lexicon.empty() || phrases) &&
                         (f.validator == "nonempty" || f.validator == "none");
  if (unchecked) return std::max(review_confidence, kFreeTextConfidence);
  static const std::set<std::string> kStrictValidators = {"date", "personal_id", "number", "book", "sex"};
  static const std::set<std::string> kClosedLexicons = {"ethnic_groups", "nationalities"};
  if (kStrictValidators.count(f.validator) || kClosedLexicons.count(f.lexicon))
    return ClosedFormBar(review_confidence);
  if (f.lexicon == "surnames") return NameBar(review_confidence);
  return review_confidence;
}

std::string CheckWithOtherFields(const FieldSpec& f, const DocTypeSpec& spec, const std::string& value,
                                 const Document& doc, const ProvinceLexicon& provinces,
                                 const std::string& today, bool* unverified) {
  ValidationContext context;
  context.today = today;
  context.sex = f.sex.empty() ? ContextValue(doc, f.sex_field) : f.sex;
  context.birth_date = ContextValue(doc, f.birth_date_field);
  std::string problem = ValidateField(f.validator, value, context, unverified);
  const std::string before = ContextValue(doc, f.not_before_field);
  const std::string after = ContextValue(doc, f.not_after_field);
  if (problem.empty() && !before.empty() && value < before)
    problem = value + " is before " + f.not_before_field + " " + before;
  if (problem.empty() && !after.empty() && value > after)
    problem = value + " is after " + f.not_after_field + " " + after;
  if (problem.empty() && !f.age_at.field.empty())
    problem = CheckAgeAt(value, ContextValue(doc, f.age_at.field), f.age_at.field, f.age_at.min_years,
                         f.age_at.max_years);
  const std::string book = ContextValue(doc, f.book_field);
  if (problem.empty() && book.size() >= 4 && value.size() >= 4 &&
      book.substr(book.size() - 4) != value.substr(0, 4)) {
    problem = value + " is not in the year of " + f.book_field + " " + book;
  }
  if (problem.empty() && !f.registration_place_field.empty()) {
    bool place_unverified = false;
    problem = CheckRegistrationProvince(provinces, value, ContextValue(doc, f.registration_place_field),
                                        &place_unverified);
    if (unverified != nullptr) *unverified = *unverified || place_unverified;
  }
  if (problem.empty() && f.key == spec.validity.until_field && spec.validity.months > 0) {
    std::optional<std::string> expected =
        AddMonths(ContextValue(doc, spec.validity.from_field), spec.validity.months);
    if (expected && *expected != value) {
      problem = "valid until " + value + " but " + spec.validity.from_field + " + " +
                std::to_string(spec.validity.months) + " months is " + *expected;
    }
  }
  return problem;
}

void ApplyCheckWithOtherFields(const std::string& problem, bool unverified, FieldValue& v) {
  if (!problem.empty()) {
    v.problem = problem;
    v.confidence_before_check = v.confidence;
    v.confidence *= kProblemShare;
  } else if (unverified) {
    v.confidence *= kUnverifiedShare;
  }
}

std::string FieldReason(const std::string& key, const FieldValue& v, double bar) {
  if (!v.problem.empty()) return ReasonText("field.check_failed", {{"field", key}, {"problem", v.problem}});
  if (v.confidence >= bar) return "";
  MessageParams params = {{"field", key}, {"value", v.value}};
  for (auto& p : ConfidenceBelow(v.confidence, bar)) params.push_back(std::move(p));
  return ReasonText("field.low_confidence", params);
}

void CheckAgainWithOtherFields(const DocTypeSpec& spec, const FieldLexicons& lexicons,
                               double review_confidence, const std::string& today, Document& doc) {
  for (const FieldSpec& f : spec.fields) {
    auto it = doc.fields.find(f.key);
    if (it == doc.fields.end() || it->second.confidence_before_check < 0) continue;
    FieldValue& v = it->second;
    const double bar = FieldBar(f, lexicons, review_confidence);
    const std::string old_reason = FieldReason(f.key, v, bar);
    v.problem.clear();
    v.confidence = v.confidence_before_check;
    v.confidence_before_check = -1;
    bool unverified = false;
    const std::string problem =
        CheckWithOtherFields(f, spec, v.value, doc, lexicons.provinces, today, &unverified);
    ApplyCheckWithOtherFields(problem, unverified, v);
    const std::string new_reason = FieldReason(f.key, v, bar);
    if (new_reason == old_reason) continue;
    auto& reasons = doc.review_reasons;
    reasons.erase(std::remove(reasons.begin(), reasons.end(), old_reason), reasons.end());
    if (!new_reason.empty()) reasons.push_back(new_reason);
  }
}

}  // namespace sohoa
