// Signing options for the PAdES B-LT/B-LTA tests (issue 21): the LTV PKI's
// signer as organisation, its TSA, trust in its root (tests/signing_fixture.h).
#pragma once

#include <string>

#include "stages/signing/signing_stage.h"
#include "tests/signing_fixture.h"

namespace sohoa::testing {

// `signer`: a .p12 of the LTV PKI (make-ltv-pki.sh), `tsa_path` one of the
// loopback TSAs ("/tsa/tsa", "/tsa/tsa-soon", "/replay/tsa").
inline SigningOptions LtvOptions(SignatureLevel level, const std::string& tsa_path = "/tsa/tsa",
                                 const std::string& signer = "signer.p12") {
  const LtvEnvironment& env = LtvEnvironment::Get();
  SigningOptions o;
  o.org.key_spec = (env.pki() / signer).string();
  o.org.secret = kP12Secret;
  o.tsa.url = env.base_url() + tsa_path;
  o.tsa.trust = (env.pki() / "root.pem").string();
  o.tsa.timeout_seconds = 60;
  o.revocation.timeout_seconds = 60;
  o.level = level;
  return o;
}

}  // namespace sohoa::testing
