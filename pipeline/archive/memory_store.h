// An archive store in memory (issue 16), in the way LevelDB's memenv keeps a
// file system in memory: the same contract as the folder store
// (pipeline/archive/archive_store.h), no disk. The tests run the BagIt code
// and the run's sink on it, alone or inside a fault-injecting wrapper
// (tests/support/fault_injecting_store.h), so that a full disk, a failed
// write or a lost fsync can be had at an exact point without a real failing
// disk. Publish still takes a staged file from the local disk (that is what
// stages write) and deletes it, as the folder store does.
#pragma once

#include <memory>

#include "pipeline/archive/archive_store.h"

namespace sohoa {

std::unique_ptr<ArchiveStore> NewMemoryStore();

}  // namespace sohoa
