// The ledger's account of a bag (issue 26): what the ledger knew of the run
// whose bag this is, kept inside the bag so that a lost ledger can be rebuilt
// from the bags alone (pipeline/run/ledger_rebuild.h).
//
// A tag file `sohoa-ledger.jsonl`, listed in the bag's tag manifest (so
// `sohoa verify` re-hashes it), written when the bag is completed:
//
//   {"run": {run_id, started_at, finished_at, host, pid, input, state, counts}}
//   {"input": {sha256, source, also_seen_as, status, reason, pages, run_id,
//              updated_at, seconds, details}}        one per input, ledger order
//
// One "input" line for every input whose outcome this run recorded:
// archived, review *and quarantined* (the only place a quarantine outcome
// survives outside the ledger; a run that only quarantined gets a bag with
// an empty payload for it).
//
// Personal data: the lines hold what the ledger holds about the outcome —
// hashes, file names, reasons, page facts, timings, the document type, the
// register record id, the signers — but not the extracted field values, the
// holder ID or the result code: those stay only in the payload (fields.json,
// the PDF's XMP), where the rebuild reads them back. Field confidences stay,
// as numbers, so a rebuilt export shows them unrounded.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/core/status.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

inline constexpr const char* kBagLedgerFile = "sohoa-ledger.jsonl";

// The account of run `run_id` (its bag's name) as the ledger knows it now;
// empty when the ledger has no outcome and no run of that name.
StatusOr<std::string> BagLedgerText(Ledger& ledger, const std::string& run_id);

// `details` (a record's details_json, parsed) without the values of
// extracted fields, the holder ID and the result code: see above.
nlohmann::json DetailsWithoutPersonalData(const nlohmann::json& details);

// Puts back into `details` what DetailsWithoutPersonalData took out, from
// the document's fields sidecar (`fields_json`, the JSON the field stage or
// the review station wrote into the payload).
void RestorePersonalData(const nlohmann::json& fields_json, nlohmann::json* details);

}  // namespace sohoa
