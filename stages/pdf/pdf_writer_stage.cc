#include "stages/pdf/pdf_writer_stage.h"

#include <podofo/podofo.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "pipeline/core/file_util.h"
#include "stages/pdf/pdf_metadata.h"
#include "stages/pdf/pdf_text_layer.h"
#include "stages/pdf/srgb_profile.h"
#include "stages/pdf/type0_font.h"

namespace sohoa {
namespace {

namespace fs = std::filesystem;
using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfString;
using PoDoFo::PdfVariant;

constexpr char kFontName[] = "GlyphLessFont";

// What every document shares: loaded once per worker, read-only after.
struct Resources {
  GlyphlessFont font;
  std::string icc_profile;
  std::string to_unicode;
  std::string cid_to_gid;
};

void AddOutput(Document& document, const std::string& role, const fs::path& path, size_t bytes) {
  for (auto it = document.outputs.begin(); it != document.outputs.end();) {
    it = it->role == role ? document.outputs.erase(it) : it + 1;
  }
  OutputFile output;
  output.role = role;
  output.staged_path = path.string();
  output.bytes = bytes;
  document.outputs.push_back(std::move(output));
}

bool IsLowerHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A stream object whose bytes are stored exactly as given (already
// compressed, or required unfiltered like XMP).
PdfObject* RawStream(PoDoFo::PdfVecObjects& objects, const std::string& bytes, const char* type = nullptr) {
  PdfObject* object = objects.CreateObject(type);
  object->GetStream()->Set(bytes.data(), static_cast<PoDoFo::pdf_long>(bytes.size()), PoDoFo::TVecFilters());
  return object;
}

// A Flate-compressed stream object (PoDoFo's default filter).
PdfObject* FlateStream(PoDoFo::PdfVecObjects& objects, const std::string& bytes) {
  PdfObject* object = objects.CreateObject();
  object->GetStream()->Set(bytes.data(), static_cast<PoDoFo::pdf_long>(bytes.size()));
  return object;
}

// A PDF text string: plain when ASCII, UTF-16BE otherwise.
PdfString TextString(const std::string& utf8) {
  for (unsigned char c : utf8) {
    if (c >= 0x80) return PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(utf8.c_str()));
  }
  return PdfString(utf8);
}

PdfArray IntArray(std::initializer_list<int> values) {
  PdfArray array;
  for (int v : values) array.push_back(PdfVariant(static_cast<PoDoFo::pdf_int64>(v)));
  return array;
}

// Type0 font -> CIDFontType2 -> FontDescriptor -> FontFile2, plus the
// ToUnicode and CIDToGIDMap streams. Returns the Type0 font object.
PdfObject* AddGlyphlessFont(PoDoFo::PdfVecObjects& objects, const Resources& r) {
  PdfObject* file = FlateStream(objects, r.font.program);
  file->GetDictionary().AddKey("Length1", PdfVariant(static_cast<PoDoFo::pdf_int64>(r.font.program.size())));

  PdfObject* descriptor = objects.CreateObject("FontDescriptor");
  PdfDictionary& d = descriptor->GetDictionary();
  d.AddKey("FontName", PdfName(kFontName));
  d.AddKey("Flags", PdfVariant(static_cast<PoDoFo::pdf_int64>(5)));  // FixedPitch|Symbolic
  d.AddKey("FontBBox", IntArray({r.font.bbox[0], r.font.bbox[1], r.font.bbox[2], r.font.bbox[3]}));
  d.AddKey("ItalicAngle", PdfVariant(static_cast<PoDoFo::pdf_int64>(0)));
  d.AddKey("Ascent", PdfVariant(static_cast<PoDoFo::pdf_int64>(r.font.bbox[3])));
  d.AddKey("Descent", PdfVariant(static_cast<PoDoFo::pdf_int64>(r.font.bbox[1])));
  d.AddKey("CapHeight", PdfVariant(static_cast<PoDoFo::pdf_int64>(r.font.bbox[3])));
  d.AddKey("StemV", PdfVariant(static_cast<PoDoFo::pdf_int64>(80)));
  d.AddKey("FontFile2", file->Reference());

  PdfObject* cid_to_gid = FlateStream(objects, r.cid_to_gid);

  PdfObject* cid_font = objects.CreateObject("Font");
  PdfDictionary& c = cid_font->GetDictionary();
  c.AddKey("Subtype", PdfName("CIDFontType2"));
  c.AddKey("BaseFont", PdfName(kFontName));
  c.AddKey("CIDSystemInfo", IdentityCidSystemInfo());
  c.AddKey("FontDescriptor", descriptor->Reference());
  c.AddKey("DW", PdfVariant(static_cast<PoDoFo::pdf_int64>(r.font.default_width)));
  c.AddKey("CIDToGIDMap", cid_to_gid->Reference());

  PdfObject* to_unicode = FlateStream(objects, r.to_unicode);

  return AddType0Font(objects, kFontName, *cid_font, *to_unicode);
}

PdfObject* AddImage(PoDoFo::PdfVecObjects& objects, const EncodedImage& image) {
  const std::string bytes(image.data.begin(), image.data.end());
  PdfObject* xobject = RawStream(objects, bytes, "XObject");
  PdfDictionary& d = xobject->GetDictionary();
  d.AddKey("Subtype", PdfName("Image"));
  const bool mrc = !image.masks.empty();  // the background, at its own resolution
  d.AddKey("Width", PdfVariant(static_cast<PoDoFo::pdf_int64>(mrc ? image.background_width : image.width)));
  d.AddKey("Height", PdfVariant(static_cast<PoDoFo::pdf_int64>(mrc ? image.background_height : image.height)));
  d.AddKey("ColorSpace", PdfName(image.components == 3 ? "DeviceRGB" : "DeviceGray"));
  d.AddKey("BitsPerComponent", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.bits_per_component)));
  if (image.codec == EncodedImage::Codec::kJpeg) {
    d.AddKey("Filter", PdfName("DCTDecode"));
  } else if (image.codec == EncodedImage::Codec::kFlate) {
    d.AddKey("Filter", PdfName("FlateDecode"));
    PdfDictionary parms;
    parms.AddKey("Predictor", PdfVariant(static_cast<PoDoFo::pdf_int64>(15)));  // PNG, per-row filter
    parms.AddKey("Colors", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.components)));
    parms.AddKey("BitsPerComponent", PdfVariant(static_cast<PoDoFo::pdf_int64>(8)));
    parms.AddKey("Columns", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.width)));
    d.AddKey("DecodeParms", parms);
  } else {
    d.AddKey("Filter", PdfName("CCITTFaxDecode"));
    PdfDictionary parms;
    parms.AddKey("K", PdfVariant(static_cast<PoDoFo::pdf_int64>(-1)));
    parms.AddKey("Columns", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.width)));
    parms.AddKey("Rows", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.height)));
    parms.AddKey("BlackIs1", PdfVariant(false));
    d.AddKey("DecodeParms", parms);
  }
  return xobject;
}

