#include "cli/review/assets.h"

#include "cli/review/web_words.h"

namespace sohoa::cli {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::vector<Asset> Assets(const std::string& ui_lang) {
  const std::string html = Replace(std::string(web::IndexHtml()), "@LANG@", ui_lang == "en" ? "en" : "vi");
  return {
      {"/", "text/html; charset=utf-8", html},
      {"/index.html", "text/html; charset=utf-8", html},
      {"/app.css", "text/css; charset=utf-8", std::string(web::AppCss())},
      {"/app.js", "text/javascript; charset=utf-8", std::string(web::AppJs())},
      {"/keying.js", "text/javascript; charset=utf-8", std::string(web::KeyingJs())},
      {"/clerk.js", "text/javascript; charset=utf-8", std::string(web::ClerkJs())},
      {"/words.js", "text/javascript; charset=utf-8", WebWordsScript()},
  };
}

}  // namespace sohoa::cli
