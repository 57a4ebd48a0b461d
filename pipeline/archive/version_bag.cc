#include "pipeline/archive/version_bag.h"

#include <sodium.h>
#include <stdlib.h>

#include <ctime>
#include <filesystem>

#include "pipeline/core/archive_layout.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/sha256.h"

namespace sohoa {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "20261130T031427Z" for the bag name.
std::string CompactUtc(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Two bags of one document in the same second (two reviewers, a reseal
// right after a review) still get different names.
std::string RandomSuffix() {
  unsigned char raw[2];
  randombytes_buf(raw, sizeof raw);
  char hex[5];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

std::string BagKey(const std::string& name) { return std::string(kBagsDir) + "/" + name; }

}  // namespace

std::string VersionBag::PdfKey() const { return BagKey(name) + "/" + pdf.path; }
std::string VersionBag::SidecarKey() const { return sidecar.path.empty() ? "" : BagKey(name) + "/" + sidecar.path; }

void RemoveVersionBag(ArchiveStore& store, const std::string& name) {
  const std::string bag_key = BagKey(name);
  if (StatusOr<std::vector<std::string>> keys = store.List(bag_key); keys.ok()) {
    for (auto key = keys->rbegin(); key != keys->rend(); ++key) (void)store.Remove(*key);
  }
  (void)store.PruneEmptyFolders(bag_key);
}

StatusOr<VersionBag> WriteVersionBag(ArchiveStore& store, const VersionBagRequest& r) {
  if (r.source_pdf.empty()) return Status::InvalidInput("the record names no PDF to revise");
  VersionBag bag;
  bag.name = r.kind + "-" + CompactUtc(r.unix_time) + "-" + r.sha256.substr(0, 8) + "-" + RandomSuffix();
  std::string staging_template = (fs::temp_directory_path() / ("sohoa-" + r.kind + "-XXXXXX")).string();
  if (::mkdtemp(staging_template.data()) == nullptr) {
    return Status::Unavailable("cannot make a staging folder in " + fs::temp_directory_path().string());
  }
  const std::string staging = staging_template;
  bool published_any = false;
  auto fail = [&](Status status) -> Status {
    std::error_code ec;
    fs::remove_all(staging, ec);
    if (published_any) RemoveVersionBag(store, bag.name);
    return status;
  };
  // The version being replaced, copied out of the store for write_pdf.
  StatusOr<std::string> source = ReadAll(store, r.source_pdf);
  Status copied = source.ok() ? WriteFileAtomically(staging + "/source.pdf", *source) : source.status();
  if (!copied.ok()) return fail(copied.WithContext("reading the archived PDF version"));
  const std::string relative_dir = "data/" + r.sha256.substr(0, 2);
  Status written = r.write_pdf(staging + "/source.pdf", staging + "/" + r.sha256 + ".pdf");
  if (!written.ok()) return fail(written.WithContext("writing the new PDF version"));
  if (!r.sidecar_json.empty()) {
    Status wrote = WriteFileAtomically(staging + "/" + r.sha256 + ".json", r.sidecar_json);
    if (!wrote.ok()) return fail(wrote);
  }
  std::vector<BagFile> payload;
  for (const char* ext : {".pdf", ".json"}) {
    if (std::string(ext) == ".json" && r.sidecar_json.empty()) continue;
    const std::string rel = relative_dir + "/" + r.sha256 + ext;
    const std::string staged = staging + "/" + r.sha256 + ext;
    uint64_t bytes = 0;
    StatusOr<std::string> sha = Sha256File(staged, &bytes);
    Status published = sha.ok() ? store.Publish(staged, BagKey(bag.name) + "/" + rel) : sha.status();
    published_any = true;
    if (!published.ok()) return fail(published);
    payload.push_back(BagFile{rel, *sha, bytes});
  }
  BagFacts facts;
  const std::string now_iso = FormatIso8601(r.unix_time, 0);
  facts.contact_name = r.contact_name;
  facts.external_identifier = bag.name;
  facts.bagging_date = now_iso.substr(0, 10);
  facts.software_agent = r.software_agent;
  facts.run_started = now_iso;
  facts.run_finished = now_iso;
  facts.documents = 1;
  facts.pages = r.pages;
  Status bagged = WriteBag(store, bag.name, payload, facts);
  if (!bagged.ok()) return fail(bagged);
  std::error_code staging_gone;
  fs::remove_all(staging, staging_gone);
  bag.pdf = payload[0];
  if (payload.size() > 1) bag.sidecar = payload[1];
  return bag;
}

void ReplaceOutput(json& outputs, const std::string& role, const std::string& key, const BagFile& file) {
  if (outputs.contains(role)) {
    for (int n = 1;; ++n) {
      const std::string older = role + "_v" + std::to_string(n);
      if (outputs.contains(older)) continue;
      outputs[older] = outputs[role];
      break;
    }
  }
  outputs[role] = {{"path", key}, {"sha256", file.sha256}, {"bytes", file.bytes}};
}

}  // namespace sohoa
