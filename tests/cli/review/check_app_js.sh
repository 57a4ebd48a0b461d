#!/usr/bin/env bash
# The review station's script, checked as JavaScript (issue 16: it used to hide
# in a C++ raw string that no tool read).
#   check_app_js.sh parse <app.js>   node --check: the file parses
# Exit 0 pass, 1 fail, 77 skip (the tool is not installed; CI installs it).
set -uo pipefail
mode=${1:?parse}
file=${2:?path to app.js}

case "$mode" in
  parse)
    command -v node >/dev/null || { echo "node not installed: skipped"; exit 77; }
    node --check "$file" || { echo "FAIL: $file does not parse"; exit 1; }
    ;;
  *)
    echo "unknown mode $mode"; exit 2 ;;
esac
echo "ok: $file ($mode)"
