#include "cli/signing_options.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "cli/stage_set.h"
#include "cli/ui_text.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/credentials.h"

namespace sohoa::cli {
namespace po = boost::program_options;

po::options_description DescribeTsaOptions(RunOptions* o, UiLang lang) {
  po::options_description d(Tr(lang, N_("time-stamp options")), kUnwrapped);
  OptionsIn(d, lang)("tsa", po::value(&o->tsa),
                     N_("RFC 3161 time-stamp authority URL (PAdES B-T and above)"))(
      "tsa-trust", po::value(&o->tsa_trust),
      N_("PEM file or folder of the CA certificates the TSA's certificate must chain to (default: the "
         "system's)"));
  return d;
}

po::options_description DescribeSigningOptions(RunOptions* o, UiLang lang) {
  po::options_description d(Tr(lang, N_("signing options")), kUnwrapped);
  OptionsIn(d, lang)(
      "org-key", po::value(&o->org_key),
      N_("organisation signing key: PKCS#12 file or pkcs11: URI (secret: SOHOA_ORG_KEY_SECRET or "
         "org-key-secret-file)"))("org-name", po::value(&o->org_name),
                                  N_("organisation name in its signature (default: certificate CN)"))(
      "org-seal", po::value(&o->org_seal),
      N_("red seal PNG (with dpi) drawn at actual size in the organisation signature"))(
      "org-key-secret-file", po::value(&o->org_key_secret_file),
      N_("file holding the organisation key's password/PIN"))(
      "staff-key", po::value(&o->staff_key),
      N_("staff signing key: PKCS#12 file or pkcs11: URI (secret: SOHOA_STAFF_KEY_SECRET or "
         "staff-key-secret-file)"))("staff-name", po::value(&o->staff_name),
                                    N_("staff name in the staff signature (default: certificate CN)"))(
      "staff-key-secret-file", po::value(&o->staff_key_secret_file),
      N_("file holding the staff key's password/PIN"));
  d.add(DescribeTsaOptions(o, lang));
  OptionsIn(d, lang)(
      "signature-level", po::value(&o->signature_level),
      N_("PAdES level: b, t, lt (validation data in a DSS) or lta (plus a document time-stamp); "
         "default lta with --tsa, b without"))(
      "qr", po::bool_switch(&o->qr),
      N_("QR code (result code, type, holder, system, time) top-left on page 1"));
  return d;
}

std::string SigningOptionsProblem(const RunOptions& o, UiLang lang) {
  if (SignatureLevel level; !o.signature_level.empty() && !ParseSignatureLevel(o.signature_level, &level))
    return Tr(lang, N_("--signature-level must be b, t, lt or lta"));
  if (!SigningConfigured(o) && (!o.org_seal.empty() || !o.tsa.empty() || o.qr || !o.signature_level.empty()))
    return Tr(lang, N_("--org-seal, --tsa, --signature-level and --qr need --org-key or --staff-key"));
  return "";
}

std::string ReadKeySecret(const char* env, const char* credential, const std::string& file,
                          std::string* problem) {
  if (const char* value = std::getenv(env)) return value;
  StatusOr<std::optional<std::string>> loaded = ReadCredential(credential);
  if (!loaded.ok()) {
    *problem = loaded.status().message();
    return "";
  }
  if (loaded->has_value()) return **loaded;
  if (file.empty()) return "";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *problem = std::string("cannot read the key secret file ") + file;
    return "";
  }
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

StatusOr<SigningOptions> SigningOptionsFrom(const RunOptions& o) {
  SigningOptions s;
  std::string problem;
  s.staff.key_spec = o.staff_key;
  s.staff.name = o.staff_name;
  if (!o.staff_key.empty())
    s.staff.secret =
        ReadKeySecret("SOHOA_STAFF_KEY_SECRET", kStaffKeySecretCredential, o.staff_key_secret_file, &problem);
  s.org.key_spec = o.org_key;
  s.org.name = o.org_name;
  if (!o.org_key.empty())
    s.org.secret =
        ReadKeySecret("SOHOA_ORG_KEY_SECRET", kOrgKeySecretCredential, o.org_key_secret_file, &problem);
  if (!problem.empty()) return Status::Configuration(problem);
  s.org_seal_png = o.org_seal;
  s.tsa.url = o.tsa;
  s.tsa.trust = o.tsa_trust;
  if (!o.signature_level.empty()) ParseSignatureLevel(o.signature_level, &s.level);  // checked when parsed
  s.qr = o.qr;
  s.pdfa_part = o.pdfa == "1b" ? 1 : 2;
  s.deterministic = o.deterministic;
  s.deterministic_unix_time = kDeterministicTime;
  return s;
}

StatusOr<TsaOptions> TsaOptionsFrom(const RunOptions& o) {
  TsaOptions tsa;
  tsa.url = o.tsa;
  tsa.trust = o.tsa_trust;
  StatusOr<TrustStore> trust = LoadTrustStore(o.tsa_trust);
  if (!trust.ok()) return trust.status().WithContext("--tsa-trust");
  tsa.trust_store = *trust;
  return tsa;
}

StatusOr<std::unique_ptr<DocumentStage>> OpenSigning(const RunOptions& o, SignerNames* names) {
  StatusOr<SigningOptions> s = SigningOptionsFrom(o);
  if (!s.ok()) return s.status();
  return OpenSigningStage(*s, names);
}

StatusOr<std::shared_ptr<ReviewSigner>> OpenOrgSigner(const std::string& org_key,
                                                      const std::string& secret_file,
                                                      const std::string& org_name, int pdfa_part) {
  std::string problem;
  const std::string secret =
      ReadKeySecret("SOHOA_ORG_KEY_SECRET", kOrgKeySecretCredential, secret_file, &problem);
  if (!problem.empty()) return Status::Configuration(problem);
  StatusOr<std::shared_ptr<SigningKey>> key = LoadSigningKey(org_key, secret);
  if (!key.ok()) return key.status();
  SOHOA_RETURN_IF_ERROR(CheckSigningCertificate(**key, NowUnixSeconds()));
  auto signer = std::make_shared<ReviewSigner>();
  signer->key = *key;
  signer->name = org_name.empty() ? CertificateCommonName((*key)->certificate()) : org_name;
  signer->pdfa_part = pdfa_part;
  return signer;
}

}  // namespace sohoa::cli
