// Who may read the archive. Civil-status records are sensitive personal data
// (Decree 13/2023): archive files are 0640 and folders 0750, the ledger too,
// whatever umask the operator's shell or service has, and readable by the
// group only when one is configured for auditors (--archive-group).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

// The umask every sohoa process runs under (set first thing in main): the
// files it creates are at most 0640, folders 0750. Independent of the
// caller's umask, so a service started with the usual 022 does not publish
// citizens' records to every account on the server.
constexpr mode_t kArchiveUmask = 0027;

// Makes `archive` (which must exist) 0750, owned by `group` when it is not
// empty; with a group the folder is set-group-ID (2750), so every file and
// folder created in it from then on belongs to that group. kConfiguration
// when the group does not exist or this account may not give the folder to
// it (it must be one of its groups).
Status SetArchiveAccess(const std::string& archive, const std::string& group);

// Files and folders under `archive` (the archive itself included) that every
// account may read (the "other" read bit): archive-relative names, sorted,
// at most `limit` of them; `*count` gets how many there are in all.
std::vector<std::string> ReadableByOthers(const std::string& archive, size_t limit, size_t* count);

}  // namespace sohoa
