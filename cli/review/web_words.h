// The review station's words (issue 20): the browser's texts come from the
// one message catalogue (po/vi.po) like every other message, not from a
// table of their own in the scripts. The server says each word in every
// language and serves them as /words.js (`const WORDS = {…}`), loaded
// before the scripts: the station switches language in the browser without
// asking the server again.
#pragma once

#include <string>

namespace sohoa::cli {

// `const WORDS = {"app": {"vi": {key: text, …}, "en": {…}}, "clerk": {…}};`
// — app.js's and clerk.js's words by key, in each language; "other_lang"
// is the name of the other language, in that language (the toggle).
std::string WebWordsScript();

}  // namespace sohoa::cli
