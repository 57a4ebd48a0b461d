#!/usr/bin/env bash
# Text-layer quality of one `sohoa run` over a generated sample batch: CER of
# every page (pdftotext -raw vs truth.json `text`, scripts/bench_cer.py),
# CER of the clean pages only, and each turned page's applied rotation.
# Also the run's wall/CPU time (GNU time) and its --profile stage table.
#
#   scripts/bench_quality.sh --samples DIR [--sohoa PATH] [--work DIR] [--jobs N] [-- extra run options]
#
# DIR is the output of scripts/make_samples.py (DIR/scans, DIR/truth.json).
# Prints one JSON object on stdout; the work folder keeps the archive.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMPLES="" SOHOA="$ROOT/build/bin/sohoa" WORK="" JOBS=2
while (($#)); do
  case "$1" in
    --samples) SAMPLES=$2; shift 2 ;;
    --sohoa) SOHOA=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "bench_quality: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "$SAMPLES" ]] || { echo "bench_quality: --samples DIR is required" >&2; exit 2; }
[[ -n "$WORK" ]] || WORK=$(mktemp -d /tmp/sohoa-quality.XXXXXX)
rm -rf "$WORK/archive" "$WORK/pdfs"
mkdir -p "$WORK/pdfs"
/usr/bin/time -f '{"wall_s": %e, "cpu_s": %U+%S, "max_rss_kb": %M}' -o "$WORK/time.txt" \
  "$SOHOA" run --input "$SAMPLES/scans" --archive "$WORK/archive" --jobs "$JOBS" --ui-lang en \
  --profile "$@" >"$WORK/run.log" 2>&1 || [[ $? -eq 3 ]]
"$SOHOA" export --archive "$WORK/archive" >"$WORK/export.jsonl"
SOHOA_ROOT=$ROOT /usr/bin/python3 - "$SAMPLES" "$WORK" <<'PY'
import json, os, re, subprocess, sys
samples, work = sys.argv[1], sys.argv[2]
exported = {}
for line in open(os.path.join(work, "export.jsonl")):
    r = json.loads(line)
    exported[os.path.basename(r["source"])] = r
    if r.get("pdf"):
        stem = os.path.splitext(os.path.basename(r["source"]))[0]
        os.symlink(os.path.join(work, "archive", r["pdf"]), os.path.join(work, "pdfs", stem + ".pdf"))
truth_path = os.path.join(samples, "truth.json")
def cer(extra):
    out = subprocess.run([sys.executable, os.path.join(os.environ["SOHOA_ROOT"], "scripts/bench_cer.py"),
                          "--truth", truth_path, "--pdf-dir", os.path.join(work, "pdfs"), "--raw", "--per-page"] + extra,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
allp = cer([])
truth = json.load(open(truth_path))
clean = set()
turned = []
for entry in truth:
    name = os.path.basename(entry["file"])
    for i, p in enumerate(entry["page_details"]):
        if p.get("clean"): clean.add((os.path.splitext(name)[0], i + 1))
        if p.get("rotation_degrees", 0):
            details = exported.get(name, {}).get("page_details", [])
            applied = details[i]["rotation"] if i < len(details) else None
            turned.append({"file": name, "page": i + 1, "scanned_turned": p["rotation_degrees"],
                           "applied": applied,
                           "upright": applied == (360 - p["rotation_degrees"]) % 360})
rows = allp.get("per_page", [])
def key(r):
    return (r["file"], r["page"])
cd = sum(r["distance"] for r in rows if key(r) in clean)
cl = sum(r["chars"] for r in rows if key(r) in clean)
t = json.loads(re.sub(r'"cpu_s": ([0-9.]+)\+([0-9.]+)', lambda m: '"cpu_s": %.2f' % (float(m[1]) + float(m[2])),
                      open(os.path.join(work, "time.txt")).read().strip().splitlines()[-1]))
print(json.dumps({"cer_all_pages": allp["cer"], "pages": allp["pages"], "missing": allp.get("missing", []),
                  "cer_clean_pages": cd / cl if cl else None, "clean_pages": len(clean),
                  "turned_pages": turned, "per_page": [{"page": key(r), "cer": r.get("cer")} for r in rows],
                  **t, "loadavg": open("/proc/loadavg").read().split()[:3]}, indent=1))
PY
