"""Draws the pages of a generated register book (scripts/make_books.py):
printed one-entry pages (2016 on), ruled table pages (before 2016) and
two-page spreads, on aged paper, with typed or handwritten values.

A page is drawn as three masks (printed ink, pen ink, signature) over the
paper, then stamped; scan.py makes the scan of it. VARIANTS holds what the
tuning and the held-back books differ in (see make_books.py's docstring).
"""

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from . import content, handwriting, render

A4_MM = render.A4_MM

# Labels of the printed form, by value key; the held-back wording uses the
# other versions schemas/doctypes/khai_sinh.json knows.
LABELS_TUNING = {
    "so": "Số", "ngay_dang_ky": "Ngày đăng ký", "ho_ten": "Họ, chữ đệm, tên",
    "ngay_sinh": "Ngày, tháng, năm sinh", "ngay_sinh_chu": "Ghi bằng chữ",
    "gioi_tinh": "Giới tính", "dan_toc": "Dân tộc", "quoc_tich": "Quốc tịch",
    "noi_sinh": "Nơi sinh", "que_quan": "Quê quán", "so_dinh_danh": "Số định danh cá nhân",
    "ho_ten_me": "Họ, chữ đệm, tên người mẹ", "ho_ten_cha": "Họ, chữ đệm, tên người cha",
    "nam_sinh": "Năm sinh", "noi_cu_tru": "Nơi cư trú",
    "nguoi_di_dang_ky": "Họ, chữ đệm, tên người đi đăng ký khai sinh",
    "quan_he": "Quan hệ với người được khai sinh", "giay_to": "Giấy tờ tùy thân",
    "nguoi_thuc_hien": "Họ, chữ đệm, tên người thực hiện",
    "nguoi_ky": "Người ký Giấy khai sinh", "ghi_chu": "Ghi chú",
    "noi_dang_ky": "Nơi đăng ký", "quyen_so": "Quyển số",
}
LABELS_HELDBACK = dict(LABELS_TUNING, **{
    "ngay_dang_ky": "Ngày, tháng, năm đăng ký", "ho_ten": "Họ và tên",
    "ngay_sinh": "Sinh ngày", "ngay_sinh_chu": "Bằng chữ", "so_dinh_danh": "Số định danh",
    "ho_ten_me": "Họ và tên mẹ", "ho_ten_cha": "Họ và tên cha",
    "nguoi_di_dang_ky": "Người đi đăng ký", "quan_he": "Quan hệ",
    "nguoi_thuc_hien": "Công chức tư pháp - hộ tịch", "nguoi_ky": "Người ký",
})

# Ruled books: (value key, column title, share of the page's table width),
# columns 1-5 on the left page, 6-10 on the right.
RULED_TUNING = (
    [("so", "Số", 0.09), ("ngay_dang_ky", "Ngày đăng ký", 0.17),
     ("ho_ten", "Họ, chữ đệm, tên", 0.33), ("ngay_sinh", "Ngày, tháng, năm sinh", 0.24),
     ("gioi_tinh", "Giới tính", 0.17)],
    [("dan_toc", "Dân tộc", 0.12), ("quoc_tich", "Quốc tịch", 0.13),
     ("noi_sinh", "Nơi sinh", 0.29), ("ho_ten_me", "Họ, chữ đệm, tên người mẹ", 0.23),
     ("ho_ten_cha", "Họ, chữ đệm, tên người cha", 0.23)])
RULED_HELDBACK = (
    [("so", "Số", 0.09), ("ho_ten", "Họ và tên", 0.33), ("gioi_tinh", "Giới tính", 0.13),
     ("ngay_sinh", "Sinh ngày", 0.2), ("ngay_dang_ky", "Ngày, tháng, năm đăng ký", 0.25)],
    [("quoc_tich", "Quốc tịch", 0.13), ("dan_toc", "Dân tộc", 0.12),
     ("noi_sinh", "Nơi sinh", 0.29), ("ho_ten_cha", "Họ và tên cha", 0.23),
     ("ho_ten_me", "Họ và tên mẹ", 0.23)])

