#include "pipeline/archive/verify.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pipeline/archive/archive_access.h"
#include "pipeline/archive/bag.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_name.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/sha256.h"
#include "pipeline/core/text_safety.h"
#include "pipeline/ledger/ledger_factory.h"

namespace sohoa {
namespace fs = std::filesystem;

// Time-stamp certificates ending sooner than this are listed: a year leaves
// an operator time to re-seal.
constexpr int64_t kTimestampWarningSeconds = int64_t{365} * 24 * 3600;

namespace {

struct Manifest {
  bool present = false;
  std::map<std::string, std::string> sha_by_path;  // bag-relative path -> sha256
  std::vector<std::string> malformed;              // lines that do not parse
};

// A file's text; false if the store has none or cannot read all of it.
bool ReadText(ArchiveStore& store, const std::string& key, std::string* text) {
  StatusOr<std::string> bytes = ReadAll(store, key);
  if (!bytes.ok()) return false;
  *text = std::move(*bytes);
  return true;
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

// RFC 8493 §2.1.3: "<checksum> <whitespace> <filepath>" per line.
Manifest ReadManifest(ArchiveStore& store, const std::string& key) {
  Manifest m;
  std::string text;
  if (!ReadText(store, key, &text)) return m;
  m.present = true;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t space = line.find_first_of(" \t");
    const size_t start = space == std::string::npos ? space : line.find_first_not_of(" \t", space);
    std::string sha = line.substr(0, space);
    if (start == std::string::npos || !IsHex64(sha)) {
      m.malformed.push_back(line);
      continue;
    }
    std::transform(sha.begin(), sha.end(), sha.begin(), [](char c) { return std::tolower(c); });
    m.sha_by_path[DecodeManifestPath(line.substr(start))] = sha;
  }
  return m;
}

std::map<std::string, std::string> ReadBagInfo(ArchiveStore& store, const std::string& key) {
  std::map<std::string, std::string> info;
  std::string text;
  if (!ReadText(store, key, &text)) return info;
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      info[last] += " " + line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = line.substr(0, colon);
    const size_t value = line.find_first_not_of(" \t", colon + 1);
    info[last] = value == std::string::npos ? "" : line.substr(value);
  }
  return info;
}

// Everything known about one payload file, from the three witnesses.
struct Entry {
  std::string bag, relative;  // relative to the bag
  bool on_disk = false;
  uint64_t disk_bytes = 0;
  bool in_manifest = false;
  std::string manifest_sha;
  bool in_ledger = false;
  std::string ledger_sha, ledger_source;
  // An older version the ledger keeps ("pdf_v1": a review or reseal made a
  // newer one): checked as any file, but its seal's end is no warning.
  bool superseded = false;
  std::string archive_path() const { return std::string(kBagsDir) + "/" + bag + "/" + relative; }
};

class Verifier {
 public:
  explicit Verifier(const VerifyOptions& options) : options_(options) {
    report_.sample = options.sample;
    report_.seed = options.seed;
  }

  StatusOr<VerifyReport> Run() {
    std::unique_ptr<Ledger> owned;
    Ledger* ledger = options_.ledger;
    if (ledger == nullptr) {
      StatusOr<std::unique_ptr<Ledger>> opened = OpenArchiveLedger(options_.archive_dir);
      if (!opened.ok()) return opened.status();
      owned = std::move(opened).value();
      ledger = owned.get();
    }
    std::unique_ptr<ArchiveStore> owned_store;
    store_ = options_.store;
    if (store_ == nullptr) {
      StatusOr<std::unique_ptr<ArchiveStore>> opened = OpenFilesystemStoreForReading(options_.archive_dir);
      if (!opened.ok()) return opened.status();
      owned_store = std::move(opened).value();
      store_ = owned_store.get();
    }
    SOHOA_RETURN_IF_ERROR(LoadLedger(*ledger));
    SOHOA_RETURN_IF_ERROR(LoadBags());
    CheckEntries();
    std::sort(report_.problems.begin(), report_.problems.end(), [](const Problem& a, const Problem& b) {
      return std::tie(a.bag, a.file, a.fault) < std::tie(b.bag, b.file, b.fault);
    });
    return std::move(report_);
  }

