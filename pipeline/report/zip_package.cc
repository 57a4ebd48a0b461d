#include "pipeline/report/zip_package.h"

#include <zip.h>

#include <set>

namespace sohoa {

Status WriteZip(const std::string& path, const std::vector<ZipMember>& members) {
  std::set<std::string> names;
  for (const ZipMember& m : members) {
    if (m.name.empty() || m.name.find('/') != std::string::npos || !names.insert(m.name).second)
      return Status::InvalidInput(path + ": member name '" + m.name + "' is empty, has a folder or repeats");
  }
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    Status s = Status::IoError(path + ": " + zip_error_strerror(&e));
    zip_error_fini(&e);
    return s;
  }
  auto fail = [&](const std::string& what) {
    Status s = Status::IoError(path + ": " + what + ": " + zip_strerror(zip));
    zip_discard(zip);  // writes nothing
    return s;
  };
  for (const ZipMember& m : members) {
    zip_source_t* source = zip_source_file(zip, m.local_path.c_str(), 0, -1);
    if (source == nullptr) return fail("cannot read " + m.local_path);
    const zip_int64_t index = zip_file_add(zip, m.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      return fail("cannot add " + m.name);
    }
    if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0)
      return fail("cannot store " + m.name);
  }
  if (zip_close(zip) != 0) return fail("writing the archive");
  return Status::Ok();
}

}  // namespace sohoa
