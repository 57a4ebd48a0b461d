#include "stages/signing/signing_stage.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "pipeline/core/file_util.h"
#include "pipeline/core/json_output.h"
#include "stages/pdf/pdf_metadata.h"
#include "stages/signing/pdf_long_term.h"
#include "stages/signing/qr_code.h"
#include "stages/signing/signing_cms.h"
#include "stages/signing/signing_key.h"
#include "stages/signing/signing_pdf.h"

namespace sohoa {
namespace {

// What a run signs with, loaded once and shared by every worker.
struct Signers {
  std::shared_ptr<SigningKey> staff, org;
  std::string staff_name, org_name;
  std::optional<SealImage> seal;
  SignatureLevel level = SignatureLevel::kB;  // resolved: never kDefault
  TrustStore tsa_trust;                       // level B-T and above
};

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StatusOr<std::shared_ptr<SigningKey>> LoadChecked(const std::string& role, const SignerOptions& o,
                                                  int64_t now) {
  StatusOr<std::shared_ptr<SigningKey>> key = LoadSigningKey(o.key_spec, o.secret);
  if (!key.ok()) return key.status().WithContext(role + " key");
  Status check = CheckSigningCertificate(**key, now);
  if (!check.ok()) return check.WithContext(role + " key");
  return key;
}

StatusOr<std::shared_ptr<const Signers>> LoadSigners(const SigningOptions& o) {
  if (o.staff.key_spec.empty() && o.org.key_spec.empty()) {
    return Status::Configuration("sign: neither a staff nor an organisation key is configured");
  }
  // Certificates are checked against the real clock even in deterministic
  // runs: an expired certificate is expired whatever the output dates say.
  const int64_t now = NowSeconds();
  auto signers = std::make_shared<Signers>();
  if (!o.staff.key_spec.empty()) {
    StatusOr<std::shared_ptr<SigningKey>> key = LoadChecked("staff", o.staff, now);
    if (!key.ok()) return key.status();
    signers->staff = *key;
    signers->staff_name =
        o.staff.name.empty() ? CertificateCommonName(signers->staff->certificate()) : o.staff.name;
  }
  if (!o.org.key_spec.empty()) {
    StatusOr<std::shared_ptr<SigningKey>> key = LoadChecked("organisation", o.org, now);
    if (!key.ok()) return key.status();
    signers->org = *key;
    signers->org_name = o.org.name.empty() ? CertificateCommonName(signers->org->certificate()) : o.org.name;
  }
  if (!o.org_seal_png.empty()) {
    StatusOr<SealImage> seal = LoadSealPng(o.org_seal_png);
    if (!seal.ok()) return seal.status();
    signers->seal = std::move(seal).value();
  }
  signers->level = o.level == SignatureLevel::kDefault
                       ? (o.tsa.url.empty() ? SignatureLevel::kB : SignatureLevel::kLTA)
                       : o.level;
  if (signers->level != SignatureLevel::kB) {
    if (o.tsa.url.empty()) {
      return Status::Configuration(std::string("sign: signature level ") +
                                   SignatureLevelName(signers->level) +
                                   " needs a time-stamp authority (--tsa URL)");
    }
    StatusOr<TrustStore> trust = LoadTrustStore(o.tsa.trust);
    if (!trust.ok()) return trust.status().WithContext("sign: TSA trust (--tsa-trust)");
    signers->tsa_trust = *trust;
  }
  if (std::ifstream font(o.font_path); !font) {
    return Status::Configuration("sign: cannot read the appearance font " + o.font_path +
                                 " (Debian fonts-dejavu-core)");
  }
  return std::shared_ptr<const Signers>(std::move(signers));
}

std::string FirstOf(const std::map<std::string, std::string>& m, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (auto it = m.find(k); it != m.end() && !it->second.empty()) return it->second;
  }
  return "";
}

class SigningWorker : public DocumentWorker {
 public:
  // Workers keep a copy of the options without the secrets.
  SigningWorker(const SigningOptions& options, std::shared_ptr<const Signers> signers)
      : o_(options), signers_(std::move(signers)) {
    o_.staff.secret.clear();
    o_.org.secret.clear();
    o_.tsa.trust_store = signers_->tsa_trust;
  }

