#include "cli/review/clerk_desk.h"

#include <chrono>
#include <sstream>

#include "cli/review/json_body.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/json_output.h"

namespace sohoa::cli {
namespace {

using nlohmann::json;

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  res.status = status;
  res.set_content(DumpJson(ErrorBody(code, message)), "application/json; charset=utf-8");
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Text(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

ClerkDesk::ClerkDesk(Ledger* ledger, std::string archive_dir, ClerkDeskOptions options)
    : ledger_(ledger),
      archive_dir_(std::move(archive_dir)),
      options_(std::move(options)),
      searches_(std::max(1, options_.searches_per_minute), 60) {}

void ClerkDesk::AddRoutes(httplib::Server& http, const ClerkRouteContext& context) {
  context_ = context;
  http.Post("/api/clerk/search",
            [this](const httplib::Request& req, httplib::Response& res) { Search(req, res); });
  http.Get(R"(/api/clerk/records/([0-9a-f]{64})/pdf)",
           [this](const httplib::Request& req, httplib::Response& res) { Pdf(req, res); });
  http.Get(R"(/api/clerk/records/([0-9a-f]{64})/extract)",
           [this](const httplib::Request& req, httplib::Response& res) { Extract(req, res); });
}

void ClerkDesk::Search(const httplib::Request& req, httplib::Response& res) {
  std::optional<Session> session = context_.require(req, res);
  if (!session) return;
  std::optional<json> body = context_.body(req, res);
  if (!body) return;
  if (!body->is_object()) {
    return SendError(res, 400, "invalid", ExpectedBody("{holder | name, birth_date, type, purpose}"));
  }
  // Counted before the search runs, refused or not: a burst of malformed
  // requests is a burst of searches too.
  if (const int64_t wait = searches_.Take(session->user, NowSeconds()); wait > 0) {
    // Not an audit entry (the request log has it): a client hammering the
    // limit would bury the log's real entries.
    res.set_header("Retry-After", std::to_string(wait));
    json refused = ErrorBody(
        "too_many", ErrorText("clerk.too_many", {{"max", std::to_string(options_.searches_per_minute)},
                                                 {"wait", std::to_string(wait)}}));
    refused["retry_after"] = wait;
    res.status = 429;
    res.set_content(DumpJson(refused), "application/json; charset=utf-8");
    return;
  }
  FindRequest request;
  request.holder_id = Text(*body, "holder");
  request.name = Text(*body, "name");
  request.birth_date = Text(*body, "birth_date");
  request.doc_type = Text(*body, "type");
  request.purpose = Text(*body, "purpose");
  request.who = session->user;
  request.via = "review";
  StatusOr<FindResult> found = FindCitizenRecords(*ledger_, request);
  if (!found.ok()) {
    (void)context_.accounts->Audit(session->user, "clerk_search_refused", "", "");
    return context_.send_status(res, found.status());
  }
  {
    Disclosed disclosed;
    disclosed.purpose = request.purpose;
    for (const FoundRecord& r : found->records) disclosed.records.insert(r.sha256);
    std::lock_guard<std::mutex> lock(mutex_);
    disclosed_[session->user] = std::move(disclosed);
  }
  (void)context_.accounts->Audit(
      session->user, "clerk_search", "",
      "kind=" + found->query_kind + "; returned=" + std::to_string(found->records.size()));
  std::ostringstream out;
  WriteFindJson(*found, out);
  res.set_content(out.str(), "application/json; charset=utf-8");
}

std::optional<std::string> ClerkDesk::PurposeFor(const std::string& user, const std::string& sha256,
                                                 httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = disclosed_.find(user);
  if (it == disclosed_.end() || it->second.records.count(sha256) == 0) {
    SendError(res, 403, "forbidden", ErrorText("clerk.search_first", {}));
    return std::nullopt;
  }
  return it->second.purpose;
}

void ClerkDesk::Pdf(const httplib::Request& req, httplib::Response& res) {
  std::optional<Session> session = context_.require(req, res);
  if (!session) return;
  const std::string sha = req.matches[1];
  std::optional<std::string> purpose = PurposeFor(session->user, sha, res);
  if (!purpose) return;
  const bool download = req.get_param_value("download") == "1";
  PdfAccess access;
  access.sha256 = sha;
  access.purpose = *purpose;
  access.who = session->user;
  access.via = "review";
  access.kind = download ? "pdf_download" : "pdf_open";
  StatusOr<std::string> pdf = ReadRecordPdf(*ledger_, archive_dir_, access);
  if (!pdf.ok()) return context_.send_status(res, pdf.status());
  (void)context_.accounts->Audit(session->user, "clerk_" + access.kind, sha, "");
  res.set_header("Content-Disposition", std::string(download ? "attachment" : "inline") +
                                            "; filename=\"record-" + sha.substr(0, 12) + ".pdf\"");
  res.set_content(std::move(pdf).value(), "application/pdf");
}

void ClerkDesk::Extract(const httplib::Request& req, httplib::Response& res) {
  std::optional<Session> session = context_.require(req, res);
  if (!session) return;
  const std::string sha = req.matches[1];
  std::optional<std::string> purpose = PurposeFor(session->user, sha, res);
  if (!purpose) return;
  ExtractRequest request;
  request.sha256 = sha;
  request.purpose = *purpose;
  request.who = session->user;
  request.via = "review";
  StatusOr<CitizenExtract> extract =
      MakeCitizenExtract(*ledger_, archive_dir_, request, options_.cover ? &options_.cover : nullptr);
  if (!extract.ok()) return context_.send_status(res, extract.status());
  StatusOr<std::string> zip = ExtractZipBytes(*extract);
  if (!zip.ok()) return context_.send_status(res, zip.status());
  (void)context_.accounts->Audit(session->user, "clerk_extract", sha,
                                 extract->cover_name.empty() ? "cover=no" : "cover=yes");
  res.set_header("Content-Disposition", "attachment; filename=\"extract-" + sha.substr(0, 12) + ".zip\"");
  res.set_content(std::move(zip).value(), "application/zip");
}

}  // namespace sohoa::cli