// An MRC mask: a stencil (/ImageMask true: no colour space, 1 bit; 0 bits
// paint in the current fill colour), G4 at the page's full resolution.
PdfObject* AddMask(PoDoFo::PdfVecObjects& objects, const EncodedImage& image, const EncodedImage::Mask& mask) {
  const std::string bytes(mask.g4.begin(), mask.g4.end());
  PdfObject* xobject = RawStream(objects, bytes, "XObject");
  PdfDictionary& d = xobject->GetDictionary();
  d.AddKey("Subtype", PdfName("Image"));
  d.AddKey("Width", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.width)));
  d.AddKey("Height", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.height)));
  d.AddKey("ImageMask", PdfVariant(true));
  d.AddKey("BitsPerComponent", PdfVariant(static_cast<PoDoFo::pdf_int64>(1)));
  d.AddKey("Filter", PdfName("CCITTFaxDecode"));
  PdfDictionary parms;
  parms.AddKey("K", PdfVariant(static_cast<PoDoFo::pdf_int64>(-1)));
  parms.AddKey("Columns", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.width)));
  parms.AddKey("Rows", PdfVariant(static_cast<PoDoFo::pdf_int64>(image.height)));
  parms.AddKey("BlackIs1", PdfVariant(false));
  d.AddKey("DecodeParms", parms);
  return xobject;
}