  Status Process(Document& document) override {
    auto output = std::find_if(document.outputs.begin(), document.outputs.end(),
                               [](const OutputFile& f) { return f.role == "pdf"; });
    if (output == document.outputs.end()) {
      return Status::InvalidInput("no PDF to sign (the PDF writer did not run)");
    }
    std::ifstream in(output->staged_path, std::ios::binary);
    if (!in) return Status::IoError("cannot read " + output->staged_path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string pdf = buffer.str();

    const int64_t now = o_.deterministic ? o_.deterministic_unix_time : NowSeconds();
    const int64_t scan_time =
        o_.deterministic ? now : (document.mtime_ns > 0 ? document.mtime_ns / 1000000000 : now);
    const int tz = o_.utc_offset_minutes;
    const SignatureLevel level = signers_->level;
    const TsaOptions* tsa = level == SignatureLevel::kB ? nullptr : &o_.tsa;
    // The document time-stamp's room (B-LTA); the signatures' is measured (CmsRoom).
    const size_t room = o_.contents_bytes ? o_.contents_bytes : (tsa ? 20480 : 8192);

    std::optional<PageStamp> stamp;
    constexpr double kQrSide = 64;  // ~22.6 mm: ~0.5 mm modules for a version-4 code
    if (o_.qr) {
      const std::string text =
          FirstOf(document.metadata, {"result_code", "code", "xmp:sohoa:ResultCode"}) + "\n" +
          FirstOf(document.metadata, {"doc_type_code", "xmp:sohoa:DocumentTypeCode", "doc_type"}) + "\n" +
          FirstOf(document.metadata, {"holder_id", "xmp:sohoa:HolderId"}) + "\n" + o_.system_name + "\n" +
          XmpDate(now, tz);
      StatusOr<QrMatrix> qr = EncodeQr(text);
      if (!qr.ok()) return qr.status();
      stamp.emplace();
      stamp->size = qr->size;
      stamp->modules = std::move(qr->modules);
      stamp->side_pt = kQrSide;
      stamp->margin_pt = o_.margin_pt;
    }

    nlohmann::json names = nlohmann::json::array();
    std::vector<std::string> signature_values;  // each signature's CMS, for B-LT
    auto sign = [&](const std::shared_ptr<SigningKey>& key, PdfSignatureRequest& request) -> Status {
      if (stamp && names.empty()) request.stamp = &*stamp;  // first revision only
      request.signing_time = now;
      request.utc_offset_minutes = tz;
      request.location = o_.location;
      request.appearance.margin_pt = o_.margin_pt;
      request.appearance.font_path = o_.font_path;
      StatusOr<size_t> cms_room = CmsRoom(*key, tsa);
      if (!cms_room.ok()) return cms_room.status();
      // Twice at most: a CMS larger than the room measured (a longer
      // time-stamp token) is signed again with room for it.
      for (int attempt = 0;; ++attempt) {
        request.contents_bytes = *cms_room;
        std::string value;
        StatusOr<std::string> signed_pdf = AddPdfSignature(pdf, request, [&](const std::string& covered) {
          StatusOr<std::string> cms = BuildCadesSignature(*key, covered, tsa, Anchor(tsa));
          if (cms.ok()) value = *cms;
          return cms;
        });
        if (!signed_pdf.ok()) {
          if (attempt > 0 || o_.contents_bytes != 0 || value.size() <= *cms_room) return signed_pdf.status();
          measured_cms_[key.get()] = value.size();
          cms_room = WithSlack(value.size());
          continue;
        }
        signature_values.push_back(std::move(value));
        pdf = std::move(signed_pdf).value();
        names.push_back(request.signer_name);
        return Status::Ok();
      }
    };

    // Both requests first: their appearances share one font subset, made
    // for the text of both (appearance_font.h).
    std::optional<PdfSignatureRequest> staff, org;
    if (signers_->staff) {
      PdfSignatureRequest& r = staff.emplace();
      r.field_name = "StaffSignature";
      r.signer_name = signers_->staff_name;
      r.reason = "Số hóa từ bản giấy (converted from paper)";
      r.appearance.corner = AppearanceSpec::Corner::kTopLeft;
      r.appearance.inset_pt = stamp ? kQrSide + 4 : 0;
      r.appearance.rect = o_.staff.rect;
      r.appearance.lines = {"Người số hóa: " + signers_->staff_name,
                            "Thời gian quét: " + XmpDate(scan_time, tz), "Bản số hóa chuyển đổi từ bản giấy"};
    }
    if (signers_->org) {
      PdfSignatureRequest& r = org.emplace();
      r.field_name = "OrganisationSignature";
      r.signer_name = signers_->org_name;
      r.reason = "Chứng thực bản số hóa (certifies the digitized copy)";
      r.appearance.corner = AppearanceSpec::Corner::kTopRight;
      r.appearance.rect = o_.org.rect;
      r.appearance.seal = signers_->seal ? &*signers_->seal : nullptr;
      r.appearance.rgb[0] = 0.75;
      r.appearance.rgb[1] = 0.0;
      r.appearance.rgb[2] = 0.0;
      r.appearance.lines = {signers_->org_name, "Ký số: " + XmpDate(now, tz)};
    }
    std::string font_text;
    for (const auto* r : {&staff, &org}) {
      if (*r) {
        for (const std::string& line : (*r)->appearance.lines) font_text += line;
      }
    }
    if (staff) {
      staff->appearance.font_text = font_text;
      SOHOA_RETURN_IF_ERROR(sign(signers_->staff, *staff).WithContext("staff signature"));
    }
    if (org) {
      org->appearance.font_text = font_text;
      SOHOA_RETURN_IF_ERROR(sign(signers_->org, *org).WithContext("organisation signature"));
    }

    if (level == SignatureLevel::kLT || level == SignatureLevel::kLTA) {
      StatusOr<std::string> long_term =
          AddLongTermRevisions(pdf, signature_values, level == SignatureLevel::kLTA ? "DocumentTimeStamp" : "",
                               o_.tsa, o_.revocation, room);
      if (!long_term.ok()) return long_term.status();
      pdf = std::move(long_term).value();
    }

    SOHOA_RETURN_IF_ERROR(WriteFileAtomically(output->staged_path, pdf));
    output->bytes = pdf.size();
    document.metadata["signed"] = DumpJson(names);
    document.metadata["signature_level"] = SignatureLevelName(level);
    return Status::Ok();
  }

 private:
  // The room reserved for a CMS in /Contents (written as hex, so twice
  // that in the file): --contents-bytes when set; otherwise the size of
  // this key's CMS, measured by signing a probe once per worker and key
  // (with a TSA: one time-stamp request more per worker), plus slack. A
  // fixed 8 or 20 KiB was about 3x a P12 CMS and cost each document 22 KB
  // of zeros with two signatures (README, "Signature size").
  StatusOr<size_t> CmsRoom(const SigningKey& key, const TsaOptions* tsa) {
    if (o_.contents_bytes != 0) return o_.contents_bytes;
    auto it = measured_cms_.find(&key);
    if (it == measured_cms_.end()) {
      StatusOr<std::string> probe = BuildCadesSignature(key, "sohoa: CMS size probe", tsa, Anchor(tsa));
      if (!probe.ok()) return probe.status();
      it = measured_cms_.emplace(&key, probe->size()).first;
    }
    return WithSlack(it->second);
  }
  // B-B signatures leave the root out; time-stamped ones may get (or be
  // resealed with) validation data, which needs it (signing_cms.h).
  static TrustAnchor Anchor(const TsaOptions* tsa) { return tsa ? TrustAnchor::kInclude : TrustAnchor::kOmit; }
  // What may differ between two CMS of one key: the DER lengths of an ECDSA
  // value (a few bytes), or with a TSA those of a time-stamp token's serial,
  // nonce and time and whatever else the TSA puts in a token. A CMS that
  // does not fit after all is signed again with room for it (Process).
  size_t WithSlack(size_t cms_bytes) const {
    const bool tsa = signers_->level != SignatureLevel::kB;
    return cms_bytes + (tsa ? std::max<size_t>(256, cms_bytes / 8) : 32);
  }

  SigningOptions o_;
  const std::shared_ptr<const Signers> signers_;
  std::map<const SigningKey*, size_t> measured_cms_;
};

// Once the keys are loaded the secrets have no further use.
SigningOptions WithoutSecretsIf(SigningOptions o, bool loaded) {
  if (loaded) {
    o.staff.secret.clear();
    o.org.secret.clear();
  }
  return o;
}

class SigningStage : public DocumentStage {
 public:
  SigningStage(const SigningOptions& options, std::shared_ptr<const Signers> signers)
      : options_(WithoutSecretsIf(options, signers != nullptr)), signers_(std::move(signers)) {}
  std::string Name() const override { return "sign"; }

  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!signers_) {
      // Loaded once: a failure is remembered, never retried (a PIN is not
      // presented twice).
      if (!load_status_.ok()) return load_status_;
      StatusOr<std::shared_ptr<const Signers>> loaded = LoadSigners(options_);
      if (!loaded.ok()) {
        load_status_ = loaded.status();
        return load_status_;
      }
      signers_ = *loaded;
    }
    return std::unique_ptr<DocumentWorker>(new SigningWorker(options_, signers_));
  }

