#!/usr/bin/python3
"""Generates scanned civil-status register books (sổ hộ tịch, issue 17)
with ground truth, for the book tests and measurements.

  /usr/bin/python3 scripts/make_books.py --out DIR [--seed N] [--pages 120]
        [--layout printed|ruled] [--kind khai_sinh] [--variant tuning|heldback|heldback2]
        [--handwritten 0.2] [--spreads] [--defects] [--dpi 200] [--name NAME]
  /usr/bin/python3 scripts/make_books.py --self-check DIR

Writes DIR/<name>.tif (multi-page TIFF, JPEG-compressed colour pages),
DIR/<name>.tif.book.json (the manifest sohoa reads) and, last and
atomically, DIR/<name>.truth.json (format: /work/wt/BOOKS.md "Generated
books"; README "Register books"). Output is a pure function of the options.

Books
  printed  (2016 on) one entry a page: a printed form whose labels are the
           ones schemas/doctypes/khai_sinh.json knows, values typed in black
           or, for --handwritten of the entries, written by hand; the book
           number ("Quyển số: 01/2018") in the page header, the page number
           on every page. --pages = pages = entries.
  ruled    (before 2016) a table, 5-8 rows a page (one count a book), a
           printed header row of column titles, rulings; one entry a row
           across two facing pages (columns 1-5 left, 6-10 right), page
           numbers in the bottom outer corners. Each facing page is its own
           scan page, or with --spreads both are one A3-landscape image with
           the fold's shadow between them. --pages counts book pages (a
           spread holds two). The last page may have empty rows.
Handwriting is simulated (samples_lib/handwriting.py): blue or violet
ballpoint ink, an italic face with per-glyph rotation/scale/offset, a wavy
baseline, pressure and an elastic warp. Tesseract reads it poorly or not at
all; handwritten entries are marked in the truth.
Scans: skew within +-2 degrees, yellowed paper (more for old books), red
seals on some pages, dust, blur and grain (samples_lib/scan.py), 200-300
dpi, JPEG (YCbCr) in the TIFF.
--defects: one page scanned twice (the repeat right after the original, a
new scan of the same sheet), one page missing (a spread or, for ruled
books scanned page by page, a whole opening), two pages swapped (adjacent
pages; openings for ruled books).

Variants (--variant). Rules may be written looking at `tuning` books; the
`heldback` books only measure them, and differ in:
  labels     "Họ và tên", "Sinh ngày", "Ngày, tháng, năm đăng ký", "Số định
             danh", "Họ và tên mẹ/cha", "Bằng chữ", "Người ký" (tuning: "Họ,
             chữ đệm, tên", "Ngày, tháng, năm sinh", "Ngày đăng ký", ...)
  layout     header centred with the book number in the top-right corner
             (tuning: commune left, title and book number right); values on
             dotted leaders; Số with the registration date, and sex, ethnic
             group and nationality, two or three to a row (tuning: one a row)
  faces      labels sans, typed values typewriter, handwriting from a sans
             oblique (tuning: labels serif, values serif bold, hand serif italic)
  ink        violet (tuning: blue)
  dates      "ngày 05 tháng 03 năm 2018" on printed pages, "5/3/2018" in
             ruled tables (tuning: 05/03/2018 in both)
  page no.   "- 12 -" top right / "- 12 -" in ruled corners (tuning:
             "Trang số: 12" bottom centre / "12")
  columns    ruled column order Số, Họ và tên, Giới tính, Sinh ngày, Ngày
             đăng ký | Quốc tịch, Dân tộc, Nơi sinh, cha, mẹ, with a row of
             column numbers "(1)".."(10)" under the titles (tuning: Số, Ngày
             đăng ký, Họ tên, Ngày sinh, Giới tính | Dân tộc, Quốc tịch, Nơi
             sinh, mẹ, cha; no numbers row)

`heldback` was looked at while rules were written (2026-12-05), so it is a
second tuning family since; `heldback2` is held back from then on: labels
"Họ, chữ đệm và tên", "Ngày sinh", "Họ tên mẹ/cha"; labels sans, values serif,
one a row on dotted leaders; blue-black ink (close to the print's black);
"ngày .. tháng .. năm" dates on printed pages; "Trang 12" in the outer bottom
corner / "Tr. 12" in ruled corners; ruled columns Số, Ngày, tháng, năm đăng
ký, Họ, chữ đệm và tên, Giới tính, Ngày sinh | Nơi sinh, Dân tộc, Quốc tịch,
mẹ, cha.

Needs only Debian packages: python3-pil, python3-numpy, fonts-liberation2
(fonts-dejavu-core for the held-back hand).
"""

