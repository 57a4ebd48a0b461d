#include "stages/signing/signature_appearance.h"

#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "pipeline/core/file_util.h"
#include "stages/signing/appearance_font.h"
#include "stages/signing/seal_image.h"

namespace sohoa {
namespace {

using PoDoFo::PdfDictionary;

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// pHYs in pixels per metre (unit 1); false when absent or unit-less.
bool FindPhys(const std::string& png, double* dpi_x, double* dpi_y) {
  size_t pos = 8;
  while (pos + 12 <= png.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(png.data() + pos);
    const uint32_t length = BigEndian32(p);
    if (std::memcmp(p + 4, "pHYs", 4) == 0 && length == 9 && pos + 8 + 9 <= png.size()) {
      const uint32_t x = BigEndian32(p + 8), y = BigEndian32(p + 12);
      if (p[16] != 1 || x == 0 || y == 0) return false;
      *dpi_x = x * 0.0254;
      *dpi_y = y * 0.0254;
      return true;
    }
    if (std::memcmp(p + 4, "IDAT", 4) == 0) return false;  // pHYs must precede IDAT
    pos += 12 + static_cast<size_t>(length);
  }
  return false;
}

}  // namespace

StatusOr<SealImage> LoadSealPng(const std::string& path) {
  const std::string what = "seal image " + path;
  constexpr size_t kMaxSealBytes = 8 * 1024 * 1024;  // a seal's PNG: tens of kB
  std::string bytes;
  const Status read = ReadFileBounded(path, kMaxSealBytes, &bytes);
  if (!read.ok()) return Status::Configuration("seal image " + read.message());
  if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8)) {
    return Status::Configuration(what + ": not a PNG file");
  }
  SealImage seal;
  if (!FindPhys(bytes, &seal.dpi_x, &seal.dpi_y)) {
    return Status::Configuration(what +
                                 ": no resolution (pHYs chunk), so its actual size is "
                                 "unknown; save it with its dpi");
  }
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    return Status::Configuration(what + ": " + image.message);
  }
  image.format = PNG_FORMAT_RGBA;
  seal.width = static_cast<int>(image.width);
  seal.height = static_cast<int>(image.height);
  seal.rgba.resize(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, seal.rgba.data(), 0, nullptr)) {
    const std::string message = image.message;
    png_image_free(&image);
    return Status::Configuration(what + ": " + message);
  }
  return seal;
}

StatusOr<PlacedAppearance> DrawSignatureAppearance(PoDoFo::PdfMemDocument& document, const PdfBox& page,
                                                   const AppearanceSpec& spec) {
  try {
    std::string text = spec.font_text;
    for (const std::string& line : spec.lines) text += line;
    StatusOr<AppearanceFont> font = AppearanceFont::ForText(document, spec.font_path, text);
    if (!font.ok()) return font.status();
    const double line_height = spec.font_size_pt * 1.25;
    double text_width = 0;
    std::vector<std::string> encoded;
    for (const std::string& line : spec.lines) {
      double width = 0;
      encoded.push_back(font->Encode(line, &width));
      text_width = std::max(text_width, width * spec.font_size_pt / 1000);
    }
    const double text_height = line_height * static_cast<double>(spec.lines.size());
    constexpr double kPad = 2, kGap = 4;
    const double seal_w = spec.seal ? spec.seal->width_pt() : 0;
    const double seal_h = spec.seal ? spec.seal->height_pt() : 0;
    const double text_x = kPad + (spec.seal ? seal_w + kGap : 0);

    PlacedAppearance placed;
    PdfBox& r = placed.rect;
    r.width = text_x + text_width + kPad;
    r.height = std::max(seal_h, text_height) + 2 * kPad;
    if (spec.rect) {
      r = *spec.rect;
    } else {
      r.y = page.y + page.height - spec.margin_pt - r.height;
      r.x = spec.corner == AppearanceSpec::Corner::kTopLeft
                ? page.x + spec.margin_pt + spec.inset_pt
                : page.x + page.width - spec.margin_pt - spec.inset_pt - r.width;
    }

    placed.xobject =
        std::make_unique<PoDoFo::PdfXObject>(PoDoFo::PdfRect(0, 0, r.width, r.height), &document);
    PdfDictionary& resources = placed.xobject->GetResources()->GetDictionary();
    std::string ops;
    char buffer[200];
    if (spec.seal) {
      const SealImage& seal = *spec.seal;
      PdfDictionary images;
      images.AddKey("Seal", AddSealImage(document, seal)->Reference());
      resources.AddKey("XObject", images);
      // Actual size unless an explicit rectangle is too small for it.
      const double scale =
          std::min(1.0, std::min((r.width - 2 * kPad) / seal_w, (r.height - 2 * kPad) / seal_h));
      std::snprintf(buffer, sizeof buffer, "q %.3f 0 0 %.3f %.3f %.3f cm /Seal Do Q\n", seal_w * scale,
                    seal_h * scale, kPad, (r.height - seal_h * scale) / 2);
      ops += buffer;
    }
    PdfDictionary fonts;
    fonts.AddKey("F0", font->reference());
    resources.AddKey("Font", fonts);
    std::snprintf(buffer, sizeof buffer, "BT /F0 %.2f Tf %.3f %.3f %.3f rg\n", spec.font_size_pt, spec.rgb[0],
                  spec.rgb[1], spec.rgb[2]);
    ops += buffer;
    const double top = (r.height + text_height) / 2;
    for (size_t i = 0; i < encoded.size(); ++i) {
      const double baseline = top - line_height * static_cast<double>(i + 1) +
                              (line_height - spec.font_size_pt) / 2 + spec.font_size_pt * 0.2;
      std::snprintf(buffer, sizeof buffer, "1 0 0 1 %.3f %.3f Tm ", text_x, baseline);
      ops += buffer + encoded[i] + " Tj\n";
    }
    ops += "ET\n";
    placed.xobject->GetContents()->GetStream()->Set(ops.data(), static_cast<PoDoFo::pdf_long>(ops.size()));
    return placed;
  } catch (const PoDoFo::PdfError& e) {
    return Status::Internal(std::string("signature appearance: PoDoFo: ") +
                            PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
}

}  // namespace sohoa
