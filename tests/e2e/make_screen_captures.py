#!/usr/bin/python3
"""Makes the low-resolution document images people actually send, with no
recorded resolution, for tests/e2e/screen_capture_test.cc:

  letter_photo.jpg       730x466 RGB JPEG, a phone photo of the top of a
                         printed letter (A4 at ~70 dpi, turned 1.2 degrees,
                         uneven light, blur, sensor grain, quality 80); its
                         JFIF header records only an aspect ratio (units 0)
  letter_screenshot.png  small RGBA PNG, a screenshot of a notice at 96 dpi, 10 pt:
                         dark text on a fully transparent background whose
                         colour channels are black (only the alpha says
                         "paper")
  letter_gray_alpha.png  the same screenshot as gray + alpha (PNG colour
                         type 4)
  blank_screenshot.png   800x600 RGBA, an empty window: transparent, with a
                         faint gray frame; must still be called blank

and truth.json: per lettered file, the text lines as printed, the
resolution at which its text is body text (13.25 pt, what an estimate from
the x-height should find: the photo's 70 dpi, the 10 pt screenshot's 96 x
10 / 13.25) and words its text layer must hold.

  /usr/bin/python3 tests/e2e/make_screen_captures.py --out DIR

Output is a pure function of this file. Needs python3-pil, python3-numpy and
the sample generator's fonts (scripts/samples_lib/render.py).
"""

import argparse
import json
import os
import random
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from samples_lib import render  # noqa: E402

LETTER = [
    ("bold", "ỦY BAN NHÂN DÂN XÃ HÒA AN"),
    ("regular", "Số: 215/UBND-VP"),
    ("bold", "GIẤY MỜI"),
    ("regular", "Kính gửi: Ông Trần Văn Bình, thôn Phú Lộc"),
    ("regular", "Ủy ban nhân dân xã trân trọng kính mời ông đến trụ sở"),
    ("regular", "vào lúc 8 giờ sáng thứ Hai để nhận kết quả thủ tục hành"),
    ("regular", "chính về đăng ký khai sinh cho con. Khi đến, xin mang theo"),
    ("regular", "giấy tờ tùy thân và giấy hẹn trả kết quả."),
    ("regular", "Trân trọng cảm ơn."),
]
SCREENSHOT = [
    ("bold", "THÔNG BÁO"),
    ("regular", "Bộ phận một cửa xã Hòa An nhận hồ sơ"),
    ("regular", "từ thứ Hai đến thứ Sáu hằng tuần."),
    ("regular", "Công dân mang theo căn cước khi đến"),
    ("regular", "nộp hồ sơ đăng ký khai sinh, kết hôn."),
]
# Words each text layer must hold (long enough that OCR noise cannot fake them).
WORDS = {
    "letter_photo.jpg": ["GIẤY", "MỜI", "Kính", "nhân", "trân", "trọng", "kết", "quả"],
    "letter_screenshot.png": ["THÔNG", "BÁO", "nhận", "tuần", "Công", "đăng", "khai"],
}
WORDS["letter_gray_alpha.png"] = WORDS["letter_screenshot.png"]


def draw_lines(size, lines, dpi, left_mm, top_mm, body_pt, ink):
    """An RGBA layer of `size` with `lines` drawn in `ink`, transparent elsewhere."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    g = render.Geometry(dpi)
    px = g.pt(body_pt)
    y = g.mm(top_mm)
    for style, text in lines:
        fnt = render.font(style, px)
        d.text((g.mm(left_mm), y), text, font=fnt, fill=ink, anchor="ls")
        y += px * 1.45
    return layer


def letter_photo(path):
    rng = np.random.default_rng(14)
    oversample = 3
    dpi = 70
    big = (730 * oversample, 466 * oversample)
    text = draw_lines(big, LETTER, dpi * oversample, 14, 14, 13, (25, 25, 30, 255))
    paper = Image.new("RGBA", big, (236, 232, 222, 255))
    page = Image.alpha_composite(paper, text).convert("RGB")
    page = page.rotate(1.2, resample=Image.BICUBIC, fillcolor=(236, 232, 222))
    page = page.resize((730, 466), Image.LANCZOS).filter(ImageFilter.GaussianBlur(0.6))
    arr = np.asarray(page, dtype=np.float32)
    h, w = arr.shape[:2]
    # Light from the upper left, a shadow toward the lower right.
    light = 1.05 - 0.22 * (np.linspace(0, 1, w)[None, :] * 0.6 + np.linspace(0, 1, h)[:, None] * 0.4)
    arr = arr * light[..., None] + rng.normal(0, 4.0, (h, w, 1))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    img.save(path, "JPEG", quality=80)  # PIL writes JFIF units 0, density 1:1
    data = open(path, "rb").read()
    # APP0 "JFIF\0", version, units, Xdensity, Ydensity: an aspect ratio only.
    at = data.index(b"JFIF\x00")
    units, xd, yd = struct.unpack(">BHH", data[at + 7:at + 12])
    if units != 0 or xd != 1 or yd != 1:
        raise SystemExit("%s: JFIF header records units %d %dx%d, wanted 0 1x1" % (path, units, xd, yd))
    return dpi, LETTER


def screenshot(path, gray):
    dpi = 96
    size = (380, 200)
    layer = draw_lines(size, SCREENSHOT, dpi, 6, 9, 10, (20, 20, 20, 255))
    if gray:
        layer = layer.convert("LA")
    layer.save(path, "PNG")  # no pHYs chunk: no resolution recorded
    return dpi, SCREENSHOT


def blank_screenshot(path):
    layer = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    ImageDraw.Draw(layer).rectangle((4, 4, 795, 595), outline=(200, 200, 200, 255))
    layer.save(path, "PNG")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    random.seed(14)
    truth = {}
    for name, make, body_pt in [("letter_photo.jpg", letter_photo, 13),
                                ("letter_screenshot.png", lambda p: screenshot(p, False), 10),
                                ("letter_gray_alpha.png", lambda p: screenshot(p, True), 10)]:
        dpi, lines = make(os.path.join(args.out, name))
        truth[name] = {"body_text_dpi": round(dpi * body_pt / 13.25, 1),
                       "lines": [t for _, t in lines], "words": WORDS[name]}
    blank_screenshot(os.path.join(args.out, "blank_screenshot.png"))
    with open(os.path.join(args.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
