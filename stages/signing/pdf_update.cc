#include "stages/signing/pdf_update.h"

#include <map>

namespace sohoa {
namespace {

using PoDoFo::PdfObject;

// The Info keys PdfMemDocument's load may write (PdfInfo::Init).
constexpr const char* kKeysPoDoFoWrites[] = {"ModDate", "CreationDate", "Producer"};

// Those keys as the newest trailer's Info dictionary of `pdf` holds them
// (absent keys absent). A second parse, because the document's own parser
// has rewritten the dictionary before the caller can see it; load on demand,
// so only the cross-reference data and the Info object are read.
std::map<std::string, PdfObject> StoredInfoKeys(const std::string& pdf) {
  std::map<std::string, PdfObject> stored;
  PoDoFo::PdfVecObjects objects;
  PoDoFo::PdfParser parser(&objects);
  parser.ParseFile(pdf.data(), static_cast<long>(pdf.size()), true);
  const PdfObject* trailer = parser.GetTrailer();
  if (trailer == nullptr || !trailer->IsDictionary()) return stored;
  const PdfObject* info = trailer->GetDictionary().GetKey("Info");
  if (info != nullptr && info->IsReference()) info = objects.GetObject(info->GetReference());
  if (info == nullptr || !info->IsDictionary()) return stored;
  for (const char* key : kKeysPoDoFoWrites) {
    if (const PdfObject* value = info->GetDictionary().GetKey(key)) stored.emplace(key, *value);
  }
  return stored;
}

}  // namespace

Status LoadPdfForUpdate(PoDoFo::PdfMemDocument& document, const std::string& pdf, const std::string& what) {
  // PoDoFo 0.9.8 prints each incremental-update trailer as a debug message
  // on stderr; that is noise in the run log.
  PoDoFo::PdfError::EnableDebug(false);
  std::map<std::string, PdfObject> stored;
  try {
    document.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()), true);
    stored = StoredInfoKeys(pdf);
  } catch (const PoDoFo::PdfError& e) {
    return Status::InvalidInput(what + ": " + PoDoFo::PdfError::ErrorMessage(e.GetError()));
  }
  PoDoFo::PdfDictionary& info = document.GetInfo()->GetObject()->GetDictionary();
  for (const char* key : kKeysPoDoFoWrites) {
    auto it = stored.find(key);
    if (it != stored.end()) {
      info.AddKey(key, it->second);
    } else if (info.HasKey(key)) {
      info.RemoveKey(key);
    }
  }
  return Status::Ok();
}

std::string WritePdfUpdate(PoDoFo::PdfMemDocument& document) {
  // Clean mode: compact mode writes "1 0 obj<<", PDF/A wants an end of line
  // after "obj" (as the writer stage does).
  document.SetWriteMode(PoDoFo::ePdfWriteMode_Clean);
  PoDoFo::PdfRefCountedBuffer buffer;
  PoDoFo::PdfOutputDevice device(&buffer);
  document.WriteUpdate(&device, true);
  return std::string(buffer.GetBuffer(), device.GetLength());
}

}  // namespace sohoa
