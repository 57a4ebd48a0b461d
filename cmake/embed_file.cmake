# Turns one file into a C++ source that returns its bytes, at build time:
#   cmake -DINPUT=<file> -DOUTPUT=<file.cc> -DNAMESPACE=<ns> -DFUNCTION=<name>
#         -DHEADER=<include path> -P cmake/embed_file.cmake
# The generated `std::string_view <ns>::<name>()` is declared in HEADER.
#
# Every byte is written as a character literal ('\xe1'), not as a raw string:
# the bytes come out exactly as in the file (UTF-8, line endings, a final
# newline or its absence), no delimiter in the file can end the literal, and
# no compiler's limit on the length of one string literal applies.
foreach(var INPUT OUTPUT NAMESPACE FUNCTION HEADER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_file.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 16 bytes to a line, each byte one literal.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('[^']+',){16})" "\\1\n    " bytes "${bytes}")

file(RELATIVE_PATH shown "${CMAKE_CURRENT_LIST_DIR}/.." "${INPUT}")
set(text "// Generated from ${shown} by cmake/embed_file.cmake; edit that file, not this one.
#include \"${HEADER}\"

namespace ${NAMESPACE} {
namespace {

// ${size} bytes, then a NUL that is not part of the file (an empty file is
// still a valid array).
constexpr char kBytes[] = {
    ${bytes}'\\0'};

}  // namespace

std::string_view ${FUNCTION}() { return {kBytes, sizeof(kBytes) - 1}; }

}  // namespace ${NAMESPACE}
")

file(WRITE "${OUTPUT}" "${text}")
