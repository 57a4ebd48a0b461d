#include "pipeline/core/malloc_settings.h"

#include <cstdlib>
#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sohoa {
namespace {

// Whether the colon-separated `tunables` set `name` (name=value).
bool NamesTunable(const char* tunables, std::string_view name) {
  if (tunables == nullptr) return false;
  std::string_view rest = tunables;
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string_view item = rest.substr(0, colon);
    if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=')
      return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

}  // namespace

bool OperatorChoseArenas(const char* malloc_arena_max, const char* tunables) {
  return malloc_arena_max != nullptr || NamesTunable(tunables, "glibc.malloc.arena_max");
}

std::string EngineTunables(const char* tunables) {
  constexpr std::string_view kHugePages = "glibc.malloc.hugetlb";
  std::string result = tunables != nullptr ? tunables : "";
  if (NamesTunable(tunables, kHugePages)) return result;
  if (!result.empty()) result += ':';
  result += std::string(kHugePages) + "=1";
  return result;
}

void LimitMallocArenas(int arenas) {
#if defined(__GLIBC__)
  if (arenas < 1) arenas = 1;
  if (!OperatorChoseArenas(std::getenv("MALLOC_ARENA_MAX"), std::getenv("GLIBC_TUNABLES"))) {
    mallopt(M_ARENA_MAX, arenas);
  }
#else
  (void)arenas;
#endif
}

}  // namespace sohoa
