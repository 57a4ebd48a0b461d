// Test helper for the field stages: the project's own lexicons
// (schemas/lexicons), loaded once per test program. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "build_paths.h"
#include "stages/fields/field_lexicon.h"

namespace sohoa::testing {

inline const FieldLexicons& ProjectLexicons() {
  static const FieldLexicons* lexicons = [] {
    StatusOr<FieldLexicons> l = FieldLexicons::Load(std::string(SOHOA_SOURCE_DIR) + "/schemas/lexicons");
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return new FieldLexicons(l.ok() ? std::move(*l) : FieldLexicons{});
  }();
  return *lexicons;
}

}  // namespace sohoa::testing
