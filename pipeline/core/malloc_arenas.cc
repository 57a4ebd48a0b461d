#include "pipeline/core/malloc_arenas.h"

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sohoa {

void LimitMallocArenas(int arenas) {
#if defined(__GLIBC__)
  if (arenas < 1) arenas = 1;
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr && std::getenv("GLIBC_TUNABLES") == nullptr) {
    mallopt(M_ARENA_MAX, arenas);
  }
#else
  (void)arenas;
#endif
}

}  // namespace sohoa
