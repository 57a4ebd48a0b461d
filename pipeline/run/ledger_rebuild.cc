#include "pipeline/run/ledger_rebuild.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "pipeline/archive/bag.h"
#include "pipeline/archive/bag_ledger.h"
#include "pipeline/archive/register_store.h"
#include "pipeline/archive/run_lock.h"
#include "pipeline/core/document_facts.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/sha256.h"
#include "pipeline/inventory/inventory.h"
#include "pipeline/ledger/ledger_backup.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/run/inventory_rematch.h"

namespace sohoa {
namespace {

using nlohmann::json;

constexpr int kRebuildLease = 600;  // seconds; each claim is recorded at once
constexpr uint64_t kMaxTagFile = uint64_t{256} << 20;
constexpr uint64_t kMaxSidecar = uint64_t{16} << 20;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Digits of an ISO 8601 or compact UTC time ("2026-11-30T03:14:27Z",
// "20261130T031427Z" -> "20261130031427"): one comparable form for both.
std::string SortableTime(const std::string& time) {
  std::string digits;
  for (char c : time)
    if (c >= '0' && c <= '9') digits += c;
  return digits.substr(0, 14);
}

// "<sha>  <path>" lines of a manifest: path -> sha256.
std::map<std::string, std::string> ParseManifest(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t space = line.find(' ');
    if (space != 64) continue;
    size_t start = line.find_first_not_of(' ', space);
    if (start == std::string::npos) continue;
    out[DecodeManifestPath(line.substr(start))] = line.substr(0, 64);
  }
  return out;
}

std::map<std::string, std::string> ParseBagInfo(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t colon = line.find(": ");
    if (colon != std::string::npos) out[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return out;
}

// One complete bag as read from the store.
struct Bag {
  std::string name;
  std::map<std::string, std::string> info;      // bag-info.txt
  std::map<std::string, std::string> manifest;  // payload path -> sha256
  std::vector<json> account;                    // sohoa-ledger.jsonl lines; empty if none
  bool has_account = false;
  bool is_review = false;
  json review_sidecar;     // review bags: the corrected fields
  std::string review_pdf;  // review bags: data/../<sha>.pdf
  std::string time;        // SortableTime of when it happened
};

// One thing that happened, to replay in order.
struct Event {
  std::string time;
  int kind = 0;  // 0 run bag, 1 register import, 2 review: in that order at equal times
  std::string name;
  const Bag* bag = nullptr;
  const KeptRegister* reg = nullptr;
};

class Rebuilder {
 public:
  Rebuilder(ArchiveStore& store, const DocTypeCatalog& catalog, Ledger& into)
      : store_(store), catalog_(catalog), into_(into) {}

  StatusOr<RebuildSummary> Run() {
    SOHOA_RETURN_IF_ERROR(CheckEmpty());
    SOHOA_RETURN_IF_ERROR(LoadBags());
    StatusOr<std::vector<KeptRegister>> registers = KeptRegisters(store_);
    if (!registers.ok()) return registers.status();
    std::vector<Event> events;
    for (const Bag& bag : bags_)
      events.push_back(Event{bag.time, bag.is_review ? 2 : 0, bag.name, &bag, nullptr});
    for (const KeptRegister& r : *registers)
      events.push_back(Event{SortableTime(r.time), 1, r.key, nullptr, &r});
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return std::tie(a.time, a.kind, a.name) < std::tie(b.time, b.kind, b.name);
    });
    for (const Event& e : events) {
      Status s = e.reg ? ImportRegister(*e.reg) : e.bag->is_review ? ApplyReview(*e.bag) : ReplayRun(*e.bag);
      if (!s.ok()) return s.WithContext(e.name);
    }
    SOHOA_RETURN_IF_ERROR(into_.ForEachRecord([&](const LedgerRecord& r) {
      if (r.status == "archived")
        ++summary_.archived;
      else if (r.status == "review")
        ++summary_.review;
      else if (r.status == "quarantined")
        ++summary_.quarantined;
    }));
    return summary_;
  }

 private:
  Status CheckEmpty() {
    bool any = false;
    SOHOA_RETURN_IF_ERROR(into_.ForEachRecord([&](const LedgerRecord&) { any = true; }));
    StatusOr<std::vector<RunRecord>> runs = into_.Runs();
    if (!runs.ok()) return runs.status();
    StatusOr<int64_t> inventory = into_.CountInventory();
    if (!inventory.ok()) return inventory.status();
    if (any || !runs->empty() || *inventory > 0) {
      return Status::Configuration("the ledger to rebuild into is not empty");
    }
    return Status::Ok();
  }

