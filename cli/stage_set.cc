#include "cli/stage_set.h"

#include "pipeline/inventory/inventory_match.h"
#include "stages/book/book_layout_stage.h"
#include "stages/book/book_split_stage.h"
#include "stages/decode/ingest_stage.h"
#include "stages/fields/field_extraction_stage.h"
#include "stages/page/deskew_stage.h"
#include "stages/page/leptonica_raster.h"
#include "stages/page/ocr_stage.h"
#include "stages/page/orient_stage.h"
#include "stages/pdf/encode_stage.h"
#include "stages/pdf/pdf_writer_stage.h"
#include "stages/signing/signing_provenance_stage.h"

namespace sohoa::cli {

StageSet BuildStageSet(const RunOptions& o, std::function<StatusOr<std::unique_ptr<Ledger>>()> open_ledger,
                       std::unique_ptr<DocumentStage> signing, const SignerNames& signers) {
  // Before the stages' workers exist: orientation scales pages with
  // Leptonica before anything converts one (RasterToPix quiets it too).
  QuietLeptonicaWarnings();
  StageSet set;
  IngestOptions ingest;
  set.documents.push_back(NewIngestProbeStage(ingest));
  set.graph.before_split.push_back(set.documents.back().get());

  set.pages.push_back(NewIngestDecodeStage(ingest));
  OrientOptions orient;
  orient.tessdata_dir = o.tessdata;
  set.pages.push_back(NewOrientStage(orient));
  set.pages.push_back(NewDeskewStage(DeskewOptions{}));
  OcrOptions ocr;
  ocr.languages = o.lang;
  ocr.tessdata_dir = o.tessdata;
  FieldExtractionOptions fields;
  fields.doctypes_dir = o.doctypes;
  ocr.letters.find_title = NewTitleFinder(fields);
  set.pages.push_back(NewOcrStage(ocr));
  // Register books only: rulings, spreads, page numbers and handwriting,
  // while the page's pixels are still there (issue 17).
  set.pages.push_back(NewBookLayoutStage());
  EncodeOptions encode;
  encode.jpeg_quality = o.jpeg_quality;
  ParseImageMode(o.image_mode, &encode.image_mode);  // validated with the options
  set.pages.push_back(NewEncodeStage(encode));
  for (auto& stage : set.pages) set.graph.page_stages.push_back(stage.get());

  BookSplitOptions book_split;
  book_split.doctypes_dir = o.doctypes;
  set.splitter = NewBookSplitStage(book_split);
  set.graph.splitter = set.splitter.get();

  fields.review_confidence = o.review_confidence;
  fields.code_separator = o.code_separator;
  set.documents.push_back(NewFieldExtractionStage(fields));
  set.graph.after_join.push_back(set.documents.back().get());
  InventoryMatchOptions match;
  match.open_ledger = std::move(open_ledger);
  match.check_fields_again = NewFieldRecheck(fields);
  set.documents.push_back(NewInventoryMatchStage(match));
  set.graph.after_join.push_back(set.documents.back().get());

  if (signing || !o.operator_name.empty()) {
    PaperProvenanceOptions provenance;
    provenance.converted_by = signers.staff.empty() ? o.operator_name : signers.staff;
    provenance.organisation = signers.org.empty() ? o.organization : signers.org;
    provenance.deterministic = o.deterministic;
    provenance.deterministic_unix_time = kDeterministicTime;
    set.documents.push_back(NewPaperProvenanceStage(provenance));
    set.graph.after_join.push_back(set.documents.back().get());
  }

  PdfWriterOptions pdf;
  pdf.level = o.pdfa == "1b" ? PdfALevel::k1b : PdfALevel::k2b;
  pdf.deterministic = o.deterministic;
  if (!o.tessdata.empty()) pdf.tessdata_dir = o.tessdata;
  set.documents.push_back(NewPdfWriterStage(pdf));
  set.graph.after_join.push_back(set.documents.back().get());
  if (signing) {
    set.documents.push_back(std::move(signing));
    set.graph.after_join.push_back(set.documents.back().get());
  }
  return set;
}

}  // namespace sohoa::cli
