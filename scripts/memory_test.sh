#!/usr/bin/env bash
# Issue 6: peak resident memory is bounded by the pages in flight, not by the
# batch size. Runs `sohoa run` on a small and a large batch with the same
# settings and prints both peak RSS figures and their ratio.
#   scripts/memory_test.sh [--small 10] [--large 200] [--jobs 2] [--pages-in-flight 4] [--sohoa PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
small=10 large=200 jobs=2 inflight=4 sohoa=build/bin/sohoa
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --pages-in-flight) inflight=$2; shift 2 ;;
    --sohoa) sohoa=$2; shift 2 ;;
    *) echo "memory_test: unknown option $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/sohoa-memory.XXXXXX)
trap 'rm -rf "$work"' EXIT
# One-page files of the bench mix (gray, colour, bilevel; 200/300 dpi).
/usr/bin/python3 scripts/make_samples.py --out "$work/large" --preset bench --count "$large" >/dev/null
mkdir -p "$work/small/scans"
find "$work/large/scans" -type f | sort | head -n "$small" | xargs -I{} cp {} "$work/small/scans/"
peak() {  # batch -> "pages peak_kb"
  local archive=$work/archive-$1
  /usr/bin/time -f "%M" -o "$work/rss-$1" "$sohoa" run --input "$work/$1/scans" --archive "$archive" \
      --jobs "$jobs" --pages-in-flight "$inflight" >"$work/log-$1" 2>&1 || [[ $? -eq 3 ]]
  local pages
  pages=$("$sohoa" export --archive "$archive" | /usr/bin/python3 -c 'import json,sys; print(sum(json.loads(l)["pages"] for l in sys.stdin))')
  echo "$pages $(cat "$work/rss-$1")"
}
read -r small_pages small_kb < <(peak small)
read -r large_pages large_kb < <(peak large)
ratio=$(/usr/bin/python3 -c "print(f'{$large_kb/$small_kb:.3f}')")
echo "memory_test: jobs=$jobs pages-in-flight=$inflight"
echo "memory_test: $small_pages pages: peak RSS $((small_kb / 1024)) MiB"
echo "memory_test: $large_pages pages: peak RSS $((large_kb / 1024)) MiB"
echo "memory_test: ratio large/small = $ratio (bound: within 20%)"
/usr/bin/python3 -c "import sys; sys.exit(0 if $large_kb <= 1.2 * $small_kb else 1)"
