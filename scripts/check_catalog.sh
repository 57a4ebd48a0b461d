#!/usr/bin/env bash
# Checks the message catalogues against the sources (issue 20): every
# message the code looks up (Tr, TrN, N_: pipeline/core/catalog.h) has a
# translation in each po/<lang>.po, no catalogue keeps a message the code no
# longer has, and every translation names the same {placeholders} as its
# English. Run by ctest (CatalogTest.EveryMessageOfTheSourcesIsTranslated).
#   scripts/check_catalog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find pipeline cli stages \( -name '*.cc' -o -name '*.h' \) | sort >"$work/sources"
xgettext --from-code=UTF-8 --language=C++ --keyword= --keyword=N_ --keyword=Tr:2 --keyword=TrN:2,3 \
  --no-location --sort-output --files-from="$work/sources" -o "$work/sohoa.pot"
msginit --no-translator --no-wrap --locale=en --input="$work/sohoa.pot" --output-file="$work/en.po" 2>/dev/null
status=0
for po in po/*.po; do
  # Every message of the code is translated (fuzzy or empty ones fail too)…
  msgcmp "$po" "$work/sohoa.pot" || { echo "$po: messages of the code missing or untranslated"; status=1; }
  # …and the catalogue holds nothing the code no longer says.
  msgcmp --use-untranslated "$work/en.po" "$po" 2>"$work/stale" ||
    { echo "$po: messages no longer in the code:"; cat "$work/stale"; status=1; }
  # The same placeholders on both sides.
  /usr/bin/python3 - "$po" <<'PY' || status=1
import re, subprocess, sys
po = sys.argv[1]
text = subprocess.run(["msgcat", "--no-wrap", po], capture_output=True, text=True, check=True).stdout
def unquote(s):
    return s[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
bad = 0
msgid = None
for line in text.splitlines():
    m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$', line)
    if not m:
        continue
    kind, value = m.group(1), unquote(m.group(2))
    if kind == "msgid":
        msgid = value
    elif kind.startswith("msgstr") and msgid:
        want, got = set(re.findall(r"\{(\w+)\}", msgid)), set(re.findall(r"\{(\w+)\}", value))
        if want != got:
            print(f"{po}: placeholders {sorted(got)} in the translation of {msgid!r}, want {sorted(want)}")
            bad = 1
sys.exit(bad)
PY
done
[[ $status -eq 0 ]] && echo "check_catalog: $(ls po/*.po | wc -l) catalogue(s), $(grep -c '^msgid ' "$work/sohoa.pot") messages: OK"
exit $status
