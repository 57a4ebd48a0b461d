#include "stages/signing/openssl_errors.h"

#include <openssl/err.h>

namespace sohoa {

std::string DrainOpenSslErrors() {
  std::string text;
  char buffer[256];
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no detail from OpenSSL" : text;
}

}  // namespace sohoa
