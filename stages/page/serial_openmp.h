// A serial OpenMP runtime for Tesseract's parallel regions (issue 19, 24).
//
// sohoa runs one Tesseract engine per job, each on its own thread, and
// Tesseract's own OpenMP regions with a team of one (tesseract_engine.h).
// Debian's libtesseract still calls libgomp for every region — about
// 175,000 of them for one certificate page, counting the second readers —
// and libgomp ends each one, team of one or not, with a wake-all futex
// system call on the region's barrier (strace: 175,000 futex calls for
// that page, 84,000 for the `tesseract` command line's one reading). In
// one process the jobs' threads share the kernel's futex hash, so the cost
// grew with the jobs: measured on 12 held-back form pages, 2 cores,
// --jobs 1: 10.3 → 8.9 CPU s; --jobs 2: 13.1 → 9.7 CPU s, 7.0 → 5.0 s wall
// (README, "Page images: MRC (issue 19)", speed).
//
// So the programs that run Tesseract define, themselves, the six OpenMP
// entry points libtesseract imports (`nm -D --undefined-only`:
// GOMP_parallel, GOMP_parallel_sections, GOMP_sections_next,
// GOMP_sections_end_nowait, omp_get_num_threads, omp_get_thread_num), with
// libgomp's symbol versions (serial_openmp.map), and export them: the
// dynamic linker looks in the executable before any library, so
// libtesseract binds to these, and libgomp, still loaded, is not called.
// Each region runs on the calling thread, every section and iteration
// once, in order — what a team of one does, without the team. Results are
// the same byte for byte (--deterministic runs of the forms above).
//
// CMake: sohoa_use_serial_openmp(target) in stages/page/CMakeLists.txt
// links this into an executable. A library that imports other libgomp
// entry points (loops with dynamic schedules, tasks, barriers) would still
// get them from libgomp; serial_openmp_test checks libtesseract's list.
#pragma once

namespace sohoa {

// True when `GOMP_parallel`, as the dynamic linker finds it for every
// library of this process, is this runtime's (the executable exported it).
bool SerialOpenMpInUse();

}  // namespace sohoa
