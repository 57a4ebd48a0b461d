#include "stages/signing/pkcs11_key.h"

#include "stages/signing/openssl_errors.h"

#include <libp11.h>
#include <openssl/err.h>

#include <cstdio>
#include <cstring>
#include <vector>

namespace sohoa {
namespace {

// PKCS#11 return values we tell apart (pkcs11t.h).
constexpr int kCkrPinIncorrect = 0xA0;
constexpr int kCkrPinInvalid = 0xA1;
constexpr int kCkrPinLenRange = 0xA2;
constexpr int kCkrPinLocked = 0xA4;

constexpr char kDefaultModule[] = "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(const std::string& in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool SplitAttributes(const std::string& text, char separator, std::map<std::string, std::string>* into) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    if (!item.empty()) {
      const size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0) return false;
      std::string value;
      if (!PercentDecode(item.substr(eq + 1), &value)) return false;
      (*into)[item.substr(0, eq)] = value;
    }
    start = end + 1;
  }
  return true;
}

struct TokenSession {
  PKCS11_CTX* ctx = nullptr;
  PKCS11_SLOT* slots = nullptr;
  unsigned int slot_count = 0;
  ~TokenSession() {
    if (ctx == nullptr) return;
    if (slots != nullptr) PKCS11_release_all_slots(ctx, slots, slot_count);
    PKCS11_CTX_unload(ctx);
    PKCS11_CTX_free(ctx);
  }
};

class Pkcs11Key : public SigningKey {
 public:
  Pkcs11Key(std::unique_ptr<TokenSession> session, std::string description, EVP_PKEY* key, X509* cert)
      : session_(std::move(session)),
        description_(std::move(description)),
        key_(key),
        cert_(cert),
        chain_(sk_X509_new_null()) {}
  ~Pkcs11Key() override {
    EVP_PKEY_free(key_);
    X509_free(cert_);
    sk_X509_pop_free(chain_, X509_free);
    // session_ (declared first) is destroyed last: the key objects above
    // still point into the PKCS#11 context.
  }
  X509* certificate() const override { return cert_; }
  STACK_OF(X509) * chain() const override { return chain_; }
  EVP_PKEY* private_key() const override { return key_; }
  std::mutex& mutex() const override { return mutex_; }
  std::string description() const override { return description_; }

 private:
  std::unique_ptr<TokenSession> session_;
  const std::string description_;
  EVP_PKEY* const key_;
  X509* const cert_;
  STACK_OF(X509) * const chain_;
  mutable std::mutex mutex_;
};

bool Matches(const std::map<std::string, std::string>& want, const char* key, const char* have) {
  auto it = want.find(key);
  return it == want.end() || (have != nullptr && it->second == have);
}

bool IdMatches(const std::map<std::string, std::string>& want, const unsigned char* id, size_t id_len) {
  auto it = want.find("id");
  return it == want.end() || (it->second.size() == id_len && std::memcmp(it->second.data(), id, id_len) == 0);
}

}  // namespace

StatusOr<Pkcs11Uri> ParsePkcs11Uri(const std::string& uri) {
  if (uri.rfind("pkcs11:", 0) != 0) {
    return Status::Configuration("'" + uri + "' is not a pkcs11: URI");
  }
  const std::string body = uri.substr(7);
  const size_t q = body.find('?');
  Pkcs11Uri parsed;
  if (!SplitAttributes(body.substr(0, q), ';', &parsed.path) ||
      (q != std::string::npos && !SplitAttributes(body.substr(q + 1), '&', &parsed.query))) {
    return Status::Configuration("malformed pkcs11: URI (RFC 7512 attributes name=value)");
  }
  if (parsed.query.count("pin-value") || parsed.query.count("pin-source")) {
    return Status::Configuration(
        "the pkcs11: URI carries a PIN; remove pin-value/pin-source and give the PIN in "
        "SOHOA_*_KEY_SECRET or the key-secret-file");
  }
  return parsed;
}

