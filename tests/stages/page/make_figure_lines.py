#!/usr/bin/python3
"""Draws certificate lines for the OCR stage's helpers' tests.

  make_figure_lines.py OUT_DIR

writes
- OUT_DIR/figure_lines.png and figure_lines.json (stages/page/figure_reread.h):
  typewritten lines with figures, Liberation Mono at 200 dpi, the face on
  which Tesseract's `vie` model misreads digits; the JSON lists
  {"text": figures as printed, "box": [left, top, right, bottom]} in pixels;
- OUT_DIR/leader_lines.png (stages/page/leader_dots.h): serif lines at 300
  dpi whose values are followed by dotted leaders, and
  OUT_DIR/diacritics.png: the same face with no leaders, dense with
  Vietnamese diacritics (dots under and marks over vowels);
  OUT_DIR/leader_lines_noisy.png: the leader lines turned 0.4 degrees, as
  a deskewed scan leaves them, with specks of scanner noise, thresholded to
  black and white; OUT_DIR/gray_rules.png: a table of thin,
  noisy gray rules, which thresholding breaks into dot-sized pieces;
- OUT_DIR/sealed_lines.png (stages/page/red_ink.h): a colour table's rows
  with a red seal stamped over them; OUT_DIR/sealed_lines_gray.png
  (stages/page/light_seal.h): the same in gray, the seal lighter than the
  print;
- OUT_DIR/ruled_cells.png (stages/page/ruled_lines.h): a typewritten table
  whose values touch the rule above them and the rule on their left.
"""
import math
import random
import json
import os
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf"
SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
LEADER_LINES = ["Quốc tịch: Việt Nam ", "Họ, chữ đệm và tên: Nguyễn Thị Oanh ", "Nơi cư trú: Thôn 3, xã Hải Ba ",
                "Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai. "]
DIACRITIC_LINES = ["Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.",
                   "Nguyễn Thị Mỹ Hạnh, Nguyễn Việt Hưng, Phạm Ngọc Diệp, Trịnh Thị Huệ",
                   "Mục đích sử dụng: Bổ sung hồ sơ xin việc làm, Mê Linh ... Hà Nội"]
NAME_WORDS = ["NGUYỄN", "HỮU", "CƯỜNG"]
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


def serif_lines(path, lines, leaders):
    font = ImageFont.truetype(SERIF, 50)  # 12 pt at 300 dpi
    img = Image.new("L", (2480, 200 + 110 * len(lines)), 255)
    d = ImageDraw.Draw(img)
    y = 100
    for text in lines:
        d.text((150, y), text, font=font, fill=20)
        if leaders:
            x = 150 + d.textlength(text, font=font)
            while x < 2300:
                d.text((x, y), ".", font=font, fill=20)
                x += d.textlength(".", font=font)
        y += 110
    img.save(path, dpi=(300, 300))


def name_line(out_dir):
    font = ImageFont.truetype(SERIF, 33)  # 12 pt at 200 dpi
    img = Image.new("L", (1654, 200), 255)
    d = ImageDraw.Draw(img)
    x, y = 120, 80
    d.text((x, y), "Họ, chữ đệm, tên:", font=font, fill=20)
    x += d.textlength("Họ, chữ đệm, tên: ", font=font)
    words = []
    for word in NAME_WORDS:
        d.text((x, y), word, font=font, fill=20)
        left, top, right, bottom = d.textbbox((x, y), word, font=font)
        words.append({"text": word, "box": [int(left), int(top), int(right) + 1, int(bottom) + 1]})
        x += d.textlength(word + " ", font=font)
    img.save(os.path.join(out_dir, "name_line.png"), dpi=(200, 200))
    with open(os.path.join(out_dir, "name_line.json"), "w", encoding="utf-8") as f:
        json.dump(words, f, ensure_ascii=False)


def gray_rules(path):
    font = ImageFont.truetype(SERIF, 50)
    img = Image.new("L", (2480, 900), 255)
    d = ImageDraw.Draw(img)
    for i, (label, value) in enumerate([("Giới tính", "Nữ"), ("Dân tộc", "Kinh"), ("Quốc tịch", "Việt Nam")]):
        d.text((170, 130 + 200 * i), label, font=font, fill=20)
        d.text((1000, 130 + 200 * i), value, font=font, fill=20)
    noise = random.Random(7)
    for y in range(100, 800, 200):  # rules two pixels thick, gray about 130 like a scan's
        for x in range(150, 2330):
            for dy in (0, 1):
                img.putpixel((x, y + dy), 130 + noise.randint(-14, 14))
    for x in (150, 950, 2330):
        for y in range(100, 702):
            img.putpixel((x, y), 130 + noise.randint(-14, 14))
    img.save(path, dpi=(300, 300))


RULED_CELLS = [("Nguyên nhân chết", "Tai nạn giao thông"), ("Giới tính", "Nam"), ("Ngày đăng ký", "04/09/2017"),
               ("Ngày sinh", "18/02/2025"), ("Dân tộc", "Kinh")]


