#include "stages/pdf/srgb_profile.h"

#include <lcms2.h>

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

}  // namespace sohoa
