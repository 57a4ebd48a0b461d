#!/usr/bin/python3
"""Writes the bad-input corpus (plus a few good files in unusual forms) that
tests/e2e/bad_inputs_test.cc runs through `sohoa run`, and that
scripts/fuzz.sh uses as its seed corpus.

    /usr/bin/python3 tests/corpus/make_bad_inputs.py --samples DIR --out DIR

--samples is a folder of generated scans (scripts/make_samples.py --preset
test, its scans/ folder): bad files are made from real-looking pages so that
what fails is the damage, not the content. Needs PIL, numpy and qpdf.
Deterministic apart from the PDFs' creation dates.
"""
import argparse
import io
import os
import random
import re
import struct
import subprocess
import sys

import numpy as np
from PIL import Image


def tiff_by_hand(width, height, compression=1, data=b"\0" * 16, bps=8):
    """A little-endian one-strip gray TIFF whose header says whatever we like."""
    entries = [
        (256, 4, 1, width),              # ImageWidth (LONG)
        (257, 4, 1, height),             # ImageLength
        (258, 3, 1, bps),                # BitsPerSample
        (259, 3, 1, compression),        # Compression
        (262, 3, 1, 1),                  # Photometric: MinIsBlack
        (273, 4, 1, 0),                  # StripOffsets (patched below)
        (277, 3, 1, 1),                  # SamplesPerPixel
        (278, 4, 1, height),             # RowsPerStrip
        (279, 4, 1, len(data)),          # StripByteCounts
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    data_offset = ifd_offset + ifd_size
    out = bytearray(b"II*\0" + struct.pack("<I", ifd_offset))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if tag == 273:
            value = data_offset
        if typ == 3:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, value)
    out += struct.pack("<I", 0)
    out += data
    return bytes(out)


def strip_ranges(path):
    """[(offset, count)] of the first strip of every page of a little-endian TIFF."""
    data = open(path, "rb").read()
    assert data[:4] == b"II*\0", "expects a little-endian classic TIFF"
    sizes = {3: 2, 4: 4}
    pages = []
    ifd = struct.unpack_from("<I", data, 4)[0]
    while ifd:
        n = struct.unpack_from("<H", data, ifd)[0]
        fields = {}
        for i in range(n):
            tag, typ, count = struct.unpack_from("<HHI", data, ifd + 2 + 12 * i)
            pos = ifd + 2 + 12 * i + 8
            if count * sizes.get(typ, 4) > 4:
                pos = struct.unpack_from("<I", data, pos)[0]
            fmt = "<H" if typ == 3 else "<I"
            fields[tag] = struct.unpack_from(fmt, data, pos)[0]
        pages.append((fields[273], fields[279]))
        ifd = struct.unpack_from("<I", data, ifd + 2 + 12 * n)[0]
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", required=True, help="folder of generated good scans")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = lambda name: os.path.join(args.out, name)
    sample = lambda name: os.path.join(args.samples, name)
    rng = random.Random(20240601)

    # Not images at all.
    open(out("zero_byte.tif"), "wb").close()
    open(out("random_bytes.tif"), "wb").write(bytes([0x01, 0x80]) + rng.randbytes(4094))
    open(out("text_named.tif"), "w", encoding="utf-8").write(
        "Danh sách hồ sơ cần số hoá\nxã Tiền Phong, huyện Mê Linh\n")

    # A good gray LZW TIFF, cut in half (a copy interrupted mid-file).
    gray = open(sample("t05_khai_sinh_gray_lzw.tif"), "rb").read()
    open(out("truncated.tif"), "wb").write(gray[: len(gray) // 2])

    # Headers that lie or ask for what nobody has.
    open(out("huge_header.tif"), "wb").write(tiff_by_hand(200000, 200000))
    open(out("unsupported_compression.tif"), "wb").write(
        tiff_by_hand(1000, 1400, compression=34712, data=rng.randbytes(4096)))  # JPEG 2000

    # Images that decode but are not page scans.
    Image.new("L", (1, 1), 255).save(out("one_pixel.png"))
    Image.new("L", (1654, 2339), 255).save(out("blank_page.tif"), compression="tiff_lzw",
                                           dpi=(200, 200))

    # Three good pages; the second one's LZW data overwritten with noise.
    pages = Image.open(sample("t09_khai_sinh_3pages.tif"))
    frames = []
    for i in range(3):
        pages.seek(i)
        frames.append(pages.convert("L"))
    frames[0].save(out("multipage_corrupt.tif"), save_all=True, append_images=frames[1:],
                   compression="tiff_lzw", dpi=(300, 300), rowsperstrip=frames[0].height)
    data = bytearray(open(out("multipage_corrupt.tif"), "rb").read())
    offset, count = strip_ranges(out("multipage_corrupt.tif"))[1]
    data[offset + count // 4: offset + count // 4 + 512] = rng.randbytes(512)
    open(out("multipage_corrupt.tif"), "wb").write(bytes(data))

    # Unusual but valid: 16-bit gray and CMYK, from good pages.
    g = np.asarray(Image.open(sample("t05_khai_sinh_gray_lzw.tif")).convert("L"), dtype=np.uint16)
    Image.fromarray(g * 257, mode="I;16").save(out("gray16.tif"), dpi=(300, 300))
    Image.open(sample("t06_ket_hon_rgb_deflate.tif")).convert("RGB").convert("CMYK").save(
        out("cmyk.tif"), compression="tiff_lzw", dpi=(300, 300))

    # PDFs: a good scanner-style PDF (one image per page), a locked copy,
    # a copy whose startxref points to the wrong place (repairable: poppler
    # rebuilds the cross-reference table) and one cut in the middle of its
    # page image (its page objects lost).
    scan = Image.open(sample("t02_ket_hon_g3.tif"))
    dpi = scan.info.get("dpi", (300, 300))
    scan.convert("L").save(out("scan.pdf"), resolution=float(dpi[0]))
    subprocess.run(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--",
                    out("scan.pdf"), out("locked.pdf")], check=True)
    pdf = open(out("scan.pdf"), "rb").read()
    start = pdf.rfind(b"startxref") + len(b"startxref")
    open(out("bad_xref.pdf"), "wb").write(
        pdf[:start] + re.sub(rb"\d+", b"17", pdf[start:], count=1))
    open(out("broken.pdf"), "wb").write(pdf[: len(pdf) // 2])

    # JPEG data damaged in the middle (a bad sector, a flipped transfer):
    # decoders still return a picture, gray or smeared below the damage.
    def damage_jpeg_data(data):
        soi = data.find(b"\xff\xd8")
        eoi = data.find(b"\xff\xd9", soi)
        middle = soi + (eoi - soi) // 2
        data = bytearray(data)
        data[middle: middle + 2048] = rng.randbytes(2048)
        return bytes(data)
    open(out("damaged_jpeg.pdf"), "wb").write(damage_jpeg_data(pdf))
    jpeg = io.BytesIO()
    Image.open(sample("t07_khai_tu_rgb_jpeg.tif")).convert("RGB").save(jpeg, "JPEG", quality=85,
                                                                      dpi=(300, 300))
    open(out("damaged.jpg"), "wb").write(damage_jpeg_data(jpeg.getvalue()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
