#!/usr/bin/python3
"""Field-level accuracy of an archive against the generator's ground truth.

Compares every field each document type defines (schemas/doctypes/*.json)
with truth.json from scripts/make_samples.py, reading what `sohoa export`
says. Prints the exact-match share overall, on clean scans, among documents
left archived (the number that must reach 99.5%: doubt goes to people), the
share of documents sent to review, and every mismatch.

--archive and --samples may be given several times (paired in order). The
layout family (`make_samples.py --preset layouts --layouts tuning|heldback`)
records each document's layout set in truth.json; the summary is then also
given per set (tuning / heldback) and per layout, so the held-back numbers
are never mixed with the ones rules were written against.

usage: field_accuracy.py --sohoa build/bin/sohoa --archive DIR --samples DIR
                         [--archive DIR2 --samples DIR2 ...] [--json]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_field_keys(doctypes_dir):
    keys = {}
    for name in os.listdir(doctypes_dir):
        if name.endswith(".json"):
            with open(os.path.join(doctypes_dir, name), encoding="utf-8") as f:
                spec = json.load(f)
            keys[spec["key"]] = [field["key"] for field in spec["fields"]]
    return keys


def share(right, total):
    return round(right / total, 4) if total else None


class Tally:
    """Fields right / fields compared in three buckets, and documents."""

    def __init__(self):
        self.buckets = {k: [0, 0] for k in ("all", "clean", "archived")}
        self.docs = {"all": 0, "review": 0, "type_wrong": 0}
        self.mismatches = None

    def add(self, entry, t, field_keys, _):
        self.docs["all"] += 1
        self.docs["review"] += entry["status"] == "review"
        self.docs["type_wrong"] += entry.get("doc_type") != t["doc_type"]
        clean = all(p["clean"] for p in t["page_details"])
        got_fields = entry.get("fields") or {}
        for key in field_keys.get(t["doc_type"], []):
            if key not in t["fields"]:
                continue
            right = (got_fields.get(key) or {}).get("value") == t["fields"][key]
            buckets = ["all"] + (["clean"] if clean else []) + \
                (["archived"] if entry["status"] == "archived" else [])
            for b in buckets:
                self.buckets[b][0] += right
                self.buckets[b][1] += 1

    def add_mismatches(self, entry, t, field_keys):
        got_fields = entry.get("fields") or {}
        for key in field_keys.get(t["doc_type"], []):
            if key not in t["fields"]:
                continue
            expected = t["fields"][key]
            got = (got_fields.get(key) or {}).get("value")
            if got != expected:
                conf = (got_fields.get(key) or {}).get("confidence")
                self.mismatches.append(f"{entry['status']:8} {entry['source']} {key}: "
                                       f"expected {expected!r} got {got!r} (confidence {conf})")

    def summary(self):
        out = {name: {"right": r, "fields": n, "accuracy": share(r, n)}
               for name, (r, n) in self.buckets.items()}
        out["documents"] = self.docs["all"]
        out["review"] = self.docs["review"]
        out["review_share"] = share(self.docs["review"], self.docs["all"])
        out["type_wrong"] = self.docs["type_wrong"]
        return out


def gate_inputs(entry, t, field_keys):
    """What the confidence gate decides on: does the document have reasons
    other than low confidence, and each compared field's (confidence, right)."""
    others = [r for r in entry.get("review_reasons") or [] if "read with confidence" not in r]
    got_fields = entry.get("fields") or {}
    fields = []
    for key in field_keys.get(t["doc_type"], []):
        if key not in t["fields"]:
            continue
        got = got_fields.get(key) or {}
        fields.append((got.get("confidence", 0.0), got.get("value") == t["fields"][key]))
    # Fields extracted but not compared still gate the document.
    lowest = min([f.get("confidence", 0.0) for f in got_fields.values()] or [0.0])
    return bool(others), fields, lowest


def calibrate(docs):
    rows = []
    for step in range(50, 100, 2):
        threshold = step / 100
        archived = [fields for others, fields, lowest in docs if not others and lowest >= threshold]
        right = sum(r for fields in archived for _, r in fields)
        total = sum(len(fields) for fields in archived)
        rows.append({"threshold": threshold, "documents": len(docs), "archived": len(archived),
                     "right": right, "fields": total, "precision": share(right, total)})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sohoa", required=True)
    ap.add_argument("--archive", required=True, action="append")
    ap.add_argument("--samples", required=True, action="append", help="folder with truth.json")
    ap.add_argument("--doctypes", default=os.path.join(HERE, "..", "schemas", "doctypes"))
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--calibrate", action="store_true",
                    help="also print, per review-confidence threshold, the documents that would "
                         "be left archived and their fields' precision (choose the threshold "
                         "on the tuning set, quote the held-back set)")
    args = ap.parse_args()

    if len(args.archive) != len(args.samples):
        ap.error("give one --samples folder per --archive")
    field_keys = load_field_keys(args.doctypes)
    groups = {}  # name -> Tally; "all" plus each layout set and layout
    calibration = {}  # layout set -> [(other reasons?, [(confidence, right)])]
    mismatches = []
    for archive, samples in zip(args.archive, args.samples):
        with open(os.path.join(samples, "truth.json"), encoding="utf-8") as f:
            truth = {os.path.basename(t["file"]): t for t in json.load(f)}
        export = subprocess.run([args.sohoa, "export", "--archive", archive],
                                capture_output=True, text=True, check=True).stdout
        for line in export.splitlines():
            entry = json.loads(line)
            t = truth.get(os.path.basename(entry["source"]))
            if t is None or entry["status"] == "quarantined":
                continue
            names = ["all"]
            if t.get("layout_set"):
                names += [t["layout_set"], t["layout_set"] + "/" + t["layout"]]
            for name in names:
                groups.setdefault(name, Tally()).add(entry, t, field_keys, None)
            groups["all"].mismatches = mismatches
            groups["all"].add_mismatches(entry, t, field_keys)
            calibration.setdefault(t.get("layout_set", "all"), []).append(
                gate_inputs(entry, t, field_keys))

    summary = {name: g.summary() for name, g in sorted(groups.items())}
    if args.calibrate:
        summary["calibration"] = {name: calibrate(docs) for name, docs in sorted(calibration.items())}
    if args.json:
        print(json.dumps(summary if len(summary) > 1 else summary.get("all", {}), indent=2,
                         ensure_ascii=False))
    else:
        for m in mismatches:
            print(m)
        for name, s in summary.items():
            if name == "calibration":
                continue
            print(f"[{name}] {s['documents']} documents")
            for bucket in ("all", "clean", "archived"):
                b = s[bucket]
                print(f"  {bucket:9} {b['right']}/{b['fields']} fields exact ({b['accuracy']})")
            if name == "calibration":
                continue
            print(f"  review    {s['review']}/{s['documents']} documents ({s['review_share']}); "
                  f"type wrong on {s['type_wrong']}")
        for name, rows in summary.get("calibration", {}).items():
            print(f"[calibration {name}] threshold: documents archived, fields right among them")
            for row in rows:
                print(f"  {row['threshold']:.2f}: {row['archived']}/{row['documents']} archived, "
                      f"{row['right']}/{row['fields']} right ({row['precision']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