// The content stream that draws the page image: the image (an MRC page's
// background) over the whole page, then each mask in its colour.
std::string ImageOperators(const EncodedImage& image, double width_pt, double height_pt) {
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, "q\n%.4f 0 0 %.4f 0 0 cm\n/Im0 Do\nQ\n", width_pt, height_pt);
  std::string ops = buffer;
  for (size_t i = 0; i < image.masks.size(); ++i) {
    const EncodedImage::Mask& mask = image.masks[i];
    // A gray page stays DeviceGray (its masks are gray); colour pages paint
    // in DeviceRGB, which the sRGB output intent covers.
    if (image.components == 1) {
      std::snprintf(buffer, sizeof buffer, "q\n%.4f g\n", mask.red / 255.0);
    } else {
      std::snprintf(buffer, sizeof buffer, "q\n%.4f %.4f %.4f rg\n", mask.red / 255.0, mask.green / 255.0,
                    mask.blue / 255.0);
    }
    ops += buffer;
    std::snprintf(buffer, sizeof buffer, "%.4f 0 0 %.4f 0 0 cm\n/Mk%zu Do\nQ\n", width_pt, height_pt, i);
    ops += buffer;
  }
  return ops;
}

Status CheckPage(const Page& page) {
  const EncodedImage& image = page.image;
  const std::string where = "page " + std::to_string(page.index + 1) + ": ";
  if (image.empty() || image.width <= 0 || image.height <= 0) {
    return Status::InvalidInput(where + "no encoded image (encode stage did not run)");
  }
  if (!(image.dpi_x > 0) || !(image.dpi_y > 0)) {
    return Status::InvalidInput(where + "image has no resolution");
  }
  const bool g4 = image.codec == EncodedImage::Codec::kCcittG4;
  if ((g4 && (image.components != 1 || image.bits_per_component != 1)) ||
      (!g4 && ((image.components != 1 && image.components != 3) || image.bits_per_component != 8))) {
    return Status::InvalidInput(where + "encoded image has an impossible layout");
  }
  if (!image.masks.empty()) {
    if (image.codec != EncodedImage::Codec::kJpeg || image.background_width <= 0 ||
        image.background_height <= 0) {
      return Status::InvalidInput(where + "MRC image without a JPEG background");
    }
    for (const EncodedImage::Mask& mask : image.masks) {
      if (mask.g4.empty()) return Status::InvalidInput(where + "MRC image with an empty mask");
    }
  }
  return Status::Ok();
}

// One outline item per bookmark, in order, each opening its page whole (a
// register book: one per entry, so a reader jumps to "Số 12"). Written as
// plain dictionaries (ISO 32000 12.3.3) on the pages' references: a PdfPage
// pointer from CreatePage does not stay valid while more pages are created.
void AddBookmarks(PoDoFo::PdfMemDocument& pdf, const std::vector<Bookmark>& bookmarks,
                  const std::vector<PoDoFo::PdfReference>& pages) {
  std::vector<const Bookmark*> marks;
  for (const Bookmark& mark : bookmarks)
    if (mark.page >= 0 && mark.page < static_cast<int>(pages.size())) marks.push_back(&mark);
  if (marks.empty()) return;
  PoDoFo::PdfVecObjects& objects = pdf.GetObjects();
  PdfObject* outlines = objects.CreateObject("Outlines");
  std::vector<PdfObject*> items;
  for (const Bookmark* mark : marks) {
    PdfObject* item = objects.CreateObject();
    PdfDictionary& dict = item->GetDictionary();
    dict.AddKey("Title", TextString(mark->title));
    dict.AddKey("Parent", outlines->Reference());
    PdfArray destination;
    destination.push_back(pages[mark->page]);
    destination.push_back(PdfName("Fit"));
    dict.AddKey("Dest", destination);
    items.push_back(item);
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) items[i]->GetDictionary().AddKey("Prev", items[i - 1]->Reference());
    if (i + 1 < items.size()) items[i]->GetDictionary().AddKey("Next", items[i + 1]->Reference());
  }
  PdfDictionary& root = outlines->GetDictionary();
  root.AddKey("First", items.front()->Reference());
  root.AddKey("Last", items.back()->Reference());
  root.AddKey("Count", PdfVariant(static_cast<PoDoFo::pdf_int64>(items.size())));
  PdfDictionary& catalog = pdf.GetCatalog()->GetDictionary();
  catalog.AddKey("Outlines", outlines->Reference());
  catalog.AddKey("PageMode", PdfName("UseOutlines"));
}

