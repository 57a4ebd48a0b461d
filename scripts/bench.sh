#!/usr/bin/env bash
# End-to-end throughput benchmark (issue 7): sohoa vs OCRmyPDF vs the raw OCR
# limit (tesseract CLI), side by side on the same pages, alternating runs.
#
#   scripts/bench.sh [--input SCANS_DIR] [--truth truth.json] [--repeat N]
#                    [--sohoa PATH] [--work DIR] [--in-flight 1,2,4,8|none]
#                    [--jobs N] [--tools sohoa,ocrmypdf,limit] [--tag NAME] [--note TEXT]
#
# Without --input the bench batch is generated once (make_samples.py --preset
# bench: 44 files, 48 pages, gray/colour/bilevel, 200/300 dpi, skewed, rotated)
# into build/bench-samples and reused afterwards.
#
# Per repeat, in this order (A B C A B C ...):
#   sohoa     `sohoa run --jobs N --profile` on a fresh archive (defaults otherwise)
#   ocrmypdf  one `ocrmypdf -l vie --deskew --rotate-pages --output-type pdfa-2
#             --jobs 1 IN OUT.pdf` per file, N at a time (xargs -P N), as users
#             run it on a folder. OCRmyPDF takes the image files directly (it
#             converts them with img2pdf, multi-page TIFF included; every file
#             of the bench batch has its dpi, so no --image-dpi is needed).
#   limit     `tesseract PAGE OUT -l vie --dpi D` (text output only), one process
#             per page, N at a time, OMP_THREAD_LIMIT=1, on the deskewed upright
#             page images: sohoa's own page images from its first run's PDFs,
#             extracted once with `pdfimages -j` (untimed): gray/colour pages are
#             the PDF's own JPEG (q80) files, bilevel pages G4 decoded to PBM.
# Each run is timed with GNU time (wall, user+sys CPU of the whole tree, max
# RSS). For the per-file tools every process is also timed on its own; the
# reported peak RSS is the largest single process (ocrmypdf's own figure
# includes its largest child: tesseract/ghostscript), not the sum of the two
# concurrent ones.
# Then the in-flight sweep: sohoa --pages-in-flight K for each K (once each per
# repeat, alternating). Results: benchmarks/results/<date>-<host>.{md,json}.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
INPUT=""
TRUTH=""
REPEAT=1
SOHOA="$ROOT/build/bin/sohoa"
WORK="$ROOT/build/bench-work"
INFLIGHT="1,2,4,8"
JOBS=$(nproc)
TOOLS="sohoa,ocrmypdf,limit"
RESULTS="$ROOT/benchmarks/results"
NOTE=""
TAG=""

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while (($#)); do
  case "$1" in
    --input) INPUT=$2; shift 2 ;;
    --truth) TRUTH=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --sohoa) SOHOA=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --in-flight) INFLIGHT=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --tools) TOOLS=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

need() { command -v "$1" >/dev/null || { echo "bench.sh: '$1' not found — $2" >&2; exit 2; }; }
need ocrmypdf "run scripts/install-deps.sh --bench"
need tesseract "run scripts/install-deps.sh"
need pdfimages "install poppler-utils"
need pdftotext "install poppler-utils"
[[ -x /usr/bin/time ]] || { echo "bench.sh: GNU time (/usr/bin/time) missing — run scripts/install-deps.sh --bench" >&2; exit 2; }
[[ -x "$SOHOA" ]] || { echo "bench.sh: sohoa binary '$SOHOA' not found — build it or pass --sohoa" >&2; exit 2; }

if [[ -z "$INPUT" ]]; then
  if [[ ! -f "$ROOT/build/bench-samples/truth.json" ]]; then
    echo "bench.sh: generating the bench batch into build/bench-samples ..."
    "$PY" "$ROOT/scripts/make_samples.py" --out "$ROOT/build/bench-samples" --preset bench
  fi
  INPUT="$ROOT/build/bench-samples/scans"
fi
INPUT=$(cd "$INPUT" && pwd)
if [[ -z "$TRUTH" ]]; then
  for t in "$INPUT/truth.json" "$INPUT/../truth.json"; do
    [[ -f "$t" ]] && { TRUTH=$(cd "$(dirname "$t")" && pwd)/truth.json; break; }
  done
fi

