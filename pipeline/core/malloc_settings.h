#pragma once

// How the engine asks glibc's malloc to behave (a no-op elsewhere). An
// operator's own settings win: MALLOC_ARENA_MAX, or GLIBC_TUNABLES naming
// the same tunable.
//
// Arenas. A program starts with one (cli/main.cc), before any thread
// exists: glibc gives each thread that contends a lock its own arena, and
// each keeps its own freed memory, so with the default (8 per core)
// resident memory was the sum of every arena's high-water mark and grew
// with the variety of pages a run had seen (10 vs 200 pages of the same
// kinds: 235 vs 298 MB).
// The graph then allows one arena per job (pipeline/graph/graph.cc), before
// it makes the stages' workers side by side. Before any other thread: glibc
// fixes its arena limit once, the first time a thread other than the main
// one needs an arena (arena_get2's narenas_limit), and a later mallopt
// changes nothing. Until 2026-12-07 the graph raised it only after the
// workers' threads had loaded their models on the one arena, so every run
// went on with one arena (32 documents at --jobs 2: 58,000-64,000 futex
// calls against 284-297 since; a sohoa worker raises it before its lease
// heartbeat's thread). One arena for all serialised the workers on
// many cores — issue 24, 16 jobs on 16 cores: 36.6 s and 371 CPU-s with one
// arena, 13.3 s and 130 CPU-s with 16 (MALLOC_ARENA_MAX, so from the start),
// peak RSS 0.94 → 1.10 GB. On 2 cores two arenas left peak RSS as it was
// (scripts/memory_test.sh 10 vs 120 pages: 275 vs 336 MiB, one arena 265 vs
// 335) and cost no more CPU (bench batch at --jobs 2: 28.8-29.4 s against
// 28.6-30.5; dense prose at MALLOC_ARENA_MAX=4: 3.37 against 3.59 CPU s/page).
//
// Huge pages. The `vie` model's LSTM runs its matrix products over tens of
// megabytes of weights and activations, and every page's rasters are
// allocated afresh; on 4 KiB pages that is ~23,000 page faults per dense
// page and TLB misses in the products. With glibc.malloc.hugetlb=1 malloc
// asks the kernel for transparent huge pages (madvise) on the memory it
// takes: 4 dense prose pages at --jobs 1 (issue 19), 92,600 → 15,000 page
// faults, user CPU 9.66-9.85 → 8.88-9.12 s, system 1.39-1.46 → 0.84-1.15 s,
// about -10% CPU in all; 200 certificates at --jobs 2: peak RSS 357 → 350
// MB. A tunable is read when a program starts, so the `sohoa` front end
// sets it for the engine it starts (cli/engine.cc); where the kernel's
// transparent huge pages are off it changes nothing.
#include <string>

namespace sohoa {

// Allows `arenas` (at least 1) from now on, unless the operator chose.
void LimitMallocArenas(int arenas);

// Whether the operator chose the arena count: MALLOC_ARENA_MAX set, or
// `tunables` (GLIBC_TUNABLES; null when unset) naming glibc.malloc.arena_max.
bool OperatorChoseArenas(const char* malloc_arena_max, const char* tunables);

// GLIBC_TUNABLES for the engine: the operator's `tunables` (null when
// unset) with glibc.malloc.hugetlb=1 added unless they name that tunable.
std::string EngineTunables(const char* tunables);

}  // namespace sohoa
