#include "stages/signing/http_fetch.h"

#include <curl/curl.h>

#include <algorithm>

namespace sohoa {
namespace {

struct Sink {
  std::string data;
  size_t limit = 0;
  bool over = false;
};

size_t Append(char* data, size_t size, size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  if (sink->data.size() + size * count > sink->limit) {
    sink->over = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  sink->data.append(data, size * count);
  return size * count;
}

bool HttpScheme(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

StatusOr<std::string> HttpFetch(const HttpRequest& request) {
  const std::string who = request.what + " " + request.url;
  if (!HttpScheme(request.url)) return Status::IoError(who + ": only http and https URLs are fetched");
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Status::Internal("libcurl initialisation failed");
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("libcurl: cannot create a handle");
  Sink sink;
  sink.limit = request.max_bytes;
  curl_slist* headers = nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (!request.content_type.empty()) {
    headers = curl_slist_append(nullptr, ("Content-Type: " + request.content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(request.timeout_seconds, 15)));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  long http = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (sink.over || rc == CURLE_FILESIZE_EXCEEDED) {
    return Status::IoError(who + ": answer larger than " + std::to_string(request.max_bytes) + " bytes");
  }
  if (rc != CURLE_OK) return Status::IoError(who + ": " + curl_easy_strerror(rc));
  if (http != 200) return Status::IoError(who + " answered HTTP " + std::to_string(http));
  return std::move(sink.data);
}

}  // namespace sohoa
