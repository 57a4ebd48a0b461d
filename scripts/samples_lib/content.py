"""What a generated document says: people, places, dates, identifiers and
the printed lines of each of the four commune civil-status results.

Everything here is plain data drawn from a random.Random passed in by the
caller, so a document is a pure function of its seed.
"""

import datetime
import unicodedata

# Placeholder document-type codes for the result code
# "<holder id>.<type code>" (the official list was not confirmed; see
# /work/shared/domain.md). The pipeline must keep its own in configuration.
TYPE_CODES = {
    "khai_sinh": "GKS",
    "ket_hon": "GCNKH",
    "khai_tu": "TLKT",
    "tinh_trang_hon_nhan": "XNTTHN",
}
DOC_TYPES = tuple(TYPE_CODES)

TITLES = {
    "khai_sinh": "GIẤY KHAI SINH",
    "ket_hon": "GIẤY CHỨNG NHẬN KẾT HÔN",
    "khai_tu": "TRÍCH LỤC KHAI TỬ",
    "tinh_trang_hon_nhan": "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
}

# Symbol printed after the number in the header ("Số: 15/KS").
SYMBOLS = {
    "khai_sinh": "KS",
    "ket_hon": "KH",
    "khai_tu": "TLKT",
    "tinh_trang_hon_nhan": "UBND-XNTTHN",
}

# Province codes 001-096 actually in use (63 provinces), with names; the
# first three digits of a personal identification number.
PROVINCES = {
    "001": "thành phố Hà Nội", "002": "tỉnh Hà Giang", "004": "tỉnh Cao Bằng",
    "006": "tỉnh Bắc Kạn", "008": "tỉnh Tuyên Quang", "010": "tỉnh Lào Cai",
    "011": "tỉnh Điện Biên", "012": "tỉnh Lai Châu", "014": "tỉnh Sơn La",
    "015": "tỉnh Yên Bái", "017": "tỉnh Hòa Bình", "019": "tỉnh Thái Nguyên",
    "020": "tỉnh Lạng Sơn", "022": "tỉnh Quảng Ninh", "024": "tỉnh Bắc Giang",
    "025": "tỉnh Phú Thọ", "026": "tỉnh Vĩnh Phúc", "027": "tỉnh Bắc Ninh",
    "030": "tỉnh Hải Dương", "031": "thành phố Hải Phòng", "033": "tỉnh Hưng Yên",
    "034": "tỉnh Thái Bình", "035": "tỉnh Hà Nam", "036": "tỉnh Nam Định",
    "037": "tỉnh Ninh Bình", "038": "tỉnh Thanh Hóa", "040": "tỉnh Nghệ An",
    "042": "tỉnh Hà Tĩnh", "044": "tỉnh Quảng Bình", "045": "tỉnh Quảng Trị",
    "046": "tỉnh Thừa Thiên Huế", "048": "thành phố Đà Nẵng",
    "049": "tỉnh Quảng Nam", "051": "tỉnh Quảng Ngãi", "052": "tỉnh Bình Định",
    "054": "tỉnh Phú Yên", "056": "tỉnh Khánh Hòa", "058": "tỉnh Ninh Thuận",
    "060": "tỉnh Bình Thuận", "062": "tỉnh Kon Tum", "064": "tỉnh Gia Lai",
    "066": "tỉnh Đắk Lắk", "067": "tỉnh Đắk Nông", "068": "tỉnh Lâm Đồng",
    "070": "tỉnh Bình Phước", "072": "tỉnh Tây Ninh", "074": "tỉnh Bình Dương",
    "075": "tỉnh Đồng Nai", "077": "tỉnh Bà Rịa - Vũng Tàu",
    "079": "thành phố Hồ Chí Minh", "080": "tỉnh Long An", "082": "tỉnh Tiền Giang",
    "083": "tỉnh Bến Tre", "084": "tỉnh Trà Vinh", "086": "tỉnh Vĩnh Long",
    "087": "tỉnh Đồng Tháp", "089": "tỉnh An Giang", "091": "tỉnh Kiên Giang",
    "092": "thành phố Cần Thơ", "093": "tỉnh Hậu Giang", "094": "tỉnh Sóc Trăng",
    "095": "tỉnh Bạc Liêu", "096": "tỉnh Cà Mau",
}

