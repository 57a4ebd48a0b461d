#!/usr/bin/python3
"""Generates realistic synthetic scans of Vietnamese commune civil-status
results (birth, marriage, death, marital-status certificates) with ground
truth, for the tests, the README sample batch and the benchmarks.

  /usr/bin/python3 scripts/make_samples.py --out DIR [--preset test|sample|bench]
                                           [--seed N] [--count N] [--list]
  /usr/bin/python3 scripts/make_samples.py --out DIR --preset layouts
                                           --layouts tuning|heldback [--count N]

Writes the scan files, DIR/inventory.csv (the commune's register: the
generated documents plus records never scanned and expired ones) and, last
and atomically, DIR/truth.json. See samples/README.md for the format.
Output is a pure function of --preset, --seed and --count.
Needs only Debian packages: python3-pil, python3-numpy, fonts-liberation2.
"""

import argparse
import csv
import datetime
import json
import multiprocessing
import os
import random
import sys

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from samples_lib import content, layouts, render, scan  # noqa: E402

AS_OF = datetime.date(2025, 7, 1)  # "today" for the inventory's validity
EXTENSIONS = {"tiff": "tif", "png": "png", "jpeg": "jpg"}



SCANS_DIR = "scans"  # relative to --out; truth.json "file" paths include it

def page(dpi, mode, bits=None, skew=0.0, rotation=0, clean=False, noise=0.5, seal=True):
    bits = bits or (1 if mode == "bilevel" else 8)
    return {"dpi": dpi, "mode": mode, "bits": bits, "skew": float(skew),
            "rotation": rotation, "clean": clean, "noise": 0.0 if clean else noise,
            "seal": seal}


def doc(name, doc_type, fmt, compression, pages, **extra):
    spec = {"name": name, "doc_type": doc_type, "format": fmt,
            "compression": compression, "pages": pages}
    spec.update(extra)
    return spec


def test_plan():
    """Small and varied: every compression, mode, both dpi, 16-bit,
    multi-page, PNG, JPEG, skews up to 9.3 degrees, 90 and 180 rotations,
    four clean pages."""
    return [
        doc("t01_khai_sinh_g4.tif", "khai_sinh", "tiff", "group4",
            [page(300, "bilevel", clean=True, seal=False)], photometric="min-is-white"),
        doc("t02_ket_hon_g3.tif", "ket_hon", "tiff", "group3",
            [page(200, "bilevel", skew=3.2, noise=0.4)]),
        doc("t03_khai_tu_packbits.tif", "khai_tu", "tiff", "packbits",
            [page(300, "bilevel", rotation=90, noise=0.3)]),
        doc("t04_tinh_trang_gray_none.tif", "tinh_trang_hon_nhan", "tiff", "none",
            [page(300, "gray", clean=True)]),
        doc("t05_khai_sinh_gray_lzw.tif", "khai_sinh", "tiff", "tiff_lzw",
            [page(200, "gray", skew=-9.3, noise=0.6)]),
        doc("t06_ket_hon_rgb_deflate.tif", "ket_hon", "tiff", "tiff_adobe_deflate",
            [page(300, "rgb", clean=True)]),
        doc("t07_khai_tu_rgb_jpeg.tif", "khai_tu", "tiff", "tiff_jpeg",
            [page(200, "rgb", skew=5.1, noise=0.5)], quality=85),
        doc("t08_tinh_trang_gray16.tif", "tinh_trang_hon_nhan", "tiff", "tiff_lzw",
            [page(300, "gray", bits=16, rotation=180, noise=0.3)]),
        doc("t09_khai_sinh_3pages.tif", "khai_sinh", "tiff", "tiff_jpeg",
            [page(200, "gray", clean=True), page(200, "gray", skew=-1.5, noise=0.3),
             page(200, "gray", skew=0.8, noise=0.3)], quality=90),
        doc("t10_ket_hon.png", "ket_hon", "png", "png",
            [page(200, "rgb", skew=1.0, noise=0.4)]),
        doc("t11_khai_tu.jpg", "khai_tu", "jpeg", "jpeg",
            [page(300, "rgb", skew=-2.4, noise=0.5)], quality=88),
    ]


