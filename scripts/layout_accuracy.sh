#!/usr/bin/env bash
# Field accuracy on the layout family (issue 14): generates the TUNING and
# the HELD-BACK layouts (scripts/samples_lib/layouts.py), runs sohoa on each
# with the register imported first, and prints scripts/field_accuracy.py's
# summary per set and per layout. Extraction rules are written looking at
# the tuning set only; the held-back numbers are the ones to quote.
#
#   scripts/layout_accuracy.sh [--sohoa build/bin/sohoa] [--work build/layout-accuracy]
#                              [--count 32] [--seed 1] [--jobs 2] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
sohoa=build/bin/sohoa work=build/layout-accuracy count=32 seed=1 jobs=2 json=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sohoa) sohoa=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --json) json=(--json); shift ;;
    *) echo "layout_accuracy: unknown option $1" >&2; exit 2 ;;
  esac
done
args=()
for set in tuning heldback; do
  samples=$work/$set-samples archive=$work/$set-archive
  if [[ ! -f $samples/truth.json ]]; then
    /usr/bin/python3 scripts/make_samples.py --out "$samples" --preset layouts --layouts "$set" \
      --count "$count" --seed "$seed" >&2
  fi
  rm -rf "$archive"
  "$sohoa" inventory import --archive "$archive" "$samples/inventory.csv" >&2
  status=0
  "$sohoa" run --input "$samples/scans" --archive "$archive" --jobs "$jobs" >&2 || status=$?
  [[ $status -eq 0 || $status -eq 3 ]] || { echo "layout_accuracy: sohoa run failed ($status)" >&2; exit 1; }
  args+=(--archive "$archive" --samples "$samples")
done
/usr/bin/python3 scripts/field_accuracy.py --sohoa "$sohoa" "${args[@]}" "${json[@]}"