# The third family, held back from 2026-12-05 on, after `heldback` had been
# looked at while rules were written: wording and faces mixed differently,
# blue-black ink (the common "mực xanh đen", close to the print's black),
# page numbers in the outer bottom corner.
LABELS_HELDBACK2 = dict(LABELS_TUNING, **{
    "ngay_dang_ky": "Ngày, tháng, năm đăng ký", "ho_ten": "Họ, chữ đệm và tên",
    "ngay_sinh": "Ngày sinh", "ho_ten_me": "Họ tên mẹ", "ho_ten_cha": "Họ tên cha",
    "nguoi_ky": "Người ký giấy khai sinh",
})
RULED_HELDBACK2 = (
    [("so", "Số", 0.08), ("ngay_dang_ky", "Ngày, tháng, năm đăng ký", 0.2),
     ("ho_ten", "Họ, chữ đệm và tên", 0.32), ("gioi_tinh", "Giới tính", 0.14),
     ("ngay_sinh", "Ngày sinh", 0.26)],
    [("noi_sinh", "Nơi sinh", 0.3), ("dan_toc", "Dân tộc", 0.12),
     ("quoc_tich", "Quốc tịch", 0.12), ("ho_ten_me", "Họ tên mẹ", 0.23),
     ("ho_ten_cha", "Họ tên cha", 0.23)])

VARIANTS = {
    "tuning": {
        "labels": LABELS_TUNING, "label_family": "serif", "value_family": "serif",
        "hand_family": "serif", "ink": ((20, 40), (35, 60), (130, 175)),  # blue ballpoint
        "arrangement": "inline", "pairs": False, "date": "figures",
        "page_number": ("Trang số: %d", "bottom"), "ruled": RULED_TUNING,
        "ruled_page_number": "%d", "column_numbers": False, "ruled_date": "figures",
    },
    "heldback": {
        "labels": LABELS_HELDBACK, "label_family": "sans", "value_family": "mono",
        "hand_family": "sans", "ink": ((60, 90), (25, 45), (95, 135)),  # violet
        "arrangement": "dotted", "pairs": True, "date": "ngay",
        "page_number": ("- %d -", "top"), "ruled": RULED_HELDBACK,
        "ruled_page_number": "- %d -", "column_numbers": True, "ruled_date": "short",
    },
    "heldback2": {
        "labels": LABELS_HELDBACK2, "label_family": "sans", "value_family": "serif",
        "hand_family": "serif", "ink": ((22, 40), (28, 48), (62, 96)),  # blue-black
        "arrangement": "dotted", "pairs": False, "date": "ngay",
        "page_number": ("Trang %d", "corner"), "ruled": RULED_HELDBACK2,
        "ruled_page_number": "Tr. %d", "column_numbers": False, "ruled_date": "figures",
    },
}


class Canvas:
    """A page being drawn: size in pixels and the three ink masks."""

    def __init__(self, dpi, width_mm, height_mm):
        self.dpi = dpi
        self.width = round(width_mm / 25.4 * dpi)
        self.height = round(height_mm / 25.4 * dpi)
        self.print_ink = Image.new("L", (self.width, self.height), 0)
        self.pen_ink = Image.new("L", (self.width, self.height), 0)
        self.printed = ImageDraw.Draw(self.print_ink)
        self.seals = []          # centres of red seals
        self.signatures = []     # (cx, cy, w, h) of signature scribbles

    def mm(self, v):
        return v / 25.4 * self.dpi

    def pt(self, v):
        return max(1, round(v / 72.0 * self.dpi))

    def text(self, xy, text, fnt, anchor="ls"):
        self.printed.text(xy, text, font=fnt, fill=255, anchor=anchor)

    def hline(self, x0, x1, y, thickness):
        self.printed.rectangle((x0, y, x1, y + thickness - 1), fill=255)

    def vline(self, x, y0, y1, thickness):
        self.printed.rectangle((x, y0, x + thickness - 1, y1), fill=255)


def format_date(d, style):
    if style == "ngay":
        return "ngày %02d tháng %02d năm %d" % (d.day, d.month, d.year)
    if style == "short":
        return "%d/%d/%d" % (d.day, d.month, d.year)
    return content.dmy(d)


def value_text(entry, key, style):
    v = entry.values.get(key, "")
    if hasattr(v, "isoformat"):
        return format_date(v, style)
    return v


# ---------------------------------------------------------------- printed

