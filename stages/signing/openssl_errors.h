// OpenSSL's thread-local error queue as one line of text for a user-facing
// message, emptying the queue so the next failure starts clean. Shared by
// the key loaders (PKCS#12, PKCS#11) and the CMS signer.
#pragma once

#include <string>

namespace sohoa {

// "error:…; error:…", or "no detail from OpenSSL" when the queue is empty.
std::string DrainOpenSslErrors();

}  // namespace sohoa