def random_plan(rng, count, prefix, multipage_every):
    """`count` files cycling through the four types with varied scan
    settings; every `multipage_every`-th file is a 2-3 page TIFF."""
    plan = []
    for i in range(count):
        doc_type = content.DOC_TYPES[i % len(content.DOC_TYPES)]
        fmt = rng.choices(["tiff", "png", "jpeg"], [6, 2, 2])[0]
        multipage = multipage_every and i % multipage_every == multipage_every - 1
        if multipage:
            fmt = "tiff"
        if fmt == "jpeg":
            mode = rng.choice(["gray", "rgb"])
        else:
            mode = rng.choices(["bilevel", "gray", "rgb"], [3, 3, 4])[0]
        if fmt == "tiff":
            if mode == "bilevel":
                compression = rng.choice(["group4", "group4", "group3", "packbits",
                                          "tiff_lzw", "none"])
            else:
                compression = rng.choice(["tiff_lzw", "tiff_adobe_deflate", "tiff_jpeg",
                                          "tiff_jpeg", "packbits"])
        else:
            compression = fmt
        dpi = rng.choice([200, 300])
        pages = []
        for _ in range(rng.randint(2, 3) if multipage else 1):
            skew = 0.0 if rng.random() < 0.35 else round(rng.uniform(-10, 10), 2)
            rotation = rng.choice([90, 180, 270]) if rng.random() < 0.1 else 0
            clean = skew == 0 and rotation == 0 and rng.random() < 0.6
            pages.append(page(dpi, mode, skew=skew, rotation=rotation, clean=clean,
                              noise=round(rng.uniform(0.2, 1.0), 2),
                              seal=mode == "rgb" or rng.random() < 0.7))
        extra = {}
        if compression in ("jpeg", "tiff_jpeg"):
            extra["quality"] = rng.randint(80, 92)
        if compression in ("group4", "group3") and rng.random() < 0.5:
            extra["photometric"] = "min-is-white"
        name = "%s%03d_%s.%s" % (prefix, i + 1, doc_type, EXTENSIONS[fmt])
        plan.append(doc(name, doc_type, fmt, compression, pages, **extra))
    return plan


