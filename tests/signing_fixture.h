// Signing material for tests, made with tools nobody here wrote: the test
// PKI (scripts/test-pki/make-test-pki.sh: openssl), a red seal PNG (PIL), and
// a SoftHSM2 token holding the organisation key, loaded with OpenSC's
// pkcs11-tool. Shared by the signing stage tests and the end-to-end signed
// runs, so both sign with exactly the same keys.
#pragma once

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace sohoa::testing {

inline constexpr char kP12Secret[] = "test-secret";  // make-test-pki.sh's default
inline constexpr char kSoftHsmModule[] = "/usr/lib/softhsm/libsofthsm2.so";
inline constexpr char kSoftHsmPin[] = "1234";

// The PKI and the seal, made once per test binary.
class SigningEnvironment {
 public:
  static SigningEnvironment& Get();
  // staff.p12, org.p12 (password kP12Secret), org.key/org.pem, ca.pem, TSA files.
  std::filesystem::path pki() const { return dir_.path() / "pki"; }
  // A red seal, 40 mm across at 300 dpi, transparent outside.
  std::filesystem::path seal() const { return dir_.path() / "seal.png"; }

 private:
  SigningEnvironment();
  ScratchDir dir_;
};

// A SoftHSM2 token "sohoa-test" (PIN kSoftHsmPin) in a scratch folder with
// the organisation key and certificate (label "org", id 01), made once per
// test binary. Sets SOFTHSM2_CONF for this process (children inherit it);
// conf() is the file, for commands given their own environment.
class SoftHsmToken {
 public:
  static SoftHsmToken& Get();
  bool ready() const { return ready_; }
  std::filesystem::path conf() const { return dir_.path() / "softhsm2.conf"; }
  // The RFC 7512 URI of the organisation key through `module`.
  std::string Uri(const std::string& module = kSoftHsmModule) const {
    return "pkcs11:token=sohoa-test;object=org?module-path=" + module;
  }

 private:
  SoftHsmToken();
  ScratchDir dir_;
  bool ready_ = false;
};

}  // namespace sohoa::testing
