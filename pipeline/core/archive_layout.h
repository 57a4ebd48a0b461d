// The archive's layout, by name: where its bags lie. The ledger records
// archive paths ("bags/<bag>/data/...") and indexes them by bag, so this
// sits below both the ledger and the archive code that writes the bags.
#pragma once

#include <string>

namespace sohoa {

inline constexpr const char* kBagsDir = "bags";

// Splits an archive path "bags/<bag>/data/..." into the bag name and the
// bag-relative path ("data/..."); false for a path outside the bags.
bool SplitArchivePath(const std::string& archive_path, std::string* bag, std::string* relative);

}  // namespace sohoa
