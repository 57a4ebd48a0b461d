#include "stages/page/serial_openmp.h"

#include <dlfcn.h>

// The entry points as GCC's code calls them (libgomp's ABI: an outlined
// body and its data; `num_threads` and `flags` only size or bind a team).
extern "C" {
void GOMP_parallel(void (*body)(void*), void* data, unsigned num_threads, unsigned flags);
void GOMP_parallel_sections(void (*body)(void*), void* data, unsigned num_threads, unsigned count,
                            unsigned flags);
unsigned GOMP_sections_next();
void GOMP_sections_end_nowait();
int omp_get_num_threads();
int omp_get_thread_num();
}

namespace {

// The sections of the innermost `parallel sections` region running on this
// thread: the next one to hand out (1-based, as GCC numbers them) and how
// many there are. 0 of 0 outside any region.
struct Sections {
  unsigned next = 0;
  unsigned count = 0;
};
thread_local Sections current_sections;

}  // namespace

extern "C" {

void GOMP_parallel(void (*body)(void*), void* data, unsigned, unsigned) { body(data); }

// The outlined body asks GOMP_sections_next for a section number until it
// gets 0, runs each, then calls GOMP_sections_end_nowait. A region nested
// inside a section keeps its own count and gives the outer one back.
void GOMP_parallel_sections(void (*body)(void*), void* data, unsigned, unsigned count, unsigned) {
  const Sections outer = current_sections;
  current_sections = Sections{1, count};
  body(data);
  current_sections = outer;
}

unsigned GOMP_sections_next() {
  Sections& s = current_sections;
  return s.next <= s.count ? s.next++ : 0;
}

void GOMP_sections_end_nowait() {}

int omp_get_num_threads() { return 1; }

int omp_get_thread_num() { return 0; }

}  // extern "C"

namespace sohoa {

bool SerialOpenMpInUse() {
  return dlsym(RTLD_DEFAULT, "GOMP_parallel") == reinterpret_cast<void*>(&GOMP_parallel);
}

}  // namespace sohoa
