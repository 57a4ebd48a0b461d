#include "cli/review/server.h"

#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/review/assets.h"
#include "cli/review/page_images.h"

namespace sohoa::cli {
namespace {

using nlohmann::json;
constexpr const char* kCookie = "sohoa_session";
constexpr double kPageDpi = 150;

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
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  SendJson(res, status, {{"error", message}, {"code", code}});
}

int HttpStatusOf(const Status& s, std::string* code) {
  switch (s.code()) {
    case StatusCode::kNotFound: *code = "not_found"; return 404;
    case StatusCode::kBusy: *code = "conflict"; return 409;
    case StatusCode::kInvalidInput: *code = "invalid"; return 422;
    default: *code = "internal"; return 500;
  }
}

void SendStatus(httplib::Response& res, const Status& s) {
  std::string code;
  const int http = HttpStatusOf(s, &code);
  SendError(res, http, code, s.message());
}

std::map<std::string, std::string> StringMap(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

class Server final : public ReviewServer {
 public:
  Server(ReviewService* service, AccountStore* accounts, ReviewServerOptions options, std::ostream* log)
      : service_(service), accounts_(accounts), options_(std::move(options)), log_(log) {
    Routes();
  }

  StatusOr<int> Bind() override {
    if (options_.port == 0) {
      const int port = http_.bind_to_any_port(options_.host);
      if (port <= 0) return Status::Configuration("cannot listen on " + options_.host);
      port_ = port;
    } else if (!http_.bind_to_port(options_.host, options_.port)) {
      return Status::Configuration("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                   " (in use, or not an address of this machine)");
    } else {
      port_ = options_.port;
    }
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
      SendError(res, 401, "login_required", "log in first");
      return std::nullopt;
    }
    StatusOr<Session> session = accounts_->Authenticate(token, options_.sessions);
    if (!session.ok()) {
      SendError(res, 401, "login_required", session.status().message());
      return std::nullopt;
    }
    if (req.method == "POST" && !ConstantTimeEqual(req.get_header_value("X-CSRF-Token"), session->csrf_token)) {
      SendError(res, 403, "csrf", "missing or wrong CSRF token");
      return std::nullopt;
    }
    if (admin && session->role != Role::kAdmin) {
      SendError(res, 403, "forbidden", "this needs the admin role");
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(users_mutex_);
    request_user_[&req] = session->user;
    return *session;
  }

  // Refuses cross-origin requests and non-JSON POST bodies before routing.
  httplib::Server::HandlerResponse Guard(const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty()) {
      const std::string host = req.get_header_value("Host");
      if (origin != "http://" + host && origin != "https://" + host) {  // https: behind a TLS proxy
        SendError(res, 403, "forbidden", "cross-origin request refused");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (req.method == "POST" && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      SendError(res, 415, "invalid", "POST bodies must be application/json");
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
    http_.set_payload_max_length(1 << 20);
    http_.set_read_timeout(30);
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return Guard(req, res);
    });
    http_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      SecurityHeaders(res, req.path.rfind("/api/", 0) == 0);
    });
    http_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      SendError(res, 500, "internal", "internal error");
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
      if (log_ == nullptr) return;
      std::lock_guard<std::mutex> lock(log_mutex_);
      // The path only: queries may carry filters, never bodies or values.
      *log_ << "review: " << req.method << " " << req.path << " " << res.status
            << (user.empty() ? "" : " user=" + user) << "\n";
      log_->flush();
    });

    for (const Asset& asset : Assets(options_.ui_lang)) {
      const std::string type = asset.content_type;
      const std::string body = asset.body;
      http_.Get(asset.path, [type, body](const httplib::Request&, httplib::Response& res) {
        res.set_content(body, type.c_str());
      });
    }

