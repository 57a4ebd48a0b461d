// Errors that libraries return once a command has started (issue 20), as
// messages with ids and parameters, the way review reasons are
// (pipeline/core/reason.h): the ledger cannot be opened, a key's password
// or PIN is wrong, a --targets list or a document-type file is bad, a
// search has no purpose.
//
// A library still returns a Status whose message is the English text,
// written with ErrorText(id, params) so that it is exactly one of the
// table's msgids (pipeline/core/error_text.cc) filled in; logs, tests and
// JSON answers keep that English. A command that prints an error to a
// person passes it through ErrorInLang, which finds the kind again (the
// whole message, or its tail after a context such as "page 3: ") and says
// it in the --ui-lang language with the same parameters: the file names
// and the causes stay. A message of no known kind (a library's own words:
// SQLite's, OpenSSL's, libpq's) is printed as written.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/catalog.h"

namespace sohoa {

// The English text of error `id` with `params` filled in. An unknown id is
// a bug and gives "<id>: k=v, …" so that it shows.
std::string ErrorText(const char* id, const MessageParams& params);

// `message` (a Status's) in `lang`: a known kind said from the catalogue,
// a parameter named {cause} said in turn; anything else as written.
std::string ErrorInLang(const std::string& message, UiLang lang);

// Every msgid of the table (tests check the catalogue translates each).
std::vector<const char*> ErrorMsgids();

}  // namespace sohoa