  StatusOr<json> ReadJson(const std::string& key, uint64_t limit) {
    StatusOr<std::string> bytes = ReadStoreFile(store_, key, limit);
    if (!bytes.ok()) return bytes.status();
    json parsed = json::parse(*bytes, nullptr, false);
    if (parsed.is_discarded()) return Status::InvalidInput(key + " is not valid JSON");
    return parsed;
  }

  Status LoadBags() {
    StatusOr<std::vector<std::string>> keys = store_.List(kBagsDir);
    if (!keys.ok()) return keys.status();
    std::map<std::string, std::set<std::string>> files;  // bag -> bag-relative paths
    const std::string prefix = std::string(kBagsDir) + "/";
    for (const std::string& key : *keys) {
      const size_t slash = key.find('/', prefix.size());
      if (key.rfind(prefix, 0) != 0 || slash == std::string::npos) continue;
      files[key.substr(prefix.size(), slash - prefix.size())].insert(key.substr(slash + 1));
    }
    for (const auto& [name, paths] : files) {
      if (!paths.count(kTagManifest)) {
        summary_.notes.push_back(ErrorText("rebuild.incomplete_bag", {{"bag", name}}));
        continue;
      }
      StatusOr<Bag> bag = LoadBag(name, paths);
      if (!bag.ok()) {
        summary_.notes.push_back(
            ErrorText("rebuild.bag_skipped", {{"bag", name}, {"cause", bag.status().message()}}));
        continue;
      }
      bags_.push_back(std::move(*bag));
    }
    return Status::Ok();
  }

  StatusOr<Bag> LoadBag(const std::string& name, const std::set<std::string>& paths) {
    const std::string dir = std::string(kBagsDir) + "/" + name + "/";
    Bag bag;
    bag.name = name;
    StatusOr<std::string> tags = ReadStoreFile(store_, dir + kTagManifest, kMaxTagFile);
    if (!tags.ok()) return tags.status();
    const std::map<std::string, std::string> tag_sha = ParseManifest(*tags);
    // The tag files the rebuild trusts must still have the hash the bag says.
    auto tag_file = [&](const std::string& file) -> StatusOr<std::string> {
      auto it = tag_sha.find(file);
      if (it == tag_sha.end()) return Status::NotFound(file + " is not in the tag manifest");
      StatusOr<std::string> bytes = ReadStoreFile(store_, dir + file, kMaxTagFile);
      if (!bytes.ok()) return bytes.status();
      if (Sha256Hex(*bytes) != it->second) {
        return Status::InvalidInput(file + " does not have the hash its tag manifest records (altered)");
      }
      return bytes;
    };
    StatusOr<std::string> manifest = tag_file(kManifest);
    if (!manifest.ok()) return manifest.status();
    bag.manifest = ParseManifest(*manifest);
    StatusOr<std::string> info = tag_file("bag-info.txt");
    if (!info.ok()) return info.status();
    bag.info = ParseBagInfo(*info);
    if (tag_sha.count(kBagLedgerFile)) {
      StatusOr<std::string> account = tag_file(kBagLedgerFile);
      if (!account.ok()) return account.status();
      std::istringstream lines(*account);
      for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        json parsed = json::parse(line, nullptr, false);
        if (!parsed.is_object())
          return Status::InvalidInput(std::string(kBagLedgerFile) + " has a line that is not JSON");
        bag.account.push_back(std::move(parsed));
      }
      bag.has_account = true;
    }
    (void)paths;
    std::string started = bag.info.count("Sohoa-Run-Started") ? bag.info.at("Sohoa-Run-Started") : "";
    for (const json& line : bag.account)
      if (line.contains("run")) started = StringAt(line["run"], "started_at");
    bag.is_review = !bag.has_account && name.rfind("review-", 0) == 0;
    if (bag.is_review) {
      for (const auto& [path, sha] : bag.manifest) {
        const bool is_json = path.size() > 5 && path.substr(path.size() - 5) == ".json";
        if (is_json) {
          StatusOr<json> sidecar = ReadJson(dir + path, kMaxSidecar);
          if (!sidecar.ok()) return sidecar.status();
          bag.review_sidecar = *sidecar;
        } else if (path.size() > 4 && path.substr(path.size() - 4) == ".pdf") {
          bag.review_pdf = dir + path;
        }
      }
      if (!bag.review_sidecar.is_object() || bag.review_pdf.empty()) {
        return Status::InvalidInput("review bag without its corrected fields and PDF");
      }
      const std::string at = StringAt(bag.review_sidecar, "reviewed_at");
      if (!at.empty()) started = at;
    }
    bag.time = SortableTime(started.empty() ? name : started);
    return bag;
  }

