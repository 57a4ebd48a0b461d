// Secrets handed to sohoa by systemd (LoadCredential=, systemd.exec(5)): the
// service manager copies each into a private, read-only folder named by
// $CREDENTIALS_DIRECTORY, readable by the service's account only, so a
// password never sits in an environment file, a URL or a command line.
//
// Names sohoa reads (README, "Installing sohoa as a Debian service"):
//   ledger-password    the PostgreSQL ledger's password (postgres_ledger.cc)
//   org-key-secret     the organisation signing key's password or PIN
//   staff-key-secret   the staff signing key's password or PIN
#pragma once

#include <optional>
#include <string>

#include "pipeline/core/status.h"

namespace sohoa {

inline constexpr char kLedgerPasswordCredential[] = "ledger-password";
inline constexpr char kOrgKeySecretCredential[] = "org-key-secret";
inline constexpr char kStaffKeySecretCredential[] = "staff-key-secret";

// The credential `name` without its trailing line ends; nullopt when no
// $CREDENTIALS_DIRECTORY is set or it holds no such file. kConfiguration
// (naming the file, never its content) when it exists but cannot be read or
// is larger than 64 KiB, which no password is.
StatusOr<std::optional<std::string>> ReadCredential(const std::string& name);

}  // namespace sohoa
