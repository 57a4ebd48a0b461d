// Mixed raster content (issue 19): a gray or colour page split into what
// must stay sharp and what may be blurred, each stored the way it compresses
// best.
//
//   mask        the dark, neutral ink (printed text, rules, typed entries) as
//               a full-resolution bilevel stencil, CCITT G4: lossless, so no
//               stroke or diacritic is approximated (no JBIG2, no symbol
//               substitution). Painted in one colour, the median colour of
//               the page's pixels under it. At 300 dpi its edge is drawn a
//               little darker than the threshold (MrcOptions::edge_fraction).
//   background  everything else (paper, photos, red seals, blue signatures
//               and handwriting) downsampled to about background_dpi and
//               JPEG-compressed hard. Under the mask (grown by one pixel, to
//               take the anti-aliased edges too) the background is filled
//               with the surrounding paper before downsampling, so the text
//               does not show twice as a blurred ghost.
//
// Which pixels are ink: darker than Otsu's threshold of the page's
// luminance, and not coloured (chroma above max_ink_chroma: a red seal or a
// blue signature keeps its colour in the background), and not a speck: a
// blot of ink smaller than max_speck_mm2 (dust, toner, paper fibre) stays in
// the background, blurred as the scan's own JPEG would show it, instead of
// becoming a sharp black dot beside the letters. The OCR's word boxes
// decide whether the page is MRC at all (text large enough to binarise,
// below).
//
// In the PDF (stages/pdf/pdf_writer_stage.h): the background drawn over the
// page, then each mask as an /ImageMask stencil. No soft mask, no
// transparency group: valid in PDF/A-1b and PDF/A-2b.
//
// Thread safety: pure function of its arguments.
#pragma once

#include "pipeline/core/document.h"
#include "pipeline/core/status.h"

namespace sohoa {

struct MrcOptions {
  // The background's resolution: the scan's divided by the smallest whole
  // factor that brings it to this or below (300 dpi -> 150, 200 -> 100).
  double background_dpi = 150;
  // libjpeg quality of the background: only paper, colour and pictures live
  // there, so it can be low.
  int background_quality = 40;
  // max(R,G,B) - min(R,G,B) above which a dark pixel is coloured ink (a
  // seal, a signature) and stays in the background.
  int max_ink_chroma = 60;
  // Ink blots of at most this area (8-connected, in mm^2 of paper: 6 pixels
  // at 200 dpi, 13 at 300) are specks, left in the background. The dot of
  // a Vietnamese dấu nặng in 11-13 pt type is several times larger. Masked
  // as ink, the specks of the generated noisy scans made Tesseract read
  // the rendered page up to 2 CER points worse than the plain JPEG (README,
  // "Page images").
  double max_speck_mm2 = 0.1;
  // Scans of at least edge_min_dpi: the stencil draws only the ink darker
  // than a level edge_fraction of the way from Otsu's threshold to the
  // page's ink level (the median luma of the ink). Otsu's threshold of a
  // page with little ink on noisy paper lies near the paper, so the
  // scanner's blurred fringe became ink: on the held-back 300-dpi page s007
  // the small hook of a dấu hỏi merged with its circumflex into one solid
  // blob that Tesseract read as a dấu sắc (README, "Page images"). At
  // 200 dpi the strokes are two or three pixels wide and the fringe is part
  // of them: left as it is.
  double edge_min_dpi = 250;
  double edge_fraction = 0.25;
  // Pages whose text is too small in pixels to binarise without losing
  // letters stay one JPEG: a resolution below min_dpi, or a median OCR word
  // box lower than min_word_height_px (a screenshot, a web image, a photo
  // of a page whose file claims a high resolution).
  double min_dpi = 200;
  int min_word_height_px = 18;
};

// Returns an image with `masks` empty when the page has no ink to mask or
// text too small to binarise (the caller then stores it as a plain JPEG). Errors: an empty, bilevel or
// resolution-less raster -> kInvalidInput; encoder failures -> kInternal.
StatusOr<EncodedImage> EncodeMrc(const Raster& raster, const OcrResult& ocr, const MrcOptions& options);

}  // namespace sohoa
