"""Lays a generated document out on A4 pages (Decree 30/2020 layout) and
draws it: text, rules, signature scribble and the red circular seal.

Returns the clean page image and the exact printed lines in reading order;
scan.py then makes a "scan" of it.
"""

import math
import os
import sys

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

A4_MM = (210.0, 297.0)
# Margins per Decree 30/2020: top 20-25, bottom 20-25, left 30-35, right 15-20.
MARGIN_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 18.0}
LEFT_COLUMN_MM = 62.0

# Liberation Serif 2.x is metric-compatible with Times New Roman and has the
# Vietnamese stacked diacritics; Liberation 1.x (fonts-liberation) has not
# (it prints boxes for ệ, ễ, ủ ...), so it is not an acceptable fallback.
FONT_DIRS = [
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif-%s.ttf", "Liberation Serif 2"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif%s.ttf", "DejaVu Serif"),
]
_STYLE_FILES = {
    "Liberation Serif 2": {"regular": "Regular", "bold": "Bold", "italic": "Italic"},
    "DejaVu Serif": {"regular": "", "bold": "-Bold", "italic": "-Italic"},
}


def find_font_family():
    for directory, pattern, family in FONT_DIRS:
        names = _STYLE_FILES[family]
        paths = {k: os.path.join(directory, pattern % v) for k, v in names.items()}
        if all(os.path.exists(p) for p in paths.values()):
            if family != "Liberation Serif 2":
                sys.stderr.write(
                    "make_samples: WARNING: Liberation Serif 2 (Debian fonts-liberation2) "
                    "not found; using %s, which is not metric-compatible with Times\n" % family)
            return family, paths
    raise SystemExit("make_samples: no font with Vietnamese glyphs found; install the "
                     "Debian package fonts-liberation2 (or fonts-dejavu-core)")


FONT_FAMILY, FONT_PATHS = find_font_family()
# Other faces for the layout family (scripts/samples_lib/layouts.py): sans
# and typewriter, Liberation 2 (Vietnamese glyphs), else DejaVu.
_OTHER_FACES = {
    "sans": [("/usr/share/fonts/truetype/liberation2/LiberationSans-%s.ttf",
              {"regular": "Regular", "bold": "Bold", "italic": "Italic"}),
             ("/usr/share/fonts/truetype/dejavu/DejaVuSans%s.ttf",
              {"regular": "", "bold": "-Bold", "italic": "-Oblique"})],
    "mono": [("/usr/share/fonts/truetype/liberation2/LiberationMono-%s.ttf",
              {"regular": "Regular", "bold": "Bold", "italic": "Italic"}),
             ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono%s.ttf",
              {"regular": "", "bold": "-Bold", "italic": "-Oblique"})],
}
_font_cache = {}


def face_paths(family):
    if family == "serif":
        return FONT_PATHS
    for pattern, names in _OTHER_FACES[family]:
        paths = {k: pattern % v for k, v in names.items()}
        if all(os.path.exists(p) for p in paths.values()):
            return paths
    raise SystemExit("make_samples: no %s face with Vietnamese glyphs found; install "
                     "fonts-liberation2 or fonts-dejavu-core" % family)


def font(style, px, family="serif"):
    key = (style, px, family)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(face_paths(family)[style], px,
                                              layout_engine=ImageFont.Layout.BASIC)
    return _font_cache[key]


class LayoutOverflow(RuntimeError):
    """The text does not fit the page at this size."""


class Geometry:
    def __init__(self, dpi):
        self.dpi = dpi
        self.width = round(A4_MM[0] / 25.4 * dpi)
        self.height = round(A4_MM[1] / 25.4 * dpi)

    def mm(self, v):
        return v / 25.4 * self.dpi

    def pt(self, v):
        return max(1, round(v / 72.0 * self.dpi))