 private:
  // `what`: the detail's msgid (N_), filled with `params` for the English
  // detail; WriteVerifyText says it again in the reader's language.
  void Add(const std::string& file, const std::string& bag, Fault fault, const char* what,
           MessageParams params = {}) {
    report_.problems.push_back(Problem{file, bag, fault, Fill(what, params), what, std::move(params)});
  }

  Entry& EntryFor(const std::string& bag, const std::string& relative) {
    Entry& e = entries_[bag + "/" + relative];
    e.bag = bag;
    e.relative = relative;
    return e;
  }

  Status LoadLedger(Ledger& ledger) {
    std::vector<LedgerRecord> records;
    SOHOA_RETURN_IF_ERROR(ledger.ForEachRecord([&](const LedgerRecord& r) {
      if (r.status == "archived" || r.status == "review") records.push_back(r);
    }));
    report_.summary.ledger_records = static_cast<int>(records.size());
    for (const LedgerRecord& r : records) {
      nlohmann::json details = nlohmann::json::parse(r.details_json, nullptr, false);
      nlohmann::json outputs =
          details.is_object() ? details.value("outputs", nlohmann::json::object()) : nlohmann::json::object();
      if (outputs.empty()) {
        Add(r.pdf.empty() ? r.source : r.pdf, "", Fault::kLedgerMismatch,
            r.status == "review" ? N_("ledger record of {source} (in review) names no archived files")
                                 : N_("ledger record of {source} (archived) names no archived files"),
            {{"source", r.source}});
        continue;
      }
      std::set<std::string> paths;
      for (const auto& [role, out] : outputs.items()) {
        const std::string path = out.value("path", "");
        paths.insert(path);
        const std::string prefix = std::string(kBagsDir) + "/";
        const size_t slash = path.find('/', prefix.size());
        if (path.rfind(prefix, 0) != 0 || slash == std::string::npos) {
          Add(path, "", Fault::kLedgerMismatch, N_("ledger names {role} of {source} outside any bag"),
              {{"role", role}, {"source", r.source}});
          continue;
        }
        Entry& e = EntryFor(path.substr(prefix.size(), slash - prefix.size()), path.substr(slash + 1));
        e.in_ledger = true;
        e.ledger_sha = out.value("sha256", "");
        e.ledger_source = r.source;
        const size_t v = role.rfind("_v");
        e.superseded = v != std::string::npos && v + 2 < role.size() &&
                       role.find_first_not_of("0123456789", v + 2) == std::string::npos;
      }
      for (const std::string* field : {&r.pdf, &r.text}) {
        if (!field->empty() && !paths.count(*field)) {
          Add(*field, "", Fault::kLedgerMismatch,
              N_("ledger record of {source} names {file} but no hash for it"),
              {{"source", r.source}, {"file", *field}});
        }
      }
    }
    return Status::Ok();
  }

  Status LoadBags() {
    // Nothing archived yet: no bags/ at all, which lists nothing.
    StatusOr<std::vector<std::string>> children = store_->ListChildren(kBagsDir);
    if (!children.ok()) return children.status();
    for (const std::string& child : *children) {
      if (child.back() == '/') CheckBag(child.substr(0, child.size() - 1));
    }
    return Status::Ok();
  }

