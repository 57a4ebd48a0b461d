"""Handwriting-like text for the register books (scripts/make_books.py).

Debian has no handwriting font with Vietnamese glyphs, so handwriting is
simulated from an italic face the way a ballpoint hand differs from type:
every glyph is drawn on its own, slanted a little more, rotated, scaled and
shifted at random; the line wanders on a wavy, drifting baseline; some
strokes are pressed harder (thicker) and the pen lays ink unevenly; and
the finished writing is bent by a slight elastic warp (elastic_warp). The
point is realism for the tests: Tesseract reads it poorly or not at all,
as it reads real handwritten register entries, so the pipeline must send
such entries to people ("handwritten: key it in") instead of guessing.

Writing goes into an 'L' mask (255 = full ink); the caller lays the ink
colour through it.
"""

import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from . import render


class Hand:
    """One writer: a face and the habits kept over a whole entry (slant,
    letter size, spacing), drawn from `rng`."""

    def __init__(self, rng, px, family="serif"):
        self.rng = rng
        self.family = family
        self.px = px
        self.slant = rng.uniform(0.18, 0.38)          # shear, on top of the italic
        self.size = rng.uniform(0.95, 1.12)           # this writer's letter size
        self.spacing = rng.uniform(0.98, 1.12)        # and letter spacing
        self.heavy = rng.uniform(0.05, 0.18)         # share of hard-pressed glyphs
        self.font = render.font("italic", max(6, round(px * self.size)), family)

    def length(self, text):
        """About how wide `text` comes out (for wrapping)."""
        return self.font.getlength(text) * self.spacing * 1.02

    def wrap(self, text, width):
        words, lines, current = text.split(" "), [], ""
        for word in words:
            candidate = word if not current else current + " " + word
            if current and self.length(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        return lines

    def write(self, mask, x, baseline, text):
        """Writes `text` into `mask` starting at (x, baseline); returns the
        x where the pen stopped."""
        rng, fnt = self.rng, self.font
        size = fnt.size
        amplitude = size * rng.uniform(0.05, 0.12)
        wavelength = size * rng.uniform(5.0, 11.0)
        phase = rng.uniform(0, 2 * math.pi)
        drift = rng.uniform(-0.035, 0.035)
        x0 = x
        tile = int(size * 2.6)
        origin = (int(size * 0.7), int(size * 1.8))  # the glyph's pen position in its tile
        for c in text:
            if c == " ":
                x += fnt.getlength(" ") * rng.uniform(0.7, 1.5) * self.spacing
                continue
            glyph = Image.new("L", (tile, tile), 0)
            ImageDraw.Draw(glyph).text(origin, c, font=fnt, fill=255, anchor="ls")
            if rng.random() < self.heavy:
                glyph = glyph.filter(ImageFilter.MaxFilter(3))
            scale_x = rng.uniform(0.86, 1.14)
            scale_y = rng.uniform(0.86, 1.16)
            angle = math.radians(rng.uniform(-9, 9))
            shear = self.slant + rng.uniform(-0.08, 0.08)
            glyph = _affine(glyph, origin, scale_x, scale_y, angle, shear)
            y = baseline + amplitude * math.sin(2 * math.pi * (x - x0) / wavelength + phase) \
                + drift * (x - x0) + rng.uniform(-0.06, 0.06) * size
            gx = round(x + rng.uniform(-0.05, 0.05) * size - origin[0])
            gy = round(y - origin[1])
            _lighten(mask, glyph, gx, gy)
            x += fnt.getlength(c) * scale_x * self.spacing * rng.uniform(0.92, 1.06)
        return x


def _affine(glyph, origin, sx, sy, angle, shear):
    """Scales, shears (slant to the right) and rotates a glyph tile about
    its pen position. PIL's AFFINE maps output to input, so the inverse of
    M = R * Shear * Scale is given."""
    cos, sin = math.cos(angle), math.sin(angle)
    # Forward: p' = R (H (S p)), with H = [[1, -shear], [0, 1]] (y down).
    a, b = sx, -shear * sy
    c, d = 0.0, sy
    m = np.array([[cos * a - sin * c, cos * b - sin * d],
                  [sin * a + cos * c, sin * b + cos * d]])
    inv = np.linalg.inv(m)
    ox, oy = origin
    # input = inv (output - origin) + origin
    tx = ox - inv[0, 0] * ox - inv[0, 1] * oy
    ty = oy - inv[1, 0] * ox - inv[1, 1] * oy
    return glyph.transform(glyph.size, Image.AFFINE,
                           (inv[0, 0], inv[0, 1], tx, inv[1, 0], inv[1, 1], ty),
                           resample=Image.BILINEAR)


def _lighten(mask, glyph, x, y):
    box = (x, y, x + glyph.width, y + glyph.height)
    region = mask.crop(box)
    mask.paste(ImageChops.lighter(region, glyph), box[:2])


def elastic_warp(mask, rng, cell_px, strength_px):
    """Bends `mask` by a smooth random displacement (a mesh of quads whose
    corners move up to `strength_px`): the small irregularities a hand
    makes that no per-glyph jitter gives. Returns a new image."""
    w, h = mask.size
    nx, ny = max(1, round(w / cell_px)), max(1, round(h / cell_px))
    np_rng = np.random.default_rng(rng.getrandbits(32))
    dx = np_rng.uniform(-strength_px, strength_px, (ny + 1, nx + 1))
    dy = np_rng.uniform(-strength_px, strength_px, (ny + 1, nx + 1))
    dx[0, :] = dx[-1, :] = dx[:, 0] = dx[:, -1] = 0  # the edges stay put
    dy[0, :] = dy[-1, :] = dy[:, 0] = dy[:, -1] = 0
    xs = np.linspace(0, w, nx + 1)
    ys = np.linspace(0, h, ny + 1)
    mesh = []
    for j in range(ny):
        for i in range(nx):
            box = (round(xs[i]), round(ys[j]), round(xs[i + 1]), round(ys[j + 1]))
            quad = (xs[i] + dx[j, i], ys[j] + dy[j, i],
                    xs[i] + dx[j + 1, i], ys[j + 1] + dy[j + 1, i],
                    xs[i + 1] + dx[j + 1, i + 1], ys[j + 1] + dy[j + 1, i + 1],
                    xs[i + 1] + dx[j, i + 1], ys[j] + dy[j, i + 1])
            mesh.append((box, quad))
    return mask.transform(mask.size, Image.MESH, mesh, resample=Image.BILINEAR)


def ink_texture(mask, rng, low=0.55):
    """A ballpoint lays ink unevenly: multiplies the mask by a grain
    between `low` and 1."""
    np_rng = np.random.default_rng(rng.getrandbits(32))
    w, h = mask.size
    coarse = np_rng.uniform(low, 1.0, (max(2, h // 6), max(2, w // 6))).astype(np.float32)
    grain = Image.fromarray((coarse * 255).astype(np.uint8), "L").resize((w, h), Image.BILINEAR)
    return ImageChops.multiply(mask, grain)
