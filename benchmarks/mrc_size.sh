#!/bin/sh
# Bytes per page of the archived PDF/A with each --image-mode (issue 19).
# Archives INPUT three times with the built CLI, --image-mode jpeg, mrc and
# lossless (the reference benchmarks/mrc_ssim.py compares the other two
# with), and prints per mode the pages, the PDF bytes and the bytes per
# page. A measurement, not a test: run it on a quiet machine.
#
# usage: benchmarks/mrc_size.sh SOHOA INPUT WORK
#   SOHOA  the built CLI (build/bin/sohoa)
#   INPUT  a folder of scans (e.g. scripts/make_samples.py --preset sample)
#   WORK   an empty folder for the three archives
set -eu
if [ $# -ne 3 ]; then
  echo "usage: $0 SOHOA INPUT WORK" >&2
  exit 2
fi
sohoa=$1 input=$2 work=$3
mkdir -p "$work"
for mode in jpeg mrc lossless; do
  rm -rf "$work/$mode"
  # A run that sends documents to review (or quarantines some) exits non-zero
  # but archives the rest: what counts is the PDFs (checked below).
  "$sohoa" run --input "$input" --archive "$work/$mode" --image-mode "$mode" --deterministic \
    --log-format json >"$work/$mode.log" 2>&1 || true
  pages=0 bytes=0
  : >"$work/$mode.files"
  for pdf in $(find "$work/$mode" -name '*.pdf' | sort); do
    n=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    b=$(stat -c %s "$pdf")
    pages=$((pages + n)) bytes=$((bytes + b))
    printf '%s %s %s\n' "$(basename "$pdf")" "$n" "$b" >>"$work/$mode.files"
  done
  if [ "$pages" -eq 0 ]; then echo "$mode: no PDF archived (see $work/$mode.log)" >&2; exit 1; fi
  # Gray/colour pages apart (bilevel pages are G4 in every mode): the image
  # bytes (pdfimages' stream sizes) of each page that holds a JPEG, or in
  # lossless mode a Flate image that is not a bilevel one.
  find "$work/$mode" -name '*.pdf' | sort | while read -r pdf; do pdfimages -list "$pdf"; done |
    awk -v mode="$mode" -v pages="$pages" -v bytes="$bytes" '
      function size(s) { n = s + 0; if (s ~ /K$/) n *= 1024; else if (s ~ /M$/) n *= 1048576; return n }
      /^page/ { file++ }
      $1 ~ /^[0-9]+$/ { k = file "/" $1; img[k] += size($15); if ($9 == "jpeg" || ($9 == "image" && $8 != "1")) colour[k] = 1 }
      END {
        n = 0; b = 0
        for (k in colour) { n++; b += img[k] }
        printf "%-5s %4d pages %10d bytes %8d bytes/page; %d gray/colour pages: %d image bytes/page\n",
               mode, pages, bytes, bytes / pages, n, n ? b / n : 0
      }'
done