  void CheckBag(const std::string& bag) {
    const std::string prefix = std::string(kBagsDir) + "/" + bag + "/";
    ++report_.summary.bags;
    bag_names_.insert(bag);
    std::string bagit;
    if (!ReadText(*store_, prefix + "bagit.txt", &bagit)) {
      Add(prefix + "bagit.txt", bag, Fault::kBadBag, N_("bagit.txt is missing"));
    } else if (bagit.find("BagIt-Version: ") == std::string::npos ||
               bagit.find("Tag-File-Character-Encoding: UTF-8") == std::string::npos) {
      Add(prefix + "bagit.txt", bag, Fault::kBadBag, N_("bagit.txt does not declare the version and UTF-8"));
    }
    const Manifest tags = ReadManifest(*store_, prefix + kTagManifest);
    if (!tags.present) {
      Add(prefix + kTagManifest, bag, Fault::kBadBag,
          N_("bag is incomplete (no tag manifest): its run ended before bagging and no run has completed it "
             "since"));
    } else {
      ++report_.summary.bags_complete;
      complete_bags_.insert(bag);
      for (const std::string& line : tags.malformed)
        Add(prefix + kTagManifest, bag, Fault::kBadBag, N_("malformed line: {line}"), {{"line", line}});
      for (const auto& [name, sha] : tags.sha_by_path) CheckHash(prefix + name, bag, sha);
    }
    const Manifest manifest = ReadManifest(*store_, prefix + kManifest);
    if (!manifest.present && tags.present) {
      Add(prefix + kManifest, bag, Fault::kMissing, N_("payload manifest is missing"));
    }
    for (const std::string& line : manifest.malformed)
      Add(prefix + kManifest, bag, Fault::kBadBag, N_("malformed line: {line}"), {{"line", line}});
    for (const auto& [relative, sha] : manifest.sha_by_path) {
      if (relative.rfind("data/", 0) != 0 || relative.find("..") != std::string::npos) {
        Add(prefix + kManifest, bag, Fault::kBadBag, N_("lists a path outside data/: {path}"),
            {{"path", relative}});
        continue;
      }
      Entry& e = EntryFor(bag, relative);
      e.in_manifest = true;
      e.manifest_sha = sha;
    }
    uint64_t octets = 0, streams = 0;
    StatusOr<std::vector<std::string>> payload = store_->List(prefix + "data");
    if (!payload.ok())
      Add(prefix + "data", bag, Fault::kBadBag, N_("cannot list data/: {cause}"),
          {{"cause", payload.status().message()}});
    for (const std::string& key : payload.ok() ? *payload : std::vector<std::string>{}) {
      Entry& e = EntryFor(bag, key.substr(prefix.size()));
      e.on_disk = true;
      StatusOr<uint64_t> size = store_->SizeOf(key);
      e.disk_bytes = size.ok() ? *size : 0;
      octets += e.disk_bytes;
      ++streams;
    }
    if (tags.present) {
      const auto info = ReadBagInfo(*store_, prefix + "bag-info.txt");
      auto oxum = info.find("Payload-Oxum");
      const std::string actual = std::to_string(octets) + "." + std::to_string(streams);
      if (oxum == info.end()) {
        Add(prefix + "bag-info.txt", bag, Fault::kBadBag, N_("no Payload-Oxum"));
      } else if (oxum->second != actual) {
        Add(prefix + "bag-info.txt", bag, Fault::kBadBag,
            N_("Payload-Oxum is {declared} but data/ holds {actual} (octets.files)"),
            {{"declared", oxum->second}, {"actual", actual}});
      }
    }
  }

  // Re-hashes the file at `archive_path` as it streams by.
  void CheckHash(const std::string& archive_path, const std::string& bag, const std::string& expected) {
    uint64_t bytes = 0;
    StatusOr<std::unique_ptr<std::istream>> in = store_->OpenForRead(archive_path);
    JudgeHash(in.ok() ? Sha256Stream(**in, &bytes) : StatusOr<std::string>(in.status()), bytes, archive_path,
              bag, expected);
  }

  // What reading `archive_path` gave (its SHA-256 over `bytes`, or why it
  // could not be read) against `expected`: missing, altered, or hashed.
  void JudgeHash(const StatusOr<std::string>& actual, uint64_t bytes, const std::string& archive_path,
                 const std::string& bag, const std::string& expected) {
    if (!actual.ok()) {
      if (actual.status().code() == StatusCode::kNotFound) {
        Add(archive_path, bag, Fault::kMissing, N_("listed but not on disk"));
      } else {
        Add(archive_path, bag, Fault::kAltered, N_("cannot be read: {cause}"),
            {{"cause", actual.status().message()}});
      }
      return;
    }
    report_.summary.bytes_hashed += bytes;
    if (*actual != expected) {
      Add(archive_path, bag, Fault::kAltered, N_("SHA-256 is {actual}…, the manifest says {expected}…"),
          {{"actual", actual->substr(0, 16)}, {"expected", expected.substr(0, 16)}});
    }
  }

