#include "pipeline/core/archive_layout.h"

namespace sohoa {

bool SplitArchivePath(const std::string& archive_path, std::string* bag, std::string* relative) {
  const std::string prefix = std::string(kBagsDir) + "/";
  if (archive_path.rfind(prefix, 0) != 0) return false;
  const size_t slash = archive_path.find('/', prefix.size());
  if (slash == std::string::npos) return false;
  *bag = archive_path.substr(prefix.size(), slash - prefix.size());
  *relative = archive_path.substr(slash + 1);
  return !bag->empty() && relative->rfind("data/", 0) == 0;
}

}  // namespace sohoa
