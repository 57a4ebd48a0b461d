// The review station's web application, embedded in the binary (no internet
// at runtime): one HTML page, its style sheet and its script. Plain DOM code,
// no framework; every value from the archive is inserted as text, never as
// HTML. Vietnamese by default, English selectable (remembered per browser).
#pragma once

#include <string>
#include <vector>

namespace sohoa::cli {

struct Asset {
  std::string path;          // "/", "/app.js", ...
  std::string content_type;
  std::string body;
};

// `ui_lang` ("vi" | "en") is the default language until the person picks one.
std::vector<Asset> Assets(const std::string& ui_lang);

// The script (cli/review/app_js.cc).
const char* AppJs();

}  // namespace sohoa::cli
