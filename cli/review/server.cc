#include "cli/review/server.h"

#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/review/assets.h"
#include "cli/review/json_body.h"
#include "cli/review/page_images.h"
#include "pipeline/core/catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/json_output.h"
#include "pipeline/core/reason.h"
#include "pipeline/core/text_safety.h"

namespace sohoa::cli {
namespace {

using nlohmann::json;
constexpr const char* kCookie = "sohoa_session";
constexpr double kPageDpi = 150;
constexpr double kRegionMaxDpi = 300;  // a field's crop: zoomed, as a person would lean in
constexpr int kRegionMaxPixels = 1600;

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string pair = cookies.substr(pos, end - pos);
    const size_t start = pair.find_first_not_of(' ');
    pair = start == std::string::npos ? "" : pair.substr(start);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(DumpJson(body), "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  SendJson(res, status, ErrorBody(code, message));
}

int HttpStatusOf(const Status& s, std::string* code) {
  switch (s.code()) {
    case StatusCode::kNotFound:
      *code = "not_found";
      return 404;
    case StatusCode::kBusy:
      *code = "conflict";
      return 409;
    case StatusCode::kInvalidInput:
      *code = "invalid";
      return 422;
    case StatusCode::kTooLarge:
      *code = "too_large";
      return 413;
    default:
      *code = "internal";
      return 500;
  }
}

// "example.vn" from "Example.VN:8080", "::1" from "[::1]:8080".
std::string HostName(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    return close == std::string::npos ? host : host.substr(1, close - 1);
  }
  const size_t colon = host.find(':');
  return colon != std::string::npos && host.find(':', colon + 1) == std::string::npos ? host.substr(0, colon)
                                                                                      : host;
}

int QueryInt(const httplib::Request& req, const char* name, int fallback) {
  const std::string text = req.get_param_value(name);
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return fallback;
  return static_cast<int>(std::min<long long>(std::stoll(text), 1 << 30));
}

}  // namespace

bool ParsePublicUrl(const std::string& url, std::string* host, bool* https) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  const size_t start = scheme_end + 3;
  const std::string authority = url.substr(start, url.find('/', start) - start);
  if (authority.empty() || authority.find_first_of("@ \t") != std::string::npos) return false;
  *host = HostName(authority);
  *https = scheme == "https";
  return !host->empty();
}