# Communes that issue the documents: (xã, huyện, province code).
COMMUNES = [
    ("Xuân Thành", "huyện Nghi Xuân", "042"),
    ("Cẩm Bình", "huyện Cẩm Xuyên", "042"),
    ("Tiền Phong", "huyện Mê Linh", "001"),
    ("Yên Thường", "huyện Gia Lâm", "001"),
    ("Hòa Tiến", "huyện Hòa Vang", "048"),
    ("Quang Trung", "huyện An Lão", "031"),
    ("Phước Kiển", "huyện Nhà Bè", "079"),
    ("Nghĩa Đồng", "huyện Tân Kỳ", "040"),
    ("Hải Ba", "huyện Hải Lăng", "045"),
    ("Ea Kao", "thành phố Buôn Ma Thuột", "066"),
    ("Nghĩa Trung", "huyện Bù Đăng", "070"),
    ("Tam Hiệp", "huyện Châu Thành", "083"),
    ("Đông Hưng", "huyện Tiên Lãng", "031"),
    ("Quảng Phú", "huyện Quảng Điền", "046"),
]

SURNAMES = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + [
    "Phạm", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai"]
MIDDLE = {
    "Nam": ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thành",
            "Xuân", "Ngọc", "Đình", "Quang"],
    "Nữ": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Mỹ", "Thúy",
           "Khánh", "Phương", "Bảo"],
}
GIVEN = {
    "Nam": ["An", "Bình", "Cường", "Dũng", "Đức", "Hùng", "Hải", "Khánh",
            "Long", "Minh", "Nam", "Phúc", "Quang", "Sơn", "Thắng", "Tuấn",
            "Việt", "Hoàng", "Trọng", "Nghĩa", "Lộc", "Khải", "Duy", "Hiếu",
            "Tùng", "Kiên", "Quyết", "Thịnh", "Vỹ", "Lực"],
    "Nữ": ["Anh", "Bích", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hương",
           "Lan", "Linh", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh",
           "Thảo", "Trang", "Uyên", "Yến", "Thủy", "Huyền", "Nguyệt", "Diệp",
           "Hằng", "Ánh", "Tuyết", "Xuân", "Hiền", "Loan"],
}
ETHNIC = ["Kinh"] * 16 + ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng",
                          "Mông", "Dao", "Ê Đê", "Gia Rai"]
HAMLETS = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn Đông",
           "Thôn Tây", "Thôn Trung", "Xóm Mới", "Ấp Bình Hòa", "Thôn Yên Bình",
           "Thôn Phú Lợi", "Thôn Hòa Bình", "Xóm Chùa", "Ấp 3"]
DEATH_CAUSES = ["Bệnh già", "Bệnh hiểm nghèo", "Tai nạn giao thông",
                "Suy tim", "Đột quỵ", "Bệnh phổi mạn tính", "Ung thư gan"]
PURPOSES = ["Làm thủ tục đăng ký kết hôn", "Bổ sung hồ sơ vay vốn ngân hàng",
            "Làm thủ tục mua bán nhà đất", "Bổ sung hồ sơ xin việc làm",
            "Làm thủ tục xuất cảnh"]