def layouts_plan(rng, count, group):
    """The layout family (issue 14): each type in each layout of `group`
    (tuning or heldback), varied scan settings, one page each."""
    names = sorted(layouts.LAYOUTS[group])
    plan = random_plan(rng, count, group[0], 0)
    for i, spec in enumerate(plan):
        spec["layout"] = names[(i // len(content.DOC_TYPES)) % len(names)]
        spec["name"] = spec["name"].replace("_", "_%s_" % spec["layout"].split("-")[0], 1)
    return plan


def make_plan(preset, seed, count, group=None):
    if preset == "layouts":
        rng = random.Random("plan-layouts-%s-%d" % (group, seed))
        return layouts_plan(rng, 32 if count is None else count, group)
    rng = random.Random("plan-%s-%d" % (preset, seed))
    if preset == "test":
        plan = test_plan()
        if count is not None:
            plan = plan[:count] + random_plan(rng, max(0, count - len(plan)), "x", 0)
        return plan
    default_count, prefix, every = {"sample": (18, "s", 9), "bench": (44, "b", 15)}[preset]
    return random_plan(rng, default_count if count is None else count, prefix, every)


def palette_for(rng, clean):
    tint = (0, 0, 0) if clean else (rng.randint(0, 6), rng.randint(2, 10), rng.randint(8, 24))
    paper = 250 - rng.randint(0, 6)
    return {
        "paper_rgb": (paper - tint[0], paper - tint[1], paper - tint[2]),
        "paper_gray": paper - (tint[2] // 3),
        "ink_rgb": (rng.randint(15, 40),) * 3,
        "ink_gray": rng.randint(15, 40),
        "pen_rgb": (rng.randint(20, 50), rng.randint(40, 70), rng.randint(120, 170)),
        "pen_gray": rng.randint(60, 90),
        "seal_rgb": (rng.randint(200, 225), rng.randint(25, 60), rng.randint(30, 60)),
        "seal_gray": rng.randint(115, 140),
    }


def make_file(task):
    """Worker: draws, scans and writes one file; returns its truth entry."""
    out_dir, seed, index, spec, record_id = task
    rng = random.Random("doc-%d-%d" % (seed, index))
    np_rng = np.random.default_rng([seed, index])
    document = content.make_document(rng, spec["doc_type"])
    style = {"body_pt": rng.choice([13, 13, 14, 12.5]), "header_pt": 13,
             "title_pt": rng.choice([14, 15]), "spacing": rng.uniform(1.35, 1.5)}
    layout_name = spec.get("layout")
    if layout_name:
        group, chosen = layouts.find(layout_name)
        style.update(specs=layouts.transform(document, chosen), family=chosen["family"],
                     arrangement=chosen["arrangement"], stamp=chosen["stamp"])
        if chosen["family"] == "mono":
            style.update(body_pt=11.5, header_pt=11.5, title_pt=13)
    dpi = spec["pages"][0]["dpi"]
    extra_lines = content.changes_section(rng, document)
    while True:
        try:
            page_layouts = render.layout_pages(document, dpi, style, len(spec["pages"]),
                                               extra_lines)
            break
        except render.LayoutOverflow:
            # A long form version (labels on their own lines, tables) is
            # set smaller, as offices do; the presets' layouts always fit.
            if not layout_name or style["body_pt"] <= 9:
                raise
            style["body_pt"] -= 0.5
    g = render.Geometry(dpi)
    frames, details = [], []
    for number, (layout, pspec) in enumerate(zip(page_layouts, spec["pages"])):
        palette = palette_for(rng, pspec["clean"])
        drawn, text_mask = render.compose(rng, document, layout, g, pspec["mode"], palette,
                                          pspec["seal"])
        image, facts = scan.scan(drawn, text_mask, pspec, palette, rng, np_rng)
        frames.append(image)
        details.append({
            "index": number, "dpi": pspec["dpi"], "mode": pspec["mode"],
            "bits": pspec["bits"], "compression": spec["compression"],
            "photometric": spec.get("photometric", "min-is-black")
            if pspec["mode"] != "rgb" else "rgb",
            "skew_degrees": pspec["skew"], "rotation_degrees": pspec["rotation"],
            "clean": pspec["clean"], "noise": pspec["noise"],
            "seal": bool(pspec["seal"] and layout.seal_center is not None),
            "width": image.width, "height": image.height,
            "skew_canvas_expanded": facts["expanded"],
            "text": content.nfc("\n".join(layout.lines)),
            "text_rows": content.nfc("\n".join(layout.rows())),
            "blocks": [{"role": role, "text": content.nfc("\n".join(lines))}
                       for role, lines in layout.blocks],
        })
    # Scans go in their own folder so `sohoa run --input <out>/scans` sees
    # only scans, not the truth and inventory files beside them.
    path = os.path.join(out_dir, SCANS_DIR, spec["name"])
    scan.write(path, frames, spec)
    entry = {
        "file": SCANS_DIR + "/" + spec["name"], "doc_type": spec["doc_type"], "record_id": record_id,
        "format": spec["format"], "pages": len(frames), "page_details": details,
        "font": render.FONT_FAMILY, "fields": document.fields,
    }
    if layout_name:
        entry.update(layout=layout_name, layout_set=group, font=chosen["family"])
    return entry


def inventory_rows(seed, truth, count_extra):
    """The register: scanned documents, then never-scanned ones and expired
    marital-status certificates."""
    rows = []
    for entry in truth:
        rows.append(_row(entry["record_id"], entry["doc_type"], entry["fields"]))
    rng = random.Random("inventory-%d" % seed)
    n = len(rows)
    for i in range(count_extra):
        doc_type = content.DOC_TYPES[i % len(content.DOC_TYPES)]
        years = (2012, 2025) if doc_type != "tinh_trang_hon_nhan" or i % 8 == 3 else (2016, 2023)
        d = content.make_document(rng, doc_type, year_range=years)
        rows.append(_row("R%05d" % (n + i + 1), doc_type, d.fields))
    return rows


def _row(record_id, doc_type, fields):
    valid = True
    if fields.get("co_gia_tri_den"):
        valid = datetime.date.fromisoformat(fields["co_gia_tri_den"]) >= AS_OF
    return {"record_id": record_id, "doc_type": doc_type, "number": fields["so"],
            "book": fields["quyen_so"], "issue_date": fields["ngay_dang_ky"],
            "holder_id": fields["holder_id"], "valid": "true" if valid else "false"}


def describe(spec):
    pages = ", ".join("%ddpi %s/%d skew %+.2f rot %d%s%s" % (
        p["dpi"], p["mode"], p["bits"], p["skew"], p["rotation"],
        " clean" if p["clean"] else " noise %.2f" % p["noise"], " seal" if p["seal"] else "")
        for p in spec["pages"])
    extra = " " + spec["photometric"] if spec.get("photometric") else ""
    if spec.get("layout"):
        extra += " layout " + spec["layout"]
    return "%-34s %-20s %s/%s%s: %s" % (spec["name"], spec["doc_type"], spec["format"],
                                        spec["compression"], extra, pages)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="output folder (created)")
    parser.add_argument("--preset", choices=["test", "sample", "bench", "layouts"], default="sample")
    parser.add_argument("--layouts", choices=["tuning", "heldback"],
                        help="with --preset layouts: which set of the layout family")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, help="number of files (overrides the preset)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--list", action="store_true", help="print the plan and exit")
    args = parser.parse_args(argv)
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")
    if (args.preset == "layouts") != (args.layouts is not None):
        parser.error("--layouts tuning|heldback goes with --preset layouts (and only with it)")
    plan = make_plan(args.preset, args.seed, args.count, args.layouts)
    if args.list:
        for spec in plan:
            print(describe(spec))
        print("%d files, %d pages" % (len(plan), sum(len(s["pages"]) for s in plan)))
        return 0
    if not args.out:
        parser.error("--out is required (unless --list)")
    os.makedirs(os.path.join(args.out, SCANS_DIR), exist_ok=True)
    truth_path = os.path.join(args.out, "truth.json")
    # A stale truth file next to half-rewritten scans would mislead: drop it
    # first, write the new one only when every file is done.
    if os.path.exists(truth_path):
        os.remove(truth_path)
    tasks = [(args.out, args.seed, i, spec, "R%05d" % (i + 1)) for i, spec in enumerate(plan)]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            truth = pool.map(make_file, tasks, chunksize=1)
    else:
        truth = [make_file(t) for t in tasks]

    rows = inventory_rows(args.seed, truth, max(8, len(truth) // 2))
    inventory_tmp = os.path.join(args.out, "inventory.csv.tmp")
    with open(inventory_tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    os.replace(inventory_tmp, os.path.join(args.out, "inventory.csv"))

    tmp = truth_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, truth_path)
    print("make_samples: %d files, %d pages in %s" % (
        len(truth), sum(t["pages"] for t in truth), args.out))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except scan.SampleError as e:
        sys.stderr.write("make_samples: error: %s\n" % e)
        sys.exit(1)
