#include "pipeline/archive/reseal.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pipeline/archive/run_lock.h"
#include "pipeline/archive/signature_trust.h"
#include "pipeline/archive/version_bag.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/json_output.h"

namespace sohoa {
namespace {

using nlohmann::json;

// The sealing certificate that ends first; {"", 0} when there is none.
std::pair<std::string, int64_t> FirstToEnd(const DocumentSignatures& doc) {
  std::pair<std::string, int64_t> first{"", 0};
  for (const auto& seal : doc.sealing_tsa)
    if (first.first.empty() || seal.second < first.second) first = seal;
  return first;
}

// The first signature that does not verify, as "signature N: why"; "" if none.
std::string FirstInvalid(const DocumentSignatures& doc) {
  for (const SignatureResult& s : doc.signatures)
    if (!s.valid) return "signature " + std::to_string(s.index) + ": " + s.error;
  return "";
}

class Resealer {
 public:
  Resealer(const ResealOptions& options, ArchiveStore& store) : o_(options), store_(store) {}

  void Document(const std::string& sha256, ResealReport& report) {
    StatusOr<std::optional<LedgerRecord>> found = o_.ledger->Find(sha256);
    if (!found.ok() || !found->has_value()) {
      report.failed.push_back({sha256, "", found.ok() ? "no longer in the ledger" : found.status().message()});
      return;
    }
    const LedgerRecord record = **found;
    auto fail = [&](const std::string& cause) { report.failed.push_back({sha256, record.pdf, cause}); };
    StatusOr<std::string> pdf = ReadAll(store_, record.pdf);
    if (!pdf.ok()) return fail("cannot read the archived PDF: " + pdf.status().message());
    const DocumentSignatures old = o_.checker->CheckDocument(*pdf);
    if (old.signatures.empty()) {
      ++report.not_timestamped;
      return;
    }
    if (const std::string bad = FirstInvalid(old); !bad.empty()) {
      return fail("not resealed, its " + bad + " (damaged or altered: a new time-stamp must not seal it)");
    }
    const auto [old_tsa, old_end] = FirstToEnd(old);
    if (old_tsa.empty()) {
      ++report.not_timestamped;
      return;
    }
    if (old_end >= o_.before) {
      ++report.not_due;
      return;
    }
    // The new DSS answers for the time-stamps that seal the file now: its
    // document time-stamps, or (a B-T file) its signatures with theirs.
    std::vector<std::string> answer_for;
    for (size_t i = 0; i < old.signatures.size(); ++i)
      if (old.signatures[i].document_timestamp && !old.values[i].empty()) answer_for.push_back(old.values[i]);
    if (answer_for.empty()) answer_for = old.values;
    StatusOr<std::string> resealed = o_.resealer(*pdf, answer_for);
    if (!resealed.ok()) return fail(resealed.status().message());

    const DocumentSignatures now = o_.checker->CheckDocument(*resealed);
    if (const std::string bad = FirstInvalid(now); !bad.empty()) return fail("after resealing, " + bad);
    if (now.level != "B-LTA") return fail("after resealing the file is " + now.level + ", not B-LTA");
    const auto [new_tsa, new_end] = FirstToEnd(now);
    if (new_end < o_.before) {
      return fail("the new time-stamp's certificate (" + new_tsa + ") ends " + UtcTime(new_end) +
                  ", before " + UtcTime(o_.before) + " too: use a TSA whose certificate outlasts that date");
    }

    VersionBagRequest request;
    request.kind = "reseal";
    request.sha256 = sha256;
    request.source_pdf = record.pdf;
    request.write_pdf = [&](const std::string&, const std::string& target) {
      return WriteFileAtomically(target, *resealed);
    };
    request.contact_name = o_.operator_name;
    request.software_agent = "sohoa reseal";
    request.unix_time = NowUnixSeconds();
    request.pages = record.pages;
    StatusOr<VersionBag> bag = WriteVersionBag(store_, request);
    if (!bag.ok()) return fail(bag.status().message());

    // The record as read in step 1, or the bag goes again.
    StatusOr<std::optional<LedgerRecord>> again = o_.ledger->Find(sha256);
    if (!again.ok() || !again->has_value() || (*again)->updated_at != record.updated_at ||
        (*again)->status != "archived") {
      RemoveVersionBag(store_, bag->name);
      return fail(again.ok() ? "its ledger record changed while it was resealed; run again"
                             : again.status().message());
    }
    json details = json::parse(record.details_json, nullptr, false);
    if (!details.is_object()) details = json::object();
    json outputs = details.value("outputs", json::object());
    ReplaceOutput(outputs, "pdf", bag->PdfKey(), bag->pdf);
    details["outputs"] = outputs;
    if (!details.contains("reseals") || !details["reseals"].is_array()) details["reseals"] = json::array();
    details["reseals"].push_back({{"at", NowUtcIso8601()},
                                  {"from", record.pdf},
                                  {"to", bag->PdfKey()},
                                  {"ending", UtcTime(old_end)},
                                  {"sealed_until", UtcTime(new_end)}});
    LedgerRecord updated = record;
    updated.pdf = bag->PdfKey();
    updated.details_json = DumpJson(details);
    if (Status recorded = o_.ledger->RecordOutcome(updated); !recorded.ok()) {
      RemoveVersionBag(store_, bag->name);
      return fail("the ledger refused the new version: " + recorded.message());
    }
    report.resealed.push_back({sha256, record.pdf, updated.pdf, bag->name, old_tsa, old_end, new_tsa, new_end});
  }

 private:
  const ResealOptions& o_;
  ArchiveStore& store_;
};

}  // namespace

StatusOr<ResealReport> ResealArchive(const ResealOptions& options) {
  if (options.ledger == nullptr || options.checker == nullptr || !options.resealer) {
    return Status::Configuration("reseal: a ledger, a signature checker and a resealer are needed");
  }
  StatusOr<RunLock> lock = RunLock::Acquire(options.archive_dir, "reseal");
  if (!lock.ok()) return lock.status();
  std::unique_ptr<ArchiveStore> owned;
  ArchiveStore* store = options.store;
  if (store == nullptr) {
    StatusOr<std::unique_ptr<ArchiveStore>> opened = NewFilesystemStore(options.archive_dir);
    if (!opened.ok()) return opened.status();
    owned = std::move(opened).value();
    store = owned.get();
  }
  ResealReport report;
  std::vector<std::string> due;  // hashes only: an archive may hold a million records
  SOHOA_RETURN_IF_ERROR(options.ledger->ForEachRecord([&](const LedgerRecord& r) {
    if (r.pdf.empty()) return;
    if (r.status == "review") ++report.in_review;
    if (r.status != "archived") return;
    ++report.examined;
    due.push_back(r.sha256);
  }));
  Resealer resealer(options, *store);
  for (const std::string& sha256 : due) resealer.Document(sha256, report);
  return report;
}

}  // namespace sohoa
