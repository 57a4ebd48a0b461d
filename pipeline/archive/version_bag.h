// A new version of one archived document, in a bag of its own (issue 9's
// review station, issue 21's `sohoa reseal`): the old version stays untouched
// in its completed bag (bag.h: nothing under bags/ is modified in place), the
// new one is a new, complete BagIt bag
//   bags/<kind>-<time>-<sha[0:8]>-<random>/data/<sha[0:2]>/<sha>.pdf
// (and <sha>.json when a sidecar is given), and the ledger's details then
// point "pdf" (and "fields") at it, the older outputs kept as "pdf_v<N>" /
// "fields_v<N>" so `sohoa verify` still accounts for every file.
//
// The PDF is staged in a private folder of the system's temporary directory,
// not in <archive>/staging, which a `sohoa run` starting meanwhile empties.
// Every failure removes what was written of the bag (tag manifest first:
// a crash part way never leaves a bag that says it is complete without its
// payload); so does RemoveVersionBag, for a caller whose ledger update is
// refused after the bag was written.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "pipeline/archive/archive_store.h"
#include "pipeline/archive/bag.h"
#include "pipeline/core/status.h"

#include <nlohmann/json.hpp>

namespace sohoa {

struct VersionBagRequest {
  std::string kind;        // the bag name's first word: "review", "reseal"
  std::string sha256;      // the input's
  std::string source_pdf;  // archive-relative path of the version being replaced
  // Writes the new PDF at the local path `target` from the old one at `source`.
  std::function<Status(const std::string& source, const std::string& target)> write_pdf;
  std::string sidecar_json;  // "" = no sidecar; else <sha>.json's bytes
  // bag-info.txt: who made the version, with what, when; pages of the document.
  std::string contact_name, software_agent;
  int64_t unix_time = 0;
  int pages = 0;
};

struct VersionBag {
  std::string name;  // "<kind>-20261205T021500Z-ab12cd34-9f3e"
  BagFile pdf;       // bag-relative path, hash, size
  BagFile sidecar;   // path empty when there is none
  // Archive-relative ("bags/<name>/data/…").
  std::string PdfKey() const;
  std::string SidecarKey() const;
};

// Errors: the source PDF unreadable through the store, write_pdf's own
// error (with context "writing the new PDF version"), publishing or bagging
// failures. Nothing of the bag is left behind on error.
StatusOr<VersionBag> WriteVersionBag(ArchiveStore& store, const VersionBagRequest& request);

// Removes a bag WriteVersionBag wrote (its ledger record was refused).
void RemoveVersionBag(ArchiveStore& store, const std::string& name);

// `outputs` (the ledger details' "outputs") with the current `role` kept as
// the next free "<role>_v<N>" and `role` set to {path, sha256, bytes} of `file`.
void ReplaceOutput(nlohmann::json& outputs, const std::string& role, const std::string& key,
                   const BagFile& file);

}  // namespace sohoa
