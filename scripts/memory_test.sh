#!/usr/bin/env bash
# Issue 6: peak resident memory is bounded by the pages in flight, not by the
# batch size. Runs `sohoa run` on a small and a large batch with the same
# settings and prints both peak RSS figures and their ratio.
#   scripts/memory_test.sh [--small 10] [--large 200] [--jobs 2] [--pages-in-flight 4] [--sohoa PATH]
#                          [--work DIR]   (kept; its generated batch is reused by the next run)
set -euo pipefail
cd "$(dirname "$0")/.."
small=10 large=200 jobs=2 inflight=4 sohoa=build/bin/sohoa work=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --pages-in-flight) inflight=$2; shift 2 ;;
    --sohoa) sohoa=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "memory_test: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$work" ]]; then
  work=$(mktemp -d /tmp/sohoa-memory.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
rm -rf "$work"/archive-* "$work/small"
# One-page files of the bench mix (gray, colour, bilevel; 200/300 dpi).
if [[ "$(cat "$work/large/count" 2>/dev/null)" != "$large" ]]; then
  rm -rf "$work/large"
  /usr/bin/python3 scripts/make_samples.py --out "$work/large" --preset bench --count "$large" >/dev/null 2>&1
  echo "$large" >"$work/large/count"
fi
mkdir -p "$work/small/scans"
# The small batch is spread evenly over the large one, so both have the same
# mix of page kinds (multi-page colour TIFFs included): the first files alone
# had no gray and no multi-page document, and peak RSS follows the heaviest
# pages in flight, not the page count.
total=$(find "$work/large/scans" -type f | wc -l)
find "$work/large/scans" -type f | sort | awk -v n="$small" -v t="$total" \
  'BEGIN { step = t / n } NR - 1 >= next_pick && picked < n { print; picked++; next_pick += step }' |
  xargs -I{} cp {} "$work/small/scans/"
peak() {  # batch -> "pages peak_kb"
  local archive=$work/archive-$1
  /usr/bin/time -f "%M" -o "$work/rss-$1" "$sohoa" run --input "$work/$1/scans" --archive "$archive" \
      --jobs "$jobs" --pages-in-flight "$inflight" >"$work/log-$1" 2>&1 || [[ $? -eq 3 ]]
  local pages
  pages=$("$sohoa" export --archive "$archive" | /usr/bin/python3 -c 'import json,sys; print(sum(json.loads(l)["pages"] for l in sys.stdin))')
  # GNU time puts "Command exited with non-zero status 3" (review) before %M.
  echo "$pages $(tail -n 1 "$work/rss-$1")"
}
read -r small_pages small_kb < <(peak small)
read -r large_pages large_kb < <(peak large)
ratio=$(/usr/bin/python3 -c "print(f'{$large_kb/$small_kb:.3f}')")
echo "memory_test: jobs=$jobs pages-in-flight=$inflight"
echo "memory_test: $small_pages pages: peak RSS $((small_kb / 1024)) MiB"
echo "memory_test: $large_pages pages: peak RSS $((large_kb / 1024)) MiB"
echo "memory_test: ratio large/small = $ratio (bound: within 20%)"
/usr/bin/python3 -c "import sys; sys.exit(0 if $large_kb <= 1.2 * $small_kb else 1)"
