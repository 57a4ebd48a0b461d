#!/usr/bin/python3
"""Dense prose pages for the OCR-speed comparison (issue 19): A4, 300 dpi,
gray JPEG, 11 pt serif, ~45 lines of running Vietnamese administrative prose
per page, a little scanner noise. Writes PAGE.jpg and truth.json ({file: text}).

  /usr/bin/python3 benchmarks/ocr_speed/make_dense_pages.py --out DIR [--pages N] [--seed S]
"""
import argparse
import json
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from samples_lib import render  # noqa: E402  (font lookup shared with make_samples)

# Sentences in the register of an administrative text (written for this
# bench); pages are random sequences of them.
SENTENCES = [
    "Ủy ban nhân dân xã có trách nhiệm tổ chức thực hiện việc đăng ký hộ tịch theo đúng quy định của pháp luật.",
    "Người yêu cầu đăng ký khai sinh nộp tờ khai theo mẫu quy định và giấy chứng sinh cho cơ quan đăng ký hộ tịch.",
    "Trường hợp không có giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh.",
    "Ngay sau khi nhận đủ giấy tờ, nếu thấy thông tin khai sinh đầy đủ và phù hợp, công chức tư pháp hộ tịch ghi nội dung vào Sổ hộ tịch.",
    "Việc lưu trữ sổ hộ tịch được thực hiện vĩnh viễn; bản điện tử phải bảo đảm tính toàn vẹn, xác thực và khả năng truy cập lâu dài.",
    "Cơ quan quản lý cơ sở dữ liệu hộ tịch điện tử chịu trách nhiệm cập nhật, khai thác và bảo mật thông tin cá nhân của công dân.",
    "Bản số hóa từ bản giấy phải được ký số bởi người thực hiện số hóa và được chứng thực bởi cơ quan, tổ chức có thẩm quyền.",
    "Thời hạn giải quyết là trong ngày làm việc; trường hợp nhận hồ sơ sau mười lăm giờ thì trả kết quả trong ngày làm việc tiếp theo.",
    "Hồ sơ đề nghị cấp bản sao trích lục gồm tờ khai, bản chụp giấy tờ tùy thân và văn bản ủy quyền nếu có.",
    "Các đơn vị sự nghiệp công lập phối hợp với phòng tư pháp huyện kiểm tra, rà soát dữ liệu đã được số hóa.",
    "Kinh phí thực hiện được bảo đảm từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn hợp pháp khác.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan, đơn vị phản ánh kịp thời để được hướng dẫn.",
    "Dữ liệu sau khi số hóa được kiểm tra chất lượng, đối chiếu với bản gốc và chuyển vào kho lưu trữ điện tử của tỉnh.",
    "Người đứng đầu cơ quan chịu trách nhiệm trước pháp luật về tính chính xác của thông tin đã được cập nhật.",
]


def page_text(rng, fnt, width, lines_per_page):
    words = []
    while len(words) < lines_per_page * 16:
        words += rng.choice(SENTENCES).split()
    lines, line = [], ""
    for w in words:
        trial = (line + " " + w).strip()
        if fnt.getlength(trial) > width and line:
            lines.append(line)
            line = w
            if len(lines) == lines_per_page:
                break
        else:
            line = trial
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--pages", type=int, default=6)
    p.add_argument("--seed", type=int, default=19)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    np_rng = np.random.default_rng(a.seed)
    dpi = 300
    g = render.Geometry(dpi)
    fnt = render.font("regular", g.pt(11))
    left, top, step = g.mm(25), g.mm(22), g.pt(11) * 1.32
    width = g.width - left - g.mm(20)
    truth = {}
    for n in range(a.pages):
        lines = page_text(rng, fnt, width, int((g.height - top - g.mm(20)) / step))
        img = Image.new("L", (g.width, g.height), 248)
        d = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            d.text((left, top + i * step), line, font=fnt, fill=25)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        arr = np.asarray(img, dtype=np.float32) + np_rng.standard_normal((g.height, g.width)) * 4
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
        name = "dense%02d.jpg" % (n + 1)
        img.save(os.path.join(a.out, name), quality=85, dpi=(dpi, dpi))
        truth[name] = "\n".join(lines)
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