def printed_rows(book, entry, variant):
    """The form's rows: each a list of (label, value) pairs."""
    L = variant["labels"]
    date = variant["date"]

    def pair(key, value_key=None):
        return (L[key], value_text(entry, value_key or key, date))

    father = entry.values["ho_ten_cha"]
    rows = []
    if variant["pairs"]:
        rows.append([pair("so"), pair("ngay_dang_ky")])
    else:
        rows += [[pair("so")], [pair("ngay_dang_ky")]]
    rows += [[pair("ho_ten")], [pair("ngay_sinh")], [pair("ngay_sinh_chu")]]
    if variant["pairs"]:
        rows.append([pair("gioi_tinh"), pair("dan_toc"), pair("quoc_tich")])
    else:
        rows += [[pair("gioi_tinh")], [pair("dan_toc")], [pair("quoc_tich")]]
    rows += [[pair("noi_sinh")], [pair("que_quan")]]
    if "so_dinh_danh" in entry.values:
        rows.append([pair("so_dinh_danh")])
    for who, present in (("me", True), ("cha", bool(father))):
        rows.append([pair("ho_ten_" + who)])
        rows.append([(L["nam_sinh"], entry.values[who + "_nam_sinh"] if present else ""),
                     (L["dan_toc"], entry.values[who + "_dan_toc"] if present else ""),
                     (L["quoc_tich"], "Việt Nam" if present else "")])
        rows.append([(L["noi_cu_tru"], entry.values[who + "_noi_cu_tru"] if present else "")])
    rows += [[pair("nguoi_di_dang_ky")], [pair("quan_he")], [pair("giay_to")],
             [pair("nguoi_thuc_hien")],
             [(L["nguoi_ky"], "%s, %s" % (entry.values["nguoi_ky"], entry.values["chuc_vu"]))],
             [pair("ghi_chu")]]
    return rows


def draw_printed_page(rng, book, entry, page_number, variant, handwritten, dpi):
    """One printed form page holding `entry`; returns the Canvas."""
    c = Canvas(dpi, *A4_MM)
    left, right = c.mm(25), c.width - c.mm(15)
    top, bottom = c.mm(14), c.height - c.mm(14)
    lf = variant["label_family"]
    bold = render.font("bold", c.pt(12), lf)
    regular = render.font("regular", c.pt(11.5), lf)
    number_text, number_at = variant["page_number"]
    number_text = number_text % page_number

    # Header: the commune on the left, the book's title and number on the
    # right (tuning); all centred, the number in the corner (held-back).
    y = top + c.pt(12)
    xa = content.upper("Xã " + book.commune[0])
    title = book_title(book)
    book_line = "%s: %s" % (variant["labels"]["quyen_so"], book.book_no)
    if variant["label_family"] == "serif":
        cx_left = left + c.mm(32)
        cx_right = (left + c.mm(64) + right) / 2
        c.text((cx_left, y), "ỦY BAN NHÂN DÂN", bold, "ms")
        c.text((cx_right, y), title, bold, "ms")
        y += c.pt(12) * 1.35
        c.text((cx_left, y), xa, bold, "ms")
        c.text((cx_right, y), book_line, regular, "ms")
        y += c.pt(12) * 1.6
    else:
        c.text((right, y), book_line, regular, "rs")
        y += c.pt(12) * 1.5
        c.text(((left + right) / 2, y), "ỦY BAN NHÂN DÂN " + xa, bold, "ms")
        y += c.pt(12) * 1.4
        c.text(((left + right) / 2, y), title, bold, "ms")
        y += c.pt(12) * 1.6
    if number_at == "top":
        c.text((right, top - c.pt(2)), number_text, regular, "rs")
    body_pt = 11.5
    label_font = render.font("regular", c.pt(body_pt), lf)
    place_lines = render.wrap("%s: %s" % (variant["labels"]["noi_dang_ky"], book.authority),
                              label_font, right - left)
    for line in place_lines:
        c.text((left, y), line, label_font)
        y += c.pt(body_pt) * 1.4
    c.hline(left, right, y - c.pt(body_pt) * 0.6, max(1, round(dpi / 150)))
    y += c.pt(body_pt) * 0.9

    value_font = render.font("bold" if variant["value_family"] == "serif" else "regular",
                             c.pt(body_pt), variant["value_family"])
    hand = handwriting.Hand(rng, c.pt(body_pt + 2.5), variant["hand_family"]) \
        if handwritten else None
    rows = printed_rows(book, entry, variant)
    step = c.pt(body_pt) * (1.75 if handwritten else 1.6)
    avail = (bottom - c.pt(14)) - y
    lines_needed = len(rows) + 6
    step = min(step, avail / lines_needed)
    signer_y = None
    for row in rows:
        slot_width = (right - left) / len(row)
        extra_lines = 0
        for i, (label, value) in enumerate(row):
            x = left + i * slot_width
            x_end = x + slot_width - c.mm(3) if i < len(row) - 1 else right
            label_text = label + ":"
            c.text((x, y), label_text, label_font)
            vx = x + label_font.getlength(label_text + " ")
            if variant["arrangement"] == "dotted":
                dots_for(c, label_font, vx, x_end, y)
            if not value:
                continue
            lines = (hand.wrap(value, x_end - vx) if hand else
                     render.wrap(value, value_font, x_end - vx))
            if len(lines) > 1:  # continue under the label, full width
                first = lines[0]
                rest = (hand.wrap(value[len(first):].strip(), x_end - left - c.mm(8)) if hand
                        else render.wrap(value[len(first):].strip(), value_font,
                                         x_end - left - c.mm(8)))
                lines = [first] + rest
            for k, line in enumerate(lines):
                lx = vx if k == 0 else left + c.mm(8)
                ly = y + k * step
                if k > 0 and variant["arrangement"] == "dotted":
                    dots_for(c, label_font, lx, x_end, ly)
                if hand:
                    hand.write(c.pen_ink, lx, ly - c.pt(1), line)
                else:
                    c.text((lx, ly), line, value_font)
            extra_lines = max(extra_lines, len(lines) - 1)
        if row[0][0] == variant["labels"]["nguoi_ky"]:
            signer_y = y
        y += step * (1 + extra_lines)
    if signer_y is not None:
        # The signer signs beside the line and the office stamps over it.
        sx = right - c.mm(38)
        c.signatures.append((sx, signer_y + step * 1.2, c.mm(36), step * 2.2))
        if rng.random() < 0.45:
            c.seals.append((sx - c.mm(14), signer_y + step * 1.0))
    if number_at == "bottom":
        c.text(((left + right) / 2, c.height - c.mm(9)), number_text, regular, "ms")
    elif number_at == "corner":  # the outer bottom corner
        c.text((right, c.height - c.mm(9)), number_text, regular, "rs")
    if hand:
        finish_handwriting(c, rng)
    return c


