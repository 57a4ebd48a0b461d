#include "stages/pdf/srgb_profile.h"

#include <lcms2.h>
#include <podofo/podofo.h>

namespace sohoa {
namespace {

StatusOr<std::string> Generate() {
  cmsHPROFILE profile = cmsCreate_sRGBProfile();
  if (profile == nullptr) return Status::Internal("lcms2 could not create the sRGB profile");
  cmsSetProfileVersion(profile, 2.1);
  cmsSetHeaderRenderingIntent(profile, INTENT_PERCEPTUAL);
  cmsUInt32Number size = 0;
  std::string bytes;
  bool ok = cmsSaveProfileToMem(profile, nullptr, &size) && size > 128;
  if (ok) {
    bytes.resize(size);
    ok = cmsSaveProfileToMem(profile, bytes.data(), &size);
    bytes.resize(size);
  }
  cmsCloseProfile(profile);
  if (!ok) return Status::Internal("lcms2 could not serialise the sRGB profile");
  // Pin the creation date (header bytes 24..35) for reproducible output;
  // v2 profiles carry no MD5 profile ID that would cover it.
  // dateTimeNumber: six big-endian uint16 (year, month, day, h, m, s).
  const uint16_t date[6] = {2000, 1, 1, 0, 0, 0};
  for (int i = 0; i < 6; ++i) {
    bytes[24 + 2 * i] = static_cast<char>(date[i] >> 8);
    bytes[25 + 2 * i] = static_cast<char>(date[i] & 0xff);
  }
  return bytes;
}

}  // namespace

StatusOr<std::string> SrgbIccProfile() {
  static const StatusOr<std::string> kProfile = Generate();  // thread-safe init
  return kProfile;
}

void AddSrgbOutputIntent(PoDoFo::PdfObject* profile, PoDoFo::PdfDictionary& catalog) {
  profile->GetDictionary().AddKey("N", PoDoFo::PdfVariant(static_cast<PoDoFo::pdf_int64>(3)));
  PoDoFo::PdfDictionary intent;
  intent.AddKey("Type", PoDoFo::PdfName("OutputIntent"));
  intent.AddKey("S", PoDoFo::PdfName("GTS_PDFA1"));
  intent.AddKey("OutputConditionIdentifier", PoDoFo::PdfString("sRGB IEC61966-2.1"));
  intent.AddKey("Info", PoDoFo::PdfString("sRGB IEC61966-2.1"));
  intent.AddKey("RegistryName", PoDoFo::PdfString("http://www.color.org"));
  intent.AddKey("DestOutputProfile", profile->Reference());
  PoDoFo::PdfArray intents;
  intents.push_back(intent);
  catalog.AddKey("OutputIntents", intents);
}

}  // namespace sohoa