class PdfWriterWorker : public DocumentWorker {
 public:
  PdfWriterWorker(const PdfWriterOptions& options, Resources resources)
      : options_(options), resources_(std::move(resources)) {}

  Status Process(Document& document) override {
    if (!IsLowerHex64(document.sha256)) {
      return Status::InvalidInput("document sha256 '" + document.sha256 +
                                  "' is not 64 lower-case hex digits");
    }
    if (document.staging_dir.empty()) {
      return Status::InvalidInput("document has no staging directory");
    }
    if (document.pages.empty()) return Status::InvalidInput("document has no pages");
    for (const Page& page : document.pages) SOHOA_RETURN_IF_ERROR(CheckPage(page));
    if (const std::string note = document.ResolutionNote(); !note.empty()) {
      document.metadata["xmp:ns:sohoascan"] = "https://sohoa.example/ns/scan/1.0/";
      document.metadata["xmp:sohoascan:ResolutionNote"] = note;
    }

    StatusOr<std::vector<XmpProperty>> extra = ExtraXmpPropertiesFromMetadata(document.metadata);
    if (!extra.ok()) return extra.status();

    StatusOr<std::string> pdf = BuildPdf(document, std::move(extra).value());
    if (!pdf.ok()) return pdf.status();

    const fs::path dir(document.staging_dir);
    SOHOA_RETURN_IF_ERROR(MakeDirectories(dir.string()));
    const fs::path pdf_path = dir / (document.sha256 + ".pdf");
    SOHOA_RETURN_IF_ERROR(WriteFileAtomically(pdf_path.string(), *pdf));
    AddOutput(document, "pdf", pdf_path, pdf->size());

    std::string text;
    for (size_t i = 0; i < document.pages.size(); ++i) {
      if (i > 0) text += '\f';
      text += document.pages[i].ocr.Text();
    }
    text = NormalizeNfc(text);
    const fs::path text_path = dir / (document.sha256 + ".txt");
    SOHOA_RETURN_IF_ERROR(WriteFileAtomically(text_path.string(), text));
    AddOutput(document, "text", text_path, text.size());
    return Status::Ok();
  }