def dots_for(c, fnt, x0, x1, y):
    """A dotted leader on the baseline from x0 to x1 (a form's blank)."""
    dot = max(1, round(c.dpi / 150))
    gap = max(3, round(fnt.size * 0.28))
    x = x0
    while x < x1:
        c.printed.rectangle((x, y - dot, x + dot, y), fill=170)
        x += gap


def book_title(book):
    from . import book_content
    return book_content.BOOK_TITLES[book.kind]


def finish_handwriting(c, rng):
    box = c.pen_ink.getbbox()
    if box is None:
        return
    pad = round(c.mm(3))
    box = (max(0, box[0] - pad), max(0, box[1] - pad),
           min(c.width, box[2] + pad), min(c.height, box[3] + pad))
    region = c.pen_ink.crop(box)
    region = handwriting.elastic_warp(region, rng, c.mm(4), c.mm(0.35))
    region = handwriting.ink_texture(region, rng)
    c.pen_ink.paste(region, box[:2])


# ------------------------------------------------------------------ ruled

def draw_ruled_half(rng, book, entries, side, page_number, rows_per_page, variant, hands, dpi):
    """One facing page of a ruled book: `side` 0 (left: columns 1-5) or 1
    (right: 6-10); `entries` fill the first rows, the rest stay empty.
    `hands[i]` is a Hand for a handwritten entry i, else None."""
    c = Canvas(dpi, *A4_MM)
    inner, outer = c.mm(14), c.mm(12)
    left = outer if side == 0 else inner
    right = c.width - (inner if side == 0 else outer)
    top, bottom = c.mm(14), c.height - c.mm(20)
    lf = variant["label_family"]
    bold = render.font("bold", c.pt(12), lf)
    small = render.font("regular", c.pt(10.5), lf)
    # The left page's header (the right page leaves the same height, so
    # the rows line up across the fold).
    y = top + c.pt(12)
    draw_left = side == 0
    if draw_left:
        c.text(((left + right) / 2, y), book_title(book), bold, "ms")
    y += c.pt(12) * 1.4
    if draw_left:
        c.text(((left + right) / 2, y), "%s: %s" % (variant["labels"]["quyen_so"], book.book_no),
               small, "ms")
    y += c.pt(10.5) * 1.4
    for line in render.wrap("%s: %s" % (variant["labels"]["noi_dang_ky"], book.authority),
                            small, right - left):
        if draw_left:
            c.text((left, y), line, small)
        y += c.pt(10.5) * 1.3
    if not draw_left:
        years = ("Năm %d" % book.year_from if book.year_from == book.year_to
                 else "Năm %d - %d" % (book.year_from, book.year_to))
        c.text(((left + right) / 2, top + c.pt(12)), years, bold, "ms")
    table_top = round(max(y + c.mm(3), c.mm(44)))
    columns = variant["ruled"][side]
    width = right - left
    xs = [left]
    for _, _, share in columns:
        xs.append(xs[-1] + share * width)
    xs[-1] = right
    thin = max(1, round(dpi / 130))
    thick = thin + 1
    # Header row: the column titles, wrapped and centred in their cells.
    head_font = render.font("bold", c.pt(9.5), lf)
    head_h = c.mm(17)
    for i, (_, title, _) in enumerate(columns):
        lines = render.wrap(title, head_font, xs[i + 1] - xs[i] - c.mm(2))
        ty = table_top + head_h / 2 - (len(lines) - 1) * c.pt(9.5) * 0.6 + c.pt(9.5) * 0.35
        for line in lines:
            c.text(((xs[i] + xs[i + 1]) / 2, ty), line, head_font, "ms")
            ty += c.pt(9.5) * 1.2
    rows_top = table_top + head_h
    if variant["column_numbers"]:
        num_font = render.font("italic", c.pt(8.5), lf)
        for i in range(len(columns)):
            c.text(((xs[i] + xs[i + 1]) / 2, rows_top + c.mm(3.6)),
                   "(%d)" % (i + 1 + 5 * side), num_font, "ms")
        c.hline(xs[0], xs[-1], rows_top, thin)
        rows_top += c.mm(5)
    row_h = (bottom - rows_top) / rows_per_page
    c.hline(xs[0], xs[-1], table_top, thick)
    for r in range(rows_per_page + 1):
        c.hline(xs[0], xs[-1], rows_top + r * row_h, thick if r in (0, rows_per_page) else thin)
    for i, x in enumerate(xs):
        c.vline(x, table_top, bottom, thick if i in (0, len(xs) - 1) else thin)

    value_pt = 10.5
    value_font = render.font("regular", c.pt(value_pt), variant["value_family"])
    for r, entry in enumerate(entries):
        hand = hands[r]
        for i, (key, _, _) in enumerate(columns):
            text = value_text(entry, key, variant["ruled_date"])
            if not text:
                continue
            cell_w = xs[i + 1] - xs[i] - c.mm(3)
            lines = hand.wrap(text, cell_w) if hand else render.wrap(text, value_font, cell_w)
            step = min(c.pt(value_pt) * (1.6 if hand else 1.35), (row_h - c.mm(2)) / len(lines))
            ly = rows_top + r * row_h + c.mm(1.5) + c.pt(value_pt)
            for line in lines:
                if hand:
                    hand.write(c.pen_ink, xs[i] + c.mm(1.5), ly, line)
                else:
                    c.text((xs[i] + c.mm(1.5), ly), line, value_font)
                ly += step
    number = variant["ruled_page_number"] % page_number
    page_font = render.font("regular", c.pt(10.5), lf)
    if side == 0:
        c.text((left, c.height - c.mm(10)), number, page_font, "ls")
    else:
        c.text((right, c.height - c.mm(10)), number, page_font, "rs")
    if rng.random() < 0.25:  # stamped where a correction was certified
        c.seals.append((rng.uniform(left + c.mm(25), right - c.mm(25)),
                        rng.uniform(rows_top + c.mm(20), bottom - c.mm(20))))
    if any(hands):
        finish_handwriting(c, rng)
    return c


