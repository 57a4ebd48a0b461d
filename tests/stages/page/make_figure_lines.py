#!/usr/bin/python3
"""Draws typewritten certificate lines with figures for the figure re-reading
test (stages/page/figure_reread.h): Liberation Mono, 200 dpi, the face on
which Tesseract's `vie` model misreads digits.

  make_figure_lines.py OUT_DIR

writes OUT_DIR/figure_lines.png and OUT_DIR/figure_lines.json: a list of
{"text": figures as printed, "box": [left, top, right, bottom]} in pixels.
"""
import json
import os
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf"
LINES = [
    ("Ngày đăng ký: ", "14/08/2024"),
    ("Số định danh cá nhân: ", "048077122925"),
    ("Ngày, tháng, năm sinh: ", "20/12/1988"),
    ("Quyển số: ", "01/2016"),
    ("Đã chết vào lúc 20 giờ 01 phút, ngày ", "01/08/2024"),
]


def main(out_dir):
    font = ImageFont.truetype(FONT, 33)  # 12 pt at 200 dpi
    img = Image.new("L", (1654, 120 + 90 * len(LINES)), 255)
    d = ImageDraw.Draw(img)
    figures = []
    y = 80
    for label, value in LINES:
        d.text((120, y), label, font=font, fill=20)
        x = 120 + d.textlength(label, font=font)
        d.text((x, y), value, font=font, fill=20)
        left, top, right, bottom = d.textbbox((x, y), value, font=font)
        figures.append({"text": value, "box": [int(left), int(top), int(right) + 1, int(bottom) + 1]})
        y += 90
    img.save(os.path.join(out_dir, "figure_lines.png"), dpi=(200, 200))
    with open(os.path.join(out_dir, "figure_lines.json"), "w", encoding="utf-8") as f:
        json.dump(figures, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