  // The payload outputs of one document of `bag`: role -> {path, sha256, bytes}.
  StatusOr<json> OutputsOf(const Bag& bag, const std::string& sha) {
    json outputs = json::object();
    const std::string dir = std::string(kBagsDir) + "/" + bag.name + "/";
    for (const auto& [path, file_sha] : bag.manifest) {
      const std::string file = path.substr(path.rfind('/') + 1);
      if (file.rfind(sha + ".", 0) != 0) continue;
      const std::string ext = file.substr(sha.size() + 1);
      const std::string role = ext == "txt" ? "text" : ext == "fields.json" ? "fields" : ext;
      StatusOr<std::string> bytes = ReadStoreFile(store_, dir + path);
      if (!bytes.ok()) return bytes.status();
      outputs[role] = {{"path", dir + path}, {"sha256", file_sha}, {"bytes", bytes->size()}};
    }
    return outputs;
  }

  Status StartRun(const Bag& bag) {
    RunRecord run;
    run.run_id = bag.info.count("External-Identifier") ? bag.info.at("External-Identifier") : bag.name;
    run.started_at = bag.info.count("Sohoa-Run-Started") ? bag.info.at("Sohoa-Run-Started") : "";
    run.finished_at = bag.info.count("Sohoa-Run-Finished") ? bag.info.at("Sohoa-Run-Finished") : "";
    run.state = "finished";
    for (const json& line : bag.account) {
      if (!line.contains("run")) continue;
      const json& r = line["run"];
      run.run_id = StringAt(r, "run_id");
      run.started_at = StringAt(r, "started_at");
      run.finished_at = StringAt(r, "finished_at");
      run.host = StringAt(r, "host");
      run.pid = r.value("pid", int64_t{0});
      run.input = StringAt(r, "input");
      run.state = StringAt(r, "state");
      run.counts_json = DumpJson(r.value("counts", json::object()));
    }
    if (run.started_at.empty())
      run.started_at = bag.info.count("Bagging-Date") ? bag.info.at("Bagging-Date") : "";
    SOHOA_RETURN_IF_ERROR(into_.StartRun(run));
    // StartRun records a run as it starts; its end comes from the same record.
    return into_.FinishRun(run);
  }

  // Claims `r` for its run and records it; then every other path it was seen under.
  Status Record(const LedgerRecord& r, const std::vector<std::string>& also_seen_as) {
    StatusOr<Claim> claim = into_.ClaimInput(r.sha256, r.source, r.run_id, kRebuildLease);
    if (!claim.ok()) return claim.status();
    if (claim->outcome != ClaimOutcome::kClaimed) {
      const std::string& was = claim->existing_status;
      summary_.notes.push_back(
          ErrorText(was == "archived"      ? "rebuild.already_archived"
                    : was == "review"      ? "rebuild.already_in_review"
                    : was == "quarantined" ? "rebuild.already_quarantined"
                                           : "rebuild.already",
                    {{"input", r.sha256.substr(0, 12)}, {"run", r.run_id}, {"status", was}}));
      return Status::Ok();
    }
    SOHOA_RETURN_IF_ERROR(into_.RecordOutcome(r));
    for (const std::string& alias : also_seen_as) {
      StatusOr<Claim> again = into_.ClaimInput(r.sha256, alias, r.run_id, kRebuildLease);
      if (!again.ok()) return again.status();
      if (again->outcome == ClaimOutcome::kClaimed) SOHOA_RETURN_IF_ERROR(into_.RecordOutcome(r));
    }
    return Status::Ok();
  }