 private:
  StatusOr<std::string> BuildPdf(const Document& document, std::vector<XmpProperty> extra) {
    const int64_t now = options_.deterministic ? options_.deterministic_unix_time
                                               : std::chrono::duration_cast<std::chrono::seconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count();
    const bool a1 = options_.level == PdfALevel::k1b;

    XmpFields xmp;
    xmp.pdfa_part = a1 ? 1 : 2;
    xmp.pdfa_conformance = "B";
    xmp.title = NormalizeNfc(document.relative_path);
    xmp.creator_tool = options_.creator_tool;
    xmp.producer = options_.producer;
    xmp.create_date = XmpDate(now, options_.utc_offset_minutes);
    xmp.modify_date = xmp.create_date;
    xmp.document_id = UuidFromSeed("sohoa-document:" + document.sha256);
    xmp.instance_id = UuidFromSeed("sohoa-instance:" + document.sha256 + ":" + std::to_string(now) + ":" +
                                   (a1 ? "1b" : "2b"));
    xmp.extra = std::move(extra);
    StatusOr<std::string> packet = BuildXmp(xmp);
    if (!packet.ok()) return packet.status();

    try {
      PoDoFo::PdfMemDocument pdf;
      pdf.SetPdfVersion(a1 ? PoDoFo::ePdfVersion_1_4 : PoDoFo::ePdfVersion_1_7);
      // PDF/A wants an end-of-line after "obj" and around stream keywords;
      // the compact mode writes "1 0 obj<<".
      pdf.SetWriteMode(PoDoFo::ePdfWriteMode_Clean);
      PoDoFo::PdfVecObjects& objects = pdf.GetObjects();

      PdfObject* font = AddGlyphlessFont(objects, resources_);
      std::vector<PoDoFo::PdfReference> pdf_pages;  // PdfPage pointers do not outlive the next page
      for (const Page& page : document.pages) {
        const EncodedImage& image = page.image;
        PageGeometry g;
        g.pt_per_px_x = 72.0 / image.dpi_x;
        g.pt_per_px_y = 72.0 / image.dpi_y;
        g.width_pt = image.width * g.pt_per_px_x;
        g.height_pt = image.height * g.pt_per_px_y;

        PoDoFo::PdfPage* pdf_page = pdf.CreatePage(PoDoFo::PdfRect(0, 0, g.width_pt, g.height_pt));
        pdf_pages.push_back(pdf_page->GetObject()->Reference());
        PdfObject* xobject = AddImage(objects, image);

        PdfDictionary resources;
        PdfDictionary xobjects;
        xobjects.AddKey("Im0", xobject->Reference());
        for (size_t i = 0; i < image.masks.size(); ++i) {
          xobjects.AddKey("Mk" + std::to_string(i), AddMask(objects, image, image.masks[i])->Reference());
        }
        resources.AddKey("XObject", xobjects);
        const std::string text_ops = TextLayerOperators(page.ocr, g, "F1", resources_.font.default_width);
        if (!text_ops.empty()) {
          PdfDictionary fonts;
          fonts.AddKey("F1", font->Reference());
          resources.AddKey("Font", fonts);
        }
        PdfDictionary& page_dict = pdf_page->GetObject()->GetDictionary();
        page_dict.AddKey("Resources", resources);

        PdfObject* contents = FlateStream(objects, ImageOperators(image, g.width_pt, g.height_pt) + text_ops);
        page_dict.AddKey("Contents", contents->Reference());
      }

      AddBookmarks(pdf, document.bookmarks, pdf_pages);

      // Info: only keys that XMP mirrors, exactly equal to it.
      PdfDictionary& info = pdf.GetInfo()->GetObject()->GetDictionary();
      info.Clear();
      const std::string pdf_date = PdfDate(now, options_.utc_offset_minutes);
      info.AddKey("Title", TextString(xmp.title));
      info.AddKey("Creator", TextString(xmp.creator_tool));
      info.AddKey("Producer", TextString(xmp.producer));
      info.AddKey("CreationDate", PdfString(pdf_date));
      info.AddKey("ModDate", PdfString(pdf_date));

      PdfDictionary& catalog = pdf.GetCatalog()->GetDictionary();
      PdfObject* metadata = RawStream(objects, *packet, "Metadata");
      metadata->GetDictionary().AddKey("Subtype", PdfName("XML"));
      catalog.AddKey("Metadata", metadata->Reference());

      PdfObject* icc = FlateStream(objects, resources_.icc_profile);
      AddSrgbOutputIntent(icc, catalog);

      PoDoFo::PdfRefCountedBuffer buffer;
      PoDoFo::PdfOutputDevice device(&buffer);
      pdf.Write(&device);
      return std::string(buffer.GetBuffer(), device.GetLength());
    } catch (const PoDoFo::PdfError& e) {
      return Status::Internal(std::string("PoDoFo failed to build the PDF: ") +
                              PoDoFo::PdfError::ErrorMessage(e.GetError()));
    } catch (const std::exception& e) {
      return Status::Internal(std::string("building the PDF failed: ") + e.what());
    }
  }

  const PdfWriterOptions options_;
  const Resources resources_;
};

class PdfWriterStage : public DocumentStage {
 public:
  explicit PdfWriterStage(const PdfWriterOptions& options) : options_(options) {}
  std::string Name() const override { return "pdf"; }

  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    if (options_.producer.empty() || options_.creator_tool.empty()) {
      return Status::Configuration("pdf: producer and creator_tool must not be empty");
    }
    if (options_.utc_offset_minutes < -14 * 60 || options_.utc_offset_minutes > 14 * 60) {
      return Status::Configuration("pdf: utc_offset_minutes out of range");
    }
    Resources resources;
    StatusOr<GlyphlessFont> font = LoadGlyphlessFont((fs::path(options_.tessdata_dir) / "pdf.ttf").string());
    if (!font.ok()) return font.status().WithContext("pdf");
    resources.font = std::move(font).value();
    StatusOr<std::string> icc = SrgbIccProfile();
    if (!icc.ok()) return icc.status().WithContext("pdf");
    resources.icc_profile = *icc;
    resources.to_unicode = IdentityToUnicodeCMap();
    resources.cid_to_gid = ConstantCidToGidMap(resources.font.glyph_id);
    return std::unique_ptr<DocumentWorker>(new PdfWriterWorker(options_, std::move(resources)));
  }

 private:
  const PdfWriterOptions options_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewPdfWriterStage(const PdfWriterOptions& options) {
  return std::make_unique<PdfWriterStage>(options);
}

}  // namespace sohoa
