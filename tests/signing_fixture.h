// Signing material for tests, made with tools nobody here wrote: the test
// PKI (scripts/test-pki/make-test-pki.sh: openssl), a red seal PNG (PIL), and
// a SoftHSM2 token holding the organisation key, loaded with OpenSC's
// pkcs11-tool. Shared by the signing stage tests and the end-to-end signed
// runs, so both sign with exactly the same keys.
#pragma once

#include <filesystem>
#include <memory>
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

// Loopback trust services for the PAdES B-LT/B-LTA tests (issue 21), one
// python3 http.server on 127.0.0.1 (a free port) answering from the files of
// a PKI folder, each request with the openssl CLI:
//   POST /tsa/<name>     `openssl ts -reply -config <name>.cnf` (an RFC 3161 TSA)
//   POST /replay/<name>  the same, but every request after the first gets the
//                        first answer again (a replayed response: wrong
//                        imprint and nonce)
//   POST /ocsp           `openssl ocsp -index ica/index.txt -rsigner ocsp.pem`
//                        (reads the index on each request: revoking there
//                        takes effect at once)
//   GET  /<file>.crl     the file
// Started by the constructor before the PKI exists (its certificates name
// the server's URL), stopped (SIGTERM, waited for) by the destructor.
class LoopbackTrustServices {
 public:
  explicit LoopbackTrustServices(const std::filesystem::path& pki);
  ~LoopbackTrustServices();
  LoopbackTrustServices(const LoopbackTrustServices&) = delete;
  LoopbackTrustServices& operator=(const LoopbackTrustServices&) = delete;
  // "http://127.0.0.1:PORT", empty when the server did not start.
  const std::string& base_url() const { return base_url_; }

 private:
  int pid_ = -1;
  std::string base_url_;
};

// The PKI of scripts/test-pki/make-ltv-pki.sh with its services running,
// made once per test binary (signer.p12 with kP12Secret, root.pem, ...).
class LtvEnvironment {
 public:
  static LtvEnvironment& Get();
  std::filesystem::path pki() const { return dir_.path() / "pki"; }
  const std::string& base_url() const { return services_->base_url(); }
  bool ready() const { return ready_; }

 private:
  LtvEnvironment();
  ScratchDir dir_;
  std::unique_ptr<LoopbackTrustServices> services_;
  bool ready_ = false;
};

}  // namespace sohoa::testing
