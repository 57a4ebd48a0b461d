"""Turns a clean page into a scan (skew, noise, blur, speckle, bilevel
threshold, 90/180/270 rotation, 16-bit) and writes the scan files,
checking each written file against what was asked."""

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# Compression names as recorded in truth.json -> PIL's TIFF names.
TIFF_COMPRESSIONS = {
    "none": None, "tiff_lzw": "tiff_lzw", "tiff_adobe_deflate": "tiff_adobe_deflate",
    "packbits": "packbits", "group3": "group3", "group4": "group4", "tiff_jpeg": "tiff_jpeg",
}
# What PIL reports back in info["compression"] for each.
_READ_BACK = {"none": "raw", "tiff_jpeg": "jpeg"}
BILEVEL_ONLY = {"group3", "group4"}
PIL_MODES = {("bilevel", 1): "1", ("gray", 8): "L", ("gray", 16): "I;16", ("rgb", 8): "RGB"}


class SampleError(Exception):
    """A requested variant could not be produced or did not read back."""


def _transpose_for(rotation):
    # PIL's ROTATE_n turns counter-clockwise; rotation is clockwise.
    return {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
            270: Image.Transpose.ROTATE_90}[rotation]


def _needs_expand(ink_box, size, angle):
    """True when rotating about the centre would push ink off the page."""
    if ink_box is None:
        return False
    w, h = size
    cx, cy = w / 2, h / 2
    a = math.radians(angle)
    margin = 4
    for x, y in ((ink_box[0], ink_box[1]), (ink_box[2], ink_box[1]),
                 (ink_box[0], ink_box[3]), (ink_box[2], ink_box[3])):
        dx, dy = x - cx, y - cy
        # Counter-clockwise on screen (y down).
        rx = cx + dx * math.cos(a) + dy * math.sin(a)
        ry = cy - dx * math.sin(a) + dy * math.cos(a)
        if rx < margin or ry < margin or rx > w - margin or ry > h - margin:
            return True
    return False


def scan(page, text_mask, spec, palette, rng, np_rng):
    """Returns (image in the file's PIL mode, applied facts dict)."""
    dpi = spec["dpi"]
    scale = dpi / 300.0
    noise = 0.0 if spec["clean"] else spec["noise"]
    paper = palette["paper_rgb"] if page.mode == "RGB" else palette["paper_gray"]
    img = page
    if noise > 0:
        # Dust and toner specks on the glass.
        d = ImageDraw.Draw(img)
        for _ in range(int(60 + 340 * noise)):
            x, y = rng.uniform(0, img.width), rng.uniform(0, img.height)
            r = rng.uniform(0.6, 2.2) * scale
            level = rng.randint(40, 150)
            d.ellipse((x - r, y - r, x + r, y + r),
                      fill=(level,) * 3 if img.mode == "RGB" else level)
    expanded = False
    if spec["skew"] != 0:
        expanded = _needs_expand(text_mask.getbbox(), img.size, spec["skew"])
        # Image.rotate turns counter-clockwise for positive angles, which is
        # the truth's sign convention.
        # Bilinear when asked: a book's hundreds of colour pages.
        resample = Image.BILINEAR if spec.get("fast_rotate") else Image.BICUBIC
        img = img.rotate(spec["skew"], resample=resample, expand=expanded,
                         fillcolor=paper)
    if noise > 0:
        img = img.filter(ImageFilter.GaussianBlur((0.35 + 0.55 * noise) * scale * 1.5))
        arr = np.asarray(img, dtype=np.float32)
        h, w = arr.shape[:2]
        gx, gy = np_rng.uniform(-0.06, 0.06, 2) * noise
        shade = (1.0 + gx * np.linspace(-1, 1, w, dtype=np.float32)[None, :]
                 + gy * np.linspace(-1, 1, h, dtype=np.float32)[:, None])
        grain = np_rng.standard_normal((h, w), dtype=np.float32) * (2.0 + 6.0 * noise)
        if arr.ndim == 3:
            arr = arr * shade[..., None] + grain[..., None]
        else:
            arr = arr * shade + grain
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), img.mode)
    if spec["mode"] == "bilevel":
        gray = img.convert("L") if img.mode != "L" else img
        threshold = spec.get("threshold", 150)
        img = gray.point(lambda v: 255 if v > threshold else 0).convert(
            "1", dither=Image.Dither.NONE)
        if noise > 0:
            bits = np.asarray(img.convert("L")) > 0
            flips = np_rng.random(bits.shape, dtype=np.float32) < 0.0004 * noise
            img = Image.fromarray(np.where(flips, ~bits, bits).astype(np.uint8) * 255,
                                  "L").convert("1", dither=Image.Dither.NONE)
    elif spec["mode"] == "gray" and img.mode != "L":
        img = img.convert("L")
    if spec["rotation"]:
        img = img.transpose(_transpose_for(spec["rotation"]))
    if spec["bits"] == 16:
        arr = np.asarray(img, dtype=np.uint32) * 257
        # Real 16-bit scanners fill the low byte with sensor noise.
        arr = np.minimum(arr + np_rng.integers(0, 64, arr.shape, dtype=np.uint32), 65535)
        img = Image.frombytes("I;16", (arr.shape[1], arr.shape[0]),
                              arr.astype("<u2").tobytes())
    return img, {"expanded": expanded}


