// The signing options `sohoa run` and `sohoa worker` share (issue 21: a
// fleet signs as a single run does), and the time-stamp options `sohoa
// reseal` takes too: one description, one check, one place where the keys
// are opened. Secrets are never options: SOHOA_ORG_KEY_SECRET /
// SOHOA_STAFF_KEY_SECRET, else the systemd credential, else the file named by
// org-key-secret-file / staff-key-secret-file (pipeline/core/credentials.h).
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <string>

#include "cli/run_options.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/stage.h"
#include "stages/signing/pdf_revision.h"
#include "stages/signing/signing_key.h"
#include "stages/signing/signing_stage.h"

namespace sohoa::cli {

// --tsa and --tsa-trust, bound to `o`.
boost::program_options::options_description DescribeTsaOptions(RunOptions* o, UiLang lang);
// Every signing option (keys, names, seal, secret files, --tsa, --tsa-trust,
// --signature-level, --qr), bound to `o`.
boost::program_options::options_description DescribeSigningOptions(RunOptions* o, UiLang lang);

// "" when the signing options fit together; else what is wrong, for the
// user (a bad --signature-level; a seal, TSA, level or QR without a key).
std::string SigningOptionsProblem(const RunOptions& o, UiLang lang);

// Whether any key is configured (signing is on).
inline bool SigningConfigured(const RunOptions& o) { return !o.org_key.empty() || !o.staff_key.empty(); }

// A key's secret: the environment variable, else the systemd credential,
// else the file (trailing newline dropped), else empty. Never logged.
// `problem` receives why a source that exists could not be read.
std::string ReadKeySecret(const char* env, const char* credential, const std::string& file,
                          std::string* problem);

// The signing options of `o` with the secrets read; kConfiguration when a
// secret source cannot be read.
StatusOr<SigningOptions> SigningOptionsFrom(const RunOptions& o);

// --tsa and --tsa-trust of `o` as the TSA client takes them, the trust
// loaded (kConfiguration naming --tsa-trust when it cannot be read).
StatusOr<TsaOptions> TsaOptionsFrom(const RunOptions& o);

// Loads and checks the signing keys before anything else happens: a wrong
// PIN or an expired certificate stops the command here (exit 2).
StatusOr<std::unique_ptr<DocumentStage>> OpenSigning(const RunOptions& o, SignerNames* names);

// The organisation's key (--org-key, its secret as ReadKeySecret finds it)
// loaded and its certificate checked now, as a signer at level B-B named
// `org_name` (default: the certificate's CN): what signs the review
// station's corrected versions and the certified cover of an extract.
// kConfiguration / the key's errors, for the user.
StatusOr<std::shared_ptr<ReviewSigner>> OpenOrgSigner(const std::string& org_key,
                                                      const std::string& secret_file,
                                                      const std::string& org_name, int pdfa_part);

}  // namespace sohoa::cli