  Status ReplayRun(const Bag& bag) {
    ++summary_.run_bags;
    SOHOA_RETURN_IF_ERROR(StartRun(bag));
    if (!bag.has_account) return ReplayPayloadOnly(bag);
    for (const json& line : bag.account) {
      if (!line.contains("input")) continue;
      const json& in = line["input"];
      LedgerRecord r;
      r.sha256 = StringAt(in, "sha256");
      r.source = StringAt(in, "source");
      r.status = StringAt(in, "status");
      r.reason = StringAt(in, "reason");
      r.pages = in.value("pages", 0);
      r.pdf = StringAt(in, "pdf");
      r.text = StringAt(in, "text");
      r.run_id = StringAt(in, "run_id");
      r.seconds = in.value("seconds", 0.0);
      if (r.sha256.size() != 64 || r.status.empty()) {
        return Status::InvalidInput(std::string(kBagLedgerFile) + ": an input line without hash or status");
      }
      json details = in.value("details", json::object());
      const json outputs = details.value("outputs", json::object());
      if (outputs.contains("fields")) {
        StatusOr<json> sidecar = ReadJson(StringAt(outputs["fields"], "path"), kMaxSidecar);
        if (!sidecar.ok()) return sidecar.status();
        RestorePersonalData(*sidecar, &details);
      }
      r.details_json = DumpJson(details);
      std::vector<std::string> also;
      for (const json& s : in.value("also_seen_as", json::array()))
        if (s.is_string()) also.push_back(s.get<std::string>());
      SOHOA_RETURN_IF_ERROR(Record(r, also));
    }
    return Status::Ok();
  }

  // A bag completed before bags carried the ledger's account: what its
  // payload says, and review for what it cannot settle.
  Status ReplayPayloadOnly(const Bag& bag) {
    ++summary_.bags_without_account;
    summary_.notes.push_back(ErrorText("rebuild.no_account", {{"bag", bag.name}, {"file", kBagLedgerFile}}));
    const std::string run_id =
        bag.info.count("External-Identifier") ? bag.info.at("External-Identifier") : bag.name;
    const bool bag_had_review =
        bag.info.count("Sohoa-Documents-Review") && bag.info.at("Sohoa-Documents-Review") != "0";
    std::set<std::string> documents;
    for (const auto& [path, sha] : bag.manifest) {
      const std::string file = path.substr(path.rfind('/') + 1);
      if (file.size() > 68 && file.substr(64, 4) == ".pdf") documents.insert(file.substr(0, 64));
    }
    for (const std::string& sha : documents) {
      StatusOr<json> outputs = OutputsOf(bag, sha);
      if (!outputs.ok()) return outputs.status();
      json sidecar = json::object();
      if (outputs->contains("fields")) {
        StatusOr<json> read = ReadJson(StringAt((*outputs)["fields"], "path"), kMaxSidecar);
        if (!read.ok()) return read.status();
        sidecar = *read;
      }
      std::vector<std::string> reasons;
      for (const json& reason : sidecar.value("review_reasons", json::array()))
        if (reason.is_string()) reasons.push_back(reason.get<std::string>());
      LedgerRecord r;
      r.sha256 = sha;
      r.source = StringAt(sidecar, "source");
      if (r.source.empty()) r.source = "(rebuilt) " + sha;
      r.run_id = run_id;
      r.pdf = StringAt((*outputs)["pdf"], "path");
      if (outputs->contains("text")) {
        r.text = StringAt((*outputs)["text"], "path");
        StatusOr<std::string> text = ReadStoreFile(store_, r.text);
        if (!text.ok()) return text.status();
        r.pages = static_cast<int>(std::count(text->begin(), text->end(), '\f')) + 1;
      } else {
        reasons.push_back("rebuilt: the page count is not in the bag (no text sidecar)");
      }
      if (reasons.empty() && bag_had_review) {
        reasons.push_back("rebuilt: bag " + bag.name +
                          " says some of its documents needed review and "
                          "does not say which; check this one");
        ++summary_.unsettled;
      }
      json details = {
          {"outputs", *outputs},
          {"metadata",
           {{"doc_type", StringAt(sidecar, "doc_type")}, {"doc_type_code", StringAt(sidecar, "type_code")}}}};
      SetReviewReasons(reasons, &details);
      if (sidecar.contains("fields")) RestorePersonalData(sidecar, &details);
      r.status = reasons.empty() ? "archived" : "review";
      for (const std::string& reason : reasons) r.reason += (r.reason.empty() ? "" : "; ") + reason;
      r.details_json = DumpJson(details);
      SOHOA_RETURN_IF_ERROR(Record(r, {}));
    }
    return Status::Ok();
  }

