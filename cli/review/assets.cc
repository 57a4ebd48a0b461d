#include "cli/review/assets.h"

namespace sohoa::cli {
namespace {

constexpr const char* kIndexHtml = R"asset(<!DOCTYPE html>
<html lang="vi" data-lang="@LANG@">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sohoa</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <strong id="brand">sohoa</strong>
  <span id="title"></span>
  <nav>
    <button type="button" id="nav-queue" hidden></button>
    <button type="button" id="nav-audit" hidden></button>
    <button type="button" id="lang-toggle"></button>
    <span id="who"></span>
    <button type="button" id="logout" hidden></button>
  </nav>
</header>
<div id="status-msg" role="status" aria-live="polite"></div>
<main>
  <section id="login-view" hidden>
    <form id="login-form" autocomplete="on">
      <h1 id="login-title"></h1>
      <label for="login-user" id="login-user-label"></label>
      <input id="login-user" name="username" autocomplete="username" required autofocus>
      <label for="login-password" id="login-password-label"></label>
      <input id="login-password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit" id="login-submit"></button>
      <p id="login-error" class="problem" role="alert"></p>
    </form>
  </section>
  <section id="queue-view" hidden>
    <div id="filters"></div>
    <p id="queue-summary"></p>
    <table id="queue-table"><thead></thead><tbody></tbody></table>
    <p id="queue-help" class="help"></p>
  </section>
  <section id="doc-view" hidden>
    <div id="pages-pane">
      <div id="zoom-bar">
        <button type="button" id="zoom-out">−</button>
        <span id="zoom-level"></span>
        <button type="button" id="zoom-in">+</button>
      </div>
      <div id="pages"></div>
    </div>
    <div id="form-pane">
      <div id="doc-head"></div>
      <form id="doc-form" novalidate></form>
      <p id="doc-help" class="help"></p>
    </div>
  </section>
  <section id="audit-view" hidden>
    <table id="audit-table"><thead></thead><tbody></tbody></table>
  </section>
</main>
</body>
</html>
)asset";

constexpr const char* kAppCss = R"asset(
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.4 "DejaVu Sans", "Liberation Sans", sans-serif; color: #1b1b1b; background: #f4f4f1; }
header { display: flex; gap: 1em; align-items: center; padding: .5em 1em; background: #8b1a1a; color: #fff; }
header nav { margin-left: auto; display: flex; gap: .5em; align-items: center; }
header button { background: #fff2; color: #fff; border: 1px solid #fff6; border-radius: 4px; padding: .25em .7em; cursor: pointer; }
#status-msg { min-height: 1.6em; padding: .2em 1em; font-weight: bold; }
#status-msg.ok { background: #dff0d8; color: #1e5e1e; }
#status-msg.error { background: #f8d7da; color: #842029; }
main { padding: 0 1em 1em; }
#login-form { max-width: 22em; margin: 3em auto; display: flex; flex-direction: column; gap: .4em; background: #fff; padding: 1.5em; border-radius: 6px; box-shadow: 0 1px 4px #0002; }
input, select, textarea { font: inherit; padding: .35em .5em; border: 1px solid #999; border-radius: 4px; width: 100%; }
input:focus, select:focus { outline: 3px solid #f0b429; border-color: #8b1a1a; }
input[aria-invalid="true"] { border-color: #c0392b; background: #fff3f2; }
button.primary, #login-submit { background: #8b1a1a; color: #fff; border: 0; padding: .55em 1em; border-radius: 4px; font-weight: bold; cursor: pointer; }
.problem { color: #b02a1a; margin: .1em 0; }
.help { color: #555; font-size: 90%; }
#filters { display: flex; gap: 1em; margin: .5em 0; flex-wrap: wrap; }
#filters label { display: flex; flex-direction: column; font-size: 90%; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
#queue-table tbody tr { cursor: pointer; }
#queue-table tbody tr.selected, #queue-table tbody tr:focus { background: #fff3cd; outline: none; }
.tag { display: inline-block; background: #eee; border-radius: 3px; padding: 0 .4em; margin: 0 .2em .2em 0; font-size: 85%; }
#doc-view { display: flex; gap: 1em; align-items: flex-start; }
#pages-pane { flex: 1 1 55%; position: sticky; top: 0; }
#pages { height: calc(100vh - 9em); overflow: auto; background: #777; padding: .5em; }
.page { position: relative; margin: 0 auto .5em; background: #fff; }
.page img { display: block; width: 100%; }
.box { position: absolute; border: 2px solid #e8590c; background: #ffd43b55; pointer-events: none; }
#form-pane { flex: 1 1 45%; max-width: 40em; }
#doc-head { background: #fff; padding: .6em; border-radius: 4px; margin-bottom: .6em; }
.field { background: #fff; padding: .4em .6em; margin-bottom: .3em; border-left: 4px solid transparent; }
.field.flagged { border-left-color: #e8590c; }
.field label { font-weight: bold; display: block; }
.meta { font-size: 85%; color: #555; }
.why { font-size: 85%; color: #8a4b00; }
#actions { display: flex; gap: .5em; margin: .8em 0; }
)asset";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::vector<Asset> Assets(const std::string& ui_lang) {
  const std::string html = Replace(kIndexHtml, "@LANG@", ui_lang == "en" ? "en" : "vi");
  return {
      {"/", "text/html; charset=utf-8", html},
      {"/index.html", "text/html; charset=utf-8", html},
      {"/app.css", "text/css; charset=utf-8", kAppCss},
      {"/app.js", "text/javascript; charset=utf-8", AppJs()},
  };
}

}  // namespace sohoa::cli