# ------------------------------------------------------------ composition

def paper_palette(rng, era, variant):
    if era == "ruled":
        base = (rng.randint(226, 238), rng.randint(214, 226), rng.randint(176, 196))
    else:
        base = (rng.randint(238, 248), rng.randint(234, 244), rng.randint(214, 230))
    ink = variant["ink"]
    return {
        "paper_rgb": base,
        "ink_rgb": (rng.randint(18, 40),) * 3,
        "pen_rgb": tuple(rng.randint(*band) for band in ink),
        "sign_rgb": tuple(rng.randint(*band) for band in VARIANTS["tuning"]["ink"]),
        "seal_rgb": (rng.randint(200, 225), rng.randint(25, 60), rng.randint(30, 60)),
    }


def compose(rng, canvas, palette, book, aged):
    """The page as the paper looks (RGB), and the mask of everything drawn
    (for the scan's canvas check)."""
    page = Image.new("RGB", (canvas.width, canvas.height), palette["paper_rgb"])
    if aged:
        page = age(page, rng, canvas)
    page.paste(palette["ink_rgb"], (0, 0), canvas.print_ink)
    page.paste(palette["pen_rgb"], (0, 0), canvas.pen_ink)
    g = render.Geometry(canvas.dpi)
    for sig in canvas.signatures:
        holder = render.PageLayout()
        holder.signature = sig
        g.width, g.height = canvas.width, canvas.height
        scribble = render.draw_signature(rng, holder, g)
        page.paste(palette["sign_rgb"], (0, 0), scribble)
    for centre in canvas.seals:
        render.stamp(page, render.draw_seal(rng, book.seal_text(), g), centre,
                     palette["seal_rgb"])
    ink = ImageChops.lighter(canvas.print_ink, canvas.pen_ink)
    return page, ink


