"""What a generated register book says: its commune, book number and the
entries, each with the values written in it and the truth fields (the
doc-type keys of schemas/doctypes/<kind>.json, normalised as `sohoa
export` writes them: dates YYYY-MM-DD, names as written in capitals).

People, places, dates and identification numbers come from content.py,
so they follow the same rules as the certificates (domain.md: a personal
identification number starts with the province code of the commune where
the birth was registered, then the century/sex digit and the year).
"""

import datetime

from . import content

KINDS = ("khai_sinh",)
PREFIX = {"khai_sinh": "ks"}
BOOK_TITLES = {"khai_sinh": "SỔ ĐĂNG KÝ KHAI SINH"}
RELATIONS = ["Cha", "Mẹ", "Mẹ", "Ông nội", "Bà ngoại"]
ID_PAPERS = ["CMND số", "Thẻ CCCD số", "Hộ chiếu số"]


class Book:
    """The book as a whole: commune, quyển số, years and its entries."""

    def __init__(self, kind, commune, book_no, year_from, year_to, entries):
        self.kind = kind
        self.commune = commune              # (xã, huyện, province code)
        self.book_no = book_no              # "01/2018"
        self.year_from = year_from
        self.year_to = year_to
        self.entries = entries              # [Entry], in number order

    @property
    def authority(self):
        return content.nfc(content.authority(self.commune))

    @property
    def commune_name(self):
        return content.nfc("Xã " + self.commune[0])

    def manifest(self, layout, first_page_number=1):
        return {"kind": self.kind, "book_no": self.book_no, "year_from": self.year_from,
                "year_to": self.year_to, "commune": self.commune_name, "layout": layout,
                "first_page_number": first_page_number}

    def seal_text(self):
        xa, huyen, prov = self.commune
        return (content.upper("Ủy ban nhân dân xã " + xa),
                "%s - %s" % (content.upper(huyen.replace("thành phố", "TP.").replace("huyện", "H.")),
                             content.upper(content.PROVINCES[prov].replace("thành phố", "TP.")
                                           .replace("tỉnh", "T."))))


class Entry:
    """One registration: `values` maps a value key (see BIRTH_VALUES) to
    the text written in the book; `fields` is the truth."""

    def __init__(self, number, values, fields):
        self.number = number
        self.values = values
        self.fields = fields


def make_book(rng, kind, era, count, book_index=1):
    """`count` entries of a `kind` book; era "printed" (2016 on: one year,
    with personal identification numbers) or "ruled" (before 2016: up to
    three years, no identification numbers)."""
    if kind not in KINDS:
        raise ValueError("unknown register kind %r (known: %s)" % (kind, ", ".join(KINDS)))
    commune = rng.choice(content.COMMUNES)
    if era == "printed":
        year_from = rng.randint(2016, 2024)
        year_to = year_from
    else:
        year_from = rng.randint(1995, 2012)
        year_to = min(2015, year_from + rng.randint(0, 2))
    book_no = "%02d/%d" % (book_index, year_from)
    start, end = datetime.date(year_from, 1, 2), datetime.date(year_to, 12, 28)
    dates = sorted(content.random_date(rng, start, end) for _ in range(count))
    entries = [birth_entry(rng, commune, reg, number + 1, book_no, era)
               for number, reg in enumerate(dates)]
    return Book(kind, commune, book_no, year_from, year_to, entries)


def birth_entry(rng, commune, reg, number, book_no, era):
    xa, huyen, prov = commune
    sex = rng.choice(["Nam", "Nữ"])
    if rng.random() < 0.08:  # registered late (đăng ký khai sinh quá hạn)
        birth = reg - datetime.timedelta(days=rng.randint(70, 3000))
    else:
        birth = reg - datetime.timedelta(days=rng.randint(3, 58))
    father_surname = rng.choice(content.SURNAMES)
    name = content.upper(content.person_name(rng, sex, father_surname))
    mother = content.upper(content.person_name(rng, "Nữ"))
    has_father = rng.random() > 0.1
    father = content.upper(content.person_name(rng, "Nam", father_surname)) if has_father else ""
    ethnic = rng.choice(content.ETHNIC)
    places = ["Trạm Y tế xã %s, %s, %s" % (xa, huyen, content.PROVINCES[prov]),
              "Bệnh viện Đa khoa " + content.PROVINCES[prov],
              "Trung tâm Y tế %s, %s" % (huyen, content.PROVINCES[prov])]
    if era == "ruled":
        places.append("Tại nhà, " + content.address(rng, commune))
    place = rng.choice(places)
    home = "xã %s, %s, %s" % (xa, huyen, content.PROVINCES[prov])
    m_year = birth.year - rng.randint(19, 38)
    f_year = m_year - rng.randint(-2, 6)
    relation = rng.choice(RELATIONS if has_father else [r for r in RELATIONS if r != "Cha"])
    requester = {"Cha": father, "Mẹ": mother}.get(relation) or content.upper(
        content.person_name(rng, "Nam" if relation == "Ông nội" else "Nữ"))
    values = {
        "so": str(number),
        "ngay_dang_ky": reg,
        "ho_ten": name,
        "ngay_sinh": birth,
        "ngay_sinh_chu": content.date_words(birth),
        "gioi_tinh": sex,
        "dan_toc": ethnic,
        "quoc_tich": "Việt Nam",
        "noi_sinh": place,
        "que_quan": home,
        "ho_ten_me": mother,
        "me_nam_sinh": str(m_year),
        "me_dan_toc": ethnic,
        "me_noi_cu_tru": content.address(rng, commune),
        "ho_ten_cha": father,
        "cha_nam_sinh": str(f_year) if father else "",
        "cha_dan_toc": ethnic if father else "",
        "cha_noi_cu_tru": content.address(rng, commune) if father else "",
        "nguoi_di_dang_ky": requester,
        "quan_he": relation,
        "giay_to": "%s %09d" % (rng.choice(ID_PAPERS), rng.randint(10 ** 8, 10 ** 9 - 1)),
        "nguoi_thuc_hien": content.person_name(rng, rng.choice(["Nam", "Nữ"])),
        "nguoi_ky": content.person_name(rng, rng.choice(["Nam", "Nữ"])),
        "chuc_vu": rng.choice(["Chủ tịch", "Phó Chủ tịch"]),
        "ghi_chu": "" if rng.random() < 0.85 else rng.choice(
            ["Đăng ký lại", "Đăng ký quá hạn", "Cấp bản sao ngày %s" % content.dmy(
                reg + datetime.timedelta(days=rng.randint(30, 700)))]),
    }
    fields = {
        "so": str(number),
        "quyen_so": book_no,
        "ho_ten": name,
        "ngay_sinh": birth.isoformat(),
        "gioi_tinh": sex,
        "dan_toc": ethnic,
        "quoc_tich": "Việt Nam",
        "noi_sinh": place,
        "ho_ten_me": mother,
        "ho_ten_cha": father,
        "noi_dang_ky": content.authority(commune),
        "ngay_dang_ky": reg.isoformat(),
    }
    if era == "printed":  # identification numbers are given at birth registration since 2016
        pid = content.person_id(rng, prov, birth, sex)
        values["so_dinh_danh"] = pid
        fields["so_dinh_danh"] = pid
    values = {k: content.nfc(v) if isinstance(v, str) else v for k, v in values.items()}
    return Entry(number, values, {k: content.nfc(v) for k, v in fields.items()})
