#!/usr/bin/env bash
# Crash test (issue 6): kills `sohoa run` with SIGKILL at random moments,
# resumes, and after every resume checks that the archive is consistent:
# every input ends with exactly one outcome, every archived PDF exists, is
# whole (qpdf --check) and has the hash the ledger recorded, no staged or
# half-written file is left where a user would take it for a result, and
# `sohoa verify` finds the archive intact once the batch is done.
#
#   scripts/crash_test.sh [--kills N] [--sohoa PATH] [--samples DIR] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."

kills=20
sohoa=build/bin/sohoa
samples=""
seed=$RANDOM
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    --sohoa) sohoa=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "crash_test: unknown option $1" >&2; exit 2 ;;
  esac
done
RANDOM=$seed
work=$(mktemp -d /tmp/sohoa-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [[ -z "$samples" ]]; then
  /usr/bin/python3 scripts/make_samples.py --out "$work/samples" --preset test --count 8 >/dev/null
  samples=$work/samples
fi
input=$samples/scans
archive=$work/archive
expected=$(find "$input" -type f | wc -l)

fail() { echo "crash_test: FAIL after kill $1: $2" >&2; exit 1; }

# Checks the invariants that must hold after any crash, finished or not.
check_consistent() {
  local round=$1
  # Nothing half-written under a final name: no *.part outside staging.
  if find "$archive/bags" -name '*.part' 2>/dev/null | grep -q .; then
    fail "$round" "a .part file lies in a bag"
  fi
  if [[ ! -e "$archive/ledger.sqlite" ]]; then
    # Killed before the run created its ledger (start-up takes 0.1-0.2 s,
    # more on a loaded machine): then nothing may be in the archive yet.
    if find "$archive/bags" -type f 2>/dev/null | grep -q .; then
      fail "$round" "files in the archive's bags but no ledger"
    fi
    : >"$work/export.jsonl"
    return
  fi
  "$sohoa" export --archive "$archive" > "$work/export.jsonl" 2>/dev/null || fail "$round" "export failed"
  /usr/bin/python3 - "$archive" "$work/export.jsonl" "$round" <<'PY' || exit 1
import hashlib, json, os, subprocess, sys
archive, export, round_ = sys.argv[1], sys.argv[2], sys.argv[3]
seen = set()
for line in open(export, encoding="utf-8"):
    e = json.loads(line)
    if e["sha256"] in seen:
        sys.exit(f"crash_test: FAIL after kill {round_}: {e['source']} listed twice")
    seen.add(e["sha256"])
    if e["status"] in ("archived", "review"):
        for role, out in (e.get("outputs") or {}).items():
            path = os.path.join(archive, out["path"])
            if not os.path.exists(path):
                sys.exit(f"crash_test: FAIL after kill {round_}: {role} of {e['source']} missing: {path}")
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if digest != out["sha256"]:
                sys.exit(f"crash_test: FAIL after kill {round_}: {path} differs from the ledger's hash")
        pdf = os.path.join(archive, e["pdf"])
        r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"crash_test: FAIL after kill {round_}: qpdf --check {pdf}:\n{r.stdout}{r.stderr}")
# Every PDF in a bag belongs to exactly one ledger entry (no duplicate archive).
pdfs = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(archive, "bags")) for f in fs if f.endswith(".pdf")]
names = [os.path.basename(p)[:64] for p in pdfs]
dups = {n for n in names if names.count(n) > 1}
if dups:
    sys.exit(f"crash_test: FAIL after kill {round_}: archived more than once: {sorted(dups)}")
PY
}

verify_archive() {  # round
  "$sohoa" verify --archive "$archive" > "$work/verify.txt" 2>&1 || { cat "$work/verify.txt"; fail "$1" "sohoa verify found problems"; }
}

# Until --kills runs were really killed: a run that finished before its kill
# counts as a round, not a kill. When a round leaves the whole batch done, the
# archive is verified and started afresh, so later kills land in real work.
killed=0 round=0 completed=0
while ((killed < kills)); do
  round=$((round + 1))
  ((round <= 4 * kills)) || fail "$round" "only $killed of $kills runs could be killed in $((round - 1)) rounds"
  # Kill somewhere between start-up and a few documents in.
  delay=$(( (RANDOM % 4000) + 100 ))
  "$sohoa" run --input "$input" --archive "$archive" --jobs 2 >"$work/run.log" 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((delay % 1000)))"
  sleep $((delay / 1000))
  was_killed=0
  if kill -9 "$pid" 2>/dev/null; then
    killed=$((killed + 1))
    was_killed=1
  fi
  wait "$pid" 2>/dev/null || true
  check_consistent "$round"
  if [[ $(wc -l < "$work/export.jsonl") -eq $expected ]]; then
    # Every input has its outcome, but a run killed after its last outcome
    # and before closing its bag leaves that bag for the next run to close:
    # run it (it has nothing left to process) before judging the archive.
    if ((was_killed)); then
      "$sohoa" run --input "$input" --archive "$archive" --jobs 2 >"$work/run.log" 2>&1 ||
        [[ $? -eq 3 ]] || { cat "$work/run.log"; fail "$round" "the run after the kill failed"; }
    fi
    verify_archive "$round"
    completed=$((completed + 1))
    rm -rf "$archive"
  fi
done

# Resume to the end.
status=0
"$sohoa" run --input "$input" --archive "$archive" --jobs 2 >"$work/run.log" 2>&1 || status=$?
[[ $status -eq 0 || $status -eq 3 ]] || { cat "$work/run.log"; fail final "the resuming run failed ($status)"; }
check_consistent final
outcomes=$(wc -l < "$work/export.jsonl")
[[ $outcomes -eq $expected ]] || fail final "$outcomes outcomes for $expected inputs"
verify_archive final
echo "crash_test: OK — $killed runs killed with SIGKILL at random points in $round rounds (seed $seed); after each the archive was consistent; the batch was finished and verified $((completed + 1)) times, all $expected inputs with exactly one outcome"
