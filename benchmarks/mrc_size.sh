#!/bin/sh
# Bytes per page of the archived PDF/A with each --image-mode (issue 19).
# Archives INPUT twice with the built CLI, --image-mode jpeg then mrc, and
# prints per mode the pages, the PDF bytes and the bytes per page, then the
# same for each PDF. A measurement, not a test: run it on a quiet machine.
#
# usage: benchmarks/mrc_size.sh SOHOA INPUT WORK
#   SOHOA  the built CLI (build/bin/sohoa)
#   INPUT  a folder of scans (e.g. scripts/make_samples.py --preset sample)
#   WORK   an empty folder for the two archives
set -eu
if [ $# -ne 3 ]; then
  echo "usage: $0 SOHOA INPUT WORK" >&2
  exit 2
fi
sohoa=$1 input=$2 work=$3
mkdir -p "$work"
for mode in jpeg mrc; do
  rm -rf "$work/$mode"
  # Exit 0 or 1 (documents sent to review) both archive the PDFs.
  "$sohoa" run --input "$input" --archive "$work/$mode" --image-mode "$mode" --deterministic \
    --log-format json >"$work/$mode.log" 2>&1 || [ $? -le 1 ] || { echo "sohoa run failed: $work/$mode.log" >&2; exit 1; }
  pages=0 bytes=0
  : >"$work/$mode.files"
  for pdf in $(find "$work/$mode" -name '*.pdf' | sort); do
    n=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    b=$(stat -c %s "$pdf")
    pages=$((pages + n)) bytes=$((bytes + b))
    printf '%s %s %s\n' "$(basename "$pdf")" "$n" "$b" >>"$work/$mode.files"
  done
  if [ "$pages" -eq 0 ]; then echo "$mode: no PDF archived (see $work/$mode.log)" >&2; exit 1; fi
  printf '%-5s %4d pages %10d bytes %8d bytes/page\n' "$mode" "$pages" "$bytes" $((bytes / pages))
done
