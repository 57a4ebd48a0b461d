#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/CMakeLists.txt: -DSOHOA_FUZZ=ON, clang,
# AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer, only the
# sources each needs) into build-fuzz/, replays every crash kept so far, then
# fuzzes each target for SECONDS from its kept corpus (fuzz/corpus/<target>/).
#
#   scripts/fuzz.sh [SECONDS] [target...]     (default 10 s a target, all targets)
#
# Targets: ingest (TIFF, PNG, JPEG, scanner PDF), register_csv, doctype_json,
# book_manifest, review_json. Exit 0: no crash, leak or sanitizer report.
# A crash leaves its input as build-fuzz/findings/<target>/crash-*: keep it in
# fuzz/crashes/<target>/ (ingest: tests/corpus/crashes/, which
# tests/corpus/crash_replay_test.cc also replays in the normal test run) and
# fix the bug; this script replays them all every time.
set -euo pipefail
seconds=${1:-10}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=(ingest register_csv doctype_json book_manifest review_json); fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz

cmake -S "$root" -B "$build" -DSOHOA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ > /dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/%/_fuzzer}"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
# The fuzzers are not installed beside share/sohoa/schemas: the register
# target loads the checkout's document types.
export SOHOA_SCHEMAS=${SOHOA_SCHEMAS:-$root/schemas}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
limits=(-max_len=65536 -rss_limit_mb=2048 -timeout=20)
for target in "${targets[@]}"; do
  fuzzer=$build/bin/${target}_fuzzer
  kept=("$root"/fuzz/crashes/"$target"/*)
  if [[ $target == ingest ]]; then kept+=("$root"/tests/corpus/crashes/*); fi
  replay=()
  for f in "${kept[@]}"; do [[ -f $f && $f != *.md ]] && replay+=("$f"); done
  if [[ ${#replay[@]} -gt 0 ]]; then
    echo "fuzz.sh: $target: replaying ${#replay[@]} kept crashes"
    "$fuzzer" "${limits[@]}" "${replay[@]}" > "$build/$target-replay.log" 2>&1 ||
      { tail -40 "$build/$target-replay.log"; exit 1; }
  fi
  # The kept corpus is copied: what the fuzzer adds stays in build-fuzz.
  corpus=$build/corpus/$target findings=$build/findings/$target
  mkdir -p "$corpus" "$findings"
  cp "$root"/fuzz/corpus/"$target"/* "$corpus"/
  echo "fuzz.sh: $target: $(ls "$corpus" | wc -l) inputs; fuzzing for $seconds s"
  (cd "$findings" && "$fuzzer" "$corpus" -max_total_time="$seconds" "${limits[@]}" -print_final_stats=1 \
    > "$build/$target.log" 2>&1) || { tail -60 "$build/$target.log"; exit 1; }
  grep -E '^Done|stat::number_of_executed_units' "$build/$target.log" | head -2
done
