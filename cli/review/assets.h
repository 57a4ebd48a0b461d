// The review station's web application, embedded in the binary (no internet
// at runtime): one HTML page, its style sheet and its scripts. Plain DOM code,
// no framework; every value from the archive is inserted as text, never as
// HTML. Vietnamese by default, English selectable (remembered per browser);
// the words come from the message catalogue as /words.js (web_words.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sohoa::cli {

struct Asset {
  std::string path;  // "/", "/app.js", ...
  std::string content_type;
  std::string body;
};

// `ui_lang` ("vi" | "en") is the default language until the person picks one.
std::vector<Asset> Assets(const std::string& ui_lang);

// The files under cli/review/web/, byte for byte, compiled in at build time
// (cmake/embed_file.cmake, run by cli/CMakeLists.txt whenever a file changes).
// Edit those files; index.html carries the @LANG@ placeholder Assets() fills.
namespace web {
std::string_view IndexHtml();
std::string_view AppCss();
std::string_view AppJs();
std::string_view KeyingJs();  // the keying station's typing aids (issue 18)
std::string_view ClerkJs();   // the clerk's search page (issue 22)
}  // namespace web

}  // namespace sohoa::cli
