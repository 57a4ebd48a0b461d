#!/usr/bin/env bash
# Fuzzes the ingest stages (probe + decode of TIFF, PNG, JPEG, PDF) with
# libFuzzer under AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer, for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]     (default 60 s)
#
# Builds fuzz/ingest_fuzzer.cc with the ingest sources, all instrumented,
# with clang into build-fuzz/ingest_fuzzer,
# makes a seed corpus (the bad-input corpus of tests/corpus/make_bad_inputs.py,
# small good TIFF/PNG/JPEG/PDF files, the crashes already found) and runs.
# Exit code 0: no crash, no leak, no sanitizer report in that time.
# A crash leaves its input as build-fuzz/crash-*: copy it to
# tests/corpus/crashes/ (tests/corpus/crash_replay_test.cc replays them all).
set -euo pipefail
seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
# vptr checks need RTTI for poppler's classes, which libpoppler does not export.
sanitize="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

# Only the ingest sources (and the three model files they use) are built,
# every one instrumented, straight with clang: faster than a CMake tree and
# independent of the rest of the project's state.
mkdir -p "$build"
sources=("$root"/pipeline/core/status.cc "$root"/pipeline/core/raster.cc "$root"/pipeline/core/document.cc
         "$root"/stages/decode/ingest_stage.cc "$root"/stages/decode/tiff_decoder.cc
         "$root"/stages/decode/image_decoder.cc "$root"/stages/decode/pdf_decoder.cc)
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer $sanitize -I"$root" \
  $(pkg-config --cflags poppler-cpp poppler) -I/usr/include/opencv4 \
  "$root"/fuzz/ingest_fuzzer.cc "${sources[@]}" \
  -ltiff -lopencv_imgcodecs -lopencv_imgproc -lopencv_core \
  $(pkg-config --libs poppler-cpp poppler) -o "$build/ingest_fuzzer"

# Seed corpus: small files of every format, good and bad.
corpus=$build/corpus
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds"
samples=$build/samples
if [[ ! -f $samples/truth.json ]]; then
  /usr/bin/python3 "$root"/scripts/make_samples.py --out "$samples" --preset test > /dev/null
fi
/usr/bin/python3 "$root"/tests/corpus/make_bad_inputs.py --samples "$samples/scans" --out "$seeds/bad"
/usr/bin/python3 - "$samples/scans" "$seeds" <<'PY'
import sys
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
page = Image.open(src + "/t02_ket_hon_g3.tif").convert("L").resize((200, 280))
page.save(out + "/small_gray.png", dpi=(300, 300))
page.save(out + "/small.jpg", quality=60, dpi=(300, 300))
page.convert("RGB").save(out + "/small_rgb.jpg", quality=60)
page.save(out + "/small_lzw.tif", compression="tiff_lzw", dpi=(300, 300))
page.convert("1").save(out + "/small_g4.tif", compression="group4", dpi=(300, 300))
page.convert("RGB").save(out + "/small_rgb.tif", compression="tiff_adobe_deflate")
page.save(out + "/small.pdf", resolution=300.0)
page.convert("1").save(out + "/small_bw.pdf", resolution=300.0)
page.save(out + "/two.tif", save_all=True, append_images=[page.rotate(90, expand=True)],
          compression="packbits")
PY
# Big seeds (> 64 KB) only slow the fuzzer down; keep the small ones.
find "$seeds" -type f -size -64k -exec cp {} "$corpus"/ \;
find "$root"/../shared/corpus/ocrmypdf -name '*.pdf' -size -64k -exec cp {} "$corpus"/ \; 2>/dev/null || true
if [[ -d $root/tests/corpus/crashes ]]; then cp "$root"/tests/corpus/crashes/* "$corpus"/ 2>/dev/null || true; fi

echo "fuzz.sh: $(ls "$corpus" | wc -l) inputs in the corpus; fuzzing for $seconds s"
cd "$build"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
./ingest_fuzzer "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
  -timeout=20 -print_final_stats=1 "$@"