  std::set<std::string> Sample() const {
    std::vector<std::pair<std::string, std::string>> ranked;  // (rank hash, key)
    for (const auto& [key, e] : entries_) {
      if (!e.on_disk) continue;
      ranked.emplace_back(Sha256Hex(std::to_string(options_.seed) + ":" + e.archive_path()), key);
    }
    std::sort(ranked.begin(), ranked.end());
    size_t take = ranked.size();
    if (options_.sample < 1.0)
      take = std::min(ranked.size(), static_cast<size_t>(std::ceil(options_.sample * ranked.size())));
    std::set<std::string> sample;
    for (size_t i = 0; i < take; ++i) sample.insert(ranked[i].second);
    return sample;
  }

  void CheckEntries() {
    const std::set<std::string> sample = Sample();
    report_.summary.payload_files = static_cast<int>(entries_.size());
    for (const auto& [key, e] : entries_) {
      const std::string path = e.archive_path();
      const bool complete = complete_bags_.count(e.bag) > 0;
      if (!e.on_disk) {
        if (!e.in_ledger)
          Add(path, e.bag, Fault::kMissing, N_("listed in the manifest but not on disk"));
        else
          Add(path, e.bag, Fault::kMissing,
              e.in_manifest ? N_("listed in the manifest and the ledger ({source}) but not on disk")
                            : N_("listed in the ledger ({source}) but not on disk"),
              {{"source", e.ledger_source}});
        continue;
      }
      if (!e.in_manifest && complete) {
        Add(path, e.bag, Fault::kExtra,
            e.in_ledger ? N_("in data/ and in the ledger but not in the bag's manifest")
                        : N_("in data/ but in no manifest and unknown to the ledger"));
      } else if (!e.in_ledger) {
        Add(path, e.bag, Fault::kLedgerMismatch, N_("payload file unknown to the ledger"));
      }
      if (e.in_ledger && e.in_manifest && e.ledger_sha != e.manifest_sha) {
        Add(path, e.bag, Fault::kLedgerMismatch,
            N_("the manifest says {manifest}…, the ledger recorded {ledger}… when it archived the file"),
            {{"manifest", e.manifest_sha.substr(0, 16)}, {"ledger", e.ledger_sha.substr(0, 16)}});
      }
      if (!sample.count(key)) continue;
      ++report_.summary.payload_hashed;
      const std::string expected = e.in_manifest ? e.manifest_sha : e.ledger_sha;
      if (options_.signatures == nullptr || fs::path(e.relative).extension() != ".pdf") {
        if (!expected.empty()) CheckHash(path, e.bag, expected);
        continue;
      }
      // A PDF whose signatures are checked too is read once, for both.
      const StatusOr<std::string> pdf = ReadAll(*store_, path);
      if (!expected.empty()) {
        JudgeHash(pdf.ok() ? StatusOr<std::string>(Sha256Hex(*pdf)) : pdf.status(),
                  pdf.ok() ? pdf->size() : 0, path, e.bag, expected);
      }
      CheckSignatures(pdf, path, e.bag, e.superseded);
    }
  }

  void CheckSignatures(const StatusOr<std::string>& pdf, const std::string& path, const std::string& bag,
                       bool superseded) {
    ++report_.summary.pdfs_checked;
    if (!pdf.ok()) {
      Add(path, bag, Fault::kBadSignature, N_("cannot read {file}"), {{"file", path}});
      return;
    }
    DocumentSignatures document = options_.signatures->CheckDocument(*pdf);
    const std::vector<SignatureResult>& results = document.signatures;
    if (results.empty()) ++report_.summary.pdfs_unsigned;
    if (!document.level.empty()) {
      ++report_.summary.levels[document.level];
      const int64_t now = NowUnixSeconds();
      for (const auto& [tsa, not_after] : document.sealing_tsa) {
        if (!superseded && not_after - now < kTimestampWarningSeconds)
          report_.expiring_timestamps.push_back({path, bag, tsa, not_after});
      }
      report_.signed_pdfs.push_back({path, bag, document.level, results});
    }
    for (const SignatureResult& r : results) {
      report_.summary.chain_checked = report_.summary.chain_checked || r.chain_checked;
      if (r.valid) {
        ++report_.summary.signatures_valid;
      } else {
        ++report_.summary.signatures_invalid;
        // The cause is the signature checker's own words (OpenSSL's among them).
        MessageParams params = {{"index", std::to_string(r.index)}, {"signer", r.signer}, {"cause", r.error}};
        if (r.signer.empty()) params.erase(params.begin() + 1);
        Add(path, bag, Fault::kBadSignature,
            r.document_timestamp ? (r.signer.empty() ? N_("document time-stamp {index}: {cause}")
                                                     : N_("document time-stamp {index} ({signer}): {cause}"))
                                 : (r.signer.empty() ? N_("signature {index}: {cause}")
                                                     : N_("signature {index} ({signer}): {cause}")),
            std::move(params));
      }
    }
  }