def ruled_cells(path):
    """A typewritten table's rows at 300 dpi (Liberation Mono, 12 pt), as on
    the tuning layouts: each value typed against its cell, its glyphs' tops
    on the row's rule above and its first letter a pixel from the column's
    rule on its left."""
    font = ImageFont.truetype(FONT, 50)
    rows = len(RULED_CELLS)
    img = Image.new("L", (2480, 200 + 110 * rows), 255)
    d = ImageDraw.Draw(img)
    left, middle, right, top = 150, 800, 2330, 100
    for i, (label, value) in enumerate(RULED_CELLS):
        y = top + 110 * i
        for x0, text in ((left, label), (middle, value)):
            box = d.textbbox((0, 0), text, font=font)
            d.text((x0 + 4 - box[0], y + 4 - box[1]), text, font=font, fill=20)
    for i in range(rows + 1):
        d.rectangle((left, top + 110 * i, right, top + 110 * i + 3), fill=20)
    for x in (left, middle, right):
        d.rectangle((x, top, x + 3, top + 110 * rows + 3), fill=20)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    img.save(path, dpi=(300, 300))


SEALED_LINES = [("Dân tộc", "Kinh"), ("Quốc tịch", "Việt Nam"), ("Nơi chết", "Tại nhà, Thôn 2, xã Hải Ba, huyện Hải"),
                ("", "Lăng, tỉnh Quảng Trị"), ("Nguyên nhân chết", "Ung thư gan"),
                ("Nơi đăng ký", "Ủy ban nhân dân xã Hải Ba, huyện Hải"), ("", "Lăng, tỉnh Quảng Trị")]


def sealed_lines(path, gray=False):
    """A colour table's rows at 300 dpi with the commune's red seal stamped
    over the label and value columns, as on the tuning layouts' tables:
    two rings, lettering between them, a star; the ink multiplies with the
    print under it, as a stamp's does. gray: the same rows on a gray page,
    the seal a lighter gray than the print (faint stamp ink scanned in gray)."""
    font = ImageFont.truetype(SERIF, 50)
    mode, paper, print_ink, seal_ink = ("L", 236, 30, 128) if gray else ("RGB", (246, 242, 232), (25, 25, 25),
                                                                          (205, 40, 48))
    page = Image.new(mode, (2480, 200 + 90 * len(SEALED_LINES)), paper)
    d = ImageDraw.Draw(page)
    y = 100
    for label, value in SEALED_LINES:
        d.text((150, y), label, font=font, fill=print_ink)
        d.text((800, y), value, font=font, fill=print_ink)
        y += 90
    size = 420
    seal = Image.new("L", (size, size), 0)  # 255 = full ink
    s = ImageDraw.Draw(seal)
    s.ellipse((4, 4, size - 5, size - 5), outline=255, width=9)
    s.ellipse((80, 80, size - 81, size - 81), outline=255, width=5)
    bold = ImageFont.truetype(SERIF.replace("Regular", "Bold"), 34)
    for i, c in enumerate("ỦY BAN NHÂN DÂN XÃ HẢI BA * HẢI LĂNG * QUẢNG TRỊ *"):
        angle = 2 * math.pi * i / 46
        glyph = Image.new("L", (60, 60), 0)
        ImageDraw.Draw(glyph).text((30, 30), c, font=bold, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), resample=Image.BILINEAR)
        cx, cy = size / 2 + 165 * math.sin(angle), size / 2 - 165 * math.cos(angle)
        seal.paste(255, (round(cx - 30), round(cy - 30)), glyph)
    star = [(size / 2 + r * math.sin(a * math.pi / 5), size / 2 - r * math.cos(a * math.pi / 5))
            for a, r in zip(range(10), [90, 36] * 5)]
    s.polygon(star, fill=255)
    ink = Image.new(mode, (size, size), seal_ink)
    stamped = page.crop((560, 190, 560 + size, 190 + size))
    stamped = Image.composite(ImageChops.multiply(stamped, ink), stamped, seal.point(lambda v: v * 9 // 10))
    page.paste(stamped, (560, 190))
    page.save(path, dpi=(300, 300))


if __name__ == "__main__":
    main(sys.argv[1])
    serif_lines(os.path.join(sys.argv[1], "leader_lines.png"), LEADER_LINES, True)
    serif_lines(os.path.join(sys.argv[1], "diacritics.png"), DIACRITIC_LINES, False)
    noisy = Image.open(os.path.join(sys.argv[1], "leader_lines.png"))
    noisy = noisy.rotate(0.4, resample=Image.BICUBIC, fillcolor=255)
    speck = random.Random(3)
    for _ in range(1500):
        x, y = speck.randrange(noisy.width - 2), speck.randrange(noisy.height - 2)
        noisy.putpixel((x, y), 0)
        if speck.random() < 0.5:
            noisy.putpixel((x + 1, y), 0)
    noisy.point(lambda v: 0 if v < 140 else 255).save(
        os.path.join(sys.argv[1], "leader_lines_noisy.png"), dpi=(300, 300))
    gray_rules(os.path.join(sys.argv[1], "gray_rules.png"))
    name_line(sys.argv[1])
    sealed_lines(os.path.join(sys.argv[1], "sealed_lines.png"))
    sealed_lines(os.path.join(sys.argv[1], "sealed_lines_gray.png"), gray=True)
    ruled_cells(os.path.join(sys.argv[1], "ruled_cells.png"))
