#!/usr/bin/python3
"""Draws the register-book pages the book stage tests read (PIL, DejaVu).

  make_book_pages.py OUT_DIR

writes OUT_DIR/ruled_spread.png (a two-page spread of a ruled birth register:
a table whose rows run across the fold, page numbers "- 12 -" and "- 13 -",
row 2 written in blue ballpoint) and OUT_DIR/printed_page.png (a printed
one-entry page, "Số: 7", "Trang số: 7") and OUT_DIR/dashed_number.png (the
top of a printed page in a sans face: "- 2 -" in the top-right corner with
"Quyển số: 02/2023" under it and the commune's heading below). Small pages at 200 dpi so the
tests' OCR stays quick on a loaded machine.
"""
import os
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_ITALIC = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"
SANS = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"
BLACK, BLUE = (20, 20, 20), (25, 45, 170)


def ruled_spread(path):
    w, h = 2600, 1500
    img = Image.new("RGB", (w, h), (246, 240, 222))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 30)
    hand = ImageFont.truetype(FONT_ITALIC, 32)
    # The fold: a soft shadow band in the middle.
    for dx in range(-40, 41):
        shade = int(120 * (1 - abs(dx) / 41.0))
        d.line([(1300 + dx, 0), (1300 + dx, h)], fill=(246 - shade, 240 - shade, 222 - shade))
    top, row_h, rows = 150, 110, 9
    left_cols = [80, 230, 760, 1200]          # Số | Họ và tên | Ngày sinh
    right_cols = [1400, 1900, 2480]           # Họ tên mẹ | Ghi chú
    for cols in (left_cols, right_cols):
        for i in range(rows + 1):
            y = top + i * row_h
            d.line([(cols[0], y), (cols[-1], y)], fill=BLACK, width=3)
        for x in cols:
            d.line([(x, top), (x, top + rows * row_h)], fill=BLACK, width=3)
    d.text((400, 60), "SỔ ĐĂNG KÝ KHAI SINH", font=font, fill=BLACK)
    headers = [(left_cols, ["Số", "Họ và tên", "Ngày sinh"]), (right_cols, ["Họ tên mẹ", "Ghi chú"])]
    for cols, titles in headers:
        for c, title in enumerate(titles):
            d.text((cols[c] + 20, top + 35), title, font=font, fill=BLACK)
    people = [("21", "Nguyễn Văn An", "03/02/2018", "Trần Thị Bình"),
              ("22", "Lê Thị Hoa", "15/03/2018", "Phạm Thị Lan"),
              ("23", "Trần Minh Đức", "20/04/2018", "Đỗ Thị Mai"),
              ("24", "Phạm Văn Nam", "01/05/2018", "Vũ Thị Hằng")]
    for r, (no, name, born, mother) in enumerate(people):
        y = top + (r + 1) * row_h + 35
        f, ink = (hand, BLUE) if r == 1 else (font, BLACK)
        d.text((left_cols[0] + 30, y), no, font=f, fill=ink)
        d.text((left_cols[1] + 20, y), name, font=f, fill=ink)
        d.text((left_cols[2] + 20, y), born, font=f, fill=ink)
        d.text((right_cols[0] + 20, y), mother, font=f, fill=ink)
    d.text((620, h - 90), "- 12 -", font=font, fill=BLACK)
    d.text((1900, h - 90), "- 13 -", font=font, fill=BLACK)
    img.save(path, dpi=(200, 200))


def printed_page(path):
    w, h = 1654, 2339
    img = Image.new("L", (w, h), 250)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 34)
    lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "Số: 7", "Quyển số: 01/2018", "",
             "Họ, chữ đệm, tên: Nguyễn Thị Thu", "Ngày, tháng, năm sinh: 12/03/2018",
             "Giới tính: Nữ", "Nơi đăng ký: Ủy ban nhân dân xã Tân Lập"]
    y = 200
    for text in lines:
        d.text((160, y), text, font=font, fill=10)
        y += 80
    d.text((700, h - 120), "Trang số: 7", font=font, fill=10)
    img.save(path, dpi=(200, 200))


def dashed_number(path):
    w, h = 1654, 2339
    img = Image.new("L", (w, h), 232)
    d = ImageDraw.Draw(img)
    sans = ImageFont.truetype(SANS, 30)
    bold = ImageFont.truetype(SANS_BOLD, 32)
    d.text((1470, 70), "- 2 -", font=sans, fill=30)
    d.text((1260, 110), "Quyển số: 02/2023", font=sans, fill=30)
    d.text((590, 165), "ỦY BAN NHÂN DÂN XÃ CẨM BÌNH", font=bold, fill=30)
    d.text((640, 210), "SỔ ĐĂNG KÝ KHAI SINH", font=bold, fill=30)
    d.text((160, 290), "Nơi đăng ký: Ủy ban nhân dân xã Cẩm Bình, huyện Cẩm Xuyên", font=sans, fill=30)
    img.save(path, dpi=(200, 200))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ruled_spread(os.path.join(out, "ruled_spread.png"))
    printed_page(os.path.join(out, "printed_page.png"))
    dashed_number(os.path.join(out, "dashed_number.png"))


if __name__ == "__main__":
    main()
