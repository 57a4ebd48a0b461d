#!/usr/bin/env bash
# What one page in flight costs, by page kind (issue 6: "the bound is
# documented with the memory it implies per page size"). For each scan given,
# runs `sohoa run` on a batch of --copies copies of it (each a distinct input:
# its copy number appended after the image data) at --pages-in-flight 1, 2, 4
# and 8 with the same --jobs, and prints peak RSS for each.
#   scripts/memory_by_kind.sh [--jobs 2] [--copies 8] [--sohoa PATH] SCAN...
# Without SCAN: the A4 300-dpi bilevel, gray and colour pages of the test batch
# (build/test-samples, made by the build).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=2 copies=8 sohoa=build/bin/sohoa scans=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --sohoa) sohoa=$2; shift 2 ;;
    -*) echo "memory_by_kind: unknown option $1" >&2; exit 2 ;;
    *) scans+=("$1"); shift ;;
  esac
done
if [[ ${#scans[@]} -eq 0 ]]; then
  for name in t01_khai_sinh_g4.tif t04_tinh_trang_gray_none.tif t06_ket_hon_rgb_deflate.tif; do
    scans+=("build/test-samples/scans/$name")
  done
fi
work=$(mktemp -d /tmp/sohoa-memkind.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%-36s %10s' "scan (jobs=$jobs, $copies copies)" "pages"
for inflight in 1 2 4 8; do printf ' %14s' "in flight $inflight"; done
printf '\n'
for scan in "${scans[@]}"; do
  name=$(basename "$scan")
  rm -rf "$work/in" && mkdir -p "$work/in"
  for i in $(seq 1 "$copies"); do
    cp "$scan" "$work/in/${name%.*}-$i.${name##*.}"
    printf 'sohoa memory test copy %d\n' "$i" >>"$work/in/${name%.*}-$i.${name##*.}"
  done
  printf '%-36s %10s' "$name" "$copies"
  for inflight in 1 2 4 8; do
    rm -rf "$work/archive"
    /usr/bin/time -f "%M" -o "$work/rss" "$sohoa" run --input "$work/in" --archive "$work/archive" \
        --jobs "$jobs" --pages-in-flight "$inflight" >"$work/log" 2>&1 || [[ $? -eq 3 ]] ||
        { cat "$work/log" >&2; exit 1; }
    printf ' %10s MiB' "$(( $(tail -n 1 "$work/rss") / 1024 ))"
  done
  printf '\n'
done