  // Next free "<role>_v<N>" for an older version's output (as the station names them).
  static std::string VersionRole(const json& outputs, const std::string& role) {
    for (int n = 1;; ++n) {
      const std::string name = role + "_v" + std::to_string(n);
      if (!outputs.contains(name)) return name;
    }
  }

  // A person's confirmation (pipeline/review/review.h, step 4), read back from its bag.
  Status ApplyReview(const Bag& bag) {
    ++summary_.review_bags;
    const json& s = bag.review_sidecar;
    const std::string sha = StringAt(s, "sha256");
    StatusOr<std::optional<LedgerRecord>> found = into_.Find(sha);
    if (!found.ok()) return found.status();
    if (!found->has_value() || (*found)->status != "review") {
      summary_.notes.push_back(
          ErrorText("rebuild.review_not_applied", {{"bag", bag.name}, {"input", sha.substr(0, 12)}}));
      return Status::Ok();
    }
    const LedgerRecord old = **found;
    json details = json::parse(old.details_json, nullptr, false);
    if (!details.is_object()) details = json::object();
    json metadata = details.value("metadata", json::object());
    const json old_fields = details.value("fields", json::object());
    const json new_fields = s.value("fields", json::object());
    json changes = {{"fields", json::object()}};
    for (const auto& [key, f] : new_fields.items()) {
      const std::string before =
          old_fields.contains(key) && old_fields[key].is_object() ? StringAt(old_fields[key], "value") : "";
      const std::string after = StringAt(f, "value");
      if (before != after) changes["fields"][key] = {{"from", before}, {"to", after}};
    }
    const std::string old_type = StringAt(metadata, "doc_type");
    const std::string new_type = StringAt(s, "doc_type");
    if (old_type != new_type) changes["doc_type"] = {{"from", old_type}, {"to", new_type}};
    const std::string old_record = StringAt(metadata, "record_id");
    // Review bags written before issue 26 do not say which record was chosen: keep the old link.
    const std::string new_record = s.contains("record_id") ? StringAt(s, "record_id") : old_record;
    if (old_record != new_record) changes["record_id"] = {{"from", old_record}, {"to", new_record}};

    const std::string reviewer = StringAt(s, "reviewed_by"), at = StringAt(s, "reviewed_at");
    // The same rewrite as the review station's confirmation (pipeline/review/review.cc).
    facts::DocumentIdentity identity{
        new_type, StringAt(s, "type_code"), StringAt(s, "holder_id"), StringAt(s, "code"), {}};
    for (const auto& [key, f] : new_fields.items()) identity.fields[key] = StringAt(f, "value");
    metadata = facts::Confirmed(metadata, identity, new_record, reviewer, at);

    json outputs = details.value("outputs", json::object());
    for (const char* role : {"pdf", "fields"})
      if (outputs.contains(role)) outputs[VersionRole(outputs, role)] = outputs[role];
    const std::string sidecar_path = std::string(kBagsDir) + "/" + bag.name + "/" + [&] {
      for (const auto& [path, sha256] : bag.manifest)
        if (path.size() > 5 && path.substr(path.size() - 5) == ".json") return path;
      return std::string();
    }();
    for (const auto& [role, key] : {std::pair<std::string, std::string>{"pdf", bag.review_pdf},
                                    std::pair<std::string, std::string>{"fields", sidecar_path}}) {
      const std::string relative = key.substr(std::string(kBagsDir).size() + bag.name.size() + 2);
      StatusOr<std::string> bytes = ReadStoreFile(store_, key);
      if (!bytes.ok()) return bytes.status();
      outputs[role] = {{"path", key}, {"sha256", bag.manifest.at(relative)}, {"bytes", bytes->size()}};
    }
    changes["pdf"] = {{"from", old.pdf}, {"to", bag.review_pdf}};
    std::vector<std::string> old_reasons;
    for (const json& r : details.value("review_reasons", json::array()))
      if (r.is_string()) old_reasons.push_back(r.get<std::string>());
    details["outputs"] = outputs;
    details["fields"] = new_fields;
    details["metadata"] = metadata;
    SetReviewReasons({}, &details);
    details["reviewed"] = {{"by", reviewer}, {"at", at}, {"reasons", old_reasons}};

    LedgerRecord updated = old;
    updated.status = "archived";
    updated.reason = "";
    updated.pdf = bag.review_pdf;
    updated.details_json = DumpJson(details);
    return into_.RecordReview(updated, old.updated_at, ReviewRecord{sha, reviewer, at, DumpJson(changes)});
  }

