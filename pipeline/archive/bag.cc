#include "pipeline/archive/bag.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/archive/bag_ledger.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/sha256.h"

namespace sohoa {

namespace {

constexpr const char* kBagitTxt = "bagit.txt";
constexpr const char* kBagInfo = "bag-info.txt";

// "2.4 MB": Bag-Size is for people (RFC 8493 §2.2.2), decimal units.
std::string HumanSize(uint64_t bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

// A bag-info value must not contain a line break (we never fold lines).
std::string OneLine(std::string value) {
  std::replace(value.begin(), value.end(), '\n', ' ');
  std::replace(value.begin(), value.end(), '\r', ' ');
  return value;
}

std::string BagInfoText(const BagFacts& f, const std::vector<BagFile>& payload) {
  uint64_t octets = 0;
  for (const BagFile& file : payload) octets += file.bytes;
  std::string text;
  auto add = [&](const char* label, const std::string& value) {
    if (!value.empty()) text += std::string(label) + ": " + OneLine(value) + "\n";
  };
  add("Source-Organization", f.source_organization);
  add("Contact-Name", f.contact_name);
  add("Contact-Email", f.contact_email);
  add("External-Identifier", f.external_identifier);
  add("External-Description",
      "Digitized paper administrative-procedure results (run " + f.external_identifier + ")");
  add("Bagging-Date", f.bagging_date);
  add("Bag-Size", HumanSize(octets));
  add("Payload-Oxum", PayloadOxum(payload));
  add("Bag-Software-Agent", f.software_agent);
  add("Sohoa-Run-Started", f.run_started);
  add("Sohoa-Run-Finished", f.run_finished);
  add("Sohoa-Documents", std::to_string(f.documents));
  add("Sohoa-Documents-Review", std::to_string(f.review));
  add("Sohoa-Pages", std::to_string(f.pages));
  return text;
}

std::string BagKey(const std::string& name) { return std::string(kBagsDir) + "/" + name; }

// Moves payload files the ledger does not know out of the bag's data/, to
// unrecorded/<bag>/data/...
Status MoveUnrecordedAside(ArchiveStore& store, const std::string& bag, const std::set<std::string>& known,
                           RunLog* log) {
  const std::string bag_key = BagKey(bag);
  StatusOr<std::vector<std::string>> keys = store.List(bag_key + "/data");
  if (!keys.ok()) return keys.status();
  for (const std::string& key : *keys) {
    const std::string relative = key.substr(bag_key.size() + 1);
    if (known.count(relative)) continue;
    const std::string target = "unrecorded/" + bag + "/" + relative;
    SOHOA_RETURN_IF_ERROR(store.Move(key, target));
    if (log) {
      log->Warning(
          Fill(Tr(log->lang(), N_("bag {bag}: {file} was archived by an interrupted run but never "
                                  "recorded in the ledger; moved to {target} (its input is processed "
                                  "again)")),
               {{"bag", bag}, {"file", relative}, {"target", target}}));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<bool> IsBagComplete(ArchiveStore& store, const std::string& name) {
  return store.Exists(BagKey(name) + "/" + kTagManifest);
}

std::string PayloadOxum(const std::vector<BagFile>& payload) {
  uint64_t octets = 0;
  for (const BagFile& file : payload) octets += file.bytes;
  return std::to_string(octets) + "." + std::to_string(payload.size());
}

std::string EncodeManifestPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%')
      out += "%25";
    else if (c == '\n')
      out += "%0A";
    else if (c == '\r')
      out += "%0D";
    else
      out += c;
  }
  return out;
}

std::string DecodeManifestPath(const std::string& encoded) {
  std::string out;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const std::string code = encoded.substr(i + 1, 2);
      if (code == "25") {
        out += '%';
        i += 2;
        continue;
      }
      if (code == "0A" || code == "0a") {
        out += '\n';
        i += 2;
        continue;
      }
      if (code == "0D" || code == "0d") {
        out += '\r';
        i += 2;
        continue;
      }
    }
    out += encoded[i];
  }
  return out;
}

Status WriteBag(ArchiveStore& store, const std::string& name, std::vector<BagFile> payload,
                const BagFacts& facts, const std::vector<TagFile>& extra) {
  const std::string bag_dir = BagKey(name);
  StatusOr<bool> complete = IsBagComplete(store, name);
  if (!complete.ok()) return complete.status();
  if (*complete) {
    return Status::Configuration("bag " + bag_dir + " is complete; a completed bag is never rewritten");
  }
  for (const BagFile& file : payload) {
    if (file.path.rfind("data/", 0) != 0 || file.path.find("/../") != std::string::npos) {
      return Status::Configuration("payload path " + file.path + " is not under data/ of " + bag_dir);
    }
    if (file.sha256.size() != 64) {
      return Status::Configuration("payload file " + file.path + " has no recorded SHA-256");
    }
  }
  std::sort(payload.begin(), payload.end(),
            [](const BagFile& a, const BagFile& b) { return a.path < b.path; });

  std::string manifest;
  for (const BagFile& file : payload) manifest += file.sha256 + "  " + EncodeManifestPath(file.path) + "\n";
  std::vector<std::pair<std::string, std::string>> tag_files = {
      {kBagitTxt, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"},
      {kManifest, manifest},
      {kBagInfo, BagInfoText(facts, payload)},
  };
  for (const TagFile& tag : extra) {
    if (tag.name.empty() || tag.name.find('/') != std::string::npos || tag.name == kTagManifest) {
      return Status::Configuration("tag file name " + tag.name + " is not a plain file name");
    }
    tag_files.emplace_back(tag.name, tag.bytes);
  }
  // An empty payload is still a bag (RFC 8493 §2.1.2: data/ exists).
  if (payload.empty()) SOHOA_RETURN_IF_ERROR(store.MakeFolder(bag_dir + "/data"));
  std::string tag_manifest;
  for (const auto& [tag_name, bytes] : tag_files) {
    SOHOA_RETURN_IF_ERROR(store.Put(bag_dir + "/" + tag_name, bytes));
    tag_manifest += Sha256Hex(bytes) + "  " + tag_name + "\n";
  }
  // Last: its presence is what "complete" means.
  return store.Put(bag_dir + "/" + kTagManifest, tag_manifest);
}

StatusOr<LedgerBag> BagFromLedger(Ledger& ledger, const std::string& name) {
  LedgerBag bag;
  bag.name = name;
  Status problem = Status::Ok();
  // One record at a time from the ledger's per-bag index (issue 22): memory
  // and time follow the bag, not the ledger.
  SOHOA_RETURN_IF_ERROR(ledger.ForEachRecordInBag(name, [&](const LedgerRecord& r) {
    if (!problem.ok()) return;
    nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
    const nlohmann::json outputs =
        details.is_object() ? details.value("outputs", nlohmann::json::object()) : nlohmann::json::object();
    bool in_this_bag = false;
    for (const auto& [role, out] : outputs.items()) {
      std::string bag_name, relative;
      const std::string path = out.value("path", "");
      if (!SplitArchivePath(path, &bag_name, &relative)) {
        problem =
            Status::Internal("ledger: output " + role + " of " + r.source + " is outside the bags: " + path);
        return;
      }
      if (bag_name != name) continue;
      const std::string sha = out.value("sha256", "");
      if (sha.size() != 64) {
        problem = Status::Internal("ledger: no recorded SHA-256 for " + path + " (" + r.source + ")");
        return;
      }
      bag.payload.push_back(BagFile{relative, sha, out.value("bytes", uint64_t{0})});
      in_this_bag = true;
    }
    if (!in_this_bag) return;
    bag.documents.push_back(r.sha256);
    bag.pages += r.pages;
    if (r.status == "review") ++bag.review;
  }));
  if (!problem.ok()) return problem;
  return bag;
}

namespace {

// Completes the bag `name` from what the ledger recorded for it (`bag`;
// `run` if the ledger knows its run). See CompleteBag in the header.
Status CompleteOneBag(ArchiveStore& store, const std::string& name, const LedgerBag& bag,
                      const RunRecord* run, const std::string& account, const BagOptions& options,
                      RunLog* log, bool* written) {
  if (written) *written = false;
  StatusOr<bool> complete = IsBagComplete(store, name);
  if (!complete.ok()) return complete.status();
  if (*complete) return Status::Ok();
  std::set<std::string> known;
  for (const BagFile& file : bag.payload) known.insert(file.path);
  SOHOA_RETURN_IF_ERROR(MoveUnrecordedAside(store, name, known, log));
  const bool outcomes = account.find("{\"input\"") != std::string::npos;
  if (bag.payload.empty() && !outcomes) {
    // Nothing of this run was recorded: no bag to make.
    return store.PruneEmptyFolders(BagKey(name));
  }
  for (const BagFile& file : bag.payload) {
    StatusOr<bool> there = store.Exists(BagKey(name) + "/" + file.path);
    if (!there.ok()) return there.status();
    if (!*there && log) {
      log->Warning(
          Fill(Tr(log->lang(), N_("bag {bag}: {file} is recorded in the ledger but missing; listed in "
                                  "the manifest anyway (sohoa verify will report it)")),
               {{"bag", name}, {"file", file.path}}));
    }
  }
  BagFacts facts;
  facts.source_organization = options.organization;
  facts.contact_name = options.operator_name;
  facts.contact_email = options.operator_email;
  facts.external_identifier = name;
  facts.bagging_date = NowUtcIso8601().substr(0, 10);
  facts.software_agent = std::string("sohoa ") + SOHOA_VERSION;
  if (run != nullptr) {
    facts.run_started = run->started_at;
    facts.run_finished = run->finished_at;
  }
  facts.documents = static_cast<int>(bag.documents.size());
  facts.review = bag.review;
  facts.pages = bag.pages;
  std::vector<TagFile> extra;
  if (!account.empty()) extra.push_back(TagFile{kBagLedgerFile, account});
  SOHOA_RETURN_IF_ERROR(WriteBag(store, name, bag.payload, facts, extra).WithContext("bag " + name));
  if (written) *written = true;
  if (log) {
    log->Info(Fill(TrN(log->lang(), "bag {bag} complete: {files} files of {n} document ({oxum})",
                       "bag {bag} complete: {files} files of {n} documents ({oxum})",
                       static_cast<long>(bag.documents.size())),
                   {{"bag", name},
                    {"files", std::to_string(bag.payload.size())},
                    {"n", std::to_string(bag.documents.size())},
                    {"oxum", PayloadOxum(bag.payload)}}));
  }
  return Status::Ok();
}

}  // namespace

Status CompleteBag(Ledger& ledger, ArchiveStore& store, const std::string& name, const BagOptions& options,
                   RunLog* log, bool* written) {
  if (written) *written = false;
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return Status::Internal("invalid bag name \"" + name + "\"");
  }
  StatusOr<std::optional<RunRecord>> run = ledger.FindRun(name);
  if (!run.ok()) return run.status();
  StatusOr<LedgerBag> bag = BagFromLedger(ledger, name);
  if (!bag.ok()) return bag.status();
  StatusOr<std::string> account = BagLedgerText(ledger, name);
  if (!account.ok()) return account.status();
  return CompleteOneBag(store, name, *bag, *run ? &**run : nullptr, *account, options, log, written);
}

Status CompleteBags(
    Ledger& ledger, ArchiveStore& store, const BagOptions& options, RunLog* log,
    std::vector<std::string>* completed,
    const std::function<Status(const std::string&, const std::function<Status()>&)>& serialise) {
  StatusOr<std::vector<std::string>> children = store.ListChildren(kBagsDir);
  if (!children.ok()) return children.status();
  std::vector<std::string> pending;
  for (const std::string& child : *children) {
    if (child.back() != '/') continue;  // a stray file, not a bag
    const std::string name = child.substr(0, child.size() - 1);
    StatusOr<bool> complete = IsBagComplete(store, name);
    if (!complete.ok()) return complete.status();
    if (!*complete) pending.push_back(name);
  }
  if (pending.empty()) return Status::Ok();

  for (const std::string& name : pending) {
    StatusOr<std::optional<RunRecord>> run = ledger.FindRun(name);
    if (!run.ok()) return run.status();
    if (*run && (*run)->state == "running") continue;  // still being filled
    StatusOr<LedgerBag> bag = BagFromLedger(ledger, name);
    if (!bag.ok()) return bag.status();
    bool written = false;
    auto complete = [&]() -> Status {
      StatusOr<std::string> account = BagLedgerText(ledger, name);
      if (!account.ok()) return account.status();
      return CompleteOneBag(store, name, *bag, *run ? &**run : nullptr, *account, options, log, &written);
    };
    SOHOA_RETURN_IF_ERROR(serialise ? serialise(name, complete) : complete());
    if (written && completed) completed->push_back(name);
  }
  return Status::Ok();
}

}  // namespace sohoa
