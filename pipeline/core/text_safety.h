// Text that came from outside (file names, register values, OCR text, HTTP
// paths, keyed values) on its way into places that must stay well-formed:
// one log line per event, a terminal that must not obey escape sequences.
#pragma once

#include <string>
#include <string_view>

namespace sohoa {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` made safe for one line of a log or a terminal: printable UTF-8 is
// kept as it is (Vietnamese stays readable); a backslash becomes "\\"; LF, CR
// and TAB become "\n", "\r", "\t"; every other C0 control, DEL and a byte
// that is not part of well-formed UTF-8 becomes "\xNN"; C1 controls and the
// invisible direction marks and overrides (U+061C, U+200E-F, U+202A-E,
// U+2066-9) become "\u{XXXX}". The result is valid UTF-8 without control
// characters, and different inputs give different results.
std::string EscapeForLog(std::string_view text);

// Why `value` cannot be stored as a field value typed by a person, or "" when
// it can: not well-formed UTF-8; a C0 control other than TAB and LF (NUL,
// ESC, CR...), DEL or a C1 control; a noncharacter (U+FDD0-U+FDEF and every
// U+xFFFE/U+xFFFF, which XML and PDF metadata refuse); an invisible direction
// mark, override or isolate (U+061C, U+200E-F, U+202A-E, U+2066-9), which
// would make a value read differently from what it holds. The message names
// the character as U+XXXX.
std::string FieldValueProblem(std::string_view value);

// `text` with every character XML 1.0 forbids (C0 controls other than TAB, LF
// and CR; U+FFFE, U+FFFF; bytes that are not well-formed UTF-8) replaced by
// U+FFFD, so that any text can go into an XML document (the XMP packet)
// without making it ill-formed. Markup characters are not escaped here.
std::string XmlSafeText(std::string_view text);

}  // namespace sohoa
