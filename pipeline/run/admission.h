// Admission: the first document stage of every run, owned by the pipeline
// because it speaks to the ledger. It hashes the input (its identity), checks
// the file did not change while being read (a scanner still writing), and
// claims it in the ledger. Inputs already archived, in review, duplicated
// within the batch or held by another live run are marked skipped with the
// reason; nothing further happens to them.
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/stage.h"
#include "pipeline/ledger/ledger.h"

namespace sohoa {

struct AdmissionOptions {
  std::string run_id;
  std::string staging_dir;  // documents' staged outputs go under here
  int lease_seconds = 6 * 3600;
};

// `ledger` must outlive the stage and its workers.
std::unique_ptr<DocumentStage> NewAdmissionStage(Ledger* ledger, const AdmissionOptions& options);

}  // namespace sohoa
