#!/bin/sh
# Validates FILE against PDF/A-1b with Apache PDFBox Preflight (Debian's
# libpdfbox2-java / preflight jars), prints its verdict, and exits 0 only when
# the file is valid (1 invalid, 2 usage or missing tools).
#
# usage: scripts/preflight.sh FILE.pdf
#
# PDFBox Preflight checks PDF/A-1b only; for PDF/A-2b files use it as a
# syntax/font/metadata sanity check at most, or veraPDF.
set -u
if [ $# -ne 1 ]; then
  echo "usage: $0 FILE.pdf" >&2
  exit 2
fi
file=$1
if [ ! -r "$file" ]; then
  echo "preflight: cannot read $file" >&2
  exit 2
fi
jars=${PREFLIGHT_JAR_DIR:-/usr/share/java}
# fontbox2 is needed by pdfbox2 for the embedded-font checks.
cp=""
for jar in preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation jaxb-api; do
  if [ ! -r "$jars/$jar.jar" ]; then
    echo "preflight: missing $jars/$jar.jar" >&2
    exit 2
  fi
  cp="$cp${cp:+:}$jars/$jar.jar"
done
out=$(java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$file" 2>&1)
status=$?
printf '%s\n' "$out"
# Validator_A1b prints "The file ... is a valid PDF/A-1b file" on success and
# exits with the number of errors otherwise; trust both, not just one.
if [ $status -eq 0 ] && printf '%s\n' "$out" | grep -q "is a valid PDF/A-1b file"; then
  exit 0
fi
exit 1
