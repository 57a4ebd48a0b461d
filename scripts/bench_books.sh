#!/usr/bin/env bash
# Register books (issue 17): pages and entries per minute on a book, beside
# the plain document path on the very same pages, runs alternating.
#
#   scripts/bench_books.sh [--book SCAN.tif] [--repeat N] [--jobs N] [--sohoa PATH] [--work DIR]
#
# Without --book a 120-page printed book is generated once (make_books.py,
# seed 17, 200 dpi, a fifth handwritten, defects) into build/bench-books and
# reused. Per repeat, in this order:
#   book   `sohoa run` on a folder holding the scan and its .book.json
#          (layout stage, split into entries, one PDF/A per entry, book PDF/A)
#   plain  `sohoa run` on a folder holding the same scan alone: one document
#          of N pages, what sohoa did with a book before issue 17
# each on a fresh archive, timed by GNU time (wall, CPU, max RSS). Prints one
# line per run and the book/plain wall ratio; the numbers go to the closing
# note or benchmarks/results by hand (this machine's two cores are noisy).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BOOK=""
REPEAT=2
JOBS=2
SOHOA="$ROOT/build/bin/sohoa"
WORK="$ROOT/build/bench-books-work"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --book) BOOK="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --sohoa) SOHOA="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    *) echo "bench_books: unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ -z "$BOOK" ]]; then
  BOOK="$ROOT/build/bench-books/printed-120.tif"
  if [[ ! -f "$BOOK" ]]; then
    /usr/bin/python3 "$ROOT/scripts/make_books.py" --out "$ROOT/build/bench-books" --seed 17 --pages 120 \
      --layout printed --handwritten 0.2 --defects --dpi 200 --name printed-120
  fi
fi
[[ -f "$BOOK.book.json" ]] || { echo "bench_books: $BOOK.book.json (the manifest) is missing" >&2; exit 2; }

rm -rf "$WORK" && mkdir -p "$WORK/book-in" "$WORK/plain-in"
ln -s "$(realpath "$BOOK")" "$WORK/book-in/$(basename "$BOOK")"
cp "$BOOK.book.json" "$WORK/book-in/"
ln -s "$(realpath "$BOOK")" "$WORK/plain-in/$(basename "$BOOK")"

run() {  # kind repeat
  local kind=$1 i=$2 archive="$WORK/archive-$1-$2"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
    "$SOHOA" run --input "$WORK/$kind-in" --archive "$archive" --jobs "$JOBS" --ui-lang en >"$WORK/$kind-$i.log" 2>&1 || true
  read -r wall user sys rss < <(tail -1 "$WORK/time")
  local summary pages entries
  summary=$(grep ' finished in ' "$WORK/$kind-$i.log" | tail -1)
  pages=$(sed -n 's/.*; \([0-9]*\) pages (.*/\1/p' <<<"$summary")
  entries=$(sed -n 's/.*; \([0-9]*\) register entries.*/\1/p' <<<"$summary")
  entries=${entries:-0}
  awk -v k="$kind" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v p="$pages" -v e="$entries" 'BEGIN {
    printf "%-5s wall %6.1f s  CPU %6.1f s  RSS %4d MB  %4d pages %6.1f pages/min  %4d entries %6.1f entries/min\n",
      k, w, u + s, r / 1024, p, 60 * p / w, e, 60 * e / w }'
  echo "$kind $wall" >>"$WORK/walls"
}

for ((i = 1; i <= REPEAT; i++)); do
  run book "$i"
  run plain "$i"
done
awk '{ sum[$1] += $2; n[$1]++ } END { printf "book / plain wall: %.2f (mean of %d runs each)\n",
  (sum["book"] / n["book"]) / (sum["plain"] / n["plain"]), n["book"] }' "$WORK/walls"
