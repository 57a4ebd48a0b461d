#!/usr/bin/python3
"""Field-level accuracy of an archive against the generator's ground truth.

Compares every field each document type defines (schemas/doctypes/*.json)
with truth.json from scripts/make_samples.py, reading what `sohoa export`
says. Prints the exact-match share overall, on clean scans, among documents
left archived (the number that must reach 99%: doubt goes to people), the
share of documents sent to review, and every mismatch.

usage: field_accuracy.py --sohoa build/bin/sohoa --archive DIR --samples DIR [--json]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sohoa", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--samples", required=True, help="folder with truth.json")
    ap.add_argument("--doctypes", default=os.path.join(HERE, "..", "schemas", "doctypes"))
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = ap.parse_args()

    field_keys = load_field_keys(args.doctypes)
    with open(os.path.join(args.samples, "truth.json"), encoding="utf-8") as f:
        truth = {os.path.basename(t["file"]): t for t in json.load(f)}
    export = subprocess.run([args.sohoa, "export", "--archive", args.archive],
                            capture_output=True, text=True, check=True).stdout

    tally = {k: [0, 0] for k in ("all", "clean", "archived")}  # [right, fields]
    docs = {"all": 0, "review": 0, "type_wrong": 0}
    mismatches = []
    for line in export.splitlines():
        entry = json.loads(line)
        t = truth.get(os.path.basename(entry["source"]))
        if t is None or entry["status"] == "quarantined":
            continue
        docs["all"] += 1
        docs["review"] += entry["status"] == "review"
        docs["type_wrong"] += entry.get("doc_type") != t["doc_type"]
        clean = all(p["clean"] for p in t["page_details"])
        got_fields = entry.get("fields") or {}
        for key in field_keys.get(t["doc_type"], []):
            if key not in t["fields"]:
                continue
            expected = t["fields"][key]
            got = (got_fields.get(key) or {}).get("value")
            right = got == expected
            buckets = ["all"] + (["clean"] if clean else []) + \
                (["archived"] if entry["status"] == "archived" else [])
            for b in buckets:
                tally[b][0] += right
                tally[b][1] += 1
            if not right:
                conf = (got_fields.get(key) or {}).get("confidence")
                mismatches.append(f"{entry['status']:8} {entry['source']} {key}: "
                                  f"expected {expected!r} got {got!r} (confidence {conf})")

    def share(right, total):
        return round(right / total, 4) if total else None

    summary = {name: {"right": r, "fields": n, "accuracy": share(r, n)} for name, (r, n) in tally.items()}
    summary["documents"] = docs["all"]
    summary["review_share"] = share(docs["review"], docs["all"])
    summary["type_wrong"] = docs["type_wrong"]
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for m in mismatches:
            print(m)
        for name in ("all", "clean", "archived"):
            s = summary[name]
            print(f"{name:9} {s['right']}/{s['fields']} fields exact ({s['accuracy']})")
        print(f"review    {docs['review']}/{docs['all']} documents ({summary['review_share']}); "
              f"type wrong on {docs['type_wrong']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
