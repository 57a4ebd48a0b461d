#!/usr/bin/env bash
# Installs dependencies, builds sohoa (Release) and runs every test with ctest.
# This is the README's test command and what CI runs.
#   scripts/test.sh [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
cd build
# Unit tests run two at a time (each in its own scratch folder, on free
# ports); the end-to-end tests (`sohoa run` uses every core) and the review
# station's clock-bound tests are marked RUN_SERIAL and run alone.
ctest --output-on-failure --timeout 900 -j"$jobs" "$@"
# The fuzz targets (issue 20): kept crashes replayed, each target fuzzed
# briefly from its kept corpus (SOHOA_FUZZ_SECONDS, default 10; 0 skips).
cd ..
if [[ ${SOHOA_FUZZ_SECONDS:-10} != 0 ]]; then scripts/fuzz.sh "${SOHOA_FUZZ_SECONDS:-10}"; fi
