// The visible part of a signature: a form XObject drawn into the document
// being signed, and where on page 1 it goes.
//
// Layout (Circular 01/2023 art. 8 and Decree 30/2020, see domain.md):
//  - staff: top-left corner — "Người số hóa: <name>", "Thời gian quét: <ISO
//    time>", "Số hóa từ bản giấy (bản chuyển đổi)" — the converted-from-paper
//    note readers see;
//  - organisation: top-right corner — the red seal PNG at its actual size
//    (its pHYs resolution), and beside it the organisation's name and
//    "Ký số: 2021-07-28T14:05:09+07:00".
// The box sits `margin_pt` from the page edges, in the page margin, so it does
// not cover the text of a normally laid-out page; a caller that knows better
// gives an explicit rectangle (SigningOptions::*_rect). The appearance is
// opaque only where it draws (no background fill), so anything beneath the
// text strokes stays visible.
//
// PDF/A: text uses DejaVu Sans (Vietnamese coverage), embedded once per
// document as a subset shared by its appearances (appearance_font.h), colours
// DeviceRGB under the document's sRGB output intent. The seal is an indexed
// image with a colour-key mask (seal_image.h), valid in PDF/A-1 and 2.
#pragma once

#include <podofo/podofo.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct SealImage {
  int width = 0, height = 0;
  double dpi_x = 0, dpi_y = 0;
  std::vector<uint8_t> rgba;  // width*height*4, straight (not premultiplied) alpha
  double width_pt() const { return width * 72.0 / dpi_x; }
  double height_pt() const { return height * 72.0 / dpi_y; }
};

// Reads a PNG and its resolution (pHYs, pixels per metre). kConfiguration when
// the file is missing, not a PNG, or has no pHYs chunk (its actual size would
// be unknown; say so rather than guess).
StatusOr<SealImage> LoadSealPng(const std::string& path);

// A rectangle in PDF points, origin bottom-left of the page.
struct PdfBox {
  double x = 0, y = 0, width = 0, height = 0;
};

struct AppearanceSpec {
  enum class Corner { kTopLeft, kTopRight };
  Corner corner = Corner::kTopLeft;
  std::vector<std::string> lines;   // UTF-8 text lines, top to bottom
  const SealImage* seal = nullptr;  // drawn at actual size, left of the text
  double font_size_pt = 7;
  double rgb[3] = {0.05, 0.15, 0.55};  // text colour
  double margin_pt = 12;               // distance from the page edges
  double inset_pt = 0;                 // extra distance along the top edge (room for a QR code)
  std::optional<PdfBox> rect;          // explicit placement: overrides corner/margins
  // Every character the document's appearances draw (the others' too): the
  // font subset is made for it, so the signatures of one document embed one
  // font between them. Empty: this appearance's lines.
  std::string font_text;
  std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
};

struct PlacedAppearance {
  std::unique_ptr<PoDoFo::PdfXObject> xobject;  // lives in the document
  PdfBox rect;                                  // where the widget goes
};

// Draws the appearance into `document` for a page whose MediaBox is `page`.
// kConfiguration when the font cannot be loaded; kInternal on PoDoFo errors.
StatusOr<PlacedAppearance> DrawSignatureAppearance(PoDoFo::PdfMemDocument& document, const PdfBox& page,
                                                   const AppearanceSpec& spec);

}  // namespace sohoa
