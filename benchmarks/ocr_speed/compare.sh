#!/usr/bin/env bash
# OCR speed against bare Tesseract (issue 19): `sohoa run` (one or more
# builds) and the `tesseract` command line on the same single-page image
# files, two at a time, alternating (A B C A B C ...), wall clock and CPU.
#
#   benchmarks/ocr_speed/compare.sh --input DIR [--sohoa PATH]... [--repeat N] [--jobs N] [--work DIR]
#
#   sohoa      `sohoa run --jobs N --profile` on a fresh archive (defaults
#              otherwise: deskew, orientation check, MRC, PDF/A, ledger); the
#              OCR stage's busy seconds come from --profile.
#   tesseract  `tesseract PAGE OUT -l vie [--dpi D]` (text only), one process
#              per page, N at a time (xargs -P N), OMP_THREAD_LIMIT=1, on the
#              input files themselves (their own dpi unless --dpi D): give it
#              upright, unskewed pages, or it reads what sohoa turns first.
# Prints one line per run and, per tool, the median wall and CPU seconds,
# the peak resident memory (of sohoa; of the largest tesseract process) and
# the ratio tesseract wall / sohoa wall (>= 1: sohoa at least as fast).
# The runs stay in WORK/runs.tsv (scripts/bench_scaling.sh reads them).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INPUT=""; REPEAT=3; JOBS=2; WORK=/tmp/sohoa-ocr-speed; DPI=""
SOHOAS=()
while (($#)); do
  case "$1" in
    --input) INPUT=$2; shift 2 ;;
    --sohoa) SOHOAS+=("$2"); shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --dpi) DPI=$2; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[[ -n "$INPUT" && -d "$INPUT" ]] || { echo "compare.sh: --input DIR of page images" >&2; exit 2; }
((${#SOHOAS[@]})) || SOHOAS=("$ROOT/build/bin/sohoa")
mkdir -p "$WORK"
RESULTS="$WORK/runs.tsv"
: > "$RESULTS"
pages=$(find "$INPUT" -maxdepth 1 -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.tif' \) | wc -l)
echo "pages: $pages; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

run_sohoa() {  # $1 binary, $2 label
  rm -rf "$WORK/archive"
  local t="$WORK/time" out="$WORK/sohoa.out"
  /usr/bin/time -f "%e %U %S %M" -o "$t" "$1" run --input "$INPUT" --archive "$WORK/archive" --jobs "$JOBS" \
    --profile > "$out" 2>&1 || true   # exit 3: documents left for review is fine here
  read -r wall user sys rss < <(tail -1 "$t")  # GNU time may write "exited with ..." first
  local ocr
  ocr=$(awk '$1 == "ocr" {print $4}' "$out")
  printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$wall" "$(echo "$user + $sys" | bc)" "$ocr" "$rss" | tee -a "$RESULTS"
}

run_tesseract() {
  local t="$WORK/time"
  rm -rf "$WORK/tess" && mkdir -p "$WORK/tess"
  DPIFLAG=${DPI:+--dpi $DPI} /usr/bin/time -f "%e %U %S %M" -o "$t" bash -c "export DPIFLAG; find '$INPUT' -maxdepth 1 -type f \\( -name '*.jpg' -o -name '*.png' -o -name '*.tif' \\) -print0 |
    OMP_THREAD_LIMIT=1 xargs -0 -P $JOBS -I{} sh -c 'tesseract \"{}\" \"$WORK/tess/\$(basename \"{}\")\" -l vie \$DPIFLAG >/dev/null 2>&1'"
  read -r wall user sys rss < <(tail -1 "$t")
  printf '%s\t%s\t%s\t%s\t%s\n' tesseract "$wall" "$(echo "$user + $sys" | bc)" "-" "$rss" | tee -a "$RESULTS"
}

echo -e "tool\twall_s\tcpu_s\tocr_busy_s\tpeak_rss_kb"
for ((r = 0; r < REPEAT; r++)); do
  for i in "${!SOHOAS[@]}"; do run_sohoa "${SOHOAS[$i]}" "sohoa$i"; done
  run_tesseract
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$RESULTS" "$pages" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
pages = int(sys.argv[2])
tools = {}
for tool, wall, cpu, ocr, rss in rows:
    tools.setdefault(tool, []).append((float(wall), float(cpu), None if ocr == "-" or not ocr else float(ocr),
                                       int(rss)))
tw = statistics.median(r[0] for r in tools["tesseract"])
for tool, runs in tools.items():
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    ocr = [r[2] for r in runs if r[2] is not None]
    rss = max(r[3] for r in runs) / 1024
    extra = " ocr stage busy %.2f s/page" % (statistics.median(ocr) / pages) if ocr else ""
    print("%-10s median wall %.1f s, CPU %.2f s/page,%s peak RSS %.0f MB  tesseract/this wall: %.2f" % (
        tool, wall, cpu / pages, extra, rss, tw / wall))
PY