  const VerifyOptions& options_;
  ArchiveStore* store_ = nullptr;  // options_.store, or the folder at options_.archive_dir
  VerifyReport report_;
  std::map<std::string, Entry> entries_;  // "<bag>/<relative>"
  std::set<std::string> bag_names_, complete_bags_;
};

}  // namespace

namespace {

// Each fault's name (JSON's "fault", the summary's counts) and the tag that
// starts its line in the text, both msgids.
struct FaultWords {
  Fault fault;
  const char* name;
  const char* tag;
};
constexpr FaultWords kFaultWords[] = {
    {Fault::kMissing, N_("missing"), N_("MISSING")},
    {Fault::kAltered, N_("altered"), N_("ALTERED")},
    {Fault::kExtra, N_("extra"), N_("EXTRA")},
    {Fault::kBadSignature, N_("bad signature"), N_("BAD SIGNATURE")},
    {Fault::kLedgerMismatch, N_("ledger mismatch"), N_("LEDGER MISMATCH")},
    {Fault::kBadBag, N_("bad bag"), N_("BAD BAG")},
};

const FaultWords* WordsOf(Fault fault) {
  for (const FaultWords& w : kFaultWords)
    if (w.fault == fault) return &w;
  return nullptr;
}

const char* FaultTag(Fault fault) {
  const FaultWords* w = WordsOf(fault);
  return w != nullptr ? w->tag : "UNKNOWN";
}

}  // namespace

const char* FaultName(Fault fault) {
  const FaultWords* w = WordsOf(fault);
  return w != nullptr ? w->name : "unknown";
}

StatusOr<VerifyReport> VerifyArchive(const VerifyOptions& options) {
  if (!(options.sample > 0 && options.sample <= 1)) {
    return Status::Configuration("--sample must be a fraction in (0, 1]");
  }
  StatusOr<VerifyReport> report = Verifier(options).Run();
  if (report.ok()) {
    report->readable_by_others = ReadableByOthers(options.archive_dir, 20, &report->readable_by_others_count);
  }
  return report;
}

