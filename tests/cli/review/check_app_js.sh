#!/usr/bin/env bash
# The review station's script, checked as JavaScript (issue 16: it used to hide
# in a C++ raw string that no tool read).
#   check_app_js.sh parse <app.js>   node --check: the file parses
#   check_app_js.sh lint <app.js>    ESLint's recommended rules (undefined
#                                    names, unused variables, ...) with the
#                                    .eslintrc.json beside the file
# Exit 0 pass, 1 fail, 77 skip (the tool is not installed; CI installs it).
set -uo pipefail
mode=${1:?parse}
file=${2:?path to app.js}

case "$mode" in
  parse)
    command -v node >/dev/null || { echo "node not installed: skipped"; exit 77; }
    node --check "$file" || { echo "FAIL: $file does not parse"; exit 1; }
    ;;
  lint)
    command -v eslint >/dev/null || { echo "eslint not installed: skipped"; exit 77; }
    # Debian's eslint lives in /usr/share/nodejs, which only Debian's own node
    # searches; the path lets another node build run it too. The unix format
    # needs no colour module (not installed without recommends). Run from the
    # file's folder: this eslint fails on a path outside its working folder.
    (cd "$(dirname "$file")" &&
     NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH} \
       eslint --no-eslintrc -c .eslintrc.json -f unix "$(basename "$file")") ||
      { echo "FAIL: eslint found problems in $file"; exit 1; }
    ;;
  *)
    echo "unknown mode $mode"; exit 2 ;;
esac
echo "ok: $file ($mode)"
