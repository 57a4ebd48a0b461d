// The concrete stage list of a run, shared by `sohoa run` and `sohoa worker`
// (issue 8) so both run the same flow graph.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "cli/run_options.h"
#include "pipeline/graph/graph.h"
#include "pipeline/ledger/ledger.h"
#include "stages/signing/signing_stage.h"

namespace sohoa::cli {

// The fixed instant of --deterministic runs: 2021-07-28T14:05:09+07:00, the
// date of the commune plan.
inline constexpr int64_t kDeterministicTime = 1627455909;

struct StageSet {
  std::vector<std::unique_ptr<DocumentStage>> documents;
  std::vector<std::unique_ptr<PageStage>> pages;
  std::unique_ptr<DocumentSplitStage> splitter;  // register books into entries
  GraphStages graph;
};

// `open_ledger` opens the ledger the inventory match reads (the archive's
// SQLite file for `run`, the PostgreSQL ledger for `worker`). The signing
// stage is opened by the caller; null when signing is off.
StageSet BuildStageSet(const RunOptions& o, std::function<StatusOr<std::unique_ptr<Ledger>>()> open_ledger,
                       std::unique_ptr<DocumentStage> signing = nullptr, const SignerNames& signers = {});

}  // namespace sohoa::cli