namespace {

// A problem's detail in `lang`; a {cause} that is a known error is said
// from the catalogue, else (a library's own words) as written.
std::string DetailInLang(const Problem& p, UiLang lang) {
  if (p.what == nullptr) return p.detail;
  MessageParams params = p.params;
  for (auto& [name, value] : params)
    if (name == "cause") value = ErrorInLang(value, lang);
  return Fill(Tr(lang, p.what), params);
}

std::string BagLabel(const std::string& bag, UiLang lang) {
  return Fill(Tr(lang, N_("[bag {bag}]")), {{"bag", bag.empty() ? "-" : EscapeForLog(bag)}});
}

// "signature 1 trusted at 2026-12-05T02:49:16Z (time-stamp)"; the trust
// detail (a revocation after the time-stamp) is the checker's own words.
std::string TrustLine(const SignatureResult& r, UiLang lang) {
  const MessageParams index = {{"index", std::to_string(r.index)}};
  if (r.trust == Trust::kNotChecked)
    return Fill(Tr(lang, r.document_timestamp ? N_("document time-stamp {index} not valid")
                                              : N_("signature {index} not valid")),
                index);
  std::string line =
      Fill(Tr(lang, r.document_timestamp ? N_("document time-stamp {index} {trust} at {time} ({source})")
                                         : N_("signature {index} {trust} at {time} ({source})")),
           {{"index", std::to_string(r.index)},
            {"trust", Tr(lang, TrustName(r.trust))},
            {"time", UtcTime(r.checked_at)},
            {"source", r.time_source.empty() ? "" : Tr(lang, r.time_source.c_str())}});
  if (r.trust == Trust::kTrusted && !r.trust_detail.empty()) line += " — " + r.trust_detail;
  return line;
}

std::string Days(int64_t not_after, UiLang lang) {
  const int64_t days = (not_after - NowUnixSeconds()) / 86400;
  const MessageParams n = {{"n", std::to_string(days < 0 ? -days : days)}};
  return days < 0 ? Fill(TrN(lang, "expired {n} day ago", "expired {n} days ago", -days), n)
                  : Fill(TrN(lang, "in {n} day", "in {n} days", days), n);
}

// One LEVEL line per signed PDF, then the time-stamp certificates ending soon.
void WriteTrustText(const VerifyReport& report, std::ostream& out, UiLang lang) {
  for (const SignedPdf& d : report.signed_pdfs) {
    out << Fill(Tr(lang, N_("LEVEL {level}")), {{"level", d.level}}) << "  " << EscapeForLog(d.file) << "  "
        << BagLabel(d.bag, lang) << "  ";
    for (size_t i = 0; i < d.signatures.size(); ++i)
      out << (i ? "; " : "") << EscapeForLog(TrustLine(d.signatures[i], lang));
    out << "\n";
  }
  for (const ExpiringTimestamp& e : report.expiring_timestamps) {
    out << Tr(lang, N_("EXPIRING")) << "  " << EscapeForLog(e.file) << "  " << BagLabel(e.bag, lang) << "  "
        << Fill(Tr(lang, N_("time-stamp certificate {tsa} ends {date} ({when}): add a new archive time-stamp "
                            "before then")),
                {{"tsa", EscapeForLog(e.tsa)},
                 {"date", UtcTime(e.not_after)},
                 {"when", Days(e.not_after, lang)}})
        << "\n";
  }
  if (!report.signed_pdfs.empty() || !report.expiring_timestamps.empty()) out << "\n";
}

// "bags: 2 (2 complete); payload files: …; ledger records: 6"
void WriteCountsText(const VerifyReport& report, std::ostream& out, UiLang lang) {
  const VerifySummary& s = report.summary;
  out << Fill(Tr(lang, N_("bags: {bags} ({complete} complete); payload files: {files}, re-hashed {hashed}")),
              {{"bags", std::to_string(s.bags)},
               {"complete", std::to_string(s.bags_complete)},
               {"files", std::to_string(s.payload_files)},
               {"hashed", std::to_string(s.payload_hashed)}});
  if (report.sample < 1) {
    std::ostringstream sample;
    sample << report.sample;
    out << Fill(Tr(lang, N_(" (sample {sample}, seed {seed})")),
                {{"sample", sample.str()}, {"seed", std::to_string(report.seed)}});
  }
  out << Fill(Tr(lang, N_(" ({bytes} bytes); ledger records: {records}")),
              {{"bytes", std::to_string(s.bytes_hashed)}, {"records", std::to_string(s.ledger_records)}})
      << "\n";
  if (s.pdfs_checked == 0) {
    out << Tr(lang, N_("signatures: not checked")) << "\n";
  } else {
    out << Fill(Tr(lang,
                   N_("signatures: {pdfs} PDFs looked at, {unsigned} unsigned, {valid} signatures valid, "
                      "{invalid} invalid")),
                {{"pdfs", std::to_string(s.pdfs_checked)},
                 {"unsigned", std::to_string(s.pdfs_unsigned)},
                 {"valid", std::to_string(s.signatures_valid)},
                 {"invalid", std::to_string(s.signatures_invalid)}})
        << (s.chain_checked ? Tr(lang, N_(" (chains checked against the trust store)"))
                            : (s.signatures_valid + s.signatures_invalid > 0
                                   ? Tr(lang, N_(" (chains NOT checked: no --trust-store)"))
                                   : ""))
        << "\n";
  }
  if (!s.levels.empty()) {
    std::string levels;
    for (const auto& [level, count] : s.levels)
      levels += (levels.empty() ? "" : ", ") + std::to_string(count) + " " + level;
    out << Fill(Tr(lang, N_("levels: {levels} (PAdES baseline, as the files hold it)")), {{"levels", levels}})
        << "\n";
  }
}

}  // namespace

