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
// The graph then allows MallocArenasFor(jobs) (pipeline/graph/graph.cc).
// One arena for all serialises the workers on many cores — issue 24, 16 jobs
// on 16 cores: 36.6 s and 371 CPU-s with one arena, 13.3 s and 130 CPU-s with
// 16, peak RSS 0.94 → 1.10 GB; the same table showed no loss at 2 and 4 jobs
// (0.78 and 0.76 of the tesseract limit). On 2 cores two arenas changed
// neither CPU nor peak RSS beyond the noise (scripts/memory_test.sh 10 vs 120
// pages: 275 vs 336 MiB with two, 265 vs 335 with one). Hence one arena up
// to 4 jobs, where nothing was measured to gain, one per job beyond.
namespace sohoa {

void LimitMallocArenas(int arenas);

// The arenas for a graph of `jobs` workers: 1 up to 4 jobs, else `jobs`.
int MallocArenasFor(int jobs);

}  // namespace sohoa
