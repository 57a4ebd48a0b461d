// The organisation's seal as a small PDF image (issue 19): indexed colour,
// at most 15 colours (median cut over the seal's visible pixels, composited
// onto white) and one index, by a colour-key /Mask, for where the PNG is
// transparent — 4 bits a pixel instead of 24 plus an 8-bit soft mask, and
// valid in PDF/A-1 too (a colour-key mask is not transparency; soft masks
// are forbidden there). A red seal has few colours: its ink at a few
// coverages along the antialiased edges.
#pragma once

#include <podofo/podofo.h>

#include <cstdint>
#include <string>

#include "stages/signing/signature_appearance.h"

namespace sohoa {

struct IndexedImage {
  int width = 0, height = 0;
  int bits = 0;              // per index: 1, 2 or 4
  std::string palette;       // RGB triplets
  int transparent = -1;      // the colour-key index; -1 when every pixel is visible
  std::string samples;       // rows of packed indices, each row padded to a byte
};

// Pixels with alpha below one half become the transparent index.
IndexedImage IndexSeal(const SealImage& seal);

// The image XObject for `seal` in `document`. (A one-colour seal as a G4
// stencil was tried: 3.4 kB where the 1-bit indexed Flate image is 2.2 kB —
// G4 codes runs along rows, and a seal's text runs round in arcs.)
PoDoFo::PdfObject* AddSealImage(PoDoFo::PdfMemDocument& document, const SealImage& seal);

}  // namespace sohoa
