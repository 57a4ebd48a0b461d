// Writes a .zip file with libzip: the one place sohoa calls that library.
// Members are taken from local files and stored without compression (PDFs
// and .xlsx files are compressed already; storing keeps a large book's
// package quick to write and to open). Paths inside are flat names.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct ZipMember {
  std::string name;        // the name inside the zip ("KS-01-2018-so-0012.pdf"), UTF-8
  std::string local_path;  // the file whose bytes it holds
};

// Writes `members` in order to `path` (replacing it); libzip reads each file
// only while the archive is written, so memory does not grow with the
// members' sizes. kInvalidInput for an empty or repeated name; kIoError
// naming the path or member when a file cannot be read or written. Not
// atomic: write to a temporary name and rename.
Status WriteZip(const std::string& path, const std::vector<ZipMember>& members);

}  // namespace sohoa
