#!/usr/bin/env python3
"""Structural similarity of MRC and JPEG pages (issue 19): each gray/colour
page of the --image-mode jpeg and mrc archives, rendered by pdftoppm at the
page's own resolution in gray, against the same page of the lossless
archive (the pixels after deskew, unchanged): SSIM (Wang et al. 2004,
Gaussian window of sigma 1.5, 11 wide, K1 0.01, K2 0.03), per page and
mode over the whole page and over its text (pixels within 4 of a pixel
darker than 128 in the lossless page: strokes and their edges). The whole
page's figure counts the paper's grain, which MRC's background leaves
smooth on purpose; the text's figure is the one about legibility.

usage: benchmarks/mrc_ssim.py WORK [--worst PNG]
  WORK   the WORK folder of benchmarks/mrc_size.sh SOHOA INPUT WORK
  PNG    writes the region of text least similar on the page with the
         lowest text SSIM in MRC: lossless above, MRC below, at the page's
         resolution
A measurement, not a test."""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mrc_legibility import sources as sha_of_source  # noqa: E402


def gaussian_blur(image, sigma=1.5, radius=5):
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = image
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="reflect")
        size = out.shape[axis]
        out = sum(w * np.take(padded, np.arange(i, i + size), axis=axis) for i, w in enumerate(taps))
    return out


def ssim_map(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = gaussian_blur(a), gaussian_blur(b)
    var_a = gaussian_blur(a * a) - mu_a ** 2
    var_b = gaussian_blur(b * b) - mu_b ** 2
    cov = gaussian_blur(a * b) - mu_a * mu_b
    return ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))


def gray_pages(pdf):
    """0-based indexes and x-resolutions of the pages whose image is gray or colour."""
    listing = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True, check=True).stdout
    pages = {}
    for line in listing.splitlines()[2:]:
        f = line.split()
        if len(f) > 12 and f[2] == "image" and f[7] != "1":
            pages[int(f[0]) - 1] = int(f[12])
    return sorted(pages.items())


def render(pdf, page, dpi, tmp, name):
    prefix = os.path.join(tmp, name)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray",
                    "-singlefile", pdf, prefix], check=True)
    return np.asarray(Image.open(prefix + ".pgm"))


def near_text(page, reach=4):
    """Pixels within `reach` of one darker than 128."""
    ink = (page < 128).astype(np.float64)
    grown = ink
    for axis in (0, 1):
        grown = sum(np.roll(grown, shift, axis=axis) for shift in range(-reach, reach + 1))
    return grown > 0


def window_sums(values, height, width):
    integral = np.pad(values, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (integral[height:, width:] - integral[:-height, width:] - integral[height:, :-width]
            + integral[:-height, :-width])


def least_similar_region(smap, text, height=300, width=900):
    """Top-left corner of the height x width window, a tenth of it text or
    more, whose text has the lowest mean SSIM."""
    h, w = smap.shape
    height, width = min(height, h), min(width, w)
    count = window_sums(text.astype(np.float64), height, width)[::10, ::10]
    mean = window_sums(np.where(text, smap, 0), height, width)[::10, ::10] / np.maximum(count, 1)
    mean[count < 0.1 * height * width] = np.inf
    y, x = np.unravel_index(np.argmin(mean), mean.shape)
    return y * 10, x * 10, height, width


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work")
    ap.add_argument("--worst")
    args = ap.parse_args()
    sources = {sha: source for source, sha in sha_of_source(os.path.join(args.work, "lossless.log")).items()}
    totals = {"jpeg": [], "mrc": []}
    text_totals = {"jpeg": [], "mrc": []}
    worst = None
    with tempfile.TemporaryDirectory() as tmp:
        for reference in sorted(glob.glob(os.path.join(args.work, "lossless", "**", "*.pdf"), recursive=True)):
            sha = os.path.basename(reference)[:-4]
            for page, dpi in gray_pages(reference):
                base = render(reference, page, dpi, tmp, "lossless")
                text = near_text(base)
                row = ["%s p%d %d dpi" % (sources.get(sha, sha[:12]), page + 1, dpi)]
                for mode in ("jpeg", "mrc"):
                    pdf = glob.glob(os.path.join(args.work, mode, "**", sha + ".pdf"), recursive=True)[0]
                    other = render(pdf, page, dpi, tmp, mode)
                    if other.shape != base.shape:
                        row.append("%s: size %s, not %s" % (mode, other.shape, base.shape))
                        continue
                    smap = ssim_map(base, other)
                    value, on_text = float(smap.mean()), float(smap[text].mean())
                    totals[mode].append(value)
                    text_totals[mode].append(on_text)
                    row.append("%s %.4f (text %.4f)" % (mode, value, on_text))
                    if mode == "mrc" and (worst is None or on_text < worst[0]):
                        worst = (on_text, row[0], base, other, smap, text)
                print("  ".join(row))
    for mode, values in totals.items():
        if values:
            print("%s SSIM page mean %.4f (lowest %.4f), text mean %.4f (lowest %.4f), over %d pages" %
                  (mode, np.mean(values), min(values), np.mean(text_totals[mode]), min(text_totals[mode]),
                   len(values)))
    if args.worst and worst:
        value, name, base, other, smap, text = worst
        y, x, h, w = least_similar_region(smap, text)
        picture = np.vstack([base[y:y + h, x:x + w], np.full((8, w), 255, np.uint8), other[y:y + h, x:x + w]])
        Image.fromarray(picture).save(args.worst, optimize=True)
        print("worst MRC page: %s (text SSIM %.4f); region y %d x %d, %d x %d px -> %s" % (name, value, y, x, w, h,
                                                                                     args.worst))


if __name__ == "__main__":
    main()
