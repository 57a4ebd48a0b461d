#!/usr/bin/env bash
# Issue 6: peak resident memory is bounded by the pages in flight, not by the
# batch size. Runs `sohoa run` on a small and a large batch with the same
# settings and prints both peak RSS figures and their ratio.
#   scripts/memory_test.sh [--small 10] [--large 200] [--jobs 2] [--pages-in-flight 4] [--sohoa PATH]
#                          [--mode same-pages|sampled] [--seed N]
#                          [--work DIR]   (kept; a generated batch is reused by the next run)
#
# Peak RSS follows the heaviest pages that happen to be in flight together
# (a 300-dpi colour page costs several times a bilevel one), so two batches
# with different page mixes differ for that reason alone. The modes:
#   same-pages (default): the large batch is the small batch's files again
#     and again, in the same order, until it has --large pages. Each copy gets its copy number
#     appended after the image data (TIFF, PNG and JPEG readers stop at the
#     image's end), so its hash differs and sohoa treats it as a new document
#     with the very same pixels: the two runs differ only in batch size.
#   sampled: the small batch is every n-th file of a freshly generated large
#     batch; the large one then also holds rarer, heavier pages (e.g. a
#     2-page 300-dpi uncompressed colour TIFF), which the ratio includes.
set -euo pipefail
cd "$(dirname "$0")/.."
small=10 large=200 jobs=2 inflight=4 sohoa=build/bin/sohoa work="" mode=same-pages seed=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --pages-in-flight) inflight=$2; shift 2 ;;
    --sohoa) sohoa=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "memory_test: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$mode" == same-pages || "$mode" == sampled ]] || { echo "memory_test: --mode same-pages|sampled" >&2; exit 2; }
if [[ -z "$work" ]]; then
  work=$(mktemp -d /tmp/sohoa-memory.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
rm -rf "$work"/archive-* "$work/small" "$work/copies"
peak() {  # batch -> "pages peak_kb"
  local archive=$work/archive-$1
  /usr/bin/time -f "%M" -o "$work/rss-$1" "$sohoa" run --input "$work/$1/scans" --archive "$archive" \
      --jobs "$jobs" --pages-in-flight "$inflight" >"$work/log-$1" 2>&1 || [[ $? -eq 3 ]]
  local pages
  pages=$("$sohoa" export --archive "$archive" | /usr/bin/python3 -c 'import json,sys; print(sum(json.loads(l)["pages"] for l in sys.stdin))')
  # GNU time puts "Command exited with non-zero status 3" (review) before %M.
  echo "$pages $(tail -n 1 "$work/rss-$1")"
}
generate() {  # dir count
  if [[ "$(cat "$1/count" 2>/dev/null)" != "$2 $seed" ]]; then
    rm -rf "$1"
    /usr/bin/python3 scripts/make_samples.py --out "$1" --preset bench --count "$2" --seed "$seed" >/dev/null 2>&1
    echo "$2 $seed" >"$1/count"
  fi
}
mkdir -p "$work/small/scans"
if [[ "$mode" == sampled ]]; then
  generate "$work/large" "$large"
  # Every n-th file, so both batches have the bench's mix of page kinds.
  total=$(find "$work/large/scans" -type f | wc -l)
  find "$work/large/scans" -type f | sort | awk -v n="$small" -v t="$total" \
    'BEGIN { step = t / n } NR - 1 >= next_pick && picked < n { print; picked++; next_pick += step }' |
    xargs -I{} cp {} "$work/small/scans/"
  read -r small_pages small_kb < <(peak small)
  large_batch=large
else
  generate "$work/base" "$small"
  cp "$work/base/scans/"* "$work/small/scans/"
  read -r small_pages small_kb < <(peak small)
  # Copies of the small batch until --large pages (pages per file from the
  # small run's export).
  "$sohoa" export --archive "$work/archive-small" | /usr/bin/python3 -c '
import json, os, shutil, sys
src, dst, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = {json.loads(l)["source"]: json.loads(l)["pages"] for l in sys.stdin}
os.makedirs(dst)
total, copy = 0, 0
while total < want:
    copy += 1
    for name in sorted(pages):
        if total >= want: break
        # The copy number first: sorted, the large batch is the small one
        # again and again in the same order (not 20 of the heaviest page in
        # a row, which would hold more heavy pages in flight at once).
        target = os.path.join(dst, f"{copy:03d}-{name}")
        shutil.copyfile(os.path.join(src, name), target)
        with open(target, "ab") as f:
            f.write(f"sohoa memory test copy {copy}\n".encode())
        total += pages[name]
' "$work/small/scans" "$work/copies/scans" "$large"
  large_batch=copies
fi
read -r large_pages large_kb < <(peak "$large_batch")
ratio=$(/usr/bin/python3 -c "print(f'{$large_kb/$small_kb:.3f}')")
echo "memory_test: mode=$mode jobs=$jobs pages-in-flight=$inflight"
echo "memory_test: $small_pages pages: peak RSS $((small_kb / 1024)) MiB"
echo "memory_test: $large_pages pages: peak RSS $((large_kb / 1024)) MiB"
echo "memory_test: ratio large/small = $ratio (bound: within 20%)"
/usr/bin/python3 -c "import sys; sys.exit(0 if $large_kb <= 1.2 * $small_kb else 1)"
