#pragma once

// How many glibc malloc arenas the process may use (a no-op elsewhere, and
// when the operator set MALLOC_ARENA_MAX or GLIBC_TUNABLES: theirs wins).
//
// A program starts with one (cli/main.cc), before any thread exists: glibc
// gives each thread that contends a lock its own arena, and each keeps its
// own freed memory, so with the default (8 per core) resident memory was the
// sum of every arena's high-water mark and grew with the variety of pages a
// run had seen (10 vs 200 pages of the same kinds: 235 vs 298 MB).
//
// The graph then allows one arena per job (pipeline/graph/graph.cc). One
// arena for all serialised the workers on many cores — issue 24, 16 jobs on
// 16 cores: 36.6 s and 371 CPU-s with one arena, 13.3 s and 130 CPU-s with
// 16, peak RSS 0.94 → 1.10 GB. On 2 cores two arenas left peak RSS as it was
// (scripts/memory_test.sh 10 vs 120 pages: 275 vs 336 MiB, one arena 265 vs
// 335) and cost no more CPU (bench batch at --jobs 2: 28.8-29.4 s against
// 28.6-30.5; dense prose at MALLOC_ARENA_MAX=4: 3.37 against 3.59 CPU s/page).
namespace sohoa {

void LimitMallocArenas(int arenas);

}  // namespace sohoa