namespace {

std::map<std::string, std::string> StringMap(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

// What the browser counted while keying (double_keying.h), bounded there.
KeyingStats StatsOf(const json& body) {
  return body.contains("stats") ? ParseKeyingStats(body["stats"].dump()) : KeyingStats{};
}

// The confirmation or arbitration a request carries ({version, doc_type,
// fields, record_id}; the body's shape is checked by the caller).
ReviewSubmission SubmissionOf(const httplib::Request& req, const json& body, const std::string& user) {
  ReviewSubmission s;
  s.sha256 = req.matches[1];
  s.version = body["version"].get<std::string>();
  s.reviewer = user;
  s.doc_type = body.value("doc_type", "");
  s.fields = StringMap(body.value("fields", json::object()));
  s.record_id = body.value("record_id", "");
  return s;
}

class Server final : public ReviewServer {
 public:
  Server(ReviewService* service, AccountStore* accounts, ReviewServerOptions options, std::ostream* log)
      : service_(service),
        accounts_(accounts),
        options_(std::move(options)),
        log_(log),
        http_(options_.limits, [this](const std::string& address) {
          Log("review: " +
              Fill(Tr(LogLang(), N_("refused a connection from {address}: too many open from there")),
                   {{"address", EscapeForLog(address)}}));
        }) {
    allowed_hosts_ = {"localhost", "127.0.0.1", "::1"};
    if (options_.host != "0.0.0.0" && options_.host != "::" && !options_.host.empty())
      allowed_hosts_.insert(HostName(options_.host));
    std::string public_host;
    if (ParsePublicUrl(options_.public_url, &public_host, &secure_cookie_))
      allowed_hosts_.insert(public_host);
    Routes();
  }

  StatusOr<int> Bind() override {
    if (options_.port == 0) {
      const int port = http_.bind_to_any_port(options_.host);
      if (port <= 0)
        return Status::Configuration(ErrorText("review.cannot_listen", {{"host", options_.host}}));
      port_ = port;
    } else if (!http_.bind_to_port(options_.host, options_.port)) {
      return Status::Configuration(ErrorText(
          "review.cannot_listen_port", {{"host", options_.host}, {"port", std::to_string(options_.port)}}));
    } else {
      port_ = options_.port;
    }
    http_.WidenBacklog();
    return port_;
  }
  void Serve() override {
    serving_ = true;
    if (!stopping_) http_.listen_after_bind();
  }
  // httplib's stop() does nothing until listen_after_bind() is running: wait
  // for that when Serve() has begun, so a quick Stop() is never lost.
  void Stop() override {
    stopping_ = true;
    for (int i = 0; i < 500 && serving_ && !http_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    http_.stop();
  }

 private:
  // The session of a request, or nullopt after answering 401/403.
  std::optional<Session> Require(const httplib::Request& req, httplib::Response& res, bool admin = false) {
    const std::string token = CookieValue(req, kCookie);
    if (token.empty()) {
      SendError(res, 401, "login_required", ErrorText("accounts.log_in_first", {}));
      return std::nullopt;
    }
    StatusOr<Session> session = accounts_->Authenticate(token, options_.sessions);
    if (!session.ok()) {
      SendError(res, 401, "login_required", session.status().message());
      return std::nullopt;
    }
    if (req.method == "POST" &&
        !ConstantTimeEqual(req.get_header_value("X-CSRF-Token"), session->csrf_token)) {
      SendError(res, 403, "csrf", ErrorText("accounts.csrf", {}));
      return std::nullopt;
    }
    // Issue 22: a clerk reaches the search alone, and only a clerk does.
    const bool clerk_route = req.path.rfind("/api/clerk/", 0) == 0;
    if (req.path != "/api/session" && req.path != "/api/logout" &&
        clerk_route != (session->role == Role::kClerk)) {
      SendError(res, 403, "forbidden",
                ErrorText(clerk_route ? "accounts.search_needs_clerk" : "accounts.clerk_searches_only", {}));
      return std::nullopt;
    }
    if (admin && session->role != Role::kAdmin) {
      SendError(res, 403, "forbidden", ErrorText("accounts.needs_admin", {}));
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(users_mutex_);
    request_user_[&req] = session->user;
    return *session;
  }

  // The station's log: its events in the --ui-lang language; the access
  // lines ("review: GET /api/queue 200 user=lan") are fixed tokens for
  // operators' tools, in no language (method, path, status, account).
  UiLang LogLang() const { return options_.ui_lang == "en" ? UiLang::kEn : UiLang::kVi; }
  void Log(const std::string& line) {
    if (log_ == nullptr) return;
    std::lock_guard<std::mutex> lock(log_mutex_);
    *log_ << line << "\n";
    log_->flush();
  }

  // An error for the API: messages that are not the client's to read
  // (internal, I/O) go to the log; the others lose the archive's location.
  void SendStatus(httplib::Response& res, const Status& s) {
    std::string code;
    const int http = HttpStatusOf(s, &code);
    if (http == 500) {
      Log("review: " + Fill(Tr(LogLang(), N_("internal error: {cause}")),
                            {{"cause", EscapeForLog(ErrorInLang(s.message(), LogLang()))}}));
      return SendError(res, 500, code, ErrorText("request.internal_logged", {}));
    }
    SendError(res, http, code, service_->PublicMessage(s));
  }
  // Double keying's refusals of who asks (kUnsupported there) are 403s.
  // A confirmation or an arbitration archived a new version: audited (field
  // keys only), every draft of the input dropped, answered 200.
  void AnswerArchived(httplib::Response& res, const std::string& user, const std::string& action,
                      const ReviewSubmission& s, const ReviewOutcome& outcome) {
    std::string changed;
    for (const std::string& key : outcome.changed_fields) changed += (changed.empty() ? "" : ",") + key;
    (void)accounts_->Audit(user, action, s.sha256,
                           "doc_type=" + s.doc_type + "; changed=" + changed + "; bag=" + outcome.bag);
    LetGo(s.sha256, user);
    if (options_.drafts != nullptr) {
      // Nobody's draft of it is wanted any more. A failure leaves a stale
      // draft, never a wrong record: logged, not answered.
      const Status removed = options_.drafts->RemoveAll(s.sha256);
      if (!removed.ok()) Log("review: " + EscapeForLog(ErrorInLang(removed.message(), LogLang())));
    }
    SendJson(res, 200, {{"pdf", outcome.pdf}, {"bag", outcome.bag}, {"changed", outcome.changed_fields}});
  }

  void SendKeyingStatus(httplib::Response& res, const Status& s) {
    if (s.code() == StatusCode::kUnsupported) return SendError(res, 403, "forbidden", s.message());
    SendStatus(res, s);
  }

  // The body of a POST as JSON, within the size and depth limits; nullopt
  // after answering 400/413.
  std::optional<json> Body(const httplib::Request& req, httplib::Response& res) {
    StatusOr<json> body =
        ParseJsonBody(req.body, options_.limits.max_body_bytes, options_.limits.max_json_depth);
    if (body.ok()) return *body;
    const bool too_large = body.status().code() == StatusCode::kTooLarge;
    SendError(res, too_large ? 413 : 400, too_large ? "too_large" : "invalid", body.status().message());
    return std::nullopt;
  }

  bool AllowedHost(const httplib::Request& req) const {
    const std::string host = HostName(req.get_header_value("Host"));
    return !host.empty() && (allowed_hosts_.count(host) > 0 || host == HostName(req.local_addr));
  }

  // Refuses foreign hosts, cross-origin requests, bodies where none belong
  // and non-JSON POST bodies, before a body is read.
  httplib::Server::HandlerResponse Guard(const httplib::Request& req, httplib::Response& res) {
    BoundedHttpServer::HeadersRead();
    if (!AllowedHost(req)) {
      SendError(res, 421, "misdirected", ErrorText("request.wrong_host", {}));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method != "POST" &&
        (req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0"))) {
      SendError(res, 400, "invalid", ErrorText("request.body_not_allowed", {}));
      return httplib::Server::HandlerResponse::Handled;
    }
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty()) {
      const std::string host = req.get_header_value("Host");
      if (origin != "http://" + host && origin != "https://" + host) {  // https: behind a TLS proxy
        SendError(res, 403, "forbidden", ErrorText("request.cross_origin", {}));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (req.method == "POST" && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      SendError(res, 415, "invalid", ErrorText("request.not_json_type", {}));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  static void SecurityHeaders(httplib::Response& res, bool api) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                   "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", api ? "no-store" : "no-cache");
  }

  void Routes() {
    http_.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return Guard(req, res); });
    http_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      // A request cut by the connection limits is answered as such, and its
      // connection closed (the rest of its body is never read).
      const Refusal refusal = BoundedHttpServer::CurrentRefusal();
      if (refusal != Refusal::kNone) {
        if (refusal == Refusal::kTooLarge) {
          SendError(
              res, 413, "too_large",
              ErrorText("request.too_large", {{"max", std::to_string(options_.limits.max_body_bytes)}}));
        } else {
          SendError(res, 408, "too_slow", ErrorText("request.too_slow", {}));
        }
        res.headers.erase("Keep-Alive");
        res.set_header("Connection", "close");
      }
      SecurityHeaders(res, req.path.rfind("/api/", 0) == 0);
    });
    http_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      SendError(res, 500, "internal", ErrorText("request.internal", {}));
    });
    http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      std::string user;
      {
        std::lock_guard<std::mutex> lock(users_mutex_);
        auto it = request_user_.find(&req);
        if (it != request_user_.end()) {
          user = it->second;
          request_user_.erase(it);
        }
      }
      // The path only: queries may carry filters, never bodies or values;
      // escaped, so a path cannot forge a line or drive the terminal.
      Log("review: " + EscapeForLog(req.method) + " " + EscapeForLog(req.path) + " " +
          std::to_string(res.status) + (user.empty() ? "" : " user=" + user));
    });

    for (const Asset& asset : Assets(options_.ui_lang)) {
      const std::string type = asset.content_type;
      const std::string body = asset.body;
      http_.Get(asset.path, [type, body](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, type.c_str());
      });
    }

    // The clerk's search (issue 22, clerk_desk.h).
    if (options_.clerk != nullptr) {
      options_.clerk->AddRoutes(
          http_, {[this](const httplib::Request& req, httplib::Response& res) { return Require(req, res); },
                  [this](const httplib::Request& req, httplib::Response& res) { return Body(req, res); },
                  [this](httplib::Response& res, const Status& s) { SendStatus(res, s); }, accounts_});
    }

    http_.Post("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<json> body = Body(req, res);
      if (!body) return;
      if (!body->is_object() || !body->value("user", json()).is_string() ||
          !body->value("password", json()).is_string()) {
        SendError(res, 400, "invalid", ExpectedBody(R"({"user", "password"})"));
        return;
      }
      StatusOr<NewSession> s =
          accounts_->Login((*body)["user"].get<std::string>(), (*body)["password"].get<std::string>(),
                           req.remote_addr, options_.sessions);
      if (!s.ok()) {
        // Unknown name, wrong password, or still waiting: one answer for all.
        const StatusCode c = s.status().code();
        if (c != StatusCode::kInvalidInput && c != StatusCode::kBusy) return SendStatus(res, s.status());
        SendError(res, 401, "wrong_password", s.status().message());
        return;
      }
      res.set_header("Set-Cookie",
                     std::string(kCookie) + "=" + s->token + "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                         std::to_string(options_.sessions.max_seconds) + (secure_cookie_ ? "; Secure" : ""));
      {
        std::lock_guard<std::mutex> lock(users_mutex_);
        request_user_[&req] = s->session.user;
      }
      SendJson(res, 200,
               {{"user", s->session.user},
                {"role", RoleName(s->session.role)},
                {"csrf", s->session.csrf_token},
                {"ui_lang", options_.ui_lang}});
    });

    http_.Post("/api/logout", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      (void)accounts_->Logout(CookieValue(req, kCookie));
      res.set_header("Set-Cookie", std::string(kCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" +
                                       (secure_cookie_ ? "; Secure" : ""));
      SendJson(res, 200, {{"ok", true}});
    });

    http_.Get("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<Session> s = Require(req, res);
      if (!s) return;
      SendJson(res, 200,
               {{"user", s->user},
                {"role", RoleName(s->role)},
                {"csrf", s->csrf_token},
                {"ui_lang", options_.ui_lang}});
    });

    http_.Get("/api/queue", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<Session> session = Require(req, res);
      if (!session) return;
      StatusOr<std::vector<ReviewQueueItem>> queue = service_->Queue();
      if (!queue.ok()) return SendStatus(res, queue.status());
      std::map<std::string, std::vector<std::string>> keyers;
      if (options_.keying != nullptr) {
        StatusOr<std::map<std::string, std::vector<std::string>>> read = options_.keying->Keyers();
        if (!read.ok()) return SendStatus(res, read.status());
        keyers = std::move(*read);
      }
      const std::string reason = req.get_param_value("reason");
      const std::string type = req.get_param_value("type");
      const std::string batch = req.get_param_value("batch");
      json items = json::array();
      json counts = {{"reason", json::object()}, {"type", json::object()}, {"batch", json::object()}};
      json type_names = json::object();
      auto bump = [&](const char* group, const std::string& key) {
        counts[group][key] = counts[group].value(key, 0) + 1;
      };
      for (const ReviewQueueItem& item : *queue) {
        const bool has_reason = reason.empty() || std::find(item.categories.begin(), item.categories.end(),
                                                            reason) != item.categories.end();
        const bool has_type = type.empty() || item.doc_type == type;
        const bool has_batch = batch.empty() || item.batch == batch;
        // Each facet counts what the other two filters leave.
        if (has_type && has_batch)
          for (const std::string& c : item.categories) bump("reason", c);
        if (has_reason && has_batch) {
          bump("type", item.doc_type);
          if (!item.doc_type.empty()) type_names[item.doc_type] = item.doc_type_name;
        }
        if (has_reason && has_type) bump("batch", item.batch);
        if (!(has_reason && has_type && has_batch)) continue;
        items.push_back({{"sha256", item.sha256},
                         {"source", item.source},
                         {"doc_type", item.doc_type},
                         {"doc_type_name", item.doc_type_name},
                         {"batch", item.batch},
                         {"reasons", item.reasons},
                         {"reasons_in", ReasonsInEachLanguage(item.reasons)},
                         {"categories", item.categories},
                         {"pages", item.pages},
                         {"version", item.version}});
        if (options_.keying != nullptr) {
          LedgerRecord facts;
          facts.sha256 = item.sha256;
          items.back()["keying_step"] =
              options_.keying->StepOf(facts, keyers[item.sha256], session->user, session->role);
        }
      }
      SendJson(res, 200,
               {{"items", items}, {"counts", counts}, {"type_names", type_names}, {"total", queue->size()}});
    });

    http_.Get(R"(/api/documents/([0-9a-f]{64}))",
              [this](const httplib::Request& req, httplib::Response& res) {
                std::optional<Session> session = Require(req, res);
                if (!session) return;
                StatusOr<std::string> doc = service_->DocumentJson(req.matches[1]);
                if (!doc.ok()) return SendStatus(res, doc.status());
                if (options_.keying == nullptr) return res.set_content(*doc, "application/json; charset=utf-8");
                StatusOr<KeyingState> state = options_.keying->State(req.matches[1], session->user, session->role);
                if (!state.ok()) return SendStatus(res, state.status());
                json out = json::parse(*doc);
                out["keying"] = {{"double_keyed", state->double_keyed},
                                 {"keyings", state->keyings},
                                 {"you_keyed", state->you_keyed},
                                 {"step", state->step}};
                SendJson(res, 200, out);
              });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/pages/([0-9]{1,4})\.png)",
              [this](const httplib::Request& req, httplib::Response& res) {
                if (!Require(req, res)) return;
                StatusOr<std::string> pdf = service_->PdfBytes(req.matches[1]);
                if (!pdf.ok()) return SendStatus(res, pdf.status());
                StatusOr<std::string> png = RenderPagePng(*pdf, std::stoi(req.matches[2]) - 1, kPageDpi);
                if (!png.ok()) return SendStatus(res, png.status());
                res.set_content(*png, "image/png");
              });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/words)",
              [this](const httplib::Request& req, httplib::Response& res) {
                if (!Require(req, res)) return;
                StatusOr<std::string> pdf = service_->PdfBytes(req.matches[1]);
                if (!pdf.ok()) return SendStatus(res, pdf.status());
                StatusOr<std::vector<PageWords>> pages = ReadPageWords(*pdf);
                if (!pages.ok()) return SendStatus(res, pages.status());
                json out = json::array();
                for (const PageWords& p : *pages) {
                  json words = json::array();
                  for (const WordBox& w : p.words) words.push_back({w.text, w.x, w.y, w.w, w.h});
                  out.push_back({{"width_pt", p.width_pt}, {"height_pt", p.height_pt}, {"words", words}});
                }
                SendJson(res, 200, {{"pages", out}});
              });

    http_.Post("/api/check", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      std::optional<json> body = Body(req, res);
      if (!body) return;
      if (!body->is_object()) return SendError(res, 400, "invalid", ErrorText("request.expected_object", {}));
      StatusOr<std::string> verdicts =
          service_->CheckJson(body->value("doc_type", ""), StringMap(body->value("fields", json::object())));
      if (!verdicts.ok()) return SendStatus(res, verdicts.status());
      res.set_content(*verdicts, "application/json; charset=utf-8");
    });

    http_.Post(R"(/api/documents/([0-9a-f]{64})/confirm)", [this](const httplib::Request& req,
                                                                  httplib::Response& res) {
      std::optional<Session> session = Require(req, res);
      if (!session) return;
      std::optional<json> parsed = Body(req, res);
      if (!parsed) return;
      const json& body = *parsed;
      if (!body.is_object() || !body.value("version", json()).is_string()) {
        return SendError(res, 400, "invalid", ExpectedBody("{version, doc_type, fields, record_id}"));
      }
      const ReviewSubmission s = SubmissionOf(req, body, session->user);
      StatusOr<ReviewOutcome> outcome = Status::Internal("not confirmed");
      if (Status held = Hold(s.sha256, *session); !held.ok()) {
        outcome = held;  // another operator holds it (their lease, or ours ran out and was taken)
      } else if (options_.keying == nullptr) {
        outcome = service_->Confirm(s);
      } else {
        StatusOr<KeyingOutcome> keyed = options_.keying->Submit(s, StatsOf(body));
        if (keyed.ok() && keyed->step != "confirmed") {  // kept blind: nothing archived yet
          (void)accounts_->Audit(session->user, keyed->step == "first" ? "keying_first" : "keying_second",
                                 s.sha256, "disagreed=" + std::to_string(keyed->disagreements));
          LetGo(s.sha256, session->user);
          return SendJson(res, 202, {{"keyed", keyed->step}, {"disagreements", keyed->disagreements}});
        }
        outcome = keyed.ok() ? StatusOr<ReviewOutcome>(keyed->confirmed) : StatusOr<ReviewOutcome>(keyed.status());
      }
      if (!outcome.ok()) {
        // Refusals are audited too, by field keys and cause class only.
        const StatusCode code = outcome.status().code();
        const std::string kind = code == StatusCode::kBusy          ? "conflict"
                                 : code == StatusCode::kUnsupported ? "forbidden"
                                                                    : "refused";
        (void)accounts_->Audit(session->user, "review_" + kind, s.sha256, "");
        return SendKeyingStatus(res, outcome.status());
      }
      AnswerArchived(res, session->user, "review_confirm", s, *outcome);
    });

    KeyingRoutes();
    AssignmentRoutes();

    http_.Get("/api/audit", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res, /*admin=*/true)) return;
      AuditQuery query;
      query.limit = std::clamp(QueryInt(req, "limit", 100), 1, kMaxAuditPage);
      query.before_id = QueryInt(req, "before", 0);
      query.action = req.get_param_value("action");
      query.user = req.get_param_value("user");
      StatusOr<std::vector<AuditEntry>> entries = accounts_->AuditLog(query);
      if (!entries.ok()) return SendStatus(res, entries.status());
      json out = json::array();
      for (const AuditEntry& e : *entries) {
        out.push_back({{"id", e.id},
                       {"at", e.at},
                       {"user", e.user},
                       {"action", e.action},
                       {"target", e.target},
                       {"detail", e.detail}});
      }
      // The next page: entries older than the last one shown (0: no more).
      const int64_t next = static_cast<int>(entries->size()) == query.limit ? entries->back().id : 0;
      SendJson(res, 200, {{"entries", out}, {"next_before", next}});
    });

    http_.Get("/api/audit/logins", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res, /*admin=*/true)) return;
      StatusOr<std::vector<LoginFailureSummary>> rows = accounts_->LoginFailures(
          std::clamp(QueryInt(req, "limit", 100), 1, kMaxAuditPage), QueryInt(req, "offset", 0));
      if (!rows.ok()) return SendStatus(res, rows.status());
      json out = json::array();
      for (const LoginFailureSummary& f : *rows) {
        out.push_back({{"hour", f.hour},
                       {"address", f.address},
                       {"account", f.account},
                       {"count", f.count},
                       {"first_at", f.first_at},
                       {"last_at", f.last_at}});
      }
      SendJson(res, 200, {{"failures", out}});
    });
  }

  // Many operators (issue 18, assignments.h): a keying or an arbitration
  // needs the entry's lease, taken here if free; Ok without assignments.
  Status Hold(const std::string& sha256, const Session& session) {
    return options_.assignments == nullptr ? Status::Ok()
                                           : options_.assignments->Take(sha256, session.user, session.role);
  }
  // Keyed: the lease goes (a failure leaves it to expire; logged).
  void LetGo(const std::string& sha256, const std::string& user) {
    if (options_.assignments == nullptr) return;
    if (Status s = options_.assignments->Release(sha256, user); !s.ok())
      Log("review: " + Fill(Tr(LogLang(), N_("could not end a lease: {cause}")),
                            {{"cause", EscapeForLog(ErrorInLang(s.message(), LogLang()))}}));
  }

  // The assignment routes (issue 18; server.h lists them).
  void AssignmentRoutes() {
    http_.Post("/api/next", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<Session> session = Require(req, res);
      if (!session) return;
      if (options_.assignments == nullptr)
        return SendError(res, 404, "not_found", ErrorText("review.no_assignments", {}));
      StatusOr<std::optional<std::string>> next = options_.assignments->Next(session->user, session->role);
      if (!next.ok()) return SendStatus(res, next.status());
      SendJson(res, 200,
               {{"sha256", next->has_value() ? json(**next) : json(nullptr)},
                {"lease_seconds", options_.assignments->lease_seconds()}});
    });
    // Taking an entry opened from the queue, and the open entry's heartbeat.
    http_.Post(R"(/api/documents/([0-9a-f]{64})/take)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 std::optional<Session> session = Require(req, res);
                 if (!session) return;
                 if (options_.assignments == nullptr)
                   return SendError(res, 404, "not_found", ErrorText("review.no_assignments", {}));
                 Status held = Hold(req.matches[1], *session);
                 if (!held.ok()) return SendKeyingStatus(res, held);
                 SendJson(res, 200, {{"held", true}, {"lease_seconds", options_.assignments->lease_seconds()}});
               });
  }

  // The keying station's routes (issue 18; server.h lists them).
  void KeyingRoutes() {
    http_.Get(R"(/api/documents/([0-9a-f]{64})/keyings)",
              [this](const httplib::Request& req, httplib::Response& res) {
                std::optional<Session> session = Require(req, res);
                if (!session) return;
                if (options_.keying == nullptr)
                  return SendError(res, 404, "not_found", ErrorText("review.keys_once", {}));
                StatusOr<std::string> both =
                    options_.keying->ArbitrationJson(req.matches[1], session->user, session->role);
                // Every look at both keyings is audited, and every refusal.
                (void)accounts_->Audit(session->user, both.ok() ? "keyings_read" : "keyings_refused",
                                       req.matches[1], "");
                if (!both.ok()) return SendKeyingStatus(res, both.status());
                res.set_content(*both, "application/json; charset=utf-8");
              });

    http_.Post(R"(/api/documents/([0-9a-f]{64})/arbitrate)", [this](const httplib::Request& req,
                                                                    httplib::Response& res) {
      std::optional<Session> session = Require(req, res);
      if (!session) return;
      std::optional<json> parsed = Body(req, res);
      if (!parsed) return;
      const json& body = *parsed;
      if (options_.keying == nullptr)
        return SendError(res, 404, "not_found", ErrorText("review.keys_once", {}));
      if (!body.is_object() || !body.value("version", json()).is_string()) {
        return SendError(res, 400, "invalid", ExpectedBody("{version, doc_type, fields, record_id}"));
      }
      const ReviewSubmission s = SubmissionOf(req, body, session->user);
      Status held = Hold(s.sha256, *session);
      StatusOr<ReviewOutcome> outcome =
          held.ok() ? options_.keying->Arbitrate(s, session->role, StatsOf(body)) : StatusOr<ReviewOutcome>(held);
      if (!outcome.ok()) {
        (void)accounts_->Audit(session->user, "arbitration_refused", s.sha256, "");
        return SendKeyingStatus(res, outcome.status());
      }
      AnswerArchived(res, session->user, "arbitration", s, *outcome);
    });

    http_.Get("/api/codelists", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      res.set_content(options_.code_lists_json.empty() ? "{}" : options_.code_lists_json,
                      "application/json; charset=utf-8");
    });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/pages/([0-9]{1,4})/region\.png)",
              [this](const httplib::Request& req, httplib::Response& res) {
                if (!Require(req, res)) return;
                PageRegion region;
                region.x = QueryInt(req, "x", 0) / 1000.0;
                region.y = QueryInt(req, "y", 0) / 1000.0;
                region.w = QueryInt(req, "w", 1000) / 1000.0;
                region.h = QueryInt(req, "h", 1000) / 1000.0;
                StatusOr<std::string> pdf = service_->PdfBytes(req.matches[1]);
                if (!pdf.ok()) return SendStatus(res, pdf.status());
                StatusOr<std::string> png = RenderPageRegionPng(*pdf, std::stoi(req.matches[2]) - 1, region,
                                                                kRegionMaxDpi, kRegionMaxPixels);
                if (!png.ok()) return SendStatus(res, png.status());
                res.set_content(*png, "image/png");
              });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/draft)",
              [this](const httplib::Request& req, httplib::Response& res) {
                std::optional<Session> session = Require(req, res);
                if (!session) return;
                if (options_.drafts == nullptr)
                  return SendError(res, 503, "internal", ErrorText("review.no_drafts", {}));
                StatusOr<std::optional<Draft>> draft = options_.drafts->Load(session->user, req.matches[1]);
                if (!draft.ok()) return SendStatus(res, draft.status());
                if (!draft->has_value()) return SendJson(res, 200, {{"draft", nullptr}});
                (void)accounts_->Audit(session->user, "draft_restored", req.matches[1],
                                       "fields=" + std::to_string((*draft)->fields.size()));
                SendJson(res, 200,
                         {{"draft",
                           {{"doc_type", (*draft)->doc_type},
                            {"fields", (*draft)->fields},
                            {"saved_at", (*draft)->saved_at}}}});
              });

    http_.Post(R"(/api/documents/([0-9a-f]{64})/draft)",
               [this](const httplib::Request& req, httplib::Response& res) {
                 std::optional<Session> session = Require(req, res);
                 if (!session) return;
                 std::optional<json> body = Body(req, res);
                 if (!body) return;
                 if (options_.drafts == nullptr)
                   return SendError(res, 503, "internal", ErrorText("review.no_drafts", {}));
                 if (!body->is_object() || !body->value("fields", json()).is_object()) {
                   return SendError(res, 400, "invalid", ExpectedBody("{doc_type, fields}"));
                 }
                 // Only for what awaits review: a save arriving after its input
                 // was confirmed would keep personal values for nothing.
                 StatusOr<bool> open = service_->AwaitsReview(req.matches[1]);
                 if (!open.ok()) return SendStatus(res, open.status());
                 if (!*open) return SendError(res, 409, "conflict", ErrorText("review.not_awaiting", {}));
                 Draft draft;
                 draft.doc_type = body->value("doc_type", "");
                 draft.fields = StringMap((*body)["fields"]);
                 StatusOr<bool> is_new = options_.drafts->Save(session->user, req.matches[1], draft);
                 if (!is_new.ok()) return SendStatus(res, is_new.status());
                 // Audited when the draft is made, not at every save (one a few
                 // seconds while typing would bury the reviews).
                 if (*is_new) {
                   (void)accounts_->Audit(session->user, "draft_saved", req.matches[1],
                                          "fields=" + std::to_string(draft.fields.size()));
                 }
                 SendJson(res, 200, {{"saved", true}});
               });
  }

  ReviewService* service_;
  AccountStore* accounts_;
  ReviewServerOptions options_;
  std::ostream* log_;
  std::mutex log_mutex_;
  BoundedHttpServer http_;
  std::set<std::string> allowed_hosts_;  // Host names this station answers to
  bool secure_cookie_ = false;
  int port_ = 0;
  std::atomic<bool> serving_{false}, stopping_{false};
  std::mutex users_mutex_;
  std::map<const httplib::Request*, std::string> request_user_;  // for the request log
};

}  // namespace

std::unique_ptr<ReviewServer> NewReviewServer(ReviewService* service, AccountStore* accounts,
                                              const ReviewServerOptions& options, std::ostream* log) {
  return std::make_unique<Server>(service, accounts, options, log);
}

}  // namespace sohoa::cli