StatusOr<std::shared_ptr<SigningKey>> LoadPkcs11Key(const std::string& uri, const std::string& pin) {
  StatusOr<Pkcs11Uri> parsed = ParsePkcs11Uri(uri);
  if (!parsed.ok()) return parsed.status();
  const auto& path = parsed->path;
  std::string module = kDefaultModule;
  if (auto it = parsed->query.find("module-path"); it != parsed->query.end()) module = it->second;
  std::string what = "PKCS#11 token";
  if (auto it = path.find("token"); it != path.end()) what += " '" + it->second + "'";

  auto session = std::make_unique<TokenSession>();
  session->ctx = PKCS11_CTX_new();
  if (session->ctx == nullptr) return Status::Internal("libp11: cannot create a context");
  if (PKCS11_CTX_load(session->ctx, module.c_str()) != 0) {
    PKCS11_CTX_free(session->ctx);
    session->ctx = nullptr;
    ERR_clear_error();
    return Status::Configuration(what + ": cannot load PKCS#11 module " + module);
  }
  if (PKCS11_enumerate_slots(session->ctx, &session->slots, &session->slot_count) != 0) {
    return Status::Configuration(what + ": cannot list slots: " + DrainOpenSslErrors());
  }
  PKCS11_SLOT* slot = nullptr;
  for (unsigned int i = 0; i < session->slot_count; ++i) {
    PKCS11_SLOT* s = &session->slots[i];
    PKCS11_TOKEN* t = s->token;
    if (t == nullptr || !t->initialized) continue;
    if (Matches(path, "token", t->label) && Matches(path, "manufacturer", t->manufacturer) &&
        Matches(path, "serial", t->serialnr) && Matches(path, "model", t->model)) {
      slot = s;
      break;
    }
  }
  if (slot == nullptr) return Status::Configuration(what + ": not found (is it plugged in?)");
  PKCS11_TOKEN* token = slot->token;
  // Named from here on when the URI named none (by its label, else its
  // serial number): the error table's kinds (wrong PIN, locked) have the
  // token's name, and "PKCS#11 token: wrong PIN" matched none of them, so
  // it stayed English whatever --ui-lang said.
  if (path.count("token") == 0) {
    const char* name = token->label != nullptr && token->label[0] != '\0' ? token->label : token->serialnr;
    if (name != nullptr && name[0] != '\0') what += " '" + std::string(name) + "'";
  }
  if (token->userPinLocked) {
    return Status::Configuration(what + ": the user PIN is locked; unlock it with the SO PIN");
  }
  if (token->userPinFinalTry) {
    return Status::Configuration(what +
                                 ": one PIN attempt is left before the token locks; "
                                 "not trying — check the PIN by hand first");
  }
  if (PKCS11_open_session(slot, 0) != 0) {
    return Status::Configuration(what + ": cannot open a session: " + DrainOpenSslErrors());
  }
  // Exactly one login attempt. No loop, no fallback, whatever the outcome.
  if (token->loginRequired && PKCS11_login(slot, 0, pin.c_str()) != 0) {
    // libp11 queues PKCS#11 return values as reasons of its "CKR" library,
    // whose number ERR_get_CKR_code() gives.
    int ckr = 0;
    while (unsigned long e = ERR_get_error()) {
      if (ERR_GET_LIB(e) == ERR_get_CKR_code()) ckr = ERR_GET_REASON(e);
    }
    if (ckr == kCkrPinIncorrect || ckr == kCkrPinInvalid || ckr == kCkrPinLenRange) {
      return Status::Configuration(what +
                                   ": wrong PIN (not retried: tokens lock after a few "
                                   "failures); the run stops");
    }
    if (ckr == kCkrPinLocked) return Status::Configuration(what + ": the user PIN is locked");
    char code[16];
    std::snprintf(code, sizeof code, "0x%X", static_cast<unsigned>(ckr));
    return Status::Configuration(what + ": login failed (PKCS#11 error " + code + ")");
  }

  PKCS11_CERT* certs = nullptr;
  unsigned int cert_count = 0;
  if (PKCS11_enumerate_certs(token, &certs, &cert_count) != 0) {
    return Status::Configuration(what + ": cannot list certificates: " + DrainOpenSslErrors());
  }
  for (unsigned int i = 0; i < cert_count; ++i) {
    PKCS11_CERT* c = &certs[i];
    if (c->x509 == nullptr || !Matches(path, "object", c->label) || !IdMatches(path, c->id, c->id_len)) {
      continue;
    }
    PKCS11_KEY* key = PKCS11_find_key(c);
    if (key == nullptr) continue;
    EVP_PKEY* pkey = PKCS11_get_private_key(key);
    if (pkey == nullptr) continue;
    X509_up_ref(c->x509);
    std::string description = what + " object '" + (c->label ? c->label : "") + "'";
    return std::shared_ptr<SigningKey>(
        new Pkcs11Key(std::move(session), std::move(description), pkey, c->x509));
  }
  ERR_clear_error();
  return Status::Configuration(
      what + ": no certificate with a matching private key" +
      (path.count("object") ? " and label '" + path.at("object") + "'" : std::string()));
}

}  // namespace sohoa
