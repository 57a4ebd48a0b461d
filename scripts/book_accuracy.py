#!/usr/bin/python3
"""Scores register books read by `sohoa run` against make_books.py's truth
(issue 17): entries found, số/trang right, handwriting sent to people, typed
entries wrongly taken for handwriting, fields right, wrong values archived.

  scripts/book_accuracy.py --books DIR [--books DIR2 ...] [--sohoa build/bin/sohoa] [--work DIR] [--json]

Each DIR holds make_books.py output (<stem>.tif, <stem>.tif.book.json,
<stem>.truth.json). The scans and manifests of each DIR are linked into a
fresh input folder and read by one `sohoa run`; the export is compared with
the truth, entry by entry (matched by book and position in the scan: its
scan pages). Run it on each variant's books apart and report each: rules
are written against `tuning` and (since 2026-12-05) `heldback` books only;
`heldback2` books only measure them (make_books.py's docstring).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True


def page_text(numbers):
    first, last = numbers[0], numbers[-1]
    return str(first) if first == last else "%d-%d" % (first, last)


def score_book(truth, book_line, entry_lines):
    s = {"entries": len(truth["entries"]), "recorded": len(entry_lines), "right_number_page": 0,
         "handwritten": 0, "handwritten_to_people": 0, "handwritten_value_offered": 0,
         "typed": 0, "typed_flagged_handwritten": 0, "typed_archived": 0,
         "fields": 0, "fields_right": 0, "archived_fields": 0, "archived_fields_wrong": 0,
         "book_problems": len(book_line["book"]["problems"]) if book_line else None,
         "truth_defects": len([p for p in truth["scan_pages"] if p.get("defect")])}
    by_scan = {}
    for e in entry_lines:
        first = int(e["entry"]["scan_pages"].split(",")[0]) - 1 if e["entry"]["scan_pages"] else -1
        by_scan.setdefault(first, []).append(e)
    for t in truth["entries"]:
        number, pages = str(t["number"]), page_text(t["page_numbers"])
        candidates = by_scan.get(t["scan_pages"][0], [])
        found = next((e for e in candidates if e["entry"]["entry_no"] == number), None)
        if found and found["entry"]["page_no"] == pages:
            s["right_number_page"] += 1
        e = found or (candidates[t.get("slot", 0)] if len(candidates) > t.get("slot", 0) else None)
        if t["handwritten"]:
            s["handwritten"] += 1
            if e and e["status"] == "review" and "handwritten: key it in" in e["reason"]:
                s["handwritten_to_people"] += 1
            if e and any(k != "quyen_so" for k in e["fields"]):
                s["handwritten_value_offered"] += 1
            continue
        s["typed"] += 1
        if not e:
            s["fields"] += len(t["fields"])
            continue
        if e["entry"]["handwritten"]:
            s["typed_flagged_handwritten"] += 1
        if e["status"] == "archived":
            s["typed_archived"] += 1
        for key, value in t["fields"].items():
            s["fields"] += 1
            got = e["fields"].get(key)
            right = got is not None and got["value"] == value
            s["fields_right"] += right
            if e["status"] == "archived" and got is not None:
                s["archived_fields"] += 1
                s["archived_fields_wrong"] += not right
    return s


def run_dir(books_dir, sohoa, work):
    name = os.path.basename(os.path.normpath(books_dir))
    inp, archive = os.path.join(work, name, "input"), os.path.join(work, name, "archive")
    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    os.makedirs(inp)
    stems = sorted(f[:-len(".truth.json")] for f in os.listdir(books_dir) if f.endswith(".truth.json"))
    for stem in stems:
        for suffix in (".tif", ".tif.book.json"):
            os.symlink(os.path.abspath(os.path.join(books_dir, stem + suffix)), os.path.join(inp, stem + suffix))
    run = subprocess.run([sohoa, "run", "--input", inp, "--archive", archive, "--jobs", "2", "--ui-lang", "en"],
                         capture_output=True, text=True)
    summary = [l for l in run.stderr.splitlines() + run.stdout.splitlines() if " finished in " in l]
    exported = subprocess.run([sohoa, "export", "--archive", archive], capture_output=True, text=True, check=True)
    lines = [json.loads(l) for l in exported.stdout.splitlines() if l.strip()]
    results = {}
    for stem in stems:
        with open(os.path.join(books_dir, stem + ".truth.json"), encoding="utf-8") as f:
            truth = json.load(f)
        book = next((l for l in lines if l["source"] == stem + ".tif" and "book" in l), None)
        entries = [l for l in lines if "entry" in l and book and l["entry"]["book_sha256"] == book["sha256"]]
        results[stem] = score_book(truth, book, entries)
    return {"dir": books_dir, "summary": summary[-1] if summary else run.stderr[-500:], "books": results}


def total(results):
    out = {}
    for r in results:
        for book in r["books"].values():
            for k, v in book.items():
                if isinstance(v, int):
                    out[k] = out.get(k, 0) + v
    return out


def pct(a, b):
    return "%d/%d (%.1f%%)" % (a, b, 100.0 * a / b) if b else "0/0"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--books", action="append", required=True)
    ap.add_argument("--sohoa", default=os.path.join(os.path.dirname(__file__), "..", "build", "bin", "sohoa"))
    ap.add_argument("--work", default="/tmp/sohoa-book-accuracy")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = [run_dir(d, args.sohoa, args.work) for d in args.books]
    t = total(results)
    if args.json:
        print(json.dumps({"runs": results, "total": t}, ensure_ascii=False, indent=1))
        return
    for r in results:
        print(r["dir"] + ": " + r["summary"])
        for stem, b in r["books"].items():
            print("  %-16s entries %d recorded %d; số+trang right %s; handwritten to people %s; typed taken "
                  "for handwriting %s; fields right %s; wrong among archived %s; book problems %s (defects %d)"
                  % (stem, b["entries"], b["recorded"], pct(b["right_number_page"], b["entries"]),
                     pct(b["handwritten_to_people"], b["handwritten"]),
                     pct(b["typed_flagged_handwritten"], b["typed"]), pct(b["fields_right"], b["fields"]),
                     pct(b["archived_fields_wrong"], b["archived_fields"]), b["book_problems"],
                     b["truth_defects"]))
    print("total: entries %d recorded %d; số+trang right %s; handwritten to people %s (values offered %d); typed "
          "taken for handwriting %s; typed archived %s; fields right %s; wrong among archived %s"
          % (t["entries"], t["recorded"], pct(t["right_number_page"], t["entries"]),
             pct(t["handwritten_to_people"], t["handwritten"]), t["handwritten_value_offered"],
             pct(t["typed_flagged_handwritten"], t["typed"]), pct(t["typed_archived"], t["typed"]),
             pct(t["fields_right"], t["fields"]), pct(t["archived_fields_wrong"], t["archived_fields"])))


if __name__ == "__main__":
    main()
