#include "pipeline/report/extract.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/archive/archive_store.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/sha256.h"
#include "pipeline/report/zip_package.h"

namespace sohoa {
namespace fs = std::filesystem;
namespace {

bool IsSha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The record, known and with a PDF; the same answer for both misses.
StatusOr<LedgerRecord> RecordWithPdf(Ledger& ledger, const std::string& sha256) {
  if (!IsSha256(sha256)) return Status::InvalidInput("a record is named by its 64-hex-digit sha256");
  StatusOr<std::optional<LedgerRecord>> found = ledger.Find(sha256);
  if (!found.ok()) return found.status();
  if (!found->has_value() || (*found)->pdf.empty() ||
      ((*found)->status != "archived" && (*found)->status != "review")) {
    return Status::NotFound("no archived PDF for record " + sha256);
  }
  return **found;
}

// Appends the disclosure of one record to the access log.
Status Audit(Ledger& ledger, const std::string& who, const std::string& via, const std::string& purpose,
             const std::string& kind, const std::string& sha256) {
  AccessRecord access;
  access.at = NowUtcIso8601();
  access.who = who;
  access.via = via;
  access.purpose = purpose;
  access.query_kind = kind;
  access.returned = 1;
  access.records_json = nlohmann::json::array({sha256}).dump();
  Status audited = ledger.RecordAccess(access);
  if (!audited.ok()) return Status(audited.code(), ErrorText("audit.access", {{"cause", audited.message()}}));
  return Status::Ok();
}

StatusOr<std::string> ReadPdf(const std::string& archive_dir, const LedgerRecord& record) {
  StatusOr<std::unique_ptr<ArchiveStore>> store = OpenFilesystemStoreForReading(archive_dir);
  if (!store.ok()) return store.status();
  return ReadAll(**store, record.pdf);
}

}  // namespace

StatusOr<std::string> ReadRecordPdf(Ledger& ledger, const std::string& archive_dir, const PdfAccess& access) {
  SOHOA_RETURN_IF_ERROR(CheckPurpose(access.purpose));
  if (access.who.empty()) return Status::InvalidInput(ErrorText("audit.who_asking", {}));
  StatusOr<LedgerRecord> record = RecordWithPdf(ledger, access.sha256);
  if (!record.ok()) return record.status();
  SOHOA_RETURN_IF_ERROR(Audit(ledger, access.who, access.via, access.purpose, access.kind, access.sha256));
  return ReadPdf(archive_dir, *record);
}

StatusOr<CitizenExtract> MakeCitizenExtract(Ledger& ledger, const std::string& archive_dir,
                                            const ExtractRequest& request, const CoverMaker* cover) {
  SOHOA_RETURN_IF_ERROR(CheckPurpose(request.purpose));
  if (request.who.empty()) return Status::InvalidInput(ErrorText("audit.who_asking", {}));
  StatusOr<LedgerRecord> record = RecordWithPdf(ledger, request.sha256);
  if (!record.ok()) return record.status();
  if (record->status != "archived") {
    return Status::InvalidInput("record " + request.sha256 +
                                " still awaits review: an extract is made of archived records only");
  }
  CitizenExtract extract;
  extract.record = DescribeRecord(*record);
  StatusOr<std::string> original = ReadPdf(archive_dir, *record);
  if (!original.ok()) return original.status();
  extract.original = std::move(original).value();
  extract.original_sha256 = Sha256Hex(extract.original);
  const std::string stem =
      (extract.record.doc_type.empty() ? std::string("record") : extract.record.doc_type) + "-" +
      request.sha256.substr(0, 12);
  extract.original_name = stem + ".pdf";
  if (cover != nullptr) {
    CoverFacts facts;
    facts.clerk = request.who;
    facts.issued_at = NowUnixSeconds();
    facts.purpose = request.purpose;
    facts.doc_type = extract.record.doc_type;
    facts.number = extract.record.number;
    facts.book = extract.record.book;
    facts.registered_on = extract.record.registered_on;
    facts.record_sha256 = request.sha256;
    facts.original_name = extract.original_name;
    facts.original_sha256 = extract.original_sha256;
    facts.pdf_version = extract.record.pdf_version;
    StatusOr<std::string> made = (*cover)(facts);
    if (!made.ok()) return made.status().WithContext("the certified cover could not be made");
    extract.cover = std::move(made).value();
    extract.cover_name = stem + "-cover.pdf";
  }
  // Logged last, once everything to hand out exists: an extract that
  // failed disclosed nothing.
  SOHOA_RETURN_IF_ERROR(Audit(ledger, request.who, request.via, request.purpose,
                              cover != nullptr ? "extract+cover" : "extract", request.sha256));
  return extract;
}

Status WriteExtractFiles(const CitizenExtract& extract, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
  SOHOA_RETURN_IF_ERROR(
      WriteFileAtomically((fs::path(dir) / extract.original_name).string(), extract.original));
  if (extract.cover_name.empty()) return Status::Ok();
  return WriteFileAtomically((fs::path(dir) / extract.cover_name).string(), extract.cover);
}

StatusOr<std::string> ExtractZipBytes(const CitizenExtract& extract) {
  // libzip reads members from files (zip_package.h): a private scratch
  // folder, removed whatever happens.
  std::string pattern = (fs::temp_directory_path() / "sohoa-extract-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Status::IoError("cannot make a scratch folder for the zip");
  const fs::path scratch = pattern;
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } cleanup{scratch};
  SOHOA_RETURN_IF_ERROR(WriteExtractFiles(extract, (scratch / "files").string()));
  std::vector<ZipMember> members = {
      {extract.original_name, (scratch / "files" / extract.original_name).string()}};
  if (!extract.cover_name.empty())
    members.push_back({extract.cover_name, (scratch / "files" / extract.cover_name).string()});
  const std::string zip = (scratch / "extract.zip").string();
  SOHOA_RETURN_IF_ERROR(WriteZip(zip, members));
  std::ifstream in(zip, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::IoError("cannot read back the extract's zip");
  return bytes.str();
}

}  // namespace sohoa
