#!/usr/bin/env python3
"""Legibility of MRC pages (issue 19): Tesseract on each gray/colour page
rendered back at 300 dpi (pdftoppm), --image-mode jpeg against mrc, as CER
against the generator's truth.json text.

usage: benchmarks/mrc_legibility.py SAMPLES WORK
  SAMPLES  a make_samples.py output folder (truth.json, scans/)
  WORK     the WORK folder of benchmarks/mrc_size.sh SOHOA SAMPLES/scans WORK
A measurement, not a test."""
import glob
import json
import os
import subprocess
import sys
import tempfile


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def words(text):
    return " ".join(text.split())


def sources(log):
    """source file name -> sha256, from a `sohoa run --log-format json` log."""
    out = {}
    with open(log, encoding="utf-8") as f:
        for line in f:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "document" and "sha256" in event:
                out[event["source"]] = event["sha256"]
    return out


def page_text(pdf, page, tmp):
    prefix = os.path.join(tmp, "p")
    subprocess.run(["pdftoppm", "-r", "300", "-f", str(page + 1), "-l", str(page + 1), "-png",
                    "-singlefile", pdf, prefix], check=True)
    result = subprocess.run(["tesseract", prefix + ".png", "stdout", "-l", "vie"],
                            capture_output=True, text=True, check=True)
    return words(result.stdout)


def main():
    samples, work = sys.argv[1], sys.argv[2]
    truth = json.load(open(os.path.join(samples, "truth.json"), encoding="utf-8"))
    shas = sources(os.path.join(work, "mrc.log"))
    totals = {"jpeg": [0, 0], "mrc": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for doc in truth:
            sha = shas.get(os.path.basename(doc["file"]))
            if sha is None:
                continue
            for page in doc["page_details"]:
                if page["mode"] not in ("gray", "rgb"):
                    continue
                reference = words(page["text"])
                row = [os.path.basename(doc["file"]), page["index"], page["mode"], page["dpi"]]
                for mode in ("jpeg", "mrc"):
                    pdf = glob.glob(os.path.join(work, mode, "**", sha + ".pdf"), recursive=True)[0]
                    distance = levenshtein(reference, page_text(pdf, int(page["index"]), tmp))
                    totals[mode][0] += distance
                    totals[mode][1] += len(reference)
                    row.append("%.4f" % (distance / max(1, len(reference))))
                print(" ".join(str(v) for v in row))
    for mode, (distance, length) in totals.items():
        print("%s CER %.4f over %d characters" % (mode, distance / max(1, length), length))


if __name__ == "__main__":
    main()
