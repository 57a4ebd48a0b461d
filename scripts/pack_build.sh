#!/usr/bin/env bash
# A packed build for a machine without a package manager (issue 24): the two
# sohoa programs, the `tesseract` command line for the comparison, the shared
# libraries they need that such a machine may lack, sohoa's data and the
# traineddata, in one folder (and a .tar.xz of it):
#
#   scripts/pack_build.sh [--build build] [--out /tmp/sohoa-packed]
#
#   OUT/bin/{sohoa,sohoa-engine,tesseract}   programs (sohoa finds its data
#                                            in OUT/share, beside bin/)
#   OUT/lib/                                 libraries from ldd, except the
#                                            C and C++ runtimes and the loader:
#                                            the system's own are kept
#   OUT/share/sohoa/schemas, OUT/share/locale
#   OUT/tessdata/                            every installed traineddata
#   OUT/run/{sohoa,tesseract}                the programs with LD_LIBRARY_PATH
#                                            and TESSDATA_PREFIX set for them
#                                            alone (put OUT/run first in PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build out=/tmp/sohoa-packed
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
for f in "$build/bin/sohoa" "$build/bin/sohoa-engine"; do
  [[ -x "$f" ]] || { echo "pack_build: $f is missing: build first (cmake --build $build)" >&2; exit 1; }
done
tesseract_bin=$(command -v tesseract) || { echo "pack_build: no tesseract command (apt-get install tesseract-ocr)" >&2; exit 1; }
tessdata=/usr/share/tesseract-ocr/5/tessdata
# vie (the text), Vietnamese (the letter re-reader), osd (orientation), eng.
for lang in vie Vietnamese osd eng; do
  [[ -f "$tessdata/$lang.traineddata" ]] || { echo "pack_build: $tessdata/$lang.traineddata is missing" >&2; exit 1; }
done

rm -rf "$out" && mkdir -p "$out/bin" "$out/lib" "$out/share/sohoa" "$out/tessdata"
cp "$build/bin/sohoa" "$build/bin/sohoa-engine" "$tesseract_bin" "$out/bin/"
cp -r schemas "$out/share/sohoa/schemas"
cp -r "$build/share/locale" "$out/share/locale"
cp "$tessdata"/*.traineddata "$out/tessdata/"
cp -r "$tessdata/configs" "$tessdata/tessconfigs" "$out/tessdata/" 2>/dev/null || true

# The runtimes stay the system's: a libc or libstdc++ newer than the
# machine's loader, or two libstdc++ in one process, breaks more than it fixes.
keep_system='^(linux-vdso|ld-linux|libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|librt)\.'
ldd "$out/bin/sohoa" "$out/bin/sohoa-engine" "$out/bin/tesseract" |
  awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | sort -u |
  while read -r name path; do
    [[ "$name" =~ $keep_system ]] && continue
    cp -L "$path" "$out/lib/$name"
  done

# Wrappers set the libraries and traineddata for these programs alone: a
# packed libz or libssl must not reach the host's own bash or python.
mkdir -p "$out/run"
for prog in sohoa tesseract; do
  cat >"$out/run/$prog" <<EOF
#!/bin/sh
packed=\$(cd "\$(dirname "\$0")/.." && pwd)
LD_LIBRARY_PATH="\$packed/lib" TESSDATA_PREFIX="\$packed/tessdata" exec "\$packed/bin/$prog" "\$@"
EOF
  chmod +x "$out/run/$prog"
done
# xz: the device tool carries at most 64 MiB (gzip made 80 MB, xz 42 MB).
tar -C "$(dirname "$out")" -cJf "$out.tar.xz" "$(basename "$out")"
echo "packed: $out ($(du -sh "$out" | cut -f1)), $out.tar.xz ($(du -h "$out.tar.xz" | cut -f1)); $(ls "$out/lib" | wc -l) libraries"
