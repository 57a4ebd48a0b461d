#!/usr/bin/python3
"""Text-layer character error rate against the sample generator's truth.json.

CER of a page = Levenshtein distance (insert/delete/substitute, cost 1, over
Unicode code points) between the recognised text and the truth, divided by
the truth's length, after both are NFC-normalised and whitespace-folded
(every run of whitespace becomes one space, ends stripped). The batch CER is
the sum of distances over the sum of truth lengths (long pages weigh more).

Where the recognised text comes from (one of):
  --pdf-dir DIR    DIR/<stem>.pdf per input file; page N via `pdftotext -f N -l N`
                   (its default physical-layout order; --raw: content-stream order)
  --text-dir DIR   DIR/<stem>.p<N>.txt per page (N 1-based), e.g. tesseract output

Truth field: --field text (default, reading order) or text_rows (the two header
blocks merged row by row, as Tesseract's default segmentation reads them).

Prints one JSON object: {"cer": .., "pages": .., "missing": [...], "per_page": [...]}.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

import numpy as np


def fold(text):
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def levenshtein(a, b):
    """Edit distance over code points; O(len(a)*len(b)) time, numpy rows."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    bv = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    m = len(bv)
    idx = np.arange(m + 1, dtype=np.int64)
    prev = idx.copy()
    for i, ch in enumerate(a, start=1):
        cost = (bv != ord(ch)).astype(np.int64)
        cur = np.empty(m + 1, dtype=np.int64)
        cur[0] = i
        # best of deletion (from above) and substitution/match (diagonal)
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        # insertions along the row: cur[j] = min_k<=j (cur[k] + j - k)
        cur = np.minimum.accumulate(cur - idx) + idx
        prev = cur
    return int(prev[m])


def pdf_page_text(pdf, page, raw=False):
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else []) +
        ["-f", str(page), "-l", str(page), pdf, "-"],
        capture_output=True, check=False)
    if out.returncode != 0:
        return None
    return out.stdout.decode("utf-8", errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", required=True, help="truth.json of make_samples.py")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--pdf-dir")
    src.add_argument("--text-dir")
    ap.add_argument("--field", default="text", choices=["text", "text_rows"])
    ap.add_argument("--per-page", action="store_true", help="include per-page rows")
    ap.add_argument("--raw", action="store_true",
                    help="pdftotext -raw (content-stream order) instead of its default layout order")
    args = ap.parse_args()

    with open(args.truth, encoding="utf-8") as f:
        truth = json.load(f)
    total_dist = 0
    total_len = 0
    pages = 0
    missing = []
    rows = []
    for entry in truth:
        stem = os.path.splitext(os.path.basename(entry["file"]))[0]
        for detail in entry["page_details"]:
            n = detail["index"] + 1
            ref = fold(detail[args.field])
            if args.pdf_dir:
                pdf = os.path.join(args.pdf_dir, stem + ".pdf")
                hyp = pdf_page_text(pdf, n, args.raw) if os.path.exists(pdf) else None
            else:
                path = os.path.join(args.text_dir, "%s.p%d.txt" % (stem, n))
                hyp = None
                if os.path.exists(path):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        hyp = f.read()
            if hyp is None:
                # A missing page counts as all characters wrong, and is listed.
                missing.append("%s p%d" % (stem, n))
                hyp = ""
            dist = levenshtein(fold(hyp), ref)
            total_dist += dist
            total_len += len(ref)
            pages += 1
            rows.append({"file": stem, "page": n, "mode": detail["mode"],
                         "dpi": detail["dpi"], "chars": len(ref), "distance": dist,
                         "cer": round(dist / max(1, len(ref)), 5)})
    result = {"cer": round(total_dist / max(1, total_len), 5), "pages": pages,
              "chars": total_len, "distance": total_dist, "missing": missing,
              "field": args.field, "pdftotext": "raw" if args.raw else "default"}
    if args.per_page:
        result["per_page"] = rows
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