def age(page, rng, canvas):
    """Yellowed, unevenly browned paper with darker edges: the paper colour
    times a smooth shade computed small and enlarged (cheap at 300 dpi)."""
    w, h = page.size
    np_rng = np.random.default_rng(rng.getrandbits(32))
    sw, sh = 84, round(84 * h / w)
    coarse = np.asarray(Image.fromarray(
        (np_rng.uniform(0.9, 1.0, (7, 5)) * 255).astype(np.uint8), "L")
        .resize((sw, sh), Image.BICUBIC), dtype=np.float32) / 255.0
    ex = np.minimum(np.arange(sw), np.arange(sw)[::-1]).astype(np.float32)
    ey = np.minimum(np.arange(sh), np.arange(sh)[::-1]).astype(np.float32)
    edge = sw * 10 / 210.0  # 10 mm
    shade = coarse * np.minimum(1.0, 0.9 + 0.1 * np.minimum(ex[None, :], ey[:, None]) / edge)
    # Browning is stronger in blue (yellowing), weaker in red.
    rgb = np.stack([shade, shade, shade * (0.97 + 0.03 * shade)], axis=-1)
    small = Image.fromarray(np.clip(rgb * 255, 0, 255).astype(np.uint8), "RGB")
    return ImageChops.multiply(page, small.resize((w, h), Image.BILINEAR))


def spread(left, right, rng, dpi):
    """Two facing pages side by side in one A3-landscape image, with the
    shadow of the fold between them (the gutter) and the right page a
    little out of line, as a book lies on a scanner."""
    w, h = left.size
    out = Image.new("RGB", (w * 2, h), left.getpixel((w // 2, 5)))
    out.paste(left, (0, 0))
    shift = round(rng.uniform(-1.2, 1.2) / 25.4 * dpi)
    out.paste(right, (w, shift))
    arr = np.asarray(out, dtype=np.float32)
    band = round(9 / 25.4 * dpi)
    xs = np.arange(w - band, w + band)
    depth = rng.uniform(0.45, 0.65)
    profile = 1.0 - depth * np.exp(-((xs - w) / (band * 0.35)) ** 2)
    arr[:, w - band:w + band, :] *= profile[None, :, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def spread_mask(left_ink, right_ink):
    w, h = left_ink.size
    out = Image.new("L", (w * 2, h), 0)
    out.paste(left_ink, (0, 0))
    out.paste(right_ink, (w, 0))
    return out


def scan_angle(rng):
    return 0.0 if rng.random() < 0.15 else round(rng.uniform(-2.0, 2.0), 2)