 private:
  const SigningOptions options_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Signers> signers_;
  mutable Status load_status_;
};

}  // namespace

bool ParseSignatureLevel(const std::string& text, SignatureLevel* level) {
  static const std::pair<const char*, SignatureLevel> kLevels[] = {{"b", SignatureLevel::kB},
                                                                   {"t", SignatureLevel::kT},
                                                                   {"lt", SignatureLevel::kLT},
                                                                   {"lta", SignatureLevel::kLTA}};
  for (const auto& [name, value] : kLevels) {
    if (text == name) {
      *level = value;
      return true;
    }
  }
  return false;
}

const char* SignatureLevelName(SignatureLevel level) {
  switch (level) {
    case SignatureLevel::kB:
      return "B-B";
    case SignatureLevel::kT:
      return "B-T";
    case SignatureLevel::kLT:
      return "B-LT";
    case SignatureLevel::kLTA:
      return "B-LTA";
    case SignatureLevel::kDefault:
      break;
  }
  return "default";
}

StatusOr<std::unique_ptr<DocumentStage>> OpenSigningStage(const SigningOptions& options, SignerNames* names) {
  StatusOr<std::shared_ptr<const Signers>> signers = LoadSigners(options);
  if (!signers.ok()) return signers.status();
  if (names != nullptr) *names = {(*signers)->staff_name, (*signers)->org_name};
  return std::unique_ptr<DocumentStage>(new SigningStage(options, *signers));
}

std::unique_ptr<DocumentStage> NewSigningStage(const SigningOptions& options) {
  return std::make_unique<SigningStage>(options, nullptr);
}

}  // namespace sohoa
