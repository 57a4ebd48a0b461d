// Converted-from-paper marking in the XMP (Decree 137/2024; Circular 01/2023):
// a document stage that runs BEFORE the PDF writer and puts the facts in
// Document::metadata as "xmp:..." entries, which the writer turns into XMP
// properties with their PDF/A extension schema (pdf_metadata.h):
//   sohoapaper:ConvertedFromPaper = "True"
//   sohoapaper:ScannedAt          = input file mtime, ISO 8601 (+07:00)
//   sohoapaper:ConvertedAt        = processing time, ISO 8601 (+07:00)
//   sohoapaper:ConvertedBy        = the staff member (omitted when unknown)
//   sohoapaper:ConvertingOrganisation (omitted when unknown)
//   sohoapaper:LegalBasis         = "Nghị định 137/2024/NĐ-CP"
// in namespace https://sohoa.example/ns/paper-conversion/1.0/. The same facts
// are visible in the staff signature appearance (signing_stage.h). Because it
// runs before the writer, signing never has to rewrite the XMP, so XMP and
// Info stay as the writer made them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pipeline/core/stage.h"

namespace sohoa {

struct PaperProvenanceOptions {
  std::string converted_by;
  std::string organisation;
  bool deterministic = false;
  int64_t deterministic_unix_time = 1627455909;
  int utc_offset_minutes = 7 * 60;
};

// Name() is "provenance". Thread-safe: workers share nothing.
std::unique_ptr<DocumentStage> NewPaperProvenanceStage(const PaperProvenanceOptions& options);

}  // namespace sohoa