def write(path, frames, spec):
    """Writes `frames` (PIL images) as spec["format"]; raises SampleError
    when PIL cannot write the variant or the file does not read back as
    asked (a requested variant is never silently dropped)."""
    fmt, compression = spec["format"], spec["compression"]
    dpi = spec["pages"][0]["dpi"]
    params = {"dpi": (dpi, dpi)}
    if fmt == "tiff":
        if compression not in TIFF_COMPRESSIONS:
            raise SampleError("%s: unknown TIFF compression %r" % (path, compression))
        if compression in BILEVEL_ONLY and frames[0].mode != "1":
            raise SampleError("%s: %s needs a bilevel page" % (path, compression))
        params["compression"] = TIFF_COMPRESSIONS[compression]
        tiffinfo = {305: "sohoa make_samples.py"}
        if spec.get("photometric") == "min-is-white":
            tiffinfo[262] = 0  # PIL inverts the bits for WhiteIsZero itself
        params["tiffinfo"] = tiffinfo
        if compression == "tiff_jpeg":
            params["quality"] = spec.get("quality", 90)
        if len(frames) > 1:
            params["save_all"] = True
            params["append_images"] = frames[1:]
        pil_format = "TIFF"
    elif fmt == "png":
        pil_format = "PNG"
    elif fmt == "jpeg":
        params["quality"] = spec.get("quality", 90)
        pil_format = "JPEG"
    else:
        raise SampleError("%s: unknown format %r" % (path, fmt))
    if fmt != "tiff" and len(frames) > 1:
        raise SampleError("%s: %s cannot hold %d pages" % (path, fmt, len(frames)))
    try:
        frames[0].save(path, pil_format, **params)
    except (OSError, ValueError, KeyError) as e:
        raise SampleError("%s: PIL cannot write %s/%s %s: %s"
                          % (path, fmt, compression, frames[0].mode, e)) from e
    _verify(path, frames, spec)


def _verify(path, frames, spec):
    with Image.open(path) as im:
        n = getattr(im, "n_frames", 1)
        if n != len(frames):
            raise SampleError("%s: wrote %d pages, reads back %d" % (path, len(frames), n))
        for i, frame in enumerate(frames):
            im.seek(i)
            page = spec["pages"][i]
            if im.mode != frame.mode or im.size != frame.size:
                raise SampleError("%s page %d: reads back as %s %s, wrote %s %s" % (
                    path, i + 1, im.mode, im.size, frame.mode, frame.size))
            dpi = im.info.get("dpi")
            if not dpi or abs(float(dpi[0]) - page["dpi"]) > 0.5:
                raise SampleError("%s page %d: dpi reads back as %r" % (path, i + 1, dpi))
            if spec["format"] == "tiff":
                want = _READ_BACK.get(spec["compression"], spec["compression"])
                if im.info.get("compression") != want:
                    raise SampleError("%s page %d: compression reads back as %r, wanted %r" % (
                        path, i + 1, im.info.get("compression"), want))
                photometric = im.tag_v2.get(262)
                if spec.get("photometric") == "min-is-white" and photometric != 0:
                    raise SampleError("%s: photometric reads back as %r" % (path, photometric))
            if frame.mode in ("1", "L") and spec["compression"] not in ("jpeg", "tiff_jpeg"):
                # Lossless: the pixels must come back exactly.
                if np.asarray(im.convert("L")).tobytes() != np.asarray(frame.convert("L")).tobytes():
                    raise SampleError("%s page %d: pixels differ after reading back" % (path, i + 1))