rm -rf "$WORK"
mkdir -p "$WORK"
RUNS="$WORK/runs.jsonl"
: >"$RUNS"
mapfile -t FILES < <(find "$INPUT" -type f ! -name truth.json ! -name '*.csv' | sort)
((${#FILES[@]})) || { echo "bench.sh: no input files in $INPUT" >&2; exit 2; }
echo "bench.sh: ${#FILES[@]} files from $INPUT, repeat $REPEAT, jobs $JOBS, work $WORK"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# record TOOL REPEAT TIMEFILE OUTDIR EXTRA_JSON  — appends one JSON line
record() {
  "$PY" - "$@" "$(loadavg)" >>"$RUNS" <<'EOF'
import json, sys, glob, os
tool, rep, timefile, per_dir, extra, load_before, load_after = sys.argv[1:8]
def last(path):
    return open(path).read().strip().splitlines()[-1].split()
wall, user, sysc, rss = last(timefile)[:4]
row = {"tool": tool, "repeat": int(rep), "wall_s": float(wall), "user_s": float(user),
       "sys_s": float(sysc), "max_rss_kb": int(rss), "load_before": load_before,
       "load_after": load_after}
# per-process timings (per-file tools): largest single process
per = sorted(glob.glob(os.path.join(per_dir, "*.time"))) if per_dir != "-" else []
if per:
    rss_each = [int(last(p)[3]) for p in per]
    row["max_rss_kb"] = max(rss_each)
    row["processes"] = len(per)
    row["failed"] = sum(1 for p in per if last(p)[4] != "0")
row.update(json.loads(extra))
print(json.dumps(row))
EOF
}
TIMEFMT='%e %U %S %M %x'

run_sohoa() {  # REPEAT LABEL [extra sohoa args...]
  local rep=$1 label=$2; shift 2
  local arch="$WORK/$label-archive"
  rm -rf "$arch"
  local before; before=$(loadavg)
  set +e
  /usr/bin/time -f "$TIMEFMT" -o "$WORK/$label.$rep.time" \
    "$SOHOA" run --input "$INPUT" --archive "$arch" --jobs "$JOBS" --profile "$@" \
    >"$WORK/$label.$rep.log" 2>&1
  local rc=$?
  set -e
  if ((rc != 0 && rc != 3)); then
    echo "bench.sh: sohoa run failed (exit $rc), see $WORK/$label.$rep.log" >&2; tail -5 "$WORK/$label.$rep.log" >&2; exit 1
  fi
  "$SOHOA" export --archive "$arch" >"$WORK/$label.$rep.export.jsonl"
  local extra
  extra=$("$PY" - "$WORK/$label.$rep.export.jsonl" "$arch" "$WORK/$label.$rep.log" "$rc" <<'EOF'
import json, sys, re
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
pages = sum(r.get("pages", 0) for r in rows)
pdf_bytes = sum(r.get("outputs", {}).get("pdf", {}).get("bytes", 0) for r in rows)
status = {}
for r in rows:
    status[r["status"]] = status.get(r["status"], 0) + 1
print(json.dumps({"pages": pages, "pdf_bytes": pdf_bytes, "documents": len(rows),
                  "outcomes": status, "exit": int(sys.argv[4])}))
EOF
)
  record sohoa-"$label" "$rep" "$WORK/$label.$rep.time" - "$extra" "$before"
}

run_ocrmypdf() {  # REPEAT
  local rep=$1 out="$WORK/ocrmypdf-out" per="$WORK/ocrmypdf-time.$rep"
  rm -rf "$out" "$per"; mkdir -p "$out" "$per"
  local before; before=$(loadavg)
  printf '%s\0' "${FILES[@]}" >"$WORK/files.list0"
  set +e
  /usr/bin/time -f "$TIMEFMT" -o "$WORK/ocrmypdf.$rep.time" \
    xargs -0 -P "$JOBS" -n 1 sh -c '
      per=$1 fmt=$2 out=$3 f=$4; stem=$(basename "$f"); stem=${stem%.*}
      /usr/bin/time -f "$fmt" -o "$per/$stem.time" \
        ocrmypdf -q -l vie --deskew --rotate-pages --output-type pdfa-2 --jobs 1 \
          "$f" "$out/$stem.pdf" 2>"$per/$stem.err" || true' sh-ocrmypdf \
      "$per" "$TIMEFMT" "$out" <"$WORK/files.list0"
  set -e
  local extra
  extra=$("$PY" - "$out" "$TRUTH" <<'EOF'
import json, sys, os, glob
out, truth = sys.argv[1], sys.argv[2]
pdfs = glob.glob(os.path.join(out, "*.pdf"))
pages = 0
if truth and os.path.exists(truth):
    t = {os.path.splitext(os.path.basename(e["file"]))[0]: e["pages"] for e in json.load(open(truth))}
    pages = sum(t.get(os.path.splitext(os.path.basename(p))[0], 0) for p in pdfs)
print(json.dumps({"pages": pages, "pdf_bytes": sum(os.path.getsize(p) for p in pdfs),
                  "documents": len(pdfs)}))
EOF
)
  record ocrmypdf "$rep" "$WORK/ocrmypdf.$rep.time" "$per" "$extra" "$before"
}

prepare_limit_pages() {  # from the first sohoa run's PDFs
  local pages="$WORK/limit-pages"
  mkdir -p "$pages"
  : >"$WORK/limit-pages.list"
  "$PY" - "$WORK/default.1.export.jsonl" "$WORK/default-archive" "$pages" "$WORK/limit-pages.list" <<'EOF'
import json, sys, os, subprocess, glob
export, archive, pages, listing = sys.argv[1:5]
n = 0
with open(listing, "w") as lst:
    for line in open(export):
        r = json.loads(line)
        if not r.get("pdf"):
            continue
        pdf = os.path.join(archive, r["pdf"])
        stem = os.path.splitext(os.path.basename(r["source"]))[0]
        info = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        subprocess.run(["pdfimages", "-j", pdf, os.path.join(pages, stem)], check=True)
        images = sorted(glob.glob(os.path.join(pages, stem + "-[0-9][0-9][0-9].*")))
        if len(images) != len(info):
            sys.exit("pdfimages: %s: %d images listed, %d written" % (pdf, len(info), len(images)))
        for img, row in zip(images, info):
            cols = row.split()
            page, dpi = int(cols[0]), int(round(float(cols[12])))
            dest = os.path.join(pages, "%s.p%d%s" % (stem, page, os.path.splitext(img)[1]))
            os.rename(img, dest)
            lst.write("%s %d\n" % (dest, dpi))
            n += 1
print("limit pages:", n, file=sys.stderr)
EOF
}

run_limit() {  # REPEAT
  local rep=$1 out="$WORK/limit-txt" per="$WORK/limit-time.$rep"
  rm -rf "$out" "$per"; mkdir -p "$out" "$per"
  local before; before=$(loadavg)
  set +e
  OMP_THREAD_LIMIT=1 /usr/bin/time -f "$TIMEFMT" -o "$WORK/limit.$rep.time" \
    xargs -P "$JOBS" -L 1 sh -c '
      img=$3; dpi=$4; stem=$(basename "$img"); stem=${stem%.*}
      /usr/bin/time -f "$1" -o "$2/$stem.time" \
        tesseract "$img" "$0/$stem" -l vie --dpi "$dpi" 2>/dev/null' "$out" "$TIMEFMT" "$per" \
    <"$WORK/limit-pages.list"
  set -e
  local n; n=$(wc -l <"$WORK/limit-pages.list")
  record limit "$rep" "$WORK/limit.$rep.time" "$per" "{\"pages\": $n}" "$before"
}

has_tool() { [[ ",$TOOLS," == *",$1,"* ]]; }

for ((rep = 1; rep <= REPEAT; rep++)); do
  echo "bench.sh: repeat $rep/$REPEAT  (load $(loadavg))"
  echo "  sohoa ..."; run_sohoa "$rep" default
  if ((rep == 1)) && has_tool limit; then prepare_limit_pages; fi
  if has_tool ocrmypdf; then echo "  ocrmypdf ..."; run_ocrmypdf "$rep"; fi
  if has_tool limit; then echo "  limit ..."; run_limit "$rep"; fi
  if [[ "$INFLIGHT" != none ]]; then
    IFS=, read -ra KS <<<"$INFLIGHT"
    for k in "${KS[@]}"; do
      echo "  sohoa --pages-in-flight $k ..."; run_sohoa "$rep" "inflight$k" --pages-in-flight "$k"
    done
  fi
done

# Text-layer CER (once: outputs are deterministic for a given input).
if [[ -n "$TRUTH" ]]; then
  echo "bench.sh: CER against $TRUTH ..."
  rm -rf "$WORK/sohoa-pdfs"; mkdir -p "$WORK/sohoa-pdfs"
  # The archive left on disk is the last repeat's (each run starts afresh).
  "$PY" - "$WORK/default.$REPEAT.export.jsonl" "$WORK/default-archive" "$WORK/sohoa-pdfs" <<'EOF'
import json, sys, os
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("pdf"):
        stem = os.path.splitext(os.path.basename(r["source"]))[0]
        dst = os.path.join(sys.argv[3], stem + ".pdf")
        if not os.path.exists(dst):
            os.symlink(os.path.join(sys.argv[2], r["pdf"]), dst)
EOF
  for field in text text_rows; do
    for raw in "" --raw; do
      sfx=${raw:+.raw}
      "$PY" "$ROOT/scripts/bench_cer.py" --truth "$TRUTH" --pdf-dir "$WORK/sohoa-pdfs" --field $field $raw --per-page >"$WORK/cer-sohoa.$field$sfx.json"
      if has_tool ocrmypdf; then
        "$PY" "$ROOT/scripts/bench_cer.py" --truth "$TRUTH" --pdf-dir "$WORK/ocrmypdf-out" --field $field $raw --per-page >"$WORK/cer-ocrmypdf.$field$sfx.json"
      fi
    done
    if has_tool limit; then  # text files: no layout order to choose
      "$PY" "$ROOT/scripts/bench_cer.py" --truth "$TRUTH" --text-dir "$WORK/limit-txt" --field $field --per-page >"$WORK/cer-limit.$field.json"
      cp "$WORK/cer-limit.$field.json" "$WORK/cer-limit.$field.raw.json"
    fi
  done
fi

"$PY" "$ROOT/scripts/bench_report.py" --work "$WORK" --results "$RESULTS" --sohoa "$SOHOA" \
  --input "$INPUT" --jobs "$JOBS" --repeat "$REPEAT" --note "$NOTE" --tag "$TAG"
