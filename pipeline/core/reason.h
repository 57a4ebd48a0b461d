// Review reasons as messages: an id ("field.low_confidence") with named
// parameters ({"field": "ho_ten", "value": "…", …}), so that any language
// can say them, now or later, from what the ledger keeps.
//
// Each kind of reason has two English texts, both msgids of the catalogue
// (pipeline/core/catalog.h):
//   - its full text, exactly what the stages have always written and the
//     ledger's `reason` column and details' `review_reasons` keep (the
//     review station shows it: it names the value in doubt);
//   - its text for people who must not see values (the run log, `sohoa
//     status`, `sohoa report`): the file, the field key and the kind of
//     doubt, never a name, ID or date read from the document (Decree
//     13/2023). Parameters that are values ({value}, {problem}, {label},
//     {type_name}) never appear in it.
//
// Stages build a reason's text with ReasonText(id, params); the archive
// sink stores each reason's machine form (ReasonToJson of ParseReason) in
// the ledger's details as `review_reason_ids`, beside `review_reasons`.
// ParseReason is the inverse of ReasonText over the same table, so texts
// written before reasons had ids (old ledgers) are recognised too; a text no
// kind matches (a library's message, a stage's free text) is the reason
// "text" with the parameter {text} and is shown as written.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "pipeline/core/catalog.h"

namespace sohoa {

struct Reason {
  std::string id;        // "field.low_confidence"; "text" for free text
  MessageParams params;  // in the order the full text names them
};

// The full English text of reason `id` with `params` filled in. `id` must
// be one of the table's (pipeline/core/reason.cc); an unknown id is a bug
// and gives "<id>: k=v, …" so that it shows.
std::string ReasonText(const char* id, const MessageParams& params);

// The kind and parameters of one reason's full English text; {"text",
// {{"text", text}}} when no kind matches.
Reason ParseReason(const std::string& text);

// The ledger's machine form: {"id": "…", "params": {"name": "value", …}}.
nlohmann::json ReasonToJson(const Reason& reason);

// One reason for people: in `lang`, without the values it quotes. A free
// text is given as written, except that a "fields: …" text no kind matches
// is cut to its field key (it may quote a value).
std::string ReasonForPeople(const Reason& reason, UiLang lang);

// One reason's full text, values included, in `lang`: for the review
// station, whose reviewers are there to see the values. A free text, or
// a parameter that is a library's or a check's own words, stays as written.
std::string ReasonInFull(const std::string& text, UiLang lang);
// {"vi": [...], "en": [...]}: each of `reasons` in full in each language
// (the station switches language in the browser).
nlohmann::json ReasonsInEachLanguage(const std::vector<std::string>& reasons);

// `reasons` (one or several joined by "; ", as the ledger's `reason`
// column holds them) taken apart. A value that itself holds "; " splits its
// reason: the parts are put back together when they make one reason of a
// known kind; a part after a field reason that is no reason of its own (the
// rest of a value none of this recognised) is dropped.
std::vector<Reason> SplitReasons(const std::string& reasons);

// SplitReasons(reasons), each said for people in `lang`, joined by "; ".
std::string ReasonsForPeople(const std::string& reasons, UiLang lang);

// A ledger record's reasons go into its details as two lists, index for
// index: "review_reasons" (the full English texts) and "review_reason_ids"
// (their machine forms). Every writer of a record's reasons sets both here,
// so that neither goes stale.
void SetReviewReasons(const std::vector<std::string>& reasons, nlohmann::json* details);
// The details' "review_reason_ids"; taken from "review_reasons" for details
// written before reasons had ids.
nlohmann::json ReviewReasonIds(const nlohmann::json& details);

// Every msgid of the reason table, full and for people (tests check the
// catalogue translates each).
std::vector<const char*> ReasonMsgids();

}  // namespace sohoa