class PageLayout:
    """What goes on one page: text items, rules, and where to sign and seal."""

    def __init__(self):
        self.items = []       # (x, baseline_y, text, font, anchor)
        self.rules = []       # (x0, y, x1, thickness)
        self.vrules = []      # (x, y0, y1, thickness): table cell borders
        self.extra_seals = []  # seal centres stamped over the text
        self.lines = []       # printed lines in reading order
        self.blocks = []      # [role, [lines]] in reading order
        self.header_rows = {}  # baseline y -> [(x, text)] for the two header blocks
        self.signature = None  # (cx, cy, width, height) of the signing gap
        self.seal_center = None
        self.bottom = 0.0

    def add_line(self, role, text):
        self.lines.append(text)
        if not self.blocks or self.blocks[-1][0] != role:
            self.blocks.append([role, []])
        self.blocks[-1][1].append(text)

    def rows(self):
        """Lines top to bottom, the two header blocks merged row by row
        (left text, a space, right text): how a reader scanning rows, and
        Tesseract's default segmentation, see the page."""
        out = []
        for y in sorted(self.header_rows):
            out.append(" ".join(t for _, t in sorted(self.header_rows[y])))
        header = sum(len(v) for v in self.header_rows.values())
        return out + self.lines[header:]


def wrap(text, fnt, width):
    """Greedy word wrap; returns the printed lines."""
    words, lines, current = text.split(" "), [], ""
    for word in words:
        candidate = word if not current else current + " " + word
        if current and fnt.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def layout_pages(doc, dpi, style, page_count, extra_lines):
    """Splits `doc` over `page_count` pages. `style` holds font sizes in
    points and line spacing; returns a list of PageLayout."""
    g = Geometry(dpi)
    left, right = g.mm(MARGIN_MM["left"]), g.width - g.mm(MARGIN_MM["right"])
    top, bottom = g.mm(MARGIN_MM["top"]), g.height - g.mm(MARGIN_MM["bottom"])
    left_cx = left + g.mm(LEFT_COLUMN_MM) / 2
    right_cx = (left + g.mm(LEFT_COLUMN_MM) + right) / 2
    body_px = g.pt(style["body_pt"])
    step = body_px * style["spacing"]
    header_px = g.pt(style["header_pt"])

    family = style.get("family", "serif")
    body_font = font("regular", body_px, family)
    # Body lines after wrapping; a wrapped line continues under its start.
    if style.get("specs") is None:
        body = []
        for text in doc.body:
            body.extend(wrap(text, body_font, right - left))
    else:
        body = arrange(style["specs"], style["arrangement"], body_font, right - left, g)

    pages = []
    first = PageLayout()
    # Header: two blocks side by side, rows aligned.
    y0 = top + header_px
    header_bottom = y0
    for role, cx, block, column_width in (
            ("header_left", left_cx, doc.header_left, g.mm(LEFT_COLUMN_MM)),
            ("header_right", right_cx, doc.header_right, right - left - g.mm(LEFT_COLUMN_MM))):
        y = y0
        previous_width = 0
        for text, kind in block:
            if kind == "rule":
                w = previous_width * 0.55
                first.rules.append((cx - w / 2, y - header_px * 0.62, cx + w / 2,
                                    max(1, round(g.dpi / 150))))
                y += header_px * 0.45
                continue
            px = header_px
            fnt = font(kind, px, family)
            while fnt.getlength(text) > column_width and px > g.pt(10):
                px -= 1
                fnt = font(kind, px, family)
            first.items.append((cx, y, text, fnt, "ms"))
            first.add_line(role, text)
            first.header_rows.setdefault(round(y, 3), []).append((cx, text))
            previous_width = fnt.getlength(text)
            y += header_px * 1.2
        header_bottom = max(header_bottom, y)

    title_px = g.pt(style["title_pt"])
    y = header_bottom + g.mm(10) + title_px
    for text in doc.title:
        first.items.append(((left + right) / 2, y, text, font("bold", title_px, family), "ms"))
        first.add_line("title", text)
        y += title_px * 1.3
    y += g.mm(4)

    signer_px = g.pt(style["body_pt"])
    gap = g.mm(32)
    signer_height = sum(signer_px * 1.25 if t is not None else gap for t, _ in doc.signer)
    signer_height += g.mm(6)

    # Split the body: everything on one page unless asked for more.
    if page_count == 1:
        chunks = [body]
    else:
        cut = max(3, len(body) * 3 // 5)
        chunks = [body[:cut], body[cut:]] + [[]] * (page_count - 2)

    page = first
    for index in range(page_count):
        if index > 0:
            page = PageLayout()
            y = top + body_px
            number = "- %d -" % (index + 1)
            page.items.append(((left + right) / 2, y, number, body_font, "ms"))
            page.add_line("page_number", number)
            y += step * 1.5
        lines = list(chunks[index])
        if index >= 2:
            lines = list(extra_lines)
        # Shrink spacing if the page would overflow.
        needed = len(lines) * step + (signer_height if index == min(1, page_count - 1) else 0)
        local_step = step
        if y + needed > bottom:
            local_step = max(body_px * 1.05, step * (bottom - y) / needed)
        for number_in_page, text in enumerate(lines):
            if isinstance(text, Drawn):
                text.place(page, left, right, y, body_font, local_step)
                if style.get("stamp") and index == 0 and number_in_page == len(lines) * 2 // 3:
                    page.extra_seals.append((left + g.mm(45), y - body_px / 2))
                page.add_line("body" if index < 2 else "notes", text.text)
            else:
                page.items.append((left, y, text, body_font, "ls"))
                page.add_line("body" if index < 2 else "notes", text)
            y += local_step
        if index == min(1, page_count - 1):
            y += g.mm(6)
            for text, kind in doc.signer:
                if text is None:
                    page.signature = (right_cx, y - signer_px * 0.6 + gap / 2, g.mm(42), gap * 0.8)
                    # Over the left third of the signature, between the
                    # position lines and the name.
                    page.seal_center = (right_cx - g.mm(19), y + gap / 2 - signer_px * 0.85)
                    y += gap
                    continue
                page.items.append((right_cx, y, text, font("bold", signer_px, family), "ms"))
                page.add_line("signature", text)
                y += signer_px * 1.25
        page.bottom = y
        if y > g.height - g.mm(8):
            raise LayoutOverflow("layout overflow on page %d of %s" % (index + 1, doc.doc_type))
        pages.append(page)
    return pages


class Drawn:
    """A body line of a layout-family document: text parts at offsets from
    the left margin (px), and table cell borders when `cells` holds the
    column offsets."""

    def __init__(self, parts, cells=None, top_rule=True, bottom_rule=True):
        self.parts = parts            # [(dx, text)]
        self.cells = cells            # None or [dx of each vertical border]
        self.top_rule = top_rule
        self.bottom_rule = bottom_rule
        self.text = " ".join(t for _, t in parts if t)

    def place(self, page, left, right, y, fnt, step):
        for dx, text in self.parts:
            if text:
                page.items.append((left + dx, y, text, fnt, "ls"))
        if self.cells is not None:
            thickness = max(1, round(fnt.size / 30))
            top, bottom = y - step * 0.78, y + step * 0.22
            if self.top_rule:
                page.rules.append((left - fnt.size * 0.3, top, right, thickness))
            if self.bottom_rule:
                page.rules.append((left - fnt.size * 0.3, bottom, right, thickness))
            for dx in self.cells:
                page.vrules.append((left + dx, top, bottom, thickness))


def arrange(specs, arrangement, fnt, width, g):
    """Body line specs (layouts.transform) -> lines to draw (str or Drawn)."""
    out = []
    half = width / 2
    for spec in specs:
        kind = spec[0]
        if kind == "text":
            out.extend(wrap(spec[1], fnt, width))
        elif kind == "row":
            parts = ["%s: %s" % (label, value) for label, value in spec[1]]
            if len(parts) == 2 and all(fnt.getlength(p) < half - g.mm(4) for p in parts):
                out.append(Drawn([(0, parts[0]), (half, parts[1])]))
            else:
                out.extend(wrap("; ".join(parts), fnt, width))
        elif arrangement == "next_line":
            out.append(spec[1] + ":")
            indent = g.mm(8)
            out.extend(Drawn([(indent, t)]) for t in wrap(spec[2], fnt, width - indent))
        elif arrangement == "dotted":
            lines = wrap("%s: %s" % (spec[1], spec[2]), fnt, width)
            last = lines[-1] + " "
            dots = max(3, int((width - fnt.getlength(last)) / max(1.0, fnt.getlength("."))) - 1)
            lines[-1] = last + "." * dots
            if fnt.getlength(lines[-1]) > width:
                lines[-1] = last.rstrip()
            out.extend(lines)
        elif arrangement == "table":
            column = g.mm(58)
            pad = g.mm(1.5)
            label_lines = wrap(spec[1], fnt, column - 2 * pad)
            value_lines = wrap(spec[2], fnt, width - column - 2 * pad)
            rows = max(len(label_lines), len(value_lines))
            for i in range(rows):
                label = label_lines[i] if i < len(label_lines) else ""
                value = value_lines[i] if i < len(value_lines) else ""
                out.append(Drawn([(pad, label), (column + pad, value)],
                                 cells=[-fnt.size * 0.3, column, width], top_rule=i == 0,
                                 bottom_rule=i == rows - 1))
        else:  # inline
            out.extend(wrap("%s: %s" % (spec[1], spec[2]), fnt, width))
    return out


def draw_text_mask(layout, g):
    """White-on-black mask of all printed text and rules (anti-aliased)."""
    mask = Image.new("L", (g.width, g.height), 0)
    d = ImageDraw.Draw(mask)
    for x, y, text, fnt, anchor in layout.items:
        d.text((x, y), text, font=fnt, fill=255, anchor=anchor)
    for x0, y, x1, thickness in layout.rules:
        d.rectangle((x0, y, x1, y + thickness - 1), fill=255)
    for x, y0, y1, thickness in layout.vrules:
        d.rectangle((x, y0, x + thickness - 1, y1), fill=255)
    return mask


def draw_signature(rng, layout, g):
    """A hand scribble as an L mask over the page, or None."""
    if layout.signature is None:
        return None
    cx, cy, w, h = layout.signature
    mask = Image.new("L", (g.width, g.height), 0)
    d = ImageDraw.Draw(mask)
    points = []
    n = 40
    loops = rng.uniform(2.0, 3.5)
    for i in range(n + 1):
        t = i / n
        x = cx - w / 2 + w * t + math.sin(t * math.pi * 2 * loops) * w * 0.06
        y = cy + math.cos(t * math.pi * 2 * loops + rng.uniform(-0.2, 0.2)) * h * 0.22 \
            - (t - 0.5) * h * 0.25
        points.append((x, y))
    d.line(points, fill=255, width=max(2, round(g.dpi / 110)), joint="curve")
    d.line([(cx - w * 0.35, cy + h * 0.3), (cx + w * 0.4, cy + h * 0.18)],
           fill=255, width=max(2, round(g.dpi / 120)))
    return mask


def bold_length(text, px):
    return sum(font("bold", px).getlength(c) * 1.05 for c in text)


def draw_seal(rng, seal_text, g):
    """The red seal as an L mask (255 = full ink), diameter about 34 mm."""
    size = round(g.mm(32))
    r = size / 2
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    ring = max(2, round(g.mm(0.7)))
    d.ellipse((1, 1, size - 2, size - 2), outline=255, width=ring)
    inner = g.mm(6.5)
    d.ellipse((inner, inner, size - inner, size - inner), outline=255, width=max(1, ring // 2))
    base_px = g.pt(8.5)
    radius = r - g.mm(1.6) - base_px * 0.85

    def fitted(text, max_degrees):
        # Shrink the letters until the text fits its arc.
        px = base_px
        while px > g.pt(5) and bold_length(text, px) / radius > math.radians(max_degrees):
            px -= 1
        return px

    def arc(text, upper, max_degrees):
        text_px = fitted(text, max_degrees)
        fnt = font("bold", text_px)
        widths = [fnt.getlength(c) * 1.05 for c in text]
        total = sum(widths) / radius  # radians
        angle = -total / 2
        for c, w in zip(text, widths):
            mid = angle + (w / 2) / radius
            angle += w / radius
            if c == " ":
                continue
            glyph = Image.new("L", (text_px * 2, text_px * 2), 0)
            ImageDraw.Draw(glyph).text((text_px, text_px), c, font=fnt, fill=255, anchor="mm")
            if upper:
                px, py = r + radius * math.sin(mid), r - radius * math.cos(mid)
                glyph = glyph.rotate(-math.degrees(mid), resample=Image.BILINEAR)
            else:
                px, py = r + radius * math.sin(mid), r + radius * math.cos(mid) - text_px * 0.2
                glyph = glyph.rotate(math.degrees(mid), resample=Image.BILINEAR)
            box = (round(px - text_px), round(py - text_px))
            region = mask.crop((box[0], box[1], box[0] + text_px * 2, box[1] + text_px * 2))
            mask.paste(ImageChops.lighter(region, glyph), box)

    arc(seal_text[0], True, 200)
    arc(seal_text[1], False, 110)
    # Five-pointed star in the centre.
    star_r, star_ri = g.mm(5.5), g.mm(2.2)
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = star_r if k % 2 == 0 else star_ri
        pts.append((r + rr * math.cos(a), r + rr * math.sin(a)))
    d.polygon(pts, fill=255)
    # Uneven ink: the stamp pad never inks evenly.
    # (seeded here: Image.effect_noise uses the C library's unseeded rand)
    grain = np.random.default_rng(rng.getrandbits(32)).normal(128, 40, (size, size))
    texture = Image.fromarray(np.clip(140 + grain / 2, 0, 255).astype(np.uint8), "L")
    mask = ImageChops.multiply(mask, texture)
    return mask.rotate(rng.uniform(-25, 25), resample=Image.BILINEAR)


def compose(rng, doc, layout, g, mode, palette, with_seal):
    """Draws the page as the paper looks: 'RGB' for colour, else 'L'."""
    text = draw_text_mask(layout, g)
    scribble = draw_signature(rng, layout, g)
    if mode == "rgb":
        page = Image.new("RGB", text.size, palette["paper_rgb"])
        page.paste(palette["ink_rgb"], (0, 0), text)
        if scribble is not None:
            page.paste(palette["pen_rgb"], (0, 0), scribble)
    else:
        page = Image.new("L", text.size, palette["paper_gray"])
        page.paste(palette["ink_gray"], (0, 0), text)
        if scribble is not None:
            page.paste(palette["pen_gray"], (0, 0), scribble)
    centres = [layout.seal_center] if with_seal and layout.seal_center is not None else []
    for centre in centres + layout.extra_seals:
        colour = palette["seal_rgb"] if mode == "rgb" else palette["seal_gray"]
        stamp(page, draw_seal(rng, doc.seal_text, g), centre, colour)
    return page, text


def stamp(page, seal, centre, colour):
    """Stamps the seal mask `seal` centred at `centre` on `page` in `colour`."""
    cx, cy = centre
    box = (round(cx - seal.width / 2), round(cy - seal.height / 2))
    box = box + (box[0] + seal.width, box[1] + seal.height)
    region = page.crop(box)
    tint = Image.new(page.mode, seal.size, "white")
    tint.paste(colour, (0, 0), seal)
    # Multiply: the stamp ink is translucent, printed text shows through.
    page.paste(ImageChops.multiply(region, tint), box[:2])
