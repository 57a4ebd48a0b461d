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
# Tests that run OCR use both cores themselves; run them one at a time.
ctest --output-on-failure --timeout 900 "$@"
# The fuzz targets (issue 20): kept crashes replayed, each target fuzzed
# briefly from its kept corpus (SOHOA_FUZZ_SECONDS, default 10; 0 skips).
cd ..
if [[ ${SOHOA_FUZZ_SECONDS:-10} != 0 ]]; then scripts/fuzz.sh "${SOHOA_FUZZ_SECONDS:-10}"; fi
