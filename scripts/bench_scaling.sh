#!/usr/bin/env bash
# Many cores (issue 24): sohoa `--jobs N` beside the `tesseract` limit (N
# tesseract processes at a time on the same pages) for each N, wall clock,
# CPU and peak resident memory — benchmarks/ocr_speed/compare.sh once per N.
#
#   scripts/bench_scaling.sh --input DIR [--jobs "1 2 4 8 16"] [--repeat 2]
#                            [--sohoa PATH]... [--packed DIR] [--work DIR] [--out FILE.md]
#
#   --input    upright, unskewed single-page images (what both tools read the
#              same way): e.g. benchmarks/ocr_speed/make_dense_pages.py pages
#              and a held-back layout batch
#   --jobs     the jobs counts; default 1, 2, 4 ... up to the cores here
#   --packed   a folder made by scripts/pack_build.sh (on a machine without
#              our libraries): its run/sohoa and run/tesseract are used
#   --out      the table as Markdown, and FILE.json beside it with every run
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INPUT="" JOBS_LIST="" REPEAT=2 WORK=/tmp/sohoa-scaling OUT="" PACKED=""
SOHOAS=()
while (($#)); do
  case "$1" in
    --input) INPUT=$2; shift 2 ;;
    --jobs) JOBS_LIST=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --sohoa) SOHOAS+=(--sohoa "$2"); shift 2 ;;
    --packed) PACKED=$(cd "$2" && pwd); shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[[ -n "$INPUT" && -d "$INPUT" ]] || { echo "bench_scaling: --input DIR of page images" >&2; exit 2; }
if [[ -n "$PACKED" ]]; then
  [[ -x "$PACKED/run/sohoa" && -x "$PACKED/run/tesseract" ]] ||
    { echo "bench_scaling: $PACKED is not a scripts/pack_build.sh folder (no run/sohoa, run/tesseract)" >&2; exit 2; }
  export PATH="$PACKED/run:$PATH"
  ((${#SOHOAS[@]})) || SOHOAS=(--sohoa "$PACKED/run/sohoa")
fi
if [[ -z "$JOBS_LIST" ]]; then
  cores=$(nproc)
  for ((n = 1; n < cores; n *= 2)); do JOBS_LIST+="$n "; done
  JOBS_LIST+="$cores"
fi
mkdir -p "$WORK"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo); jobs: $JOBS_LIST"
for n in $JOBS_LIST; do
  echo "== jobs $n"
  OMP_THREAD_LIMIT=1 "$ROOT/benchmarks/ocr_speed/compare.sh" --input "$INPUT" --jobs "$n" --repeat "$REPEAT" \
    --work "$WORK/jobs-$n" "${SOHOAS[@]}"
done

/usr/bin/python3 - "$WORK" "$OUT" "$JOBS_LIST" "$(nproc)" <<'PY'
import json, statistics, sys
work, out, jobs_list, cores = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4])
runs, lines = [], ["| jobs | tool | wall s | CPU s | peak RSS MB | tesseract wall ÷ this wall |", "|---|---|---|---|---|---|"]
for n in jobs_list:
    rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/jobs-{n}/runs.tsv") if l.strip()]
    by_tool = {}
    for tool, wall, cpu, _ocr, rss in rows:
        by_tool.setdefault(tool, []).append((float(wall), float(cpu), int(rss)))
        runs.append({"jobs": int(n), "tool": tool, "wall_s": float(wall), "cpu_s": float(cpu), "peak_rss_kb": int(rss)})
    limit = statistics.median(w for w, _, _ in by_tool["tesseract"])
    for tool, rs in by_tool.items():
        wall = statistics.median(w for w, _, _ in rs)
        lines.append("| %s | %s | %.1f | %.1f | %.0f | %.2f |" % (
            n, tool, wall, statistics.median(c for _, c, _ in rs), max(r for _, _, r in rs) / 1024, limit / wall))
table = "\n".join(lines)
print(table)
if out:
    with open(out, "w") as f:
        f.write("%d cores; medians of the runs, alternating sohoa and tesseract\n\n%s\n" % (cores, table))
    with open(out.rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump({"cores": cores, "runs": runs}, f, indent=1)
PY