  Status ImportRegister(const KeptRegister& reg) {
    StatusOr<std::string> bytes = ReadStoreFile(store_, reg.key);
    if (!bytes.ok()) return bytes.status();
    if (Sha256Hex(*bytes) != reg.sha256) {
      summary_.notes.push_back(ErrorText("rebuild.register_altered", {{"register", reg.key}}));
      return Status::Ok();
    }
    StatusOr<InventoryImportReport> imported = ImportInventoryBytes(into_, *bytes, reg.key, catalog_);
    if (!imported.ok()) return imported.status();
    ++summary_.registers;
    return RematchUnlinkedInputs(into_).status();
  }

  ArchiveStore& store_;
  const DocTypeCatalog& catalog_;
  Ledger& into_;
  std::vector<Bag> bags_;
  RebuildSummary summary_;
};

}  // namespace

StatusOr<RebuildSummary> RebuildLedger(ArchiveStore& store, const DocTypeCatalog& catalog, Ledger& into) {
  return Rebuilder(store, catalog, into).Run();
}

StatusOr<RebuildResult> RebuildArchiveLedger(const RebuildRequest& request) {
  if (request.catalog == nullptr) return Status::Internal("rebuild: no document-type catalog");
  {  // Looked at before anything is created or locked: a mistyped path stays untouched.
    StatusOr<std::unique_ptr<ArchiveStore>> reader = OpenFilesystemStoreForReading(request.archive_dir);
    StatusOr<std::vector<std::string>> bags =
        reader.ok() ? (*reader)->ListChildren(kBagsDir) : StatusOr<std::vector<std::string>>(reader.status());
    if (!bags.ok() && bags.status().code() != StatusCode::kNotFound) return bags.status();
    if (!bags.ok() || bags->empty()) {
      return Status::NotFound("no bags under " + request.archive_dir + ": nothing to rebuild from");
    }
  }
  StatusOr<RunLock> lock = RunLock::Acquire(request.archive_dir, "ledger-rebuild");
  if (!lock.ok()) return lock.status();
  StatusOr<std::unique_ptr<ArchiveStore>> store = NewFilesystemStore(request.archive_dir);
  if (!store.ok()) return store.status();
  RebuildResult result;
  if (IsSharedLedger(request.location)) {
    if (request.replace) {
      return Status::Configuration(
          "--replace is for SQLite ledgers; drop and create the PostgreSQL "
          "database yourself, then rebuild into the empty one");
    }
    StatusOr<std::unique_ptr<Ledger>> into =
        OpenLedger(request.location, request.archive_dir, LedgerAccess::kCreate);
    if (!into.ok()) return into.status();
    StatusOr<RebuildSummary> summary = RebuildLedger(**store, *request.catalog, **into);
    if (!summary.ok()) return summary.status();
    result.summary = std::move(*summary);
    return result;
  }
  const std::string target = SqliteLedgerPath(request.location, request.archive_dir);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) {
    StatusOr<std::vector<std::string>> problems = CheckSqliteLedgerFile(target, /*quick=*/false);
    bool holds_anything = false;
    if (problems.ok() && problems->empty()) {
      StatusOr<std::unique_ptr<Ledger>> existing = OpenSqliteLedger(target);
      holds_anything = !existing.ok();
      if (existing.ok()) {
        StatusOr<std::vector<RunRecord>> runs = (*existing)->Runs();
        holds_anything = !runs.ok() || !runs->empty();
      }
    }
    if (holds_anything && !request.replace) {
      return Status::Configuration(target +
                                   " is a healthy ledger: not replaced (add --replace to rebuild "
                                   "over it; it is then kept aside)");
    }
  }
  const std::string built = target + ".rebuilding-" + std::to_string(::getpid());
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((built + suffix).c_str());
  {
    StatusOr<std::unique_ptr<Ledger>> into = OpenSqliteLedger(built);
    if (!into.ok()) return into.status();
    StatusOr<RebuildSummary> summary = RebuildLedger(**store, *request.catalog, **into);
    if (!summary.ok()) {
      into->reset();
      for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((built + suffix).c_str());
      return summary.status();
    }
    result.summary = std::move(*summary);
  }  // closed: its WAL is checkpointed into the file
  SOHOA_RETURN_IF_ERROR(InstallSqliteLedger(built, target, &result.kept_aside));
  return result;
}

}  // namespace sohoa
