#!/usr/bin/env bash
# Builds sohoa's Debian package from an existing build tree, installs it with
# dpkg and checks it works as installed: `sohoa run` from /usr/bin on the
# sample batch with the source tree out of reach, the units through
# `systemd-analyze verify`, man pages and bash completion. CI runs it after
# scripts/test.sh (.ci/run); as root, on a machine it may install onto.
#   scripts/package_check.sh [BUILD_DIR]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd -P)
build=$(realpath "${1:-build}")
[[ $(id -u) -eq 0 ]] || { echo "package_check: run as root (it installs the package)" >&2; exit 2; }
say() { echo "package_check: $*"; }
fail() { echo "package_check: FAILED: $*" >&2; exit 1; }

# The package's paths are /usr and /etc. Changing the prefix only rewrites the
# units and the conffiles list: nothing is compiled again.
cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$build" -j"$(nproc)" --target sohoa sohoa_command_docs
rm -f "$build"/sohoa_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/sohoa_*.deb)
say "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# Dependencies: shared libraries (dpkg-shlibdeps) and the OCR data.
depends=$(dpkg-deb -f "$deb" Depends)
for needed in libtesseract5 libpodofo tesseract-ocr-vie tesseract-ocr-osd libc6; do
  grep -q "$needed" <<<"$depends" || fail "Depends lacks $needed: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/sohoa/sohoa.conf ||
  fail "/etc/sohoa/sohoa.conf is not a conffile"

dpkg -i "$deb"
say "installed: $(dpkg-query -W -f='${Package} ${Version} ${Status}' sohoa)"
for f in /usr/bin/sohoa /usr/bin/sohoa-engine /usr/share/sohoa/schemas/doctypes/khai_sinh.json /etc/sohoa/sohoa.conf \
         /usr/share/locale/vi/LC_MESSAGES/sohoa.mo \
         /usr/share/man/man1/sohoa.1.gz /usr/share/man/man1/sohoa-run.1.gz \
         /usr/share/bash-completion/completions/sohoa /usr/lib/systemd/system/sohoa-nightly.service; do
  [[ -e $f ]] || fail "$f not installed"
done
getent passwd sohoa >/dev/null || fail "no sohoa account"
[[ $(stat -c %a /etc/sohoa/credentials) == 700 ]] || fail "/etc/sohoa/credentials is not 0700"

# The units as systemd reads them (it also checks that the program and the
# man pages they name exist).
units=(/usr/lib/systemd/system/sohoa-nightly.service /usr/lib/systemd/system/sohoa-nightly.timer
       /usr/lib/systemd/system/sohoa-worker@.service)
systemd-analyze verify "${units[@]}" || fail "systemd-analyze verify"
say "systemd-analyze verify: ${#units[@]} units pass"

# Completion offers the commands and a command's options.
completion=$(bash -c 'source /usr/share/bash-completion/completions/sohoa
  COMP_WORDS=(sohoa ru); COMP_CWORD=1; _sohoa; echo "${COMPREPLY[*]}"
  COMP_WORDS=(sohoa run --metr); COMP_CWORD=2; _sohoa; echo "${COMPREPLY[*]}"')
[[ $completion == $'run\n--metrics-file' ]] || fail "bash completion gave: $completion"

# The installed program must not know where it was built: no path of the
# source or build tree in it (data are found beside the program).
for program in /usr/bin/sohoa /usr/bin/sohoa-engine; do
  ! grep -qaF "$src" $program || fail "$program holds the source path $src"
  ! grep -qaF "$build" $program || fail "$program holds the build path $build"
done

# The sample batch, copied out of the tree, run by the sohoa account from a
# folder of its own, with the source tree (and the build inside or beside it)
# hidden behind an empty read-only tmpfs in a private mount namespace.
work=$(mktemp -d /tmp/sohoa-package-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
samples=${SOHOA_PACKAGE_SAMPLES:-$build/sample-batch}
[[ -f $samples/truth.json ]] || /usr/bin/python3 scripts/make_samples.py --out "$samples" --preset sample >/dev/null
cp -r "$samples/scans" "$work/scans"
chown -R sohoa:sohoa "$work"
cat >"$work/run.sh" <<RUN
set -u
mount -t tmpfs -o ro,size=1m tmpfs '$src'
[ -z "\$(ls -A '$src')" ] || { echo "source tree still visible"; exit 9; }
cd '$work'
runuser -u sohoa -- /usr/bin/sohoa version --ui-lang en
status=0
runuser -u sohoa -- /usr/bin/sohoa run --input scans --archive archive --jobs "$(nproc)" \
  --metrics-file '$work/sohoa.prom' --ui-lang en || status=\$?
echo "exit \$status"
runuser -u sohoa -- /usr/bin/sohoa export --archive archive >'$work/export.jsonl'
runuser -u sohoa -- /usr/bin/sohoa status --archive archive >'$work/status.txt' 2>&1
exit \$status
RUN
status=0
unshare --mount --propagation private sh "$work/run.sh" >"$work/run.log" 2>&1 || status=$?
cat "$work/run.log"
[[ $status -ne 9 ]] || fail "could not hide the source tree"
grep -q "^data: /usr/share/sohoa/schemas (beside the program /usr/bin/sohoa)" "$work/run.log" ||
  fail "sohoa version does not name /usr/share/sohoa/schemas"
[[ $status -eq 0 || $status -eq 3 ]] || fail "sohoa run exited $status"
inputs=$(find "$work/scans" -type f | wc -l)
exported=$(wc -l <"$work/export.jsonl")
[[ $exported -eq $inputs ]] || fail "export lists $exported of $inputs inputs"
# The document types were read (from /usr/share): documents have a type.
typed=$(grep -c '"doc_type":"[a-z_]\+"' "$work/export.jsonl" || true)
((typed > 0)) || fail "no document got a type: the document types were not read"
grep -q "^sohoa_last_exit_status $status$" "$work/sohoa.prom" || fail "metrics lack the exit status"
grep -q "^sohoa_last_success_timestamp_seconds [0-9]" "$work/sohoa.prom" || fail "metrics lack the last success"
# Vietnamese (the default) from the installed catalogue, /usr/share/locale.
grep -q "^Kho lưu trữ: " "$work/status.txt" || fail "sohoa status is not in Vietnamese: $(cat "$work/status.txt")"
say "sohoa run from /usr/bin, source tree hidden: exit $status, $exported inputs exported, $typed typed"
say "OK"
