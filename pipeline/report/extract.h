// What a clerk hands a citizen (issue 22, part 3): the archived PDF/A of a
// record exactly as archived — its bytes untouched, so its PAdES signatures
// stay valid — and, when the organisation's key is at hand, a certified
// cover: a separate one-page PDF/A naming who issued the copy, when, for
// what purpose, the record's type, number and date and the original's
// SHA-256, signed by the organisation. Pages are never added to the signed
// original (that would break its signatures); the cover travels beside it,
// as two files or one zip.
//
// Every disclosure is in the ledger's access log before any byte leaves
// (as find, find.h): opening a record's PDF ("pdf_open"), downloading it
// ("pdf_download"), an extract ("extract", "extract+cover"). The log keeps
// who, when, through what, the purpose and the record's sha256, never a
// searched value. If the log cannot be written nothing is disclosed.
//
// pipeline/ never includes stages/: the cover is made by a CoverMaker the
// composition root passes in (stages/signing/extract_cover.h).
#pragma once

#include <functional>
#include <string>

#include "pipeline/ledger/ledger.h"
#include "pipeline/report/find.h"

namespace sohoa {

// What the certified cover states (no name, ID or birth date of the holder,
// nor the result code, which embeds the holder's ID: the original carries
// those).
struct CoverFacts {
  std::string issued_by;  // the organisation (the signing certificate's name)
  std::string clerk;      // the account or OS user who issued it
  int64_t issued_at = 0;  // unix seconds
  std::string purpose;
  std::string doc_type, number, book, registered_on;
  std::string record_sha256;    // the ledger's record (its input's sha256)
  std::string original_name;    // the original's file name in the extract
  std::string original_sha256;  // SHA-256 of the original PDF's bytes
  int pdf_version = 1;
};

// Makes the signed cover PDF's bytes; returns its error when it cannot.
using CoverMaker = std::function<StatusOr<std::string>(const CoverFacts&)>;

// One disclosure of a record's PDF, as audited.
struct PdfAccess {
  std::string sha256;  // the record (find's sha256)
  std::string purpose, who;
  std::string via = "cli";
  std::string kind = "pdf_open";  // pdf_open | pdf_download
};

// The current PDF of `access.sha256` (an archived or in-review record),
// read from the archive at `archive_dir` after the access is logged.
// kInvalidInput for a bad purpose; kNotFound for an unknown record or one
// without a PDF; a failed log write is an error and nothing is returned.
StatusOr<std::string> ReadRecordPdf(Ledger& ledger, const std::string& archive_dir, const PdfAccess& access);

struct ExtractRequest {
  std::string sha256;  // the record, as `sohoa find` shows it
  std::string purpose, who;
  std::string via = "cli";
};

struct CitizenExtract {
  FoundRecord record;
  std::string original_name;  // "<doc_type>-<sha256[0:12]>.pdf": no personal data in names
  std::string original;       // the archived bytes, as archived
  std::string original_sha256;
  std::string cover_name;  // "" without a cover
  std::string cover;
};

// The extract of an archived record (kInvalidInput for one still in review:
// nobody has vouched for its values), with a cover when `cover` is not null
// (its failure fails the extract: nothing half-certified is handed out).
// Audited as "extract" / "extract+cover" before anything is returned.
StatusOr<CitizenExtract> MakeCitizenExtract(Ledger& ledger, const std::string& archive_dir,
                                            const ExtractRequest& request, const CoverMaker* cover);

// Writes the extract's files into `dir` (created if needed; existing files
// of the same names are replaced). kIoError naming the file.
Status WriteExtractFiles(const CitizenExtract& extract, const std::string& dir);

// The extract as one zip (the original and the cover, stored as they are).
StatusOr<std::string> ExtractZipBytes(const CitizenExtract& extract);

}  // namespace sohoa
