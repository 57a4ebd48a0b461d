#!/usr/bin/python3
"""Going past the OCR limit (issue 7): CER and CPU cost of Tesseract settings,
measured with the tesseract CLI (same libtesseract 5.3 and traineddata as
sohoa's stages) on the pages of a bench run.

  scripts/bench_tuning.py --work build/bench-work [--truth T] [--scans DIR]
                          [--jobs 2] [--only ocr|osd] [--out FILE.json]

OCR variants run on WORK/limit-pages (sohoa's own deskewed, upright page
images, see scripts/bench.sh): page segmentation mode 3 (sohoa's default) vs 6
vs 4, and recognition at full resolution vs downscaled to at most 200 dpi
(area averaging, like pixScaleAreaMap in OcrOptions::recognition_dpi_max;
the downscaling itself is done beforehand and not timed). Each page is one
tesseract process with OMP_THREAD_LIMIT=1, --jobs at a time; its CPU time
(user+sys, from wait4) is what is compared, because wall time on a shared
machine measures the neighbours. Process start-up and model loading are in
every figure; they are measured separately on a 1x1-page image ("startup").

OSD variants run on the original scans (skewed, some turned 90/180°; page 1..n
of multi-page files as gray PNG at their own dpi, made beforehand): tesseract
--psm 0 (osd.traineddata) at the page's resolution capped at 300 (sohoa's
OrientOptions::osd_max_dpi default), 200, 150 and 100 dpi. Reported: CPU per
page, how many pages end the right way up with sohoa's rule (rotate only when
confidence >= 14), how many rotated pages were found, and how many upright pages
would be wrongly turned.
"""
import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_cer import fold, levenshtein  # noqa: E402

Image.MAX_IMAGE_PIXELS = None