void WriteVerifyText(const VerifyReport& report, std::ostream& out, UiLang lang) {
  for (const Problem& p : report.problems) {
    out << Tr(lang, FaultTag(p.fault)) << "  " << EscapeForLog(p.file) << "  " << BagLabel(p.bag, lang)
        << "  " << EscapeForLog(DetailInLang(p, lang)) << "\n";
  }
  WriteTrustText(report, out, lang);
  if (!report.problems.empty()) out << "\n";
  WriteCountsText(report, out, lang);
  if (report.readable_by_others_count > 0) {
    out << Fill(Tr(lang,
                   N_("warning: {n} files and folders of the archive are readable by every account on this "
                      "server (e.g. {example}); they hold personal data: chmod -R o-rwx the archive (new "
                      "runs write 0640/0750)")),
                {{"n", std::to_string(report.readable_by_others_count)},
                 {"example", EscapeForLog(report.readable_by_others.front())}})
        << "\n";
  }
  if (report.intact()) {
    out << Tr(lang, N_("result: intact")) << "\n";
    return;
  }
  std::map<Fault, int> by_fault;
  for (const Problem& p : report.problems) ++by_fault[p.fault];
  std::string faults;
  for (const auto& [fault, count] : by_fault)
    faults += (faults.empty() ? "" : ", ") +
              Fill(Tr(lang, N_("{n} {fault}")),
                   {{"n", std::to_string(count)}, {"fault", Tr(lang, FaultName(fault))}});
  const long n = static_cast<long>(report.problems.size());
  out << Fill(TrN(lang, "result: {n} problem ({faults})", "result: {n} problems ({faults})", n),
              {{"n", std::to_string(n)}, {"faults", faults}})
      << "\n";
}

void WriteVerifyJson(const VerifyReport& report, std::ostream& out) {
  nlohmann::json problems = nlohmann::json::array();
  for (const Problem& p : report.problems)
    problems.push_back({{"file", DisplayName(p.file)},
                        {"bag", DisplayName(p.bag)},
                        {"fault", FaultName(p.fault)},
                        {"detail", p.detail}});
  const VerifySummary& s = report.summary;
  nlohmann::json j = {{"intact", report.intact()},
                      {"problems", problems},
                      {"summary",
                       {{"bags", s.bags},
                        {"bags_complete", s.bags_complete},
                        {"payload_files", s.payload_files},
                        {"payload_hashed", s.payload_hashed},
                        {"bytes_hashed", s.bytes_hashed},
                        {"sample", report.sample},
                        {"seed", report.seed},
                        {"ledger_records", s.ledger_records},
                        {"pdfs_checked", s.pdfs_checked},
                        {"pdfs_unsigned", s.pdfs_unsigned},
                        {"signatures_valid", s.signatures_valid},
                        {"signatures_invalid", s.signatures_invalid},
                        {"chain_checked", s.chain_checked}}},
                      {"readable_by_others", report.readable_by_others},
                      {"readable_by_others_count", report.readable_by_others_count}};
  if (s.chain_checked) {
    j["summary"]["levels"] = s.levels;
    nlohmann::json documents = nlohmann::json::array();
    for (const SignedPdf& d : report.signed_pdfs) {
      nlohmann::json signatures = nlohmann::json::array();
      for (const SignatureResult& r : d.signatures) {
        signatures.push_back({{"index", r.index},
                              {"kind", r.document_timestamp ? "document time-stamp" : "signature"},
                              {"valid", r.valid},
                              {"trust", TrustName(r.trust)},
                              {"checked_at", r.checked_at ? UtcTime(r.checked_at) : ""},
                              {"time_source", r.time_source},
                              {"detail", r.valid ? r.trust_detail : r.error}});
      }
      documents.push_back(
          {{"file", DisplayName(d.file)}, {"bag", DisplayName(d.bag)}, {"level", d.level}, {"signatures", signatures}});
    }
    j["documents"] = documents;
    nlohmann::json expiring = nlohmann::json::array();
    for (const ExpiringTimestamp& e : report.expiring_timestamps) {
      expiring.push_back({{"file", DisplayName(e.file)},
                          {"bag", DisplayName(e.bag)},
                          {"tsa", e.tsa},
                          {"not_after", UtcTime(e.not_after)}});
    }
    j["expiring_timestamp_certificates"] = expiring;
  }
  out << DumpJson(j, 2) << "\n";
}

}  // namespace sohoa