SIGNERS = [("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
           ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
           ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")]

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
MONTHS = ["", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín",
          "mười", "mười một", "mười hai"]


def nfc(text):
    return unicodedata.normalize("NFC", text)


def words_below_100(n):
    """Vietnamese words for 0 < n < 100 ("hai mươi mốt", "mười lăm")."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return DIGITS[units]
    head = "mười" if tens == 1 else DIGITS[tens] + " mươi"
    if units == 0:
        return head
    if units == 1 and tens > 1:
        return head + " mốt"
    if units == 5:
        return head + " lăm"
    if units == 4 and tens > 1:
        return head + " tư"
    return head + " " + DIGITS[units]


def year_words(year):
    """"hai nghìn không trăm hai mươi mốt", "một nghìn chín trăm tám mươi"."""
    thousands, rest = divmod(year, 1000)
    hundreds, below = divmod(rest, 100)
    out = DIGITS[thousands] + " nghìn"
    if rest == 0:
        return out
    out += " " + DIGITS[hundreds] + " trăm"
    if below == 0:
        return out
    if below < 10:
        return out + " linh " + DIGITS[below]
    return out + " " + words_below_100(below)


def date_words(d):
    return "Ngày %s, tháng %s, năm %s" % (
        words_below_100(d.day), MONTHS[d.month], year_words(d.year))


def dmy(d):
    return d.strftime("%d/%m/%Y")


def long_date(place, d):
    """Decree 30: days < 10 and months 1-2 carry a leading zero."""
    month = "%02d" % d.month if d.month <= 2 else str(d.month)
    return "%s, ngày %02d tháng %s năm %d" % (place, d.day, month, d.year)


def random_date(rng, start, end):
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, span))


def add_months(d, months):
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def person_id(rng, province, birth, sex):
    """12 digits: province, century/sex digit, 2 digits of year, 6 random."""
    century = {19: 0, 20: 2, 21: 4}[birth.year // 100]
    return "%s%d%02d%06d" % (province, century + (1 if sex == "Nữ" else 0),
                             birth.year % 100, rng.randint(0, 999999))


def person_name(rng, sex, surname=None):
    parts = [surname or rng.choice(SURNAMES), rng.choice(MIDDLE[sex])]
    if rng.random() < 0.2:  # some people have two middle names
        parts.append(rng.choice(MIDDLE[sex]))
    parts.append(rng.choice(GIVEN[sex]))
    return " ".join(parts)


def upper(text):
    return nfc(nfc(text).upper())


def address(rng, commune=None):
    xa, huyen, code = commune or rng.choice(COMMUNES)
    return "%s, xã %s, %s, %s" % (rng.choice(HAMLETS), xa, huyen, PROVINCES[code])


def authority(commune):
    xa, huyen, code = commune
    return "Ủy ban nhân dân xã %s, %s, %s" % (xa, huyen, PROVINCES[code])


class Document:
    """A generated result: header, title, body lines, signer, and fields."""

    def __init__(self, doc_type, header_left, header_right, title, body,
                 signer, fields, seal_text):
        self.doc_type = doc_type
        self.header_left = header_left      # [(text, style)]
        self.header_right = header_right    # [(text, style)]
        self.title = title                  # [text]
        self.body = body                    # [text] before wrapping
        self.signer = signer                # [(text, style)]
        self.fields = fields
        self.seal_text = seal_text          # (upper arc, lower arc)


def make_document(rng, doc_type, year_range=(2016, 2025)):
    """Draws one document of `doc_type` from `rng`."""
    commune = rng.choice(COMMUNES)
    xa, huyen, prov = commune
    reg = random_date(rng, datetime.date(year_range[0], 1, 1),
                      datetime.date(year_range[1], 6, 30))
    number = rng.randint(1, 240)
    book = "%02d/%d" % (rng.randint(1, 3), reg.year)
    symbol = SYMBOLS[doc_type]
    fields = {
        "so": str(number),
        "so_ky_hieu": "%d/%s" % (number, symbol),
        "quyen_so": book if doc_type != "tinh_trang_hon_nhan" else "",
        "ngay_dang_ky": reg.isoformat(),
        "noi_dang_ky": authority(commune),
    }
    body = []
    if doc_type != "tinh_trang_hon_nhan":
        body.append("Số: %d, Quyển số: %s" % (number, book))

    if doc_type == "khai_sinh":
        sex = rng.choice(["Nam", "Nữ"])
        birth = reg - datetime.timedelta(days=rng.randint(3, 58))
        father_surname = rng.choice(SURNAMES)
        name = upper(person_name(rng, sex, father_surname))
        mother = upper(person_name(rng, "Nữ"))
        has_father = rng.random() > 0.1
        father = upper(person_name(rng, "Nam", father_surname)) if has_father else ""
        ethnic = rng.choice(ETHNIC)
        pid = person_id(rng, prov, birth, sex)
        place = rng.choice([
            "Trạm Y tế xã %s, %s, %s" % (xa, huyen, PROVINCES[prov]),
            "Bệnh viện Đa khoa " + PROVINCES[prov],
            "Trung tâm Y tế %s, %s" % (huyen, PROVINCES[prov])])
        home = "xã %s, %s, %s" % (xa, huyen, PROVINCES[prov])
        fields.update(ho_ten=name, ngay_sinh=birth.isoformat(), gioi_tinh=sex,
                      dan_toc=ethnic, quoc_tich="Việt Nam", noi_sinh=place,
                      so_dinh_danh=pid, ho_ten_me=mother, ho_ten_cha=father)
        holder = pid
        m_year = birth.year - rng.randint(19, 38)
        body += [
            "Họ, chữ đệm, tên: " + name,
            "Ngày, tháng, năm sinh: " + dmy(birth),
            "Ghi bằng chữ: " + date_words(birth),
            "Giới tính: " + sex,
            "Dân tộc: " + ethnic,
            "Quốc tịch: Việt Nam",
            "Nơi sinh: " + place,
            "Quê quán: " + home,
            "Số định danh cá nhân: " + pid,
            "Họ, chữ đệm, tên người mẹ: " + mother,
            "Năm sinh: %d; Dân tộc: %s; Quốc tịch: Việt Nam" % (m_year, ethnic),
            "Nơi cư trú: " + address(rng, commune),
            "Họ, chữ đệm, tên người cha: " + father if father
            else "Họ, chữ đệm, tên người cha: (không có thông tin)",
        ]
        if father:
            body += ["Năm sinh: %d; Dân tộc: %s; Quốc tịch: Việt Nam"
                     % (m_year - rng.randint(-2, 6), ethnic),
                     "Nơi cư trú: " + address(rng, commune)]
    elif doc_type == "ket_hon":
        people = []
        for sex in ("Nam", "Nữ"):
            birth = random_date(rng, datetime.date(reg.year - 40, 1, 1),
                                datetime.date(reg.year - 20, 12, 31))
            home = commune if rng.random() < 0.7 else rng.choice(COMMUNES)
            pid = person_id(rng, rng.choice([home[2], rng.choice(list(PROVINCES))]),
                            birth, sex)
            people.append((upper(person_name(rng, sex)), birth, rng.choice(ETHNIC),
                           address(rng, home), pid))
        (h_name, h_birth, h_eth, h_addr, h_id), (w_name, w_birth, w_eth, w_addr, w_id) = people
        fields.update(ho_ten_chong=h_name, so_dinh_danh_chong=h_id,
                      ho_ten_vo=w_name, so_dinh_danh_vo=w_id,
                      ngay_sinh_chong=h_birth.isoformat(), ngay_sinh_vo=w_birth.isoformat())
        holder = h_id
        for role, (name, birth, eth, addr, pid) in (("chồng", people[0]), ("vợ", people[1])):
            body += [
                "Họ, chữ đệm, tên %s: %s" % (role, name),
                "Ngày, tháng, năm sinh: " + dmy(birth),
                "Dân tộc: %s; Quốc tịch: Việt Nam" % eth,
                "Nơi cư trú: " + addr,
                "Số định danh cá nhân: " + pid,
            ]
    elif doc_type == "khai_tu":
        sex = rng.choice(["Nam", "Nữ"])
        death = reg - datetime.timedelta(days=rng.randint(1, 14))
        birth = random_date(rng, datetime.date(1925, 1, 1),
                            datetime.date(death.year - 30, 12, 31))
        name = upper(person_name(rng, sex))
        ethnic = rng.choice(ETHNIC)
        pid = person_id(rng, rng.choice([prov, rng.choice(list(PROVINCES))]), birth, sex)
        cause = rng.choice(DEATH_CAUSES)
        where = rng.choice(["Tại nhà, " + address(rng, commune),
                            "Bệnh viện Đa khoa " + PROVINCES[prov]])
        fields.update(ho_ten=name, ngay_sinh=birth.isoformat(), gioi_tinh=sex,
                      dan_toc=ethnic, quoc_tich="Việt Nam", so_dinh_danh=pid,
                      ngay_chet=death.isoformat(), noi_chet=where,
                      nguyen_nhan_chet=cause)
        holder = pid
        body += [
            "Họ, chữ đệm, tên: " + name,
            "Ngày, tháng, năm sinh: " + dmy(birth),
            "Giới tính: " + sex,
            "Dân tộc: " + ethnic,
            "Quốc tịch: Việt Nam",
            "Số định danh cá nhân: " + pid,
            "Đã chết vào lúc: %02d giờ %02d phút, ngày %s" % (
                rng.randint(0, 23), rng.randint(0, 59), dmy(death)),
            "Nơi chết: " + where,
            "Nguyên nhân chết: " + cause,
        ]
    elif doc_type == "tinh_trang_hon_nhan":
        sex = rng.choice(["Nam", "Nữ"])
        birth = random_date(rng, datetime.date(reg.year - 55, 1, 1),
                            datetime.date(reg.year - 19, 12, 31))
        name = upper(person_name(rng, sex))
        ethnic = rng.choice(ETHNIC)
        pid = person_id(rng, rng.choice([prov, rng.choice(list(PROVINCES))]), birth, sex)
        since = random_date(rng, datetime.date(max(birth.year + 18, 2000), 1, 1), reg)
        status = rng.choice([
            "Chưa đăng ký kết hôn với ai.",
            "Chưa đăng ký kết hôn với ai.",
            "Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án số %d/%d/HNGĐ-ST "
            "ngày %s của Tòa án nhân dân %s; hiện tại chưa đăng ký kết hôn với ai." % (
                rng.randint(5, 200), since.year, dmy(since), huyen),
            "Đang có vợ/chồng là %s." % upper(person_name(rng, "Nữ" if sex == "Nam" else "Nam")),
        ])
        valid_to = add_months(reg, 6)
        purpose = rng.choice(PURPOSES)
        fields.update(ho_ten=name, ngay_sinh=birth.isoformat(), gioi_tinh=sex,
                      dan_toc=ethnic, quoc_tich="Việt Nam", so_dinh_danh=pid,
                      tinh_trang=status, co_gia_tri_den=valid_to.isoformat(),
                      muc_dich=purpose)
        holder = pid
        body += [
            "Xét đề nghị của %s %s về việc xác nhận tình trạng hôn nhân," % (
                "ông" if sex == "Nam" else "bà", name),
            "ỦY BAN NHÂN DÂN XÃ %s XÁC NHẬN:" % upper(xa),
            "Họ, chữ đệm, tên: " + name,
            "Ngày, tháng, năm sinh: " + dmy(birth),
            "Giới tính: " + sex,
            "Dân tộc: " + ethnic,
            "Quốc tịch: Việt Nam",
            "Số định danh cá nhân: " + pid,
            "Nơi cư trú: " + address(rng, commune),
            "Trong thời gian cư trú tại xã %s từ ngày %s đến ngày %s" % (
                xa, dmy(since), dmy(reg)),
            "Tình trạng hôn nhân: " + status,
            "Giấy này được cấp để: " + purpose,
            "Giấy này có giá trị sử dụng đến ngày: " + dmy(valid_to),
        ]
    else:
        raise ValueError("unknown document type %r" % doc_type)

    fields["code"] = "%s.%s" % (holder, TYPE_CODES[doc_type])
    fields["holder_id"] = holder
    if doc_type != "tinh_trang_hon_nhan":
        body += ["Nơi đăng ký: " + authority(commune),
                 "Ngày đăng ký: " + dmy(reg)]

    signer_lines = list(rng.choice(SIGNERS))
    signer_name = person_name(rng, rng.choice(["Nam", "Nữ"]))
    fields["nguoi_ky"] = signer_name
    fields["chuc_vu"] = signer_lines[-1]
    signer = [(s, "bold") for s in signer_lines] + [(None, "gap"), (signer_name, "bold")]
    header_left = [("ỦY BAN NHÂN DÂN", "bold"), ("XÃ " + upper(xa), "bold"),
                   (None, "rule"), ("Số: %d/%s" % (number, symbol), "regular")]
    header_right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold"),
                    ("Độc lập - Tự do - Hạnh phúc", "bold"), (None, "rule"),
                    (long_date(xa, reg), "italic")]
    seal = ("ỦY BAN NHÂN DÂN XÃ " + upper(xa),
            "%s - %s" % (upper(huyen.replace("thành phố", "TP.").replace("huyện", "H.")),
                         upper(PROVINCES[prov].replace("thành phố", "TP.").replace("tỉnh", "T."))))
    fields = {k: nfc(v) for k, v in fields.items()}
    return Document(doc_type, header_left, header_right, [TITLES[doc_type]],
                    [nfc(b) for b in body], signer, fields, seal)


def changes_section(rng, doc):
    """Extra lines for page 3 of a multi-page document (marginal notes)."""
    reg = datetime.date.fromisoformat(doc.fields["ngay_dang_ky"])
    later = reg + datetime.timedelta(days=rng.randint(200, 900))
    return [
        "Thông tin thay đổi, cải chính, bổ sung hộ tịch:",
        "Ngày %s: cải chính nơi cư trú theo Tờ khai số %d/%d." % (
            dmy(later), rng.randint(1, 90), later.year),
        "Căn cứ pháp lý: Luật Hộ tịch năm 2014 và Nghị định số 123/2015/NĐ-CP.",
        "Người thực hiện: công chức Tư pháp - Hộ tịch.",
    ]