    http_.Post("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.value("user", json()).is_string() ||
          !body.value("password", json()).is_string()) {
        SendError(res, 400, "invalid", "expected {\"user\", \"password\"}");
        return;
      }
      StatusOr<NewSession> s = accounts_->Login(body["user"].get<std::string>(),
                                                body["password"].get<std::string>(), options_.sessions);
      if (!s.ok()) {
        const bool locked = s.status().code() == StatusCode::kBusy;
        SendError(res, locked ? 429 : 401, locked ? "locked" : "wrong_password", s.status().message());
        return;
      }
      res.set_header("Set-Cookie", std::string(kCookie) + "=" + s->token +
                                       "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                       std::to_string(options_.sessions.max_seconds));
      {
        std::lock_guard<std::mutex> lock(users_mutex_);
        request_user_[&req] = s->session.user;
      }
      SendJson(res, 200, {{"user", s->session.user}, {"role", RoleName(s->session.role)},
                          {"csrf", s->session.csrf_token}, {"ui_lang", options_.ui_lang}});
    });

    http_.Post("/api/logout", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      (void)accounts_->Logout(CookieValue(req, kCookie));
      res.set_header("Set-Cookie", std::string(kCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
      SendJson(res, 200, {{"ok", true}});
    });

    http_.Get("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<Session> s = Require(req, res);
      if (!s) return;
      SendJson(res, 200, {{"user", s->user}, {"role", RoleName(s->role)}, {"csrf", s->csrf_token},
                          {"ui_lang", options_.ui_lang}});
    });

    http_.Get("/api/queue", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      StatusOr<std::vector<ReviewQueueItem>> queue = service_->Queue();
      if (!queue.ok()) return SendStatus(res, queue.status());
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
        items.push_back({{"sha256", item.sha256}, {"source", item.source}, {"doc_type", item.doc_type},
                         {"doc_type_name", item.doc_type_name},
                         {"batch", item.batch}, {"reasons", item.reasons}, {"categories", item.categories},
                         {"pages", item.pages}, {"version", item.version}});
      }
      SendJson(res, 200, {{"items", items}, {"counts", counts}, {"type_names", type_names},
                          {"total", queue->size()}});
    });

    http_.Get(R"(/api/documents/([0-9a-f]{64}))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      StatusOr<std::string> doc = service_->DocumentJson(req.matches[1]);
      if (!doc.ok()) return SendStatus(res, doc.status());
      res.set_content(*doc, "application/json; charset=utf-8");
    });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/pages/([0-9]{1,4})\.png)",
              [this](const httplib::Request& req, httplib::Response& res) {
                if (!Require(req, res)) return;
                StatusOr<std::string> pdf = service_->PdfPath(req.matches[1]);
                if (!pdf.ok()) return SendStatus(res, pdf.status());
                StatusOr<std::string> png = RenderPagePng(*pdf, std::stoi(req.matches[2]) - 1, kPageDpi);
                if (!png.ok()) return SendStatus(res, png.status());
                res.set_content(*png, "image/png");
              });

    http_.Get(R"(/api/documents/([0-9a-f]{64})/words)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res)) return;
      StatusOr<std::string> pdf = service_->PdfPath(req.matches[1]);
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
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object()) return SendError(res, 400, "invalid", "expected a JSON object");
      StatusOr<std::string> verdicts =
          service_->CheckJson(body.value("doc_type", ""), StringMap(body.value("fields", json::object())));
      if (!verdicts.ok()) return SendStatus(res, verdicts.status());
      res.set_content(*verdicts, "application/json; charset=utf-8");
    });

    http_.Post(R"(/api/documents/([0-9a-f]{64})/confirm)", [this](const httplib::Request& req,
                                                                   httplib::Response& res) {
      std::optional<Session> session = Require(req, res);
      if (!session) return;
      const json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.value("version", json()).is_string()) {
        return SendError(res, 400, "invalid", "expected {version, doc_type, fields, record_id}");
      }
      ReviewSubmission s;
      s.sha256 = req.matches[1];
      s.version = body["version"].get<std::string>();
      s.reviewer = session->user;
      s.doc_type = body.value("doc_type", "");
      s.fields = StringMap(body.value("fields", json::object()));
      s.record_id = body.value("record_id", "");
      StatusOr<ReviewOutcome> outcome = service_->Confirm(s);
      if (!outcome.ok()) {
        // Refusals are audited too, by field keys and cause class only.
        const std::string kind = outcome.status().code() == StatusCode::kBusy ? "conflict" : "refused";
        (void)accounts_->Audit(session->user, "review_" + kind, s.sha256, "");
        return SendStatus(res, outcome.status());
      }
      std::string changed;
      for (const std::string& key : outcome->changed_fields) changed += (changed.empty() ? "" : ",") + key;
      (void)accounts_->Audit(session->user, "review_confirm", s.sha256,
                             "doc_type=" + s.doc_type + "; changed=" + changed + "; bag=" + outcome->bag);
      SendJson(res, 200, {{"pdf", outcome->pdf}, {"bag", outcome->bag}, {"changed", outcome->changed_fields}});
    });

    http_.Get("/api/audit", [this](const httplib::Request& req, httplib::Response& res) {
      if (!Require(req, res, /*admin=*/true)) return;
      StatusOr<std::vector<AuditEntry>> entries = accounts_->AuditLog(500);
      if (!entries.ok()) return SendStatus(res, entries.status());
      json out = json::array();
      for (const AuditEntry& e : *entries) {
        out.push_back({{"id", e.id}, {"at", e.at}, {"user", e.user}, {"action", e.action},
                       {"target", e.target}, {"detail", e.detail}});
      }
      SendJson(res, 200, {{"entries", out}});
    });
  }

  ReviewService* service_;
  AccountStore* accounts_;
  ReviewServerOptions options_;
  std::ostream* log_;
  httplib::Server http_;
  int port_ = 0;
  std::atomic<bool> serving_{false}, stopping_{false};
  std::mutex log_mutex_, users_mutex_;
  std::map<const httplib::Request*, std::string> request_user_;  // for the request log
};

}  // namespace

std::unique_ptr<ReviewServer> NewReviewServer(ReviewService* service, AccountStore* accounts,
                                              const ReviewServerOptions& options, std::ostream* log) {
  return std::make_unique<Server>(service, accounts, options, log);
}

}  // namespace sohoa::cli