import argparse
import datetime
import io
import json
import multiprocessing
import os
import random
import re
import sys
import time

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from PIL import Image, TiffImagePlugin  # noqa: E402

from samples_lib import book_content, book_render, handwriting, scan  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DOCTYPES = os.path.join(HERE, "..", "schemas", "doctypes")
TRUTH_VERSION = 1


# ------------------------------------------------------------------- plan

class Plan:
    """Everything decided before drawing: the book, its units (a printed
    page or a ruled opening), the scan images in order with their defects."""

    def __init__(self, args):
        self.args = args
        rng = random.Random("books-plan-%d-%s-%s" % (args.seed, args.layout, args.variant))
        self.variant = book_render.VARIANTS[args.variant]
        self.era = args.layout
        self.first_page = 1
        if args.layout == "printed":
            self.rows = 1
            units = args.pages
            count = units
        else:
            if args.pages % 2:
                raise SystemExit("make_books: --pages must be even for a ruled book "
                                 "(entries run across facing pages)")
            self.rows = rng.randint(5, 8)
            units = args.pages // 2
            # The last page is left partly empty, as a book's last entries are.
            count = units * self.rows - rng.randint(0, self.rows - 1)
        self.book = book_content.make_book(rng, args.kind, self.era, count,
                                           book_index=rng.randint(1, 4))
        self.handwritten = [rng.random() < args.handwritten for _ in range(count)]
        # Entries of each unit (indexes into book.entries).
        self.unit_entries = [list(range(u * self.rows, min(count, (u + 1) * self.rows)))
                             for u in range(units)]
        self.halves = 2 if args.layout == "ruled" and not args.spreads else 1
        self.units = list(range(units))
        self.defects = []
        order = list(self.units)
        if args.defects:
            if units < 8:
                raise SystemExit("make_books: --defects needs a book of at least 8 sheets")
            # A missing unit and two swapped ones, apart and away from the ends.
            missing = rng.randint(2, units // 2 - 1)
            swap = rng.randint(units // 2 + 1, units - 3)
            order = [u for u in order if u != missing]
            i = order.index(swap)
            order[i], order[i + 1] = order[i + 1], order[i]
            self.missing, self.swapped = missing, (swap, swap + 1)
        # Scan images: (unit, half, repeat_of) in scan order.
        images = [(u, h, None) for u in order for h in range(self.halves)]
        if args.defects:
            candidates = [i for i, (u, _, _) in enumerate(images)
                          if u not in self.swapped and u + 1 != self.missing and u >= 1
                          and i < len(images) - 2]
            r = rng.choice(candidates[: len(candidates) // 2] or candidates)
            images.insert(r + 1, (images[r][0], images[r][1], r))
        self.images = images

    def page_numbers(self, unit, half):
        """Trang số printed on a scan image of (unit, half)."""
        if self.era == "printed":
            return [self.first_page + unit]
        left = self.first_page + 2 * unit
        if self.halves == 2:
            return [left + half]
        return [left, left + 1]


# ---------------------------------------------------------------- drawing

_PLAN = None  # the plan, shared with forked workers


def render_image(scan_index):
    """Worker: draws and scans one scan image; returns (TIFF bytes, facts)."""
    plan = _PLAN
    args = plan.args
    unit, half, _ = plan.images[scan_index]
    seed = args.seed
    paper_rng = random.Random("books-%d-paper-%d" % (seed, unit))
    palette = book_render.paper_palette(paper_rng, plan.era, plan.variant)
    aged = plan.era == "ruled" or paper_rng.random() < 0.6
    entries = [plan.book.entries[i] for i in plan.unit_entries[unit]]

    def hand_for(i):
        if not plan.handwritten[i]:
            return None
        return handwriting.Hand(random.Random("books-%d-hand-%d" % (seed, i)),
                                round(10.5 / 72 * args.dpi * 1.15), plan.variant["hand_family"])

    def draw(side):
        rng = random.Random("books-%d-unit-%d-%d" % (seed, unit, side))
        numbers = plan.page_numbers(unit, side if plan.halves == 2 else 0)
        if plan.era == "printed":
            index = plan.unit_entries[unit][0]
            canvas = book_render.draw_printed_page(
                rng, plan.book, entries[0], numbers[0], plan.variant,
                plan.handwritten[index], args.dpi)
        else:
            number = numbers[side] if plan.halves == 1 else numbers[0]
            canvas = book_render.draw_ruled_half(
                rng, plan.book, entries, side, number, plan.rows, plan.variant,
                [hand_for(i) for i in plan.unit_entries[unit]], args.dpi)
        return book_render.compose(rng, canvas, palette, plan.book, aged), bool(canvas.seals)

    if plan.era == "ruled" and plan.halves == 1:
        (left, left_ink), seal_l = draw(0)
        (right, right_ink), seal_r = draw(1)
        page = book_render.spread(left, right, random.Random("books-%d-fold-%d" % (seed, unit)),
                                  args.dpi)
        ink = book_render.spread_mask(left_ink, right_ink)
        seal = seal_l or seal_r
    else:
        (page, ink), seal = draw(half)
    scan_rng = random.Random("books-%d-scan-%d" % (seed, scan_index))
    np_rng = np.random.default_rng([seed, scan_index, 17])
    spec = {"dpi": args.dpi, "mode": "rgb", "bits": 8, "skew": book_render.scan_angle(scan_rng),
            "rotation": 0, "clean": False, "noise": round(scan_rng.uniform(0.15, 0.4), 2),
            "seal": True, "fast_rotate": True}
    image, facts = scan.scan(page, ink, spec, {"paper_rgb": palette["paper_rgb"]},
                             scan_rng, np_rng)
    return encode_page(image, args.dpi, args.quality), {"skew_degrees": spec["skew"], "noise": spec["noise"], "seal": seal,
                   "width": image.width, "height": image.height,
                   "skew_canvas_expanded": facts["expanded"]}


def encode_page(image, dpi, quality):
    """One page as a complete single-page TIFF (bytes), JPEG-compressed in
    YCbCr: RGB JPEG-in-TIFF is twice the size, and Pillow cannot subsample
    the chroma here. Encoded in the worker, so only ~0.4 MB a page travels."""
    out = io.BytesIO()
    image.convert("YCbCr").save(out, format="TIFF", compression="tiff_jpeg", quality=quality,
                                dpi=(dpi, dpi), tiffinfo={305: "sohoa make_books.py"})
    return out.getvalue()


def write_tiff(path, pages):
    """Appends the single-page TIFFs (an iterator of bytes) one at a time
    as the pages of one multi-page TIFF: Pillow's appending writer links
    each page's directory and moves its offsets. Returns the page count."""
    count = 0
    with TiffImagePlugin.AppendingTiffWriter(path, new=True) as tf:
        for data in pages:
            tf.write(data)
            tf.newFrame()
            count += 1
    return count


# ------------------------------------------------------------------ truth

def build_truth(plan, manifest, scan_facts):
    book = plan.book
    scan_pages, seen = [], {}
    for index, ((unit, half, repeat_of), facts) in enumerate(zip(plan.images, scan_facts)):
        defect = None
        if repeat_of is not None:
            defect = "repeat_of_scan_page_%d" % repeat_of
        elif plan.args.defects and unit in plan.swapped:
            defect = "out_of_order"
        elif plan.args.defects and half == 0 and _follows_gap(plan, index):
            defect = "missing_before"
        page = {"scan_index": index, "page_numbers": plan.page_numbers(unit, half),
                "spread": plan.era == "ruled" and plan.halves == 1, "defect": defect}
        page.update(facts)
        scan_pages.append(page)
        if repeat_of is None:
            seen.setdefault(unit, []).append(index)
    entries, position = [], 0
    first_scan = {u: idx[0] for u, idx in seen.items()}
    for unit in sorted(seen, key=lambda u: first_scan[u]):
        for slot, i in enumerate(plan.unit_entries[unit]):
            position += 1
            e = book.entries[i]
            indexes = seen[unit]
            entries.append({
                "position": position, "number": e.number,
                "page_numbers": [n for s in indexes for n in scan_pages[s]["page_numbers"]],
                "scan_pages": indexes, "slot": slot, "handwritten": plan.handwritten[i],
                "fields": e.fields})
    defects = []
    if plan.args.defects:
        for index, (unit, half, repeat_of) in enumerate(plan.images):
            if repeat_of is not None:
                defects.append({"kind": "repeat", "scan_index": index, "of_scan_index": repeat_of,
                                "page_numbers": scan_pages[index]["page_numbers"]})
        lost = plan.missing
        defects.append({
            "kind": "missing",
            "page_numbers": [n for h in range(plan.halves) for n in plan.page_numbers(lost, h)],
            "before_scan_index": next(p["scan_index"] for p in scan_pages
                                      if p["defect"] == "missing_before"),
            "entry_numbers": [book.entries[i].number for i in plan.unit_entries[lost]]})
        defects.append({
            "kind": "swap",
            "scan_indexes": [p["scan_index"] for p in scan_pages if p["defect"] == "out_of_order"],
            "page_numbers": [n for u in plan.swapped for h in range(plan.halves)
                             for n in plan.page_numbers(u, h)]})
    return {"version": TRUTH_VERSION, "generator": generator_options(plan.args),
            "book": manifest, "layout": plan.era, "variant": plan.args.variant,
            "rows_per_page": plan.rows, "scan_pages": scan_pages, "entries": entries,
            "defects": defects}


def _follows_gap(plan, index):
    """The first scan image of the unit after the missing one."""
    return plan.images[index][0] == plan.missing + 1


def generator_options(args):
    return {"seed": args.seed, "pages": args.pages, "layout": args.layout, "kind": args.kind,
            "variant": args.variant, "handwritten": args.handwritten, "spreads": args.spreads,
            "defects": args.defects, "dpi": args.dpi, "quality": args.quality}


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ------------------------------------------------------------- self-check

class CheckFailed(Exception):
    pass


def doc_type_keys(kind):
    with open(os.path.join(DOCTYPES, kind + ".json"), encoding="utf-8") as f:
        return {field["key"] for field in json.load(f)["fields"]}


def check_book(truth_path):
    """Checks one generated book against its truth: the TIFF's pages, the
    manifest, scan pages, entries and defects agree. Returns a summary."""
    def need(cond, what):
        if not cond:
            raise CheckFailed("%s: %s" % (truth_path, what))

    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    base = truth_path[: -len(".truth.json")]
    tif, manifest_path = base + ".tif", base + ".tif.book.json"
    need(os.path.exists(tif), "scan %s is missing" % tif)
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    need(manifest == truth["book"], "manifest differs from truth[\"book\"]")
    need(re.fullmatch(r"[0-9]{1,4}/[0-9]{4}", manifest["book_no"]), "bad book_no")
    need(manifest["year_from"] <= manifest["year_to"], "year_from after year_to")
    pages = truth["scan_pages"]
    with Image.open(tif) as im:
        need(im.n_frames == len(pages), "TIFF has %d pages, truth %d" % (im.n_frames, len(pages)))
        for p in pages:
            im.seek(p["scan_index"])
            need(im.size == (p["width"], p["height"]), "scan page %d size" % p["scan_index"])
            need(im.info.get("compression") == "jpeg", "scan page %d not JPEG" % p["scan_index"])
            ratio = im.width / im.height
            need((ratio > 1.2) == p["spread"], "scan page %d: spread %s but %dx%d" % (
                p["scan_index"], p["spread"], im.width, im.height))
    need([p["scan_index"] for p in pages] == list(range(len(pages))), "scan_index out of order")
    by_index = {p["scan_index"]: p for p in pages}
    keys = doc_type_keys(manifest["kind"])
    numbers = [e["number"] for e in truth["entries"]]
    need(len(set(numbers)) == len(numbers), "an entry number repeats")
    need([e["position"] for e in truth["entries"]] == list(range(1, len(numbers) + 1)),
         "positions are not 1..n")
    for e in truth["entries"]:
        where = "entry %d" % e["number"]
        need(e["scan_pages"], where + " has no scan page")
        for s in e["scan_pages"]:
            need(s in by_index, where + " on an unknown scan page")
            need(not (by_index[s]["defect"] or "").startswith("repeat"),
                 where + " placed on a repeated scan page")
        want = [n for s in e["scan_pages"] for n in by_index[s]["page_numbers"]]
        need(e["page_numbers"] == want, where + " page numbers disagree with its scan pages")
        fields = e["fields"]
        need(set(fields) <= keys, where + " has keys the doc type lacks: %s"
             % sorted(set(fields) - keys))
        need(fields["so"] == str(e["number"]), where + " so differs from number")
        need(fields["quyen_so"] == manifest["book_no"], where + " quyen_so differs")
        for k in ("ngay_sinh", "ngay_dang_ky"):
            datetime.date.fromisoformat(fields[k])
        need(fields["ngay_sinh"] <= fields["ngay_dang_ky"], where + " born after registration")
        year = int(fields["ngay_dang_ky"][:4])
        need(manifest["year_from"] <= year <= manifest["year_to"], where + " outside the years")
        pid = fields.get("so_dinh_danh")
        if pid:
            birth = fields["ngay_sinh"]
            digit = {19: 0, 20: 2, 21: 4}[int(birth[:2])] + (fields["gioi_tinh"] == "Nữ")
            need(re.fullmatch(r"[0-9]{12}", pid) and pid[3] == str(digit)
                 and pid[4:6] == birth[2:4], where + " personal id breaks the ID rules")
    need(sorted(numbers) == numbers or any(d["kind"] == "swap" for d in truth["defects"]),
         "entries out of number order without a swap defect")
    for d in truth["defects"]:
        if d["kind"] == "repeat":
            orig, rep = by_index[d["of_scan_index"]], by_index[d["scan_index"]]
            need(orig["page_numbers"] == rep["page_numbers"], "repeat shows other pages")
            need(rep["defect"] == "repeat_of_scan_page_%d" % d["of_scan_index"], "repeat mark")
        elif d["kind"] == "missing":
            on_scan = {n for p in pages for n in p["page_numbers"]}
            need(not on_scan & set(d["page_numbers"]), "a missing page is on a scan page")
            need(not set(d["entry_numbers"]) & set(numbers), "a missing entry is listed")
            need(by_index[d["before_scan_index"]]["defect"] == "missing_before", "missing mark")
        elif d["kind"] == "swap":
            need(len(d["scan_indexes"]) >= 2, "swap marks fewer than two scan pages")
    return "%s: %d scan pages, %d entries (%d handwritten), %d defects: ok" % (
        os.path.basename(tif), len(pages), len(numbers),
        sum(e["handwritten"] for e in truth["entries"]), len(truth["defects"]))


def self_check(folder):
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".truth.json"))
    if not paths:
        raise CheckFailed("%s: no *.truth.json to check" % folder)
    for path in paths:
        print("make_books: self-check " + check_book(path))


# ------------------------------------------------------------------- main

def main(argv):
    global _PLAN
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="output folder (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=120, help="book pages (before defects)")
    parser.add_argument("--layout", choices=["printed", "ruled"], default="printed")
    parser.add_argument("--kind", choices=book_content.KINDS, default="khai_sinh")
    parser.add_argument("--variant", choices=["tuning", "heldback", "heldback2"], default="tuning")
    parser.add_argument("--handwritten", type=float, default=0.2,
                        help="share of entries written by hand (0-1)")
    parser.add_argument("--spreads", action="store_true",
                        help="ruled: two facing pages a scan image (A3 landscape)")
    parser.add_argument("--defects", action="store_true",
                        help="one page scanned twice, one missing, two swapped")
    parser.add_argument("--dpi", type=int, choices=[200, 240, 300], default=200)
    parser.add_argument("--quality", type=int, default=72, help="JPEG quality in the TIFF")
    parser.add_argument("--name", help="file name stem (default: <kind>-<book no>-<variant>)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--self-check", metavar="DIR",
                        help="check every generated book in DIR against its truth and exit")
    args = parser.parse_args(argv)
    if args.self_check:
        self_check(args.self_check)
        return 0
    if not args.out:
        parser.error("--out is required (unless --self-check)")
    if not 0 <= args.handwritten <= 1:
        parser.error("--handwritten is a share between 0 and 1")
    if args.pages < 2 or args.pages > 2000:
        parser.error("--pages must be between 2 and 2000")
    if args.spreads and args.layout != "ruled":
        parser.error("--spreads goes with --layout ruled")
    started = time.monotonic()
    plan = Plan(args)
    _PLAN = plan
    manifest = plan.book.manifest(args.layout, plan.first_page)
    name = args.name or "%s-%s-%s%s" % (book_content.PREFIX[args.kind],
                                        plan.book.book_no.replace("/", "-"), args.variant,
                                        "-spreads" if args.spreads else "")
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, name)
    truth_path = base + ".truth.json"
    # A stale truth next to a half-written scan would mislead: drop it first.
    if os.path.exists(truth_path):
        os.remove(truth_path)
    facts = []

    def frames(results):
        for image, f in results:
            facts.append(f)
            yield image

    tmp = base + ".tif.tmp"
    indexes = range(len(plan.images))
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            count = write_tiff(tmp, frames(pool.imap(render_image, indexes)))
    else:
        count = write_tiff(tmp, frames(map(render_image, indexes)))
    os.replace(tmp, base + ".tif")
    write_json(base + ".tif.book.json", manifest)
    truth = build_truth(plan, manifest, facts)
    write_json(truth_path, truth)
    print("make_books: " + check_book(truth_path))
    print("make_books: %s.tif: %d scan pages, %.1f MB, %.1f s" % (
        name, count, os.path.getsize(base + ".tif") / 1e6, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (scan.SampleError, CheckFailed) as e:
        sys.stderr.write("make_books: error: %s\n" % e)
        sys.exit(1)