def run_timed(cmd, env):
    """Runs cmd; returns (stdout, cpu seconds user+sys, max RSS kB, exit code)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return out.decode("utf-8", errors="replace"), ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode


def parallel(jobs, tasks, fn):
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        return list(ex.map(fn, tasks))


def scaled_copy(src, dst, dpi, max_dpi):
    """Area-averaged copy at max_dpi when dpi > max_dpi; returns (path, dpi)."""
    if not max_dpi or dpi <= max_dpi:
        return src, dpi
    im = Image.open(src)
    if im.mode not in ("L", "RGB"):
        im = im.convert("L")
    scale = max_dpi / dpi
    im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.BOX)
    im.save(dst)
    return dst, max_dpi


def ocr_experiment(args, truth_by_stem, tmp):
    pages = []
    for line in open(os.path.join(args.work, "limit-pages.list")):
        path, dpi = line.split()
        pages.append((path, int(dpi)))
    if args.ocr_min_dpi:
        pages = [p for p in pages if p[1] >= args.ocr_min_dpi]
    if args.ocr_pages:
        pages = sorted(pages)[:args.ocr_pages]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    # start-up + model load, once per process
    tiny = os.path.join(tmp, "tiny.png")
    Image.new("L", (8, 8), 255).save(tiny)
    startup = statistics.median(
        run_timed(["tesseract", tiny, "stdout", "-l", "vie", "--dpi", "300"], env)[1] for _ in range(3))
    variants = [("psm3_full", 3, 0), ("psm6_full", 6, 0), ("psm3_max200", 3, 200),
                ("psm4_full", 4, 0), ("psm6_max200", 6, 200)]
    if args.variants:
        variants = [v for v in variants if v[0] in args.variants.split(",")]
    results = []
    for name, psm, max_dpi in variants:
        tasks = []
        for path, dpi in pages:
            stem = os.path.splitext(os.path.basename(path))[0]
            src, rdpi = scaled_copy(path, os.path.join(tmp, f"{stem}.{max_dpi}.png"), dpi, max_dpi)
            tasks.append((stem, src, rdpi))

        def one(task):
            stem, src, rdpi = task
            out, cpu, rss, rc = run_timed(["tesseract", src, "stdout", "-l", "vie", "--dpi", str(rdpi),
                                           "--psm", str(psm)], env)
            return stem, out, cpu, rss, rc

        t0 = time.time()
        load0 = open("/proc/loadavg").read().split()[:3]
        rows = parallel(args.jobs, tasks, one)
        wall = time.time() - t0
        dist = chars = 0
        dist_rows = 0
        for stem, out, _, _, _ in rows:
            ref = truth_by_stem.get(stem)
            if ref is None:
                continue
            hyp = fold(out)
            dist += levenshtein(hyp, fold(ref["text"]))
            dist_rows += levenshtein(hyp, fold(ref["text_rows"]))
            chars += len(fold(ref["text"]))
        cpu = sum(r[2] for r in rows)
        res = {"variant": name, "psm": psm, "recognition_dpi_max": max_dpi, "pages": len(rows),
               "cpu_s": round(cpu, 2), "cpu_s_per_page": round(cpu / len(rows), 3),
               "cpu_s_per_page_minus_startup": round(cpu / len(rows) - startup, 3),
               "wall_s": round(wall, 1), "load_before": load0,
               "load_after": open("/proc/loadavg").read().split()[:3],
               "cer_text": round(dist / max(1, chars), 4), "cer_text_rows": round(dist_rows / max(1, chars), 4),
               "failed": sum(1 for r in rows if r[4] != 0), "max_rss_mb": round(max(r[3] for r in rows) / 1024, 1)}
        print(json.dumps(res), file=sys.stderr)
        results.append(res)
    return {"startup_cpu_s": round(startup, 3), "variants": results}


def osd_experiment(args, truth, tmp):
    pages = []  # (png, dpi, truth rotation)
    for entry in truth:
        src = os.path.join(args.scans, os.path.basename(entry["file"]))
        im = Image.open(src)
        for d in entry["page_details"]:
            im.seek(d["index"])
            g = im.convert("L") if im.mode != "L" else im.copy()
            if g.mode == "I;16" or im.mode.startswith("I"):
                g = im.point(lambda v: v / 256).convert("L")
            path = os.path.join(tmp, "osd-%s-p%d.png" % (os.path.basename(src).rsplit(".", 1)[0], d["index"] + 1))
            g.save(path)
            pages.append((path, int(d["dpi"]), int(d["rotation_degrees"])))
    if args.osd_upright >= 0:  # every turned page plus the first N upright ones
        turned = [p for p in pages if p[2] != 0]
        pages = turned + [p for p in pages if p[2] == 0][:args.osd_upright]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    results = []
    # OCR-first idea: is Tesseract's mean word confidence on the page as scanned
    # (skewed, maybe turned) enough to tell an upright page without OSD?
    def conf_of(task):
        path, dpi, rot = task
        out, cpu, _, _ = run_timed(["tesseract", path, "stdout", "-l", "vie", "--dpi", str(dpi), "tsv"], env)
        confs = []
        for line in out.splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) == 12 and cols[11].strip() and float(cols[10]) >= 0:
                confs.append(float(cols[10]))
        return {"page": os.path.basename(path), "rotation": rot, "dpi": dpi,
                "mean_word_conf": round(statistics.mean(confs), 1) if confs else 0.0,
                "words": len(confs), "cpu_s": round(cpu, 2)}
    if args.osd_conf:
        conf_rows = parallel(args.jobs, pages, conf_of)
        for r in conf_rows:
            print(json.dumps(r), file=sys.stderr)
    else:
        conf_rows = []
    caps = [int(c) for c in args.osd_caps.split(",")]
    for cap in caps:
        tasks = [(p, dpi, rot) + scaled_copy(p, p[:-4] + f".osd{cap}.png", dpi, cap) for p, dpi, rot in pages]

        def one(task):
            _, _, rot, src, rdpi = task
            out, cpu, rss, rc = run_timed(["tesseract", src, "stdout", "--psm", "0", "--dpi", str(rdpi)], env)
            m = re.search(r"Rotate: (\d+)", out)
            c = re.search(r"Orientation confidence: ([\d.]+)", out)
            return rot, (int(m.group(1)) if m else None), (float(c.group(1)) if c else 0.0), cpu

        t0 = time.time()
        rows = parallel(args.jobs, tasks, one)
        wall = time.time() - t0
        ok = found = wrong_turn = undecided = 0
        rotated = sum(1 for r in rows if r[0] != 0)
        for rot, rotate, conf, _ in rows:
            need = (360 - rot) % 360  # clockwise correction that makes the page upright
            applied = rotate if (rotate is not None and conf >= 14.0) else 0
            if rotate is None:
                undecided += 1
            if applied == need:
                ok += 1
                if rot != 0:
                    found += 1
            elif rot == 0:
                wrong_turn += 1
        cpu = sum(r[3] for r in rows)
        res = {"osd_max_dpi": cap, "pages": len(rows), "cpu_s": round(cpu, 2),
               "cpu_s_per_page": round(cpu / len(rows), 3), "wall_s": round(wall, 1),
               "upright_after": ok, "rotated_pages": rotated, "rotated_found": found,
               "upright_pages_wrongly_turned": wrong_turn, "osd_undecided": undecided,
               "confidences": [round(r[2], 2) for r in rows]}
        print(json.dumps({k: v for k, v in res.items() if k != "confidences"}), file=sys.stderr)
        results.append(res)
    return {"variants": results, "pages": [os.path.basename(p[0]) for p in pages],
            "ocr_confidence_on_scan": conf_rows}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True, help="work folder of a scripts/bench.sh run (limit-pages)")
    ap.add_argument("--truth", default=None)
    ap.add_argument("--scans", default=None)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--only", choices=["ocr", "osd"])
    ap.add_argument("--variants", default="", help="comma list of OCR variant names")
    ap.add_argument("--out", default=None)
    ap.add_argument("--osd-upright", type=int, default=-1,
                    help="OSD: all turned pages plus only this many upright ones (-1: all pages)")
    ap.add_argument("--ocr-pages", type=int, default=0, help="OCR: only the first N pages (0: all)")
    ap.add_argument("--ocr-min-dpi", type=int, default=0, help="OCR: only pages of at least this dpi")
    ap.add_argument("--osd-caps", default="300,200,150,100")
    ap.add_argument("--osd-conf", action="store_true",
                    help="also OCR each OSD page as scanned and report mean word confidence")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args.truth = args.truth or os.path.join(root, "build/bench-samples/truth.json")
    args.scans = args.scans or os.path.join(os.path.dirname(args.truth), "scans")
    truth = json.load(open(args.truth, encoding="utf-8"))
    truth_by_stem = {}
    for e in truth:
        stem = os.path.splitext(os.path.basename(e["file"]))[0]
        for d in e["page_details"]:
            truth_by_stem["%s.p%d" % (stem, d["index"] + 1)] = d
    out = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "load_start": open("/proc/loadavg").read().split()[:3]}
    with tempfile.TemporaryDirectory(prefix="sohoa-tuning-") as tmp:
        if args.only in (None, "ocr"):
            out["ocr"] = ocr_experiment(args, truth_by_stem, tmp)
        if args.only in (None, "osd"):
            out["osd"] = osd_experiment(args, truth, tmp)
    out["load_end"] = open("/proc/loadavg").read().split()[:3]
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
